"""Plant indirect-injection payloads inside corpus passages (for the injection tests and bench)."""

from __future__ import annotations

from pathlib import Path

from assistant.corpus.text import sentence_spans

__all__ = ["plant"]


def plant(corpus: Path, payloads: list[str]) -> tuple[Path, dict[str, int]]:
    """Insert each payload mid-paragraph (after a sentence); return the file and each line."""
    path = next(corpus.glob("*.md"))
    lines = path.read_text(encoding="utf-8").split("\n")
    body_start = [i for i, ln in enumerate(lines) if ln.strip() == "---"][1] + 1
    paras = [i for i in range(body_start, len(lines)) if len(lines[i]) > 200]
    where: dict[str, int] = {}
    for k, text in enumerate(payloads):
        i = paras[k % len(paras)]
        spans = sentence_spans(lines[i])
        cut = spans[min(1 + k // len(paras), len(spans) - 1)][0]
        lines[i] = f"{lines[i][:cut]}{text} {lines[i][cut:]}"
        where[text] = i + 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, where
