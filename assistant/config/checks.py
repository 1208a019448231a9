"""Refuse unsafe settings: each check raises ValueError with what to change."""

from __future__ import annotations

from assistant.config.guard_settings import REQUIRED_RAILS, GuardrailSettings, LLMSettings
from assistant.config.server_settings import LOOPBACK_HOSTS, ServerSettings

__all__ = ["check_guardrails", "check_llm", "check_server"]


def check_server(srv: ServerSettings) -> None:
    """Refuse server settings that would expose the API more than intended."""
    wildcard = "*" in srv.cors_origins
    if wildcard and (srv.api_keys or srv.cors_allow_credentials):
        raise ValueError(
            "server.cors_origins='*' cannot be combined with api_keys or "
            "cors_allow_credentials: any website could then call the API as your users"
        )
    for origin in srv.cors_origins:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise ValueError(
                f"server.cors_origins entry {origin!r} must look like https://host[:port]"
            )
        if origin.endswith("/"):
            raise ValueError(f"server.cors_origins entry {origin!r} must not end with '/'")
    if srv.host not in LOOPBACK_HOSTS and not srv.api_keys:
        raise ValueError(
            f"server.host={srv.host!r} exposes the API beyond this machine: set "
            "server.api_keys, or bind 127.0.0.1 behind a reverse proxy"
        )
    if srv.require_api_key and not srv.api_keys:
        raise ValueError("server.require_api_key needs at least one entry in server.api_keys")
    if any(len(k.get_secret_value()) < 16 for k in srv.api_keys):
        raise ValueError("server.api_keys entries must be at least 16 characters long")
    if srv.rate_limit_burst > srv.rate_limit_per_minute:
        raise ValueError("server.rate_limit_burst cannot exceed server.rate_limit_per_minute")


def check_llm(m: LLMSettings, top_k: int) -> None:
    """An LLM backend needs a server and a model; sampling and limits stay sane."""
    if not 0.0 <= m.temperature <= 1.0:
        raise ValueError(
            f"llm.temperature={m.temperature} is unsafe: it must be in [0, 1]; higher "
            "values make the model invent more"
        )
    if not 0.0 < m.timeout_s <= 300.0:
        raise ValueError(f"llm.timeout_s={m.timeout_s} must be in (0, 300]")
    if m.backend == "extractive":
        return
    if m.backend == "openai" and not m.base_url:
        raise ValueError("llm.base_url is required for the openai backend")
    if m.base_url and not m.base_url.startswith(("http://", "https://")):
        raise ValueError(f"llm.base_url={m.base_url!r} must start with http:// or https://")
    if not m.model.strip():
        raise ValueError(f"llm.model is required for the {m.backend} backend")
    if m.max_passages > top_k:
        raise ValueError("llm.max_passages cannot exceed retrieval.top_k")


def check_guardrails(g: GuardrailSettings) -> None:
    """Emergency and crisis rails stay on, first; thresholds stay in a sane range."""
    missing = [r for r in REQUIRED_RAILS if r not in g.rails]
    if missing:
        raise ValueError(
            f"guardrails.rails must include {', '.join(missing)}: disabling the "
            "emergency or crisis rail is unsafe"
        )
    if list(g.rails[:2]) != list(REQUIRED_RAILS):
        raise ValueError("guardrails.rails must start with emergency, then crisis")
    if len(set(g.rails)) != len(g.rails):
        raise ValueError("guardrails.rails lists a rail twice")
    for name in ("emergency_threshold", "crisis_threshold"):
        value = getattr(g, name)
        if value is not None and not 0.2 <= value <= 0.9:
            raise ValueError(
                f"guardrails.{name}={value} is unsafe: it must be in [0.2, 0.9]; a higher "
                "value would miss people who need urgent help"
            )
    for name in ("clinician_threshold", "refused_threshold"):
        value = getattr(g, name)
        if not 0.3 <= value <= 0.95:
            raise ValueError(f"guardrails.{name}={value} must be in [0.3, 0.95]")
    if not 0.0 <= g.in_scope_threshold <= 0.8:
        raise ValueError("guardrails.in_scope_threshold must be in [0, 0.8]")
    if not 0.5 <= g.verifier_min_coverage <= 1.0:
        raise ValueError(
            f"guardrails.verifier_min_coverage={g.verifier_min_coverage} is unsafe: it "
            "must be in [0.5, 1.0]; lower would let unsupported sentences through"
        )
    if not 0.0 <= g.sentence_topic_floor < 0.6:
        raise ValueError("guardrails.sentence_topic_floor must be in [0, 0.6)")
