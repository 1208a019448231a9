"""Messages that ask nothing: a remark is answered only when it is close to the articles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import ConfigError

__all__ = ["Statements"]

_CLAUSES = re.compile(r"[,;:.!()\n]+|\s[-=–—/]\s|\b(?:so|and|but|or|then)\b", re.IGNORECASE)


_KEYS = (
    "fillers",
    "asking_verbs",
    "copula_complements",
    "adverbs",
    "helping_verbs",
    "subjects",
    "openers",
    "question_words",
    "indirect",
    "inverted",
    "not_inverted_after",
    "speaking",
)


def _any(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


@dataclass(frozen=True)
class Statements:
    """Cues of asking, from `prompts/answerability/asking.yaml`."""

    opener: re.Pattern[str]  # a message that opens like a question or a request
    clause: re.Pattern[str]  # a clause within it that does ("so does it ...", ", tell me ...")
    anywhere: re.Pattern[str]  # question words and indirect asking phrases
    inverted: re.Pattern[str]  # a helping verb before its subject, mid-sentence
    before: frozenset[str]  # words that make an inverted pair a plain statement ("it is")
    adverbs: frozenset[str]  # passed over when looking for the word before ("can't even do it")
    speaking: re.Pattern[str]  # a remark speaks of someone or something

    @classmethod
    def load(cls, path: Path | str) -> Statements:
        """Read the YAML file, or fail with a clear message."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            words = {k: [str(w) for w in raw[k]] for k in _KEYS}
            fill = rf"^\s*(?:{_any(words['fillers'])}\b[\s,]*)*"
            verb, subject = _any(words["helping_verbs"]), _any(words["subjects"])
            does, then = _any(words["asking_verbs"]), _any(words["copula_complements"])
            opens = _any(words["openers"] + words["question_words"])
            ask = _any(words["question_words"] + words["indirect"])
            clause = rf"{opens}|{does}(?=\s+\w)|{verb}\s+{subject}|{verb}\s+[\w'-]+\s+{then}"
            return cls(
                re.compile(rf"{fill}(?:{opens}|{verb})(?![\w'])", re.IGNORECASE),
                re.compile(rf"{fill}(?:{clause})(?![\w'])", re.IGNORECASE),
                re.compile(rf"(?<![\w']){ask}(?![\w'])", re.IGNORECASE),
                re.compile(rf"(?<![\w']){_any(words['inverted'])}(?![\w'])", re.IGNORECASE),
                frozenset(w.lower() for w in words["not_inverted_after"]),
                frozenset(w.lower() for w in words["adverbs"]),
                re.compile(rf"(?<![\w']){_any(words['speaking'])}(?![\w'])", re.IGNORECASE),
            )
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from None
        except re.error as exc:
            raise ConfigError(f"{path}: bad pattern: {exc}") from None

    def asks(self, message: str) -> bool:
        """True when the message asks something, directly or not."""
        if "?" in message or self.anywhere.search(message):
            return True
        for m in self.inverted.finditer(message):
            window = message[max(0, m.start() - 60) : m.start()].split()  # the words before
            prior = [w.lower().strip(",.;:!") for w in window]
            while prior and prior[-1] in self.adverbs:
                prior.pop()  # "i can't even do it": the word before "even"
            if not prior or prior[-1] not in self.before:
                return True
        if self.opener.search(message):
            return True
        return any(self.clause.search(c) for c in _CLAUSES.split(message) if c.strip())

    def remark(self, message: str) -> bool:
        """True when the message asks nothing and speaks of someone or something: a remark or
        a story ("i am not feeling well"), not a search phrase ("side effects of ketamine")."""
        return not self.asks(message) and bool(self.speaking.search(message))
