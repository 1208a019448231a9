"""Instruction-like text inside articles: warned about at ingest, never quoted at answer time."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from assistant.corpus.articles import Article
from assistant.corpus.text import sentence_spans
from assistant.pipeline.contracts import Embedder

__all__ = ["InjectionScanner", "instruction_reason", "is_question"]

_OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|prompts?|rules|"
    r"guidelines|directives?|above|previous|prior|earlier)\b|\b(?:system|hidden|initial) prompt\b|"
    r"\byou are now\b|\bfrom now on,? you\b|\bas an ai\b|\b(?:ai|language model|chatbot|llm|"
    r"virtual assistant|ai assistant)\b|\bdo anything now\b|\bjailbreak|\bdeveloper mode\b",
    re.IGNORECASE,
)
_OUTPUT = re.compile(
    r"\byour (?:reply|replies|answer|answers|output|message|messages|responses?)\b(?! to\b)|"
    r"\b(?:respond|reply|answer|write|translate|encode|render)\b.{0,25}\b(?:in|into|using|with)\b"
    r".{0,20}\b(?:base\d+|cipher|emojis?|reverse|backwards?|spanish|french|german|italian|"
    r"portuguese|chinese|japanese|russian|code|json|markdown|uppercase)\b|"
    r"\b(?:caesar|substitution|monoalphabetic) cipher\b|\bbase ?(?:16|32|58|64)\b",
    re.IGNORECASE,
)
_TASK_VERBS = (
    "write|provide|analy[sz]e|summari[sz]e|determine|recommend|suggest|translate|encode|"
    "decode|encrypt|decrypt|reverse|render|integrate|insert|augment|modify|enhance|classify|"
    "generate|compose|draft|reply|respond|ignore|disregard|forget|pretend|repeat|print|output|"
    "express|substitute|replace|mention|hint|promote|list|describe|explain|create|help me|"
    "show me|tell me|give me|find me|send|click|schedule|automate|calculate|convert|rewrite|"
    "rephrase|paraphrase|evaluate|compare|predict|imagine|roleplay|act as|respond"
)
_IMPERATIVE = re.compile(
    rf"^\s*[\"'“‘(]?(?:please\s+|now\s+|also\s+|then\s+|kindly\s+)?(?:{_TASK_VERBS})\b",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"^\s*[\"'“‘(]?(?:can|could|would|will) you\b|^\s*[\"'“‘(]?how (?:can|do|should|could) i\b|"
    r"^\s*[\"'“‘(]?(?:what|which|where|when|who) (?:should|can|could) i\b",
    re.IGNORECASE,
)
_CARE = re.compile(
    r"\byour (?:doctor|clinician|physician|nurse|care team|pharmacist|provider|specialist|"
    r"clinic|gp|surgeon|therapist)\b",
    re.IGNORECASE,
)
_LINK = re.compile(r"\b(?:www\.|https?://)\S+|\bclick (?:here|this|the link)\b", re.IGNORECASE)
_QUESTION = re.compile(r"\?(?:[\"'”’)\]]*\s*$|[\"'”’)\]]*\s+\S)")


def is_question(sentence: str) -> bool:
    """True when a sentence is, or contains, a question (a question is never an answer)."""
    return bool(_QUESTION.search(sentence.strip()))


def instruction_reason(sentence: str) -> str | None:
    """Why a sentence reads as an instruction to an AI rather than article content, or None."""
    s = sentence.strip()
    if _OVERRIDE.search(s):
        return "tries to override or address the assistant"
    if _OUTPUT.search(s):
        return "tells the assistant how to write its reply"
    if _LINK.search(s) and re.search(r"\b(?:visit|click|go to|claim|share)\b", s, re.I):
        return "asks the reader to follow a link"
    if _IMPERATIVE.search(s) and not _CARE.search(s):
        return "an imperative task, not article content"
    if _ADDRESSED.search(s) and not _CARE.search(s):
        return "a request addressed to the assistant"
    return None


class InjectionScanner:
    """Ingest hook: warns about instruction-like sentences, naming the file and line."""

    def __init__(self, embedder: Embedder | None = None, topic_floor: float = 0.15) -> None:
        self.embedder = embedder
        self.topic_floor = topic_floor

    def findings(self, article: Article) -> list[tuple[int, str, str]]:
        """(line, sentence, reason) for each suspicious sentence of an article."""
        out: list[tuple[int, str, str]] = []
        questions: list[tuple[int, str]] = []
        for sec in article.sections():
            for a, b in sentence_spans(sec.text):
                sent = sec.text[a:b]
                line = article.line_of(sec.start + a)
                why = instruction_reason(sent)
                if why:
                    out.append((line, sent, why))
                elif is_question(sent) or _IMPERATIVE.search(sent):
                    questions.append((line, sent))
        if questions and self.embedder is not None:
            out.extend(self._off_topic(article, questions))
        return sorted(out)

    def _off_topic(
        self, article: Article, cands: list[tuple[int, str]]
    ) -> list[tuple[int, str, str]]:
        """Questions or imperatives unrelated to the article's title and headings."""
        assert self.embedder is not None
        topic = f"{article.title}. " + ". ".join(s.heading for s in article.sections()[:12])
        vecs = self.embedder.embed_queries([topic, *(s for _, s in cands)], cache=False)
        sims = vecs[1:] @ vecs[0]
        return [
            (line, sent, f"a question or task unrelated to the article (similarity {sim:.2f})")
            for (line, sent), sim in zip(cands, np.asarray(sims), strict=True)
            if sim < self.topic_floor
        ]

    def __call__(self, article: Article) -> list[str]:
        """Warnings for `assistant ingest`: file:line, the reason and the text."""
        return [
            f"{article.path}:{line}: instruction-like text ({why}): {_clip(sent)}"
            for line, sent, why in self.findings(article)
        ]


def _clip(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


Scanner = Callable[[Article], list[str]]
