"""The `assistant` command: ingest, ask, search, status, serve, log, eval."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import __version__
from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.models import Answer

# Every command checks its arguments and input first, then imports what it needs: torch,
# Chroma and the model load only when a command gets that far.

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
            url = settings.server.database_url
            data["server"]["database_url"] = url.get_secret_value() if url else None
            settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ConfigError(
            f"invalid setting {where}: {first.get('msg')}".replace(" : ", ": ")
        ) from None
    return settings


def _service(args: argparse.Namespace, settings: Any = None) -> Any:
    from assistant.config.container import build_services

    return build_services(settings or _settings(args))


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
    from assistant.corpus.articles import load_corpus

    settings = _settings(args)
    load_corpus(args.path or settings.corpus.path)  # every error, before any store is opened
    service = _service(args, settings)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    report = service.ingest(args.path, progress=_progress_factory(show))
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    service.snapshot()  # builds the derived-vector cache now, not at the first question
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
            data = data["messages"]
        elif not isinstance(data, list):
            raise AssistantError('stdin must be {"messages": [{"role": ..., "content": ...}]}')
        return _check_messages(data)
    return _check_messages([{"role": "user", "content": args.question}])


def _check_messages(messages: Any) -> Any:
    """The conversation checks of `validate_messages`, without importing the answer service."""
    if not isinstance(messages, list) or not messages:
        raise AssistantError("messages must be a non-empty list of {role, content} objects")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("content"), str):
            raise AssistantError(f"messages[{i}] must be an object with a string 'content'")
    last = messages[-1]
    if last.get("role") != "user" or not last["content"].strip():
        raise AssistantError("the question must not be empty (the last message must be a "
                             "non-empty user message)")  # fmt: skip
    return messages


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
    from assistant.config.env import process_age_s

    messages = _read_messages(args)
    service = _service(args)
    service.snapshot()  # index and model loaded: start-up ends here, the answer's time starts
    startup = process_age_s()
    answer = service.ask(messages)
    if args.verbose:
        parts = ", ".join(f"{k} {v:.1f}" for k, v in answer.timings_ms.items())
        print(f"start-up {startup:.2f} s (process start to index and model loaded); "
              f"answer {answer.timings_ms.get('total', 0.0):.1f} ms ({parts})",
              file=sys.stderr)  # fmt: skip
    if args.json:
        data = {**answer.model_dump(), "backend": answer.backend}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Print ranked passages."""
    if not args.query.strip():
        raise AssistantError("the search query must not be empty")
    if args.k < 1:
        raise AssistantError(f"-k must be at least 1, not {args.k}")
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
    """Show the live index (reads the manifest; the model is not loaded)."""
    settings = _settings(args)
    embedded = settings.store.mode == "embedded"
    if embedded and not settings.store.path.exists():
        print("no index yet: run `assistant ingest`")
        return 1
    from assistant.index.store_peek import peek_manifest

    manifest = peek_manifest(settings.store.path, settings.store.collection) if embedded else None
    if manifest is None:  # a Chroma server, or a file the fast path does not know
        from assistant.config.container import build_store

        manifest = build_store(settings).read_manifest()
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
    if args.suite != "retrieval":
        service.ingest()
    result = SUITES[args.suite](service, data, args.limit)
    out = Path(args.out) / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.suite}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    if "test" in result:  # test and dev side by side for the content team
        from assistant.evals.report import render_suite_html

        (out / "report.html").write_text(render_suite_html(args.suite, result), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"report: {path}")
    return 0


def _leakage(args: argparse.Namespace) -> int:
    """The leakage check: every near-copy of an eval prompt in tuning data; 1 when any."""
    from assistant.evals.leakage import format_report, run_leakage
    from assistant.evals.leakage_inputs import ROOT

    data = Path(args.data)
    root = Path.cwd() if (Path.cwd() / "prompts").is_dir() else ROOT
    report = run_leakage(root, data if data.is_dir() else None)
    if not data.is_dir():
        print(f"note: --data {data} not found; compared with eval/ only", file=sys.stderr)
    print(format_report(report))
    return 0 if report["ok"] else 1


def cmd_eval(args: argparse.Namespace) -> int:
    """Run the evaluation suite; exit 1 when a threshold is missed."""
    _check_eval_args(args)
    from assistant.evals.runner import run_default_suite

    if args.suite == "leakage":
        return _leakage(args)
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
    prov = run.report["provenance"]
    print(f"{m['cases']} cases, {m['passed']} passed ({run.report['run']['seconds']} s)")
    print(f"data: {prov['data']}; splits {prov['splits']}")
    if args.baseline:
        print(f"compared against baseline {_baseline_report(args.baseline)}")
    for g in run.report["gate"]:
        mark = "ok  " if g["ok"] else "MISS"
        op = ">=" if g["op"] == "min" else "<="
        value = "cannot fail on this backend" if g.get("cannot_fail") else g["value"]
        print(f"  {mark} {g['metric']:<28} {value!s:>8}  {op} {g['threshold']}")
    for split, part in run.report["by_split"].items():
        shown = ", ".join(
            f"{k} {v}" for k, v in part.items() if k not in m["cannot_fail"] and v is not None
        )
        print(f"  [{split}] {shown}")
    for metric, why in m["cannot_fail"].items():
        print(f"  {metric}: cannot fail on this backend ({why}); not a result")
    print(f"  latency p50 {m['latency_p50_ms']} ms, p95 {m['latency_p95_ms']} ms")
    for r in run.regressions:
        print(f"regression: {r}")
    print(f"report: {run.html_path}")
    if not run.ok:
        for f in run.failures:
            print(f"eval gate failed: {f}", file=sys.stderr)
        return 1
    return 0


def _baseline_report(baseline: str) -> Path:
    """The report.json a --baseline names (the file, or the file in that folder)."""
    path = Path(baseline)
    return path / "report.json" if path.is_dir() else path


def _check_eval_args(args: argparse.Namespace) -> None:
    """Every path and number `eval` needs, before the model loads."""
    if args.suite == "default":
        if not Path(args.cases).is_dir():
            raise AssistantError(f"--cases {args.cases} is not a folder of YAML cases")
        if not Path(args.thresholds).is_file():
            raise AssistantError(f"--thresholds {args.thresholds} does not exist")
        if args.baseline and not _baseline_report(args.baseline).is_file():
            raise AssistantError(
                f"--baseline {args.baseline}: no report.json there (a previous eval report)"
            )
    elif not Path(args.data).is_dir():
        raise AssistantError(f"--data {args.data} is not a folder (expected ../shared/data)")
    if args.limit < 0:
        raise AssistantError(f"--limit must be 0 (all) or more, not {args.limit}")


def cmd_config(args: argparse.Namespace) -> int:
    """Print every setting with its env var, default and description."""
    from assistant.config.reference import markdown_table, settings_table

    if args.markdown:
        print(markdown_table())
    else:
        for env, default, desc in settings_table():
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
    settings = _settings(args)
    from assistant.config.container import build_app

    if getattr(args, "workers", 1) > 1:
        return serve_workers(args, settings)
    print(f"loading the index in the background (ingesting {settings.corpus.path} if needed); "
          "/healthz answers now, /readyz once loaded", file=sys.stderr)  # fmt: skip
    app = build_app(settings)  # the index and model start loading in a thread here
    import uvicorn

    host, port = settings.server.host, settings.server.port
    shown = f"[{host}]" if ":" in host else host
    print(f"serving on http://{shown}:{port}  (UI /ui/, API docs /docs, demo /demo)",
          file=sys.stderr)  # fmt: skip
    uvicorn.run(
        app,
        host=host,
        port=port,
        **_uvicorn_options(args),
    )
    return 0


def _uvicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    """The uvicorn options `serve` uses with one process or several workers."""
    return {
        "log_level": args.log_level,
        "access_log": args.access_log,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 10,
        "server_header": False,
        "forwarded_allow_ips": None,
    }


def _prepare_index() -> None:
    """Child process of `serve --workers`: ingest the corpus if no index exists yet."""
    from assistant.config.container import build_services
    from assistant.config.settings import Settings

    build_services(Settings()).snapshot()


def serve_workers(args: argparse.Namespace, settings: Any) -> int:
    """`serve --workers N`: N uvicorn worker processes that share the store and the log."""
    import multiprocessing

    import uvicorn

    if settings.store.mode != "http":
        raise AssistantError(
            "--workers > 1 needs a shared Chroma server: run `chroma run --path DIR --port P` "
            "and set VA_STORE__MODE=http VA_STORE__PORT=P"
        )
    if settings.server.database_url is None:
        print("note: rate limits are per worker without VA_SERVER__DATABASE_URL (PostgreSQL)",
              file=sys.stderr)  # fmt: skip
    host, port = settings.server.host, settings.server.port
    os.environ["VA_SERVER__HOST"], os.environ["VA_SERVER__PORT"] = host, str(port)
    if getattr(args, "store_path", None):
        os.environ["VA_STORE__PATH"] = str(args.store_path)
    print(f"loading the index (ingesting {settings.corpus.path} if needed)...", file=sys.stderr)
    child = multiprocessing.get_context("spawn").Process(target=_prepare_index)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise AssistantError("could not prepare the index (see the error above)")
    shown = f"[{host}]" if ":" in host else host
    print(f"serving on http://{shown}:{port} with {args.workers} workers", file=sys.stderr)
    uvicorn.run(
        "assistant.interfaces.api.factory:app_from_env",
        factory=True,
        workers=args.workers,
        timeout_worker_healthcheck=120,  # a worker loading its model on a busy host is slow
        host=host,
        port=port,
        **_uvicorn_options(args),
    )
    return 0


def cmd_log_purge(args: argparse.Namespace) -> int:
    """`log --purge --before YYYY-MM-DD`: delete logged messages and feedback before a date."""
    import datetime as dt

    from assistant.interfaces.log import open_log

    if not args.before:
        raise AssistantError("--purge needs --before YYYY-MM-DD")
    try:
        before = dt.date.fromisoformat(args.before)
    except ValueError:
        raise AssistantError(f"--before {args.before!r} is not a date (YYYY-MM-DD)") from None
    log = open_log(_settings(args).server)
    n_msg, n_fb = log.purge(before)
    log.close()
    print(f"deleted {n_msg} messages and {n_fb} feedback rows from before {before} (UTC)")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    """Show what visitors asked (redacted) and how it went, for the content team."""
    from assistant.interfaces.log import open_log

    if getattr(args, "purge", False):
        return cmd_log_purge(args)
    server = _settings(args).server
    path = server.log_db
    if server.database_url is None and not path.exists():
        print(f"no conversation log yet at {path}")
        return 1
    log = open_log(server)
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
    p.add_argument(
        "-v", "--verbose", action="store_true",
        help="Also print the start-up time and the answer's timings (on stderr).",
    )  # fmt: skip
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
        choices=["default", "faithfulness", "guardrails", "retrieval", "agreement", "leakage"],
        default="default",
        help="default: the YAML cases and the gate; an external suite on --data; or leakage: "
        "tuning phrases that copy an eval prompt (no model, exit 1 when any).",
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
    p.add_argument("--purge", action="store_true", help="Delete rows older than --before.")
    p.add_argument("--before", default=None, help="With --purge: a date, YYYY-MM-DD (UTC).")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("serve", help="Serve the HTTP API, chat UI and widget.")
    p.add_argument("--host", default=None, help="Interface (default 127.0.0.1; VA_SERVER__HOST).")
    p.add_argument("--port", type=int, default=None, help="Port (default 8000; VA_SERVER__PORT).")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument(
        "--access-log", action=argparse.BooleanOptionalAction, default=False,
        help="Log each request line (client addresses included; off by default).",
    )  # fmt: skip
    p.add_argument(
        "--workers", type=int, default=1,
        help="Worker processes (>1 needs a Chroma server; PostgreSQL shares log and limits).",
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
