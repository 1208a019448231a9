"""The server section of the settings refuses unsafe values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from assistant.config.settings import Settings

KEY = "a-long-enough-api-key"


def test_defaults_are_local_and_safe() -> None:
    srv = Settings().server
    assert srv.host == "127.0.0.1" and srv.port == 8000
    assert srv.cors_origins == [] and srv.api_keys == [] and not srv.require_api_key


@pytest.mark.parametrize(
    ("server", "words"),
    [
        ({"cors_origins": ["*"], "api_keys": [KEY]}, "cors_origins='*'"),
        ({"cors_origins": ["*"], "cors_allow_credentials": True}, "cors_origins='*'"),
        ({"cors_origins": ["clinic.example"]}, "https://"),
        ({"cors_origins": ["https://clinic.example/"]}, "must not end"),
        ({"host": "0.0.0.0"}, "api_keys"),
        ({"require_api_key": True}, "api_keys"),
        ({"api_keys": ["short"]}, "16 characters"),
        ({"rate_limit_per_minute": 0}, "greater than"),
        ({"rate_limit_burst": 100, "rate_limit_per_minute": 10}, "burst"),
        ({"max_body_bytes": 10}, "greater than"),
        ({"max_message_chars": 0}, "greater than"),
        ({"request_timeout_s": 0}, "greater than"),
        ({"port": 70000}, "less than"),
    ],
)
def test_unsafe_values_are_refused(server: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as err:
        Settings(server=server)
    assert words in str(err.value)


def test_public_bind_with_keys_and_env_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VA_SERVER__HOST", "0.0.0.0")
    monkeypatch.setenv("VA_SERVER__API_KEYS", f'["{KEY}"]')
    monkeypatch.setenv("VA_SERVER__CORS_ORIGINS", '["https://clinic.example"]')
    srv = Settings().server
    assert srv.host == "0.0.0.0" and srv.cors_origins == ["https://clinic.example"]
    assert srv.api_keys[0].get_secret_value() == KEY
    assert KEY not in repr(srv)  # keys never show up in logs
