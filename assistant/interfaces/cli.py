"""The `assistant` command: ingest, ask, search, status, serve, log, eval."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.errors import AssistantError
from assistant.models import Answer

__all__ = ["main"]


def _settings(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from assistant.config.settings import Settings
    from assistant.errors import ConfigError

    overrides: dict[str, Any] = {}
    if getattr(args, "store_path", None):
        overrides["store"] = {"path": args.store_path}
    try:
        settings = Settings(**overrides)
        server = {
            k: v
            for k, v in (
                ("host", getattr(args, "host", None)),
                ("port", getattr(args, "port", None)),
            )
            if v is not None
        }
        if server:
            data = settings.model_dump()
            data["server"].update(server)
            data["server"]["api_keys"] = [k.get_secret_value() for k in settings.server.api_keys]
            settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ConfigError(
            f"invalid setting {where}: {first.get('msg')}".replace(" : ", ": ")
        ) from None
    return settings


def _service(args: argparse.Namespace) -> Any:
    from assistant.config.container import build_services

    return build_services(_settings(args))


def _progress_factory(enabled: bool) -> Callable[[int, str], Callable[[int], None]] | None:
    if not enabled:
        return None
    from tqdm import tqdm

    def factory(total: int, desc: str) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, mininterval=0.5)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    return factory


def cmd_ingest(args: argparse.Namespace) -> int:
    """Validate and ingest a corpus folder."""
    service = _service(args)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    report = service.ingest(args.path, progress=_progress_factory(show))
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
    else:
        print(report.summary())
    return 0


def _read_messages(args: argparse.Namespace) -> Any:
    if args.question == "-":
        raw = sys.stdin.read()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise AssistantError(f"stdin is not valid JSON: {exc}") from None
        if isinstance(data, dict) and "messages" in data:
            return data["messages"]
        if isinstance(data, list):
            return data
        raise AssistantError('stdin must be {"messages": [{"role": ..., "content": ...}]}')
    return [{"role": "user", "content": args.question}]


def format_answer(answer: Answer) -> str:
    """Readable terminal output: the answer, its sources and the disclaimer."""
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            lines.append(f"  [{c.n}] {c.title} — {c.section} (v{c.version})")
            lines.append(f'      "{c.quote}"')
        lines.append("")
    lines.append(f"({answer.route}) {answer.disclaimer}")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question or a JSON conversation from stdin."""
    messages = _read_messages(args)
    answer = _service(args).ask(messages)
    if args.json:
        data = {**answer.model_dump(), "backend": answer.backend}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Print ranked passages."""
    hits = _service(args).search(args.query, args.k)
    rows = [
        {
            "article_id": h.passage.article_id,
            "title": h.passage.title,
            "section": h.passage.section,
            "score": round(h.dense, 4),
            "text": h.passage.text,
        }
        for h in hits
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for i, r in enumerate(rows, 1):
            print(f"{i}. [{r['score']:.3f}] {r['title']} — {r['section']}\n   {r['text'][:200]}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """Show the live index."""
    service = _service(args)
    manifest = service.store.read_manifest()
    if manifest is None:
        print("no index yet: run `assistant ingest`")
        return 1
    arts = manifest.get("articles", {})
    n_chunks = sum(len(a.get("chunks", [])) for a in arts.values())
    print(f"generation {manifest['generation']} built {manifest.get('created_at')}")
    print(f"{len(arts)} articles, {n_chunks} live chunks, model {manifest.get('model_id')}")
    for aid, a in sorted(arts.items()):
        print(f"  {aid} v{a['version']} [{a['status']}] {a['title']}")
    return 0


def _external_suite(service: Any, args: argparse.Namespace) -> int:
    """Run one external suite and write its JSON next to the default reports."""
    import datetime as dt

    from assistant.evals.suites import SUITES

    data = Path(args.data)
    if not data.is_dir():
        raise AssistantError(f"--data {data} is not a folder (expected ../shared/data)")
    if args.suite != "retrieval":
        service.ingest()
    result = SUITES[args.suite](service, data, args.limit)
    out = Path(args.out) / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.suite}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"report: {path}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Run the evaluation suite; exit 1 when a threshold is missed."""
    from assistant.evals.runner import run_default_suite

    service = _service(args)
    if args.suite != "default":
        return _external_suite(service, args)
    if not args.no_ingest:
        service.ingest()
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    run = run_default_suite(
        service,
        cases_dir=args.cases,
        thresholds_path=args.thresholds,
        out_root=args.out,
        baseline=args.baseline,
        progress=show,
    )
    m = run.report["metrics"]
    print(f"{m['cases']} cases, {m['passed']} passed ({run.report['run']['seconds']} s)")
    for g in run.report["gate"]:
        mark = "ok  " if g["ok"] else "MISS"
        op = ">=" if g["op"] == "min" else "<="
        print(f"  {mark} {g['metric']:<28} {g['value']!s:>8}  {op} {g['threshold']}")
    print(f"  latency p50 {m['latency_p50_ms']} ms, p95 {m['latency_p95_ms']} ms")
    for r in run.regressions:
        print(f"regression: {r}")
    print(f"report: {run.html_path}")
    if not run.ok:
        for f in run.failures:
            print(f"eval gate failed: {f}", file=sys.stderr)
        return 1
    return 0


def settings_table() -> list[tuple[str, str, str]]:
    """(env var, default, description) for every setting."""
    from pydantic import BaseModel

    from assistant.config.settings import Settings

    rows: list[tuple[str, str, str]] = []

    def walk(model: type[BaseModel], instance: BaseModel, prefix: str) -> None:
        for name, field in model.model_fields.items():
            value = getattr(instance, name)
            if isinstance(value, BaseModel):
                walk(type(value), value, f"{prefix}{name.upper()}__")
            else:
                shown = value if not isinstance(value, list | tuple) else ",".join(map(str, value))
                rows.append((f"{prefix}{name.upper()}", str(shown), field.description or ""))

    walk(Settings, Settings(), "VA_")
    return rows


def cmd_config(args: argparse.Namespace) -> int:
    """Print every setting with its env var, current value and description."""
    rows = settings_table()
    if args.markdown:
        print("| env var | default | meaning |\n|---|---|---|")
        for env, default, desc in rows:
            print(f"| `{env}` | `{default}` | {desc} |")
    else:
        for env, default, desc in rows:
            print(f"{env}={default}\n    {desc}")
    return 0


def _add_progress(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Show a progress bar (default: when stderr is a terminal).",
    )


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API, the chat UI and the widget (ingests corpus/ first if needed)."""
    import uvicorn

    from assistant.config.container import build_app

    settings = _settings(args)
    print(f"loading the index (ingesting {settings.corpus.path} if needed)...", file=sys.stderr)
    app = build_app(settings)
    host, port = settings.server.host, settings.server.port
    shown = f"[{host}]" if ":" in host else host
    print(f"serving on http://{shown}:{port}  (UI /ui/, API docs /docs, demo /demo)",
          file=sys.stderr)  # fmt: skip
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=args.log_level,
        access_log=args.access_log,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        server_header=False,
        forwarded_allow_ips=None,
    )
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    """Show what visitors asked (redacted) and how it went, for the content team."""
    from assistant.interfaces.log import ConversationLog

    path = _settings(args).server.log_db
    if not path.exists():
        print(f"no conversation log yet at {path}")
        return 1
    log = ConversationLog(path)
    rows = log.recent(limit=args.limit, route=args.route, failed=args.failed)
    log.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        votes = f" +{r['ups']}/-{r['downs']}" if r["ups"] or r["downs"] else ""
        print(f"[{r['route']}{votes}] {r['question']}")
        if r["comments"]:
            print(f"    comments: {r['comments']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(
        prog="assistant", description="Answers only from the clinic's vetted articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--store-path", help="Embedded Chroma folder (env VA_STORE__PATH).")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="Validate and index a corpus folder.")
    p.add_argument("path", nargs="?", default=None, help="Corpus folder (default: corpus/).")
    p.add_argument("--json", action="store_true", help="Print the report as JSON.")
    _add_progress(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="Ask a question.")
    p.add_argument("question", help='The question, or "-" to read {"messages": [...]} on stdin.')
    p.add_argument("--json", action="store_true", help="Print the Answer as JSON.")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", help="Show ranked passages for a query.")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="How many passages.")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="Run the evaluation suite (the content team's gate).")
    p.add_argument("--cases", default="eval/cases", help="Folder of YAML cases.")
    p.add_argument("--thresholds", default="eval/thresholds.yaml", help="Gate thresholds.")
    p.add_argument("--out", default="eval/reports", help="Where reports are written.")
    p.add_argument("--baseline", help="A previous report.json (or its folder) to compare.")
    p.add_argument("--no-ingest", action="store_true", help="Do not ingest the corpus first.")
    p.add_argument(
        "--suite",
        choices=["default", "faithfulness", "guardrails", "retrieval"],
        default="default",
        help="default: the YAML cases and the gate; or an external suite on --data.",
    )
    p.add_argument("--data", default="../shared/data", help="Folder of the external sets.")
    p.add_argument("--limit", type=int, default=0, help="External suites: rows/docs to use.")
    _add_progress(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("config", help="List every setting and its env var.")
    p.add_argument("--markdown", action="store_true", help="As a Markdown table.")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("status", help="Show the live index.")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("log", help="Review visitors' questions and feedback (redacted).")
    p.add_argument("--route", default=None, help="Only replies on this route.")
    p.add_argument("--failed", action="store_true", help="Only non-answers and thumbs-down.")
    p.add_argument("--limit", type=int, default=50, help="How many, newest first.")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("serve", help="Serve the HTTP API, chat UI and widget.")
    p.add_argument("--host", default=None, help="Interface (default 127.0.0.1; VA_SERVER__HOST).")
    p.add_argument("--port", type=int, default=None, help="Port (default 8000; VA_SERVER__PORT).")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument(
        "--access-log", action=argparse.BooleanOptionalAction, default=False,
        help="Log each request line (client addresses included; off by default).",
    )  # fmt: skip
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; errors print one line and exit non-zero, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "ingest" and args.path is None:
        args.path = None
    try:
        return int(args.func(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, and the traceback only on request
        if os.environ.get("VA_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
