"""Literal phrases a regular expression matches: its alternations expanded, wildcards as gaps.

The leakage check compares these phrases with eval prompts, so that a rule branch lifted from
one test prompt (`how (?:do|can) i make a bomb`) is found like an exemplar would be.
"""

from __future__ import annotations

import re
import re._parser as _sre
from collections.abc import Iterable
from re._constants import (
    ANY,
    ASSERT,
    ASSERT_NOT,
    AT,
    BRANCH,
    CATEGORY,
    CATEGORY_SPACE,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)
from typing import Any

__all__ = ["expand_macros", "pattern_phrases", "top_alternatives"]

GAP = " "  # what a wildcard (\w*, .{0,40}, [a-z]+) becomes: a word break, no words


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace `{name}` by its macro, as the rules loader does."""
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _product(parts: list[list[str]], cap: int) -> list[str]:
    out = [""]
    for alts in parts:
        out = [a + b for a in out for b in alts][:cap]
    return out


def _in_set(items: list[Any]) -> list[str]:
    """A character class: its literal characters when small, else a gap."""
    chars: list[str] = []
    for op, arg in items:
        if op is LITERAL:
            chars.append(chr(arg))
        elif op is CATEGORY and arg is CATEGORY_SPACE:
            chars.append(" ")
        else:
            return [GAP]
    return chars if 0 < len(chars) <= 4 else [GAP]


def _expand(nodes: Iterable[tuple[Any, Any]], cap: int) -> list[str]:
    parts: list[list[str]] = []
    for op, arg in nodes:
        if op is LITERAL:
            parts.append([chr(arg)])
        elif op is IN:
            parts.append(_in_set(arg))
        elif op is BRANCH:
            alts: list[str] = []
            for seq in arg[1]:
                alts.extend(_expand(seq, cap))
            parts.append(list(dict.fromkeys(alts))[:cap] or [""])
        elif op is SUBPATTERN:
            parts.append(_expand(arg[-1], cap))
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, hi, seq = arg
            inner = _expand(seq, cap)
            if hi == 1:
                parts.append(([""] if lo == 0 else []) + inner)
            elif lo == 1 and all(len(s.strip()) <= 1 for s in inner):
                parts.append([s if s.strip() else GAP for s in inner])  # \s+ , [- ]+
            elif lo >= 1:
                parts.append([s + GAP for s in inner])
            else:
                parts.append([GAP])
        elif op in (AT, ASSERT, ASSERT_NOT):
            parts.append([""])
        elif op is ANY:
            parts.append([GAP])
        else:  # NOT_LITERAL, GROUPREF, CATEGORY outside a class, ...
            parts.append([GAP])
    return _product(parts, cap)


def top_alternatives(pattern: str) -> list[str]:
    """The top-level `|` branches of a pattern, as pattern strings."""
    depth, start, out, i, cls = 0, 0, [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            cls = c != "]"
        elif c == "[":
            cls = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def pattern_phrases(pattern: str, cap: int = 200) -> list[str]:
    """Up to `cap` literal phrases the pattern matches (alternatives expanded, gaps as spaces)."""
    try:
        parsed = _sre.parse(pattern)
    except re.error:
        return []
    phrases = (re.sub(r"\s+", " ", p).strip() for p in _expand(list(parsed), cap))
    return [p for p in dict.fromkeys(phrases) if p]
