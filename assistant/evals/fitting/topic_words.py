"""Fit the topic-word model: is an unknown question word a medical term or everyday English?

`python -m assistant.evals.fitting.topic_words [--data ../shared/data]` labels words by how
much more often MedQuAD pages of DEV topics (eval/splits.yaml) use them than general English
does (word frequencies from the `wordfreq` package, a dev dependency): far more often means a
medical term, about as often or less means an everyday word. A logistic model over each
word's MiniLM vector learns the difference, so it generalises to words in neither list. No
test row is read.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config.container import build_services
from assistant.config.settings import Settings
from assistant.corpus.text import STOPWORDS, words
from assistant.evals.fitting.cli import parse
from assistant.evals.fitting.verifier import fit_logistic
from assistant.evals.splits import split_of
from assistant.evals.suites.common import read_jsonl
from assistant.retrieve.answerability import default_topic_model_path

__all__ = ["label_words", "main"]

C = 1.0
MAX_PAGES = 400
MEDICAL = 3.0
EVERYDAY = 1.5


def _df(texts: list[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for t in texts:
        out.update({w for w in words(t) if w.isalpha() and len(w) >= 4 and w not in STOPWORDS})
    return out


def label_words(data: Path) -> tuple[list[str], list[str]]:
    """(medical terms, everyday words): how much more often a word is used on MedQuAD pages
    of DEV topics than in general English (wordfreq), at least 10**MEDICAL or at most
    10**EVERYDAY times; everyday words come from wordfreq's most common English words."""
    from wordfreq import top_n_list, word_frequency  # fitting only (the dev extra)

    dev_docs = {
        d
        for q in read_jsonl(data / "medquad_questions.jsonl")
        if split_of("medquad_questions", q) == "dev"
        for d in q["answer_doc_ids"]
    }
    pages = sorted(
        (d for d in read_jsonl(data / "medquad_corpus.jsonl") if d["id"] in dev_docs),
        key=lambda d: d["id"],
    )[:MAX_PAGES]
    df, n = _df([p["text"] for p in pages]), max(1, len(pages))

    def lift(w: str) -> float:
        return math.log10(df[w] / n + 1e-4) - math.log10(word_frequency(w, "en") + 1e-9)

    medical = sorted(w for w, c in df.items() if c >= 3 and lift(w) >= MEDICAL)
    common = sorted(
        w
        for w in top_n_list("en", 8000)
        if w.isalpha() and len(w) >= 4 and w not in STOPWORDS and lift(w) <= EVERYDAY
    )
    return medical, common


def main(argv: list[str] | None = None) -> int:
    """Label, embed, fit and write the model with its provenance and out-of-fold accuracy."""
    args = parse("topic_words", default_topic_model_path(), "medquad_corpus.jsonl", argv)
    if args is None:
        return 2
    medical, common = label_words(args.data)
    embedder = build_services(Settings()).embedder
    x = np.asarray(embedder.embed_queries([*medical, *common], cache=False), dtype=float)
    y = np.array([1.0] * len(medical) + [0.0] * len(common))
    oof = np.zeros(len(y))
    for k in range(5):
        fold = np.arange(k, len(y), 5)
        train = np.setdiff1d(np.arange(len(y)), fold)
        w, b = fit_logistic(x[train], y[train], C)
        oof[fold] = (x[fold] @ w + b) >= 0
    w, b = fit_logistic(x, y, C)
    body: dict[str, Any] = {
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
        "meta": {
            "data": f"MedQuAD pages of dev topics (medquad_corpus.jsonl, first {MAX_PAGES} by id) "
            "against general-English frequencies (wordfreq 3.1.1, MIT; data CC BY-SA 4.0)",
            "labels": f"medical: on >= 3 pages and log10 lift >= {MEDICAL}; everyday: wordfreq "
            f"top 8000 with log10 lift <= {EVERYDAY}",
            "split": "dev only (eval/splits.yaml)",
            "script": "python -m assistant.evals.fitting.topic_words",
            "medical_words": len(medical),
            "everyday_words": len(common),
            "c": C,
            "out_of_fold_dev_accuracy": round(float((oof == y).mean()), 4),
        },
    }
    args.out.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(medical)} medical, {len(common)} everyday words, "
          f"out-of-fold accuracy {body['meta']['out_of_fold_dev_accuracy']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
