"""`assistant config` and `assistant log`: the settings table and the conversation log."""

from __future__ import annotations

import argparse
import json

from assistant.errors import AssistantError
from assistant.interfaces.cli.common import (
    load_settings,
)

__all__ = ["cmd_config", "cmd_log", "cmd_log_purge"]


def cmd_config(args: argparse.Namespace) -> int:
    """Print every setting with its env var, default and description."""
    from assistant.config.reference import markdown_table, settings_table

    if args.markdown:
        print(markdown_table())
    else:
        for env, default, desc in settings_table():
            print(f"{env}={default}\n    {desc}")
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
    log = open_log(load_settings(args).server)
    n_msg, n_fb = log.purge(before)
    log.close()
    print(f"deleted {n_msg} messages and {n_fb} feedback rows from before {before} (UTC)")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    """Show what visitors asked (redacted) and how it went, for the content team."""
    from assistant.interfaces.log import open_log

    if getattr(args, "purge", False):
        return cmd_log_purge(args)
    server = load_settings(args).server
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
