"""The settings reference: every setting's env var, default and description, as generated text."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["MARKERS", "README_BLOCK", "main", "markdown_table", "settings_table", "update_readme"]

MARKERS = ("<!-- settings:start -->", "<!-- settings:end -->")
README_BLOCK = re.compile(re.escape(MARKERS[0]) + r".*?" + re.escape(MARKERS[1]), re.DOTALL)


def settings_table() -> list[tuple[str, str, str]]:
    """(env var, default, description) for every setting, from the defaults (no env vars read)."""
    from pydantic import BaseModel

    from assistant.config.settings import Settings

    rows: list[tuple[str, str, str]] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{name.upper()}__")
                continue
            value = field.get_default(call_default_factory=True)
            shown = ",".join(map(str, value)) if isinstance(value, list | tuple) else value
            rows.append((f"{prefix}{name.upper()}", str(shown), field.description or ""))

    walk(Settings, "VA_")
    return rows


def markdown_table() -> str:
    """The Markdown table `assistant config --markdown` prints and the README embeds."""
    lines = ["| env var | default | meaning |", "|---|---|---|"]
    for env, default, desc in settings_table():
        cell = desc.replace("|", "\\|")
        lines.append(f"| `{env}` | `{default}` | {cell} |")
    return "\n".join(lines)


def update_readme(path: Path | str) -> bool:
    """Rewrite the table between the README's settings markers; True when it changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    block = f"{MARKERS[0]}\n\n{markdown_table()}\n\n{MARKERS[1]}"
    if not README_BLOCK.search(text):
        raise ValueError(f"{path} has no {MARKERS[0]} ... {MARKERS[1]} block")
    new = README_BLOCK.sub(lambda _: block, text, count=1)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    """`python -m assistant.config.reference [README.md]`: regenerate the README settings table."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "README.md"
    print(f"{path}: {'updated' if update_readme(path) else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
