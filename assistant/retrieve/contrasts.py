"""Words a question names only to set against what the articles cover (issue 14).

- **A member of a kind the articles name, in a comparison:** "how is it different from
  ibuprofen?" is answered by what the article says of NSAIDs. The kinds are a content-team
  file (`prompts/answerability/kinds.yaml`); outside a comparison the member stays its own
  topic ("is ibuprofen safe for my kidneys" is not about NSAIDs in general).
  The comparison must set the member against the articles' subject (named as the first
  word of a title, or pointed at: "it", "this") and ask how they differ, not which is
  stronger or safer: "naproxen or ibuprofen?" and "is fentanyl stronger?" stay uncovered.
- **The setting of a use:** "isn't it the drug they use for surgery?" asks about its use
  in anesthesia (`uses:` in the same file); "my surgery" or "pain after surgery" does not.
- **The other choice in an either-or question:** "IV or by mouth?" is answered by the
  article that says how it is given. Only an everyday word (common in English, so no drug or
  brand name) counts as such a choice, only beside a medical term the articles use, only
  in a sentence that asks (ends in "?"): "no weakness, numbness or bladder trouble" lists,
  and never when the question asks which choice is better.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.corpus.text import content_terms, words
from assistant.retrieve.pattern_files import word_file, words_of

__all__ = ["Contrasts", "either_or_sides", "load_kinds"]

# a verdict the articles do not give about a kind: potency, safety, addictiveness
_VERDICT = re.compile(
    r"\b(?:strong|stronger|strongest|potent|potency|weaker|strength|safer|safest|"
    r"more (?:dangerous|addictive|risky)|less (?:dangerous|addictive|risky))\b",
    re.IGNORECASE,
)
# "better for the back or the neck?" asks a verdict between the choices, not which one it is
_WHICH_BETTER = re.compile(
    r"\b(?:better|worse|best|worst|more effective|less effective|prefer\w*|stronger|safer)\b",
    re.IGNORECASE,
)
# animals: surgery on them is no question about the treatment's use in people
_ANIMALS = re.compile(
    r"\b(?:animals?|vets?|veterinar\w*|horses?|dogs?|cats?|pets?|cattle)\b", re.IGNORECASE
)
_ASKING = re.compile(r"[^?!.;]+\?")  # a sentence that ends in a question mark
_OR = re.compile(r"\bor\b", re.IGNORECASE)
# a setting named as where a use happens: "for (an) operation", "like surgery", "by
# anaesthetists", "outside of surgery"; or as the kind of a thing: "a surgery drug"
_SETTING = (
    r"\b(?:for|like|in|of|outside|by|than|as|during)\s+(?:an?\s+|the\s+)?{w}\b"
    r"|\b{w}\s+(?:drugs?|medicines?|medications?|sedatives?|an(?:a)?esthetics?|doses?|amounts?|stuff)\b"
)


def load_kinds(path: Path | str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The kinds file: (`kinds:` member -> the articles' words for its kind, `uses:` setting
    -> the articles' words for the use), or a clear error; empty if absent."""

    def lists(raw: dict[Any, Any]) -> dict[str, list[str]]:
        return {str(k).lower(): words_of(v) for k, v in raw.items()}

    return word_file(path, "kinds", lists), word_file(path, "uses", lists)


def either_or_sides(question: str, word: str) -> list[str]:
    """The other choices beside `word` in an either-or question sentence ("IV or by mouth?":
    ["IV "] for "mouth"); [] when the word is offered as no choice."""
    for sentence in _ASKING.findall(question):
        sides = _OR.split(sentence.rstrip("?"))
        if len(sides) < 2:
            continue
        for i, side in enumerate(sides):
            if word in words(side):
                return [s for j, s in enumerate(sides) if j != i]
    return []


@dataclass(frozen=True)
class Contrasts:
    """Reads the words a question only contrasts with the articles' own topics."""

    kinds: dict[str, list[str]] = field(default_factory=dict)
    uses: dict[str, list[str]] = field(default_factory=dict)
    min_zipf: float = 3.0  # an everyday word: drug and brand names are rarer in English

    def kind_of(self, word: str, known: Callable[[str], bool]) -> list[str]:
        """The articles' words for the kind this word is a member of (those they use)."""
        return [k for k in self.kinds.get(word, ()) if all(known(p) for p in k.split())]

    @staticmethod
    def against_subject(question: str, titles: list[str], points: bool) -> bool:
        """True when a comparison sets something against the articles' subject (the first
        word of a title, or "it"/"this" pointing at it) and asks how they differ, not a
        verdict (stronger, safer) the articles do not give."""
        if _VERDICT.search(question):
            return False
        subjects = {ws[0] for t in titles if (ws := content_terms(t))}
        return points or bool(subjects & set(words(question)))

    def use_of(self, word: str, question: str, known: Callable[[str], bool]) -> list[str]:
        """The articles' words for the use a setting names ("for surgery": anesthesia), when
        the question names it as the setting of a use (those words the articles use)."""
        if word not in self.uses or _ANIMALS.search(question):
            return []
        if not re.search(_SETTING.format(w=re.escape(word)), question, re.IGNORECASE):
            return []
        return [k for k in self.uses[word] if all(known(p) for p in k.split())]

    def alternative(
        self,
        question: str,
        word: str,
        zipf: Callable[[str], float],
        topic_terms: Callable[[list[str]], Iterable[bool]],
        generic: frozenset[str] = frozenset(),
    ) -> bool:
        """True when an everyday word is offered as the other choice to a medical term of
        the articles ("full anesthetic dose or lower?"): the articles answer which.

        `topic_terms` tells, for words, whether each is a medical term the articles use."""
        if zipf(word) < self.min_zipf or _WHICH_BETTER.search(question):
            return False
        sides = either_or_sides(question, word)
        others = [t for side in sides for t in content_terms(side, generic) if t != word]
        others = list(dict.fromkeys(others))
        return bool(others) and any(topic_terms(others))
