"""Leakage check: no tuning phrase may be a near-copy of a prompt the eval measures on.

Sources (what tuning reads): exemplars, rule alternatives (regex alternations expanded into
literal phrases), the risk classifier's training phrases and the dev rows of eval/visitor.
Targets (what the eval measures): eval/cases questions, test rows of eval/visitor, and every
prompt in ../shared/data. A pair is a near-copy when the word-level similarity of the
normalised texts is >= 0.8 (the larger of difflib's ratio on the word sequences and the
Jaccard index of the word sets) or when both have the same set of (at least two) content words.

Plain Python, no model: `python -m assistant.evals.leakage [--data ../shared/data]`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from assistant.corpus.text import STOPWORDS
from assistant.evals.leakage_inputs import ROOT, Text, sources, targets

__all__ = [
    "THRESHOLD",
    "Leak",
    "Text",
    "find_leaks",
    "format_report",
    "main",
    "near_copy",
    "run_leakage",
    "sources",
    "targets",
    "tokens",
]

THRESHOLD = 0.8
_CONTRACTIONS = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "im": "i am", "ive": "i have", "dont": "do not", "cant": "can not", "wont": "will not",
    "doesnt": "does not", "isnt": "is not", "didnt": "did not", "u": "you", "ur": "your",
}  # fmt: skip
_SUFFIXES = (("n't", " not"), ("'m", " am"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"),
             ("'d", " would"), ("'s", ""))  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokens(text: str) -> list[str]:
    """Normalised words: lowercase, accents folded, contractions spelled out."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out: list[str] = []
    for w in _WORD.findall(text):
        w = _CONTRACTIONS.get(w, w)
        for suffix, repl in _SUFFIXES:
            if w.endswith(suffix) and len(w) > len(suffix):
                w = w[: -len(suffix)] + repl
                break
        out.extend(w.split())
    return out


def _content(words: list[str]) -> frozenset[str]:
    return frozenset(w for w in words if w not in STOPWORDS and len(w) > 2 and w != "not")


@dataclass(frozen=True)
class Leak:
    """A near-copy: a tuning phrase and an eval prompt, with the similarity and the reason."""

    source: Text
    target: Text
    similarity: float
    reason: str


def near_copy(a: str, b: str, fragment: bool = False) -> tuple[float, str] | None:
    """(similarity, reason) when `a` (a tuning phrase) is a near-copy of `b`, else None.

    `fragment`: `a` is a phrase a rule matches, which is meant to be part of a message; it
    counts when it has at least 4 words and every content word of `b`, or the same (3+)
    content words. Whole phrases count from 3 words (or when identical), or with the same
    (2+) content words."""
    return _compare(tokens(a), tokens(b), fragment)


def _compare(wa: list[str], wb: list[str], fragment: bool = False) -> tuple[float, str] | None:
    if not wa or not wb:
        return None
    if wa == wb and (not fragment or len(wa) >= 4):
        return 1.0, "identical words"
    sa, sb = set(wa), set(wb)
    jac = len(sa & sb) / len(sa | sb)
    ratio = SequenceMatcher(None, wa, wb, autojunk=False).ratio() if jac >= 0.5 else 0.0
    sim = round(max(jac, ratio), 3)
    ca, cb = _content(wa), _content(wb)
    long_enough = min(len(wa), len(wb)) >= (4 if fragment else 3)
    if sim >= THRESHOLD and long_enough and (not fragment or cb <= ca):
        return sim, f"word similarity {sim:.2f}"
    if len(ca) >= (3 if fragment else 2) and ca == cb:
        return sim, "same content words: " + " ".join(sorted(ca))
    return None


def find_leaks(src: list[Text], tgt: list[Text]) -> list[Leak]:
    """Every near-copy pair, found with a prefix filter (rare words first), then verified."""
    src_w = [tokens(s.text) for s in src]
    tgt_w = [tokens(t.text) for t in tgt]
    df: Counter[str] = Counter()
    for w in src_w + tgt_w:
        df.update(set(w))

    def prefix(words: list[str]) -> list[str]:
        # Similarity >= 0.8 (difflib ratio <= Dice) needs Jaccard >= 2/3 on the word sets.
        ws = sorted(set(words), key=lambda x: (df[x], x))
        return ws[: len(ws) - math.ceil(len(ws) * 2 / 3) + 1]

    index: dict[str, list[int]] = defaultdict(list)
    by_content: dict[frozenset[str], list[int]] = defaultdict(list)
    for j, w in enumerate(tgt_w):
        for tok in prefix(w):
            index[tok].append(j)
        c = _content(w)
        if len(c) >= 2:
            by_content[c].append(j)
    leaks: list[Leak] = []
    seen: set[tuple[str, str]] = set()
    for i, w in enumerate(src_w):
        cands = {j for tok in prefix(w) for j in index.get(tok, ())}
        cands.update(by_content.get(_content(w), ()))
        for j in sorted(cands):
            key = (src[i].where + "\0" + src[i].text, tgt[j].where)
            if key in seen or (src[i].kind == "rule" and tgt[j].kind == "probe"):
                # Probes were written after the rules and apart from them; a short explicit
                # rule fragment ("wish i was dead") meets a short explicit probe by design.
                # Training phrases and exemplars are still checked against the probes.
                continue
            hit = _compare(w, tgt_w[j], src[i].kind == "rule")
            if hit:
                seen.add(key)
                leaks.append(Leak(src[i], tgt[j], hit[0], hit[1]))
    return leaks


def run_leakage(root: Path = ROOT, data: Path | None = None) -> dict[str, Any]:
    """The check as a report: counts by kind, and every pair."""
    src, tgt = sources(root), targets(root, data)
    leaks = find_leaks(src, tgt)
    phrases = {(lk.source.kind, lk.source.where.split(" part ")[0]) for lk in leaks}
    return {
        "threshold": THRESHOLD,
        "sources": dict(Counter(s.kind for s in src)),
        "targets": dict(Counter(t.kind for t in tgt)),
        "data": str(data) if data and data.is_dir() else None,
        "pairs": len(leaks),
        "leaking_sources": dict(Counter(kind for kind, _ in phrases)),
        "pairs_by_target": dict(Counter(lk.target.kind for lk in leaks)),
        "leaks": [asdict(lk) for lk in leaks],
        "ok": not leaks,
    }


def format_report(report: dict[str, Any], limit: int = 200) -> str:
    """The pairs for a terminal: source | target | why."""
    lines = [
        f"leakage check (word similarity >= {report['threshold']} or same content words): "
        f"{report['pairs']} pair(s) from {sum(report['leaking_sources'].values())} tuning "
        f"phrase(s) {report['leaking_sources']}; targets searched {report['targets']}"
    ]
    for lk in report["leaks"][:limit]:
        s, t = lk["source"], lk["target"]
        lines.append(f"- {s['where']}: {s['text']!r}\n    ~ {t['where']}: {t['text']!r}"
                     f"\n    ({lk['reason']})")  # fmt: skip
    if report["pairs"] > limit:
        lines.append(f"... and {report['pairs'] - limit} more (see --json)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print every near-copy pair; exit 1 when there is one."""
    ap = argparse.ArgumentParser(prog="python -m assistant.evals.leakage")
    ap.add_argument("--root", type=Path, default=ROOT, help="Project root.")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--json", type=Path, help="Also write the full report here.")
    args = ap.parse_args(argv)
    if not (args.root / "prompts").is_dir():
        print(f"error: {args.root} is not the project root (no prompts/)", file=sys.stderr)
        return 2
    data = args.data if args.data.is_dir() else None
    if data is None:
        print(f"note: {args.data} not found; checking eval/ only", file=sys.stderr)
    report = run_leakage(args.root, data)
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
