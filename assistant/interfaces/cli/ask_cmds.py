"""`assistant ask` and `assistant search`: check the input first, then load the service."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from assistant.interfaces.cli.common import (
    service_for,
)

if TYPE_CHECKING:
    from assistant.models import Answer


__all__ = ["cmd_ask", "cmd_search", "format_answer"]


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
    service = service_for(args)
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
    hits = service_for(args).search(args.query, args.k)
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
