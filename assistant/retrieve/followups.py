"""Resolve a follow-up question against earlier turns into a standalone retrieval query."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from assistant.corpus.text import content_terms, stem, words

__all__ = ["GENERIC_WORDS", "is_follow_up", "resolve_query", "user_turns"]

# Words that frame a question but name no topic; never a reason to find or miss a passage.
# Round 32: "piece" (this piece: the article itself), "random" (a random doctor), "supposed".
GENERIC_WORDS = frozenset(
    """tell know explain explained mean means meaning work works working worked help helps
    helpful helped use used uses using good bad way ways thing things kind kinds type types
    much many long often anything something someone anyone people person really actually
    like need needs want wants get give take make information info article articles say says
    said describe happen happens happening able possible ok okay well still lot lots better
    best sure think thought question questions answer hi hello hey thanks thank let lets
    read heard hear learn find found show mention mentioned talk talking discuss written
    write wrote page site website content one ones kind sort different there here
    ease eases relieve relieves reduce reduces improve improves treat treats treated cure
    cures fix fixes manage manages affect affects benefit benefits aid lessen alleviate
    recommend recommended suggest suggested offer offered provide provides
    cause causes caused causing give gives given giving gave take takes taken taking took
    go goes going gone went come comes came coming feel feels felt feeling look looks
    looking seem seems become becomes became keep keeps kept start starts started begin
    begins began try tries tried call called ask asked happen happened last lasts lasting
    require requires required involve involves involved include includes included allow
    allows allowed lead leads led occur occurs occurred done put puts set sets run runs
    see seen saw show shows shown change changes changed expect expected compare compared
    similar same common usual usually typical typically normal normally generally general
    exactly especially main mainly important kind overall whole part parts case cases
    time times day days new old big small great little high low right wrong true false
    difference different versus vs compared others other another lot
    more less fewer greater bigger smaller larger stronger weaker worse
    everybody anybody somebody nobody everything nothing whoever whatever
    stuff honestly basically literally
    problem problems issue issues evidence proof drug drugs handle handles end ends ended
    piece pieces random supposed""".split()
)

_FOLLOW_RE = re.compile(
    r"^\s*(?:and|also|plus|but|so)?\s*(?:what|how)\s+about\b|^\s*(?:and|also)\b|"
    r"^\s*(?:same|what)\s+(?:for|if|with)\b|^\s*(?:does|do|is|can|will)\s+(?:that|this|it)\b",
    re.IGNORECASE,
)
_PRONOUN_RE = re.compile(r"\b(?:it|its|it's|this|that|these|those|they|them|their)\b", re.I)
_LEAD_RE = re.compile(r"^\s*(?:and|also|plus|but|so)?\s*(?:what|how)\s+about\s+", re.I)


def user_turns(messages: Sequence[dict[str, Any]]) -> list[str]:
    """The user's messages in order."""
    return [str(m.get("content", "")) for m in messages if m.get("role") == "user"]


def _topic_terms(text: str) -> list[str]:
    return content_terms(text, GENERIC_WORDS)


def is_follow_up(question: str) -> bool:
    """True when a message leans on an earlier turn ("what about X?", "is it safe?")."""
    if _FOLLOW_RE.search(question):
        return True
    n_words = len(words(question))
    topic = _topic_terms(question)
    return (bool(_PRONOUN_RE.search(question)) and len(topic) <= 3) or (
        n_words <= 3 and len(topic) <= 1
    )


def resolve_query(
    messages: Sequence[dict[str, Any]], idf: Callable[[str], float] | None = None
) -> str:
    """The last user message, rewritten to stand alone when it is a follow-up."""
    turns = user_turns(messages)
    if not turns:
        return ""
    question = turns[-1]
    if len(turns) < 2 or not is_follow_up(question):
        return question
    previous = next((t for t in reversed(turns[:-1]) if _topic_terms(t)), turns[-2])
    prev_terms = list(dict.fromkeys(_topic_terms(previous)))
    new_terms = _topic_terms(_LEAD_RE.sub("", question))
    if idf is not None and len(prev_terms) > 1:
        # The earlier question's most specific terms were its focus; the rest is its subject.
        # "What about X?" swaps the focus for X; "is it safe?" keeps only the subject.
        scored = sorted(prev_terms, key=lambda w: -idf(stem(w)))
        focus = set(scored[: max(1, len(scored) // 2)])
        frame = [w for w in prev_terms if w not in focus]
        if new_terms and _LEAD_RE.search(question):
            return " ".join([*new_terms, *frame])
        return f"{question} {' '.join(frame)}".strip()
    return f"{question} {' '.join(prev_terms)}".strip()
