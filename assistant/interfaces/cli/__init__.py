"""The `assistant` command: ingest, ask, search, status, serve, log, eval.

Every command checks its arguments and input first, then imports what it needs: torch,
Chroma and the model load only when a command gets that far.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from assistant import __version__
from assistant.errors import AssistantError
from assistant.interfaces.cli.admin_cmds import cmd_config, cmd_log
from assistant.interfaces.cli.ask_cmds import cmd_ask, cmd_search
from assistant.interfaces.cli.common import add_progress
from assistant.interfaces.cli.eval_cmd import cmd_eval
from assistant.interfaces.cli.index_cmds import cmd_ingest, cmd_status
from assistant.interfaces.cli.serve_cmd import cmd_serve

__all__ = ["build_parser", "main"]

SUITE_NAMES = ("default", "faithfulness", "guardrails", "retrieval", "agreement", "answers")


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
    add_progress(p)
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
        choices=[*SUITE_NAMES, "leakage"],
        default="default",
        help="default: the YAML cases and the gate; an external suite on --data; or leakage: "
        "tuning phrases that copy an eval prompt (no model, exit 1 when any).",
    )
    p.add_argument("--data", default="../shared/data", help="Folder of the external sets.")
    p.add_argument("--limit", type=int, default=0, help="External suites: rows/docs to use.")
    add_progress(p)
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
