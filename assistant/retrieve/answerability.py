"""Can the vetted passages answer this question at all? Otherwise the route is no_answer."""

from __future__ import annotations

import bisect
import json
import logging
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.compose.question_types import QuestionTypes
from assistant.corpus.text import STOPWORDS, content_terms, stem
from assistant.errors import ConfigError
from assistant.index.snapshot import IndexSnapshot
from assistant.retrieve.answer_model import AnswerabilityModel
from assistant.retrieve.article_dates import ArticleDates
from assistant.retrieve.aspects import Aspects
from assistant.retrieve.broad import BroadQuestions
from assistant.retrieve.contrasts import Contrasts
from assistant.retrieve.everyday_typos import TYPO_KNOWN_ZIPF, EnglishFrequencies
from assistant.retrieve.followups import GENERIC_WORDS
from assistant.retrieve.pattern_files import word_file, words_of
from assistant.retrieve.reference import points_at_something
from assistant.retrieve.statements import Statements

if TYPE_CHECKING:
    from assistant.config.sections import RetrievalSettings

__all__ = [
    "Answerability",
    "TopicWords",
    "Vocabulary",
    "asks_quantity",
    "default_topic_model_path",
    "english_lexicon",
    "has_quantity",
    "load_lay_terms",
    "load_spellings",
    "one_edit",
    "slip_count",
]

_log = logging.getLogger(__name__)

# Word-forming prefixes of medical and everyday English, for reading compounds.
_PREFIXES = (
    "under",
    "over",
    "non",
    "anti",
    "pre",
    "post",
    "re",
    "sub",
    "hyper",
    "hypo",
    "inter",
    "intra",
    "multi",
    "co",
    "de",
    "mis",
    "semi",
    "pseudo",
    "counter",
    "micro",
    "macro",
    "un",
)

_QUANTITY_Q = re.compile(
    r"\bhow\s+(?:much|many|long|often|frequently|large|high|low)\b|"
    r"\b(?:what|which)\s+(?:\w+\s+)?(?:dose|doses|dosage|dosages|amount|percentage|percent|"
    r"price|cost|number|rate|frequency|duration|milligrams?|mg|time ?frames?|timelines?|"
    r"time ?spans?)\b|"
    r"\b(?:typical|usual|average|exact|rough|expected) time ?(?:frames?|lines?|spans?)\b|"
    r"\b(?:cost|price)\s+of\b|\bhow\s+(?:\w+\s+)?(?:milligrams?|mg|ml|units?)\b",
    re.IGNORECASE,
)
# Letters a question word must share with a corpus word to count as its word family (round 12,
# hand-set; on the visitor dev splits 7 covers "inflammatories" by "inflammation" and no trap,
# and PubMedQA/MedQuAD dev figures are unchanged; 6 would let "medicare" in by "medications").
FAMILY_PREFIX = 7
# A long word that neither the corpus, the English word list nor the English frequency table
# (REAL_WORD_ZIPF) knows is read as the corpus word it misspells, family and all: within 2
# slips from 9 letters on, the corpus word ending at most 3 letters later (round 26, hand-set
# on the tuning splits: "nueropathy", "phsycological").
FAMILY_SLIPS = 2
FAMILY_SLIPS_FROM = 9
FAMILY_TAIL = 3
# A word the English frequency table knows at least this often (Zipf) is a real word, never
# read as a misspelt article word of another family ("convulsion" is no "conclusion",
# "dislocation" no "dissociation"); typos sit at 0 (round 26, from the review's scan of
# 121,905 English words: every intended typo tried kept, 222 of 341 rewrites of real words
# vetoed, all those that changed a route).
REAL_WORD_ZIPF = 1.5
# A common English word (at least this often, Zipf) is not read as the corpus word that one
# changed letter makes of it: "liver" is no "lives" (round 28). Two swapped letters are still
# read ("trail": trial), and so is a rare form ("pian": pain).
CHANGED_REAL_ZIPF = 3.0
# A misspelt word that asks an aspect ("adictive", "aprooved") is read as the aspect word one
# edit away, or two in a word of ASPECT_TYPO_LONG letters or more (round 28), when no other
# common English word (ASPECT_TYPO_RIVAL_ZIPF) is as close: "injetion" is "injection", not
# "invention" (the answers review found 1,723 such misreads of 13,393 simulated typos before
# this rule). Reading it so only asks more of the answer (a sentence must speak to the aspect).
ASPECT_TYPO_FROM = 6
ASPECT_TYPO_LONG = 8
ASPECT_TYPO_RIVAL_ZIPF = 3.0
KIN_MEMO = 4096  # words whose misspelt_kin reading a vocabulary remembers
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|million|once|twice|half|dozen|daily|weekly|monthly|hours?|minutes?|"
    r"days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)


# A question that sets two degrees against each other ("higher versus lower doses"); a
# comparative read as its corpus adjective needs this or a "than" right after it ("lower than")
_VERSUS = re.compile(r"\b(?:versus|vs\.?|compared (?:to|with))\b", re.IGNORECASE)
# A comparative set against its opposite in one question compares two degrees (round 25)
_OPPOSITE = {
    a: b
    for x, y in (("higher", "lower"), ("bigger", "smaller"), ("larger", "smaller"),
                 ("longer", "shorter"), ("stronger", "weaker"), ("faster", "slower"))
    for a, b in ((x, y), (y, x))
}  # fmt: skip


def _base_degree(word: str, in_corpus: Callable[[str], bool]) -> list[str]:
    """The corpus adjective a comparative or superlative is formed from ("lower": low,
    "safest": safe, "bigger": big, "easier": easy), when the corpus uses it; else []."""
    for end in ("est", "er"):
        if not word.endswith(end) or len(word) < len(end) + 3:
            continue
        stem_ = word[: -len(end)]
        forms = [stem_, stem_ + "e"]
        if len(stem_) > 2 and stem_[-1] == stem_[-2]:
            forms.append(stem_[:-1])  # "bigger": big
        if stem_.endswith("i"):
            forms.append(stem_[:-1] + "y")  # "easier": easy
        return [f for f in forms if len(f) > 2 and in_corpus(f)][:1]
    return []


def _in_corpus(snapshot: IndexSnapshot, word: str) -> bool:
    """True when the corpus uses the lowercase word, or its stem."""
    return stem(word) in snapshot.stem_vocabulary or word in snapshot.vocabulary


# How a dose is chosen, not which number: "how do they decide what dose to use" is answered by
# "an individualized assessment determines the dosing" (round 20).
_CHOOSING = re.compile(
    r"\b(?:decid\w*|determin\w*|work(?:s|ed|ing)? out|figur\w* out|choos\w*|chose|pick\w*|"
    r"tailor\w*|adjust\w*|settl\w* on)\b[^?.!]*",
    re.IGNORECASE,
)
# "how much" in an everyday sense, not a number asked: "no matter how much you're given",
# "how much is still unknown", "how little doctors understand" (round 21)
_NO_NUMBER = re.compile(
    r"\bno matter how (?:much|many|long|often|high|low)\b|"
    # round 25: whatever the amount, asked of something else ("the same no matter what dose")
    r"\b(?:no matter|regardless of|irrespective of) (?:what|which|the) (?:\w+ )?"
    r"(?:dose|doses|dosage|amount|level|strength)\b|\bwhatever (?:the )?(?:dose|dosage|amount)\b|"
    r"\bhow much (?:is|remains) (?:still )?(?:unknown|known|understood|uncertain|unclear|"
    r"left to (?:learn|know|discover|study|find out))\b|"
    r"\bhow (?:much|little) (?:we|they|doctors|researchers|scientists|science|experts) "
    r"(?:still |really |actually )?(?:know|understand)\b|"
    # round 24: whether something depends on the amount, and how much more study is needed,
    # ask no number ("do the side effects depend on how much is given")
    r"\bdepend(?:s|ed|ing|ent)? (?:up)?on how (?:much|many|high|large|long|often)\b|"
    r"\bhow much (?:more|further) (?:research|study|studies|work|evidence|data|testing|trials?) "
    r"(?:is|are|will be|would be)? ?(?:still )?(?:needed|required|necessary|to come|to do|left)\b",
    re.IGNORECASE,
)
# "dose" typed for "does" before a subject and a bare verb ("what dose nmda mean")
_DOES_VERBS = r"mean|work|have|last|help|cause|feel|affect|stand|hurt"
_DOSE_FOR_DOES = re.compile(
    rf"\bdose(?=\s+(?:it|this|that|they|he|she|[\w-]+)\s+(?:{_DOES_VERBS})\b)",
    re.IGNORECASE,
)


# round 30: the same typo after a question word or at the start ("how long dose pain have to
# last", "dose it hurt"), read as meant before answering; not "how much dose", "what dose"
_DOSE_TYPED = re.compile(
    r"(\b(?:how(?: long| often| fast| soon| quickly| well)?|why|when|where|who|so|and|but|or|ok|"
    r"okay|hours|minutes|days|weeks|months|times|sessions|infusions)\s+|^\s*)"
    r"dose(?=\s+(?:it|this|that|they|he|she|ketamine|one|each|an?|the|pain|"
    r"insurance|everyone|anyone|someone)\b(?:\s+[\w-]+)?\s+"
    rf"(?:{_DOES_VERBS}|take|do|make|need|show|require|matter|compare|differ|interact|"
    r"kick|start|stop|wear|qualify|involve|include|get|happen|change|cost|come)\b)",
    re.IGNORECASE | re.MULTILINE,
)


def asks_quantity(question: str, aspects: Aspects | None = None) -> bool:
    """True when the question asks for a number: how much, how many, what dose, the cost of.
    With `aspects`, what the `speed` aspect matches is left out: "how long till it works" asks
    how soon, which aspects.yaml alone defines. How a dose is decided asks no number,
    "dose" typed for "does" asks no dose, and "no matter how much" asks no amount."""
    if aspects is not None:
        question = aspects.blank("speed", question)
    question = _CHOOSING.sub(" ", _DOSE_FOR_DOES.sub("does", _NO_NUMBER.sub(" ", question)))
    return bool(_QUANTITY_Q.search(question))


# round 25: a count of kinds is answered by naming them ("how many kinds of pain does it
# treat": "both nociceptive and neuropathic"), and a choice between degrees by a degree ("a big
# or a small dose": "in low doses"); neither needs a number.
_KINDS_COUNT = re.compile(
    r"\bhow many (?:\w+ )?(?:kinds?|types?|sorts?|forms?|categories|varieties|components|parts|"
    r"aspects|sides) of ([a-z]{3,})\b(?! (?:pills?|meds|medications?|medicines?|drugs?|killers?|"
    r"relievers?|tablets?|treatments?|clinics?|doctors?|patients?|specialists?)\b)",
    re.IGNORECASE,
)
_DEGREE_ASKED = re.compile(
    r"\b(?:big|bigger|high|higher|large|larger|strong|stronger|heavy|full)(?: \w+){0,2},? or "
    r"(?:an? )?(?:small|smaller|low|lower|little|light|weak|weaker|tiny|mild)\b|"
    r"\b(?:small|smaller|low|lower|little|light|weak|weaker|tiny|mild)(?: \w+){0,2},? or (?:an? )?"
    r"(?:big|bigger|high|higher|large|larger|strong|stronger|heavy|full)\b",
    re.IGNORECASE,
)
_DEGREE = re.compile(
    r"\b(?:low|lower|high|higher|small|smaller|large|larger|subanesthetic|sub-anesthetic|"
    r"low-dose|high-dose|minimal|modest)\b",
    re.IGNORECASE,
)


def _meets_quantity(question: str, sentence: str) -> bool:
    """True when a sentence gives what a quantity question asks: a number, or the kinds
    named for "how many kinds", or a degree for a choice between degrees."""
    if has_quantity(sentence):
        return True
    kinds = _KINDS_COUNT.search(question)
    if kinds and re.search(  # "both nociceptive and neuropathic pain": the kinds of pain named
        rf"\b(?:both|either)\b[^.;:]{{0,60}}\b{re.escape(stem(kinds.group(1)))}", sentence, re.I
    ):
        return True
    return bool(_DEGREE_ASKED.search(question) and _DEGREE.search(sentence))


def has_quantity(text: str) -> bool:
    """True when a text states a number or a duration."""
    return bool(_NUMBER.search(text))


def default_topic_model_path() -> Path:
    """The shipped topic-word model beside this module."""
    return Path(__file__).with_name("topic_word_lr.json")


@dataclass(frozen=True)
class TopicWords:
    """Tells a medical term (insulin, sciatica) from everyday English (anyway, someday) by its
    MiniLM vector; fitted by `python -m assistant.evals.fitting.topic_words` (dev rows)."""

    weights: np.ndarray
    bias: float

    def medical(self, vecs: np.ndarray) -> np.ndarray:
        """For each word vector: True when it reads as a medical term."""
        return np.asarray((vecs @ self.weights + self.bias) >= 0.0)

    @classmethod
    def load(cls, path: Path | str | None = None) -> TopicWords:
        """Read the model file, or fail with a clear message."""
        path = Path(path or default_topic_model_path())
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(np.asarray(raw["weights"], dtype=np.float32), float(raw["bias"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the topic-word model {path}: {exc}") from None


def english_lexicon(vocab_file: Path | str) -> Vocabulary | None:
    """The whole English words of a WordPiece vocabulary (the embedding model's vocab.txt),
    most frequent first, for correcting everyday typos ("beter"); None (with a warning in the
    log) when it is missing: English words may then be read as typos of corpus words."""
    try:
        lines = Path(vocab_file).read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        _log.warning(
            "no English word list (%s): everyday typos are not corrected, and an English word "
            "one letter from a corpus word may be read as its typo",
            exc,
        )
        return None
    return Vocabulary([w for w in lines if w.isascii() and w.isalpha() and len(w) > 1])


def load_lay_terms(path: Path | str) -> dict[str, list[str]]:
    """The lay-terms file (`lay_terms:` word -> clinical words), or a clear error; {} if
    absent."""
    return word_file(path, "lay_terms", lambda raw: {
        str(k).lower(): words_of(v) for k, v in raw.items()})  # fmt: skip


def load_spellings(path: Path | str) -> dict[str, str]:
    """The chat spellings file (`spellings:` word -> meant), or a clear error; {} if absent."""
    return word_file(path, "spellings", lambda raw: {
        str(k).lower(): str(v).lower() for k, v in raw.items() if k and v})  # fmt: skip


# Endings that make a word from a listed one ("addict" -> "addictive", "qualify" -> "qualifies").
_ENDINGS = ("ives", "ive", "ing", "ings", "ed", "es", "s", "er", "ers", "ly", "ness", "able",
            "ible", "ion", "ions", "al", "ally", "ity", "ment", "ments", "ful", "less", "ic",
            "ical", "ist", "ists", "ism", "ies", "ied")  # fmt: skip


# Endings that inflect a word without naming something new ("doses", "treated"); not "-er":
# "lower back" is a place, not "low" compared.
_INFLECTIONS = frozenset({"s", "es", "ed", "ing"})


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def slip_count(a: str, b: str, most: int) -> int:
    """Letters added, dropped, changed or swapped with a neighbour to turn a into b (optimal
    string alignment), or most + 1 once that is certain."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > most:
            return most + 1
        prev2, prev = prev, cur
    return prev[-1]


def one_edit(a: str, b: str) -> bool:
    """True when b is a with one letter added, dropped, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i + 1 : i + 2] == b[i : i + 1] and a[i : i + 1] == b[i + 1 : i + 2]
        return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


@dataclass
class Vocabulary:
    """Typo correction and nearest-word lookups over the corpus vocabulary."""

    words: list[str]
    _deletes: dict[str, set[str]] | None = field(default=None, repr=False)
    _vectors: np.ndarray | None = field(default=None, repr=False)
    _rank: dict[str, int] = field(default_factory=dict, repr=False)
    _sorted: list[str] = field(default_factory=list, repr=False)
    _kin: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._rank = {w: i for i, w in enumerate(self.words)}
        self._sorted = sorted(self.words)

    def _index(self) -> dict[str, set[str]]:
        """Each word's one-letter deletions -> the words, built on first correction."""
        if self._deletes is None:
            index: dict[str, set[str]] = {}
            for w in self.words:
                if len(w) >= 4 and not w.isdigit():
                    for d in _deletes(w) | {w}:
                        index.setdefault(d, set()).add(w)
            self._deletes = index
        return self._deletes

    def __contains__(self, word: object) -> bool:
        return word in self._rank

    def knows(self, word: str) -> bool:
        """True for a word of the list, or one made from it by a common ending ("addictive":
        addict + ive, "qualifies": qualif(y) + ies)."""
        if word in self._rank:
            return True
        for end in _ENDINGS:
            if word.endswith(end) and len(word) - len(end) >= 4:
                base = word[: -len(end)]
                if base in self._rank or base + "e" in self._rank or base + "y" in self._rank:
                    return True
        return False

    def expand(self, word: str) -> str | None:
        """The most frequent vocabulary word that a clipped word of 5+ letters begins
        ("fibro" -> "fibromyalgia"), or None."""
        if len(word) < 5:
            return None
        i = bisect.bisect_right(self._sorted, word)  # words that begin with it sort after it
        longer = []
        while i < len(self._sorted) and self._sorted[i].startswith(word):
            longer.append(self._sorted[i])
            i += 1
        return min(longer, key=self._rank.__getitem__, default=None)

    def kin(self, word: str, n: int = FAMILY_PREFIX) -> bool:
        """True when a vocabulary word shares the word's first `n` letters: one word family
        ("inflammatories" and "inflammation"), which word vectors of single words miss."""
        if len(word) < n:
            return False
        head = word[:n]
        i = bisect.bisect_left(self._sorted, head)
        return i < len(self._sorted) and self._sorted[i].startswith(head)

    def misspelt_kin(self, word: str) -> str | None:
        """The vocabulary word that a long word misspells, family and all: within FAMILY_SLIPS
        slips of the vocabulary word, or of it cut short by up to FAMILY_TAIL letters
        ("nueropathy": neuropathic, "phsycological": psychological); the same first letter,
        the most frequent of the closest; None when there is none. Remembered per word."""
        if word in self._kin:
            return self._kin[word]
        best: tuple[int, int, str] | None = None
        if len(word) >= FAMILY_SLIPS_FROM and word.isalpha():
            for c in self._starting(word[0]):
                if not len(word) - FAMILY_SLIPS <= len(c) <= len(word) + FAMILY_TAIL:
                    continue
                cuts = range(len(word) - FAMILY_SLIPS, len(word) + FAMILY_SLIPS + 1)
                d = min(
                    (slip_count(word, c[:n], FAMILY_SLIPS) for n in cuts
                     if n <= len(c) and len(c) - n <= FAMILY_TAIL),
                    default=FAMILY_SLIPS + 1,
                )  # fmt: skip
                if d <= FAMILY_SLIPS and (best is None or (d, self._rank[c]) < best[:2]):
                    best = (d, self._rank[c], c)
        if len(self._kin) >= KIN_MEMO:
            self._kin.clear()  # visitors' words are unbounded; the memo is not
        self._kin[word] = None if best is None else best[2]
        return self._kin[word]

    def _starting(self, letter: str) -> list[str]:
        """The vocabulary's words that begin with `letter` (a range of the sorted words)."""
        lo = bisect.bisect_left(self._sorted, letter)
        hi = bisect.bisect_left(self._sorted, chr(ord(letter) + 1))
        return self._sorted[lo:hi]

    def correct(self, word: str) -> str | None:
        """The vocabulary word one edit away (same first letter), preferring frequent ones. A
        four-letter word is only read as two swapped letters ("ndma" -> "nmda"): one letter
        more or less, or changed, makes another short word too easily."""
        if len(word) < 4 or word.isdigit():
            return None
        index = self._index()
        cands: set[str] = set(index.get(word, set()))
        for d in _deletes(word):
            cands |= index.get(d, set())
        cands = {c for c in cands if c[0] == word[0] and one_edit(word, c)}
        if len(word) == 4:
            cands = {c for c in cands if sorted(c) == sorted(word)}
        if not cands:
            return None
        return min(cands, key=lambda c: (abs(len(c) - len(word)), self._rank[c]))

    def nearest(
        self, vecs: np.ndarray, embed: Callable[[list[str]], np.ndarray]
    ) -> list[tuple[str, float]]:
        """For each query-word vector, the closest vocabulary word and its similarity."""
        if self._vectors is None:
            self._vectors = embed(self.words) if self.words else np.zeros((0, vecs.shape[1]))
        if not len(self._vectors):
            return [("", 0.0)] * len(vecs)
        sims = vecs @ self._vectors.T
        best = sims.argmax(axis=1)
        return [(self.words[int(b)], float(sims[i, b])) for i, b in enumerate(best)]


@dataclass
class Answerability:
    """Decides whether the corpus answers a question: the fitted model (or, on a one-topic
    site, the anchored relevance floor), topic words the corpus never mentions, and aspects
    (cost, approval, ...) that the answer must address."""

    word_threshold: float
    shift_threshold: float
    max_vocab: int = 8000
    model: AnswerabilityModel | None = None
    aspects: Aspects | None = None
    topic_words: TopicWords | None = None
    broad: BroadQuestions | None = None
    dates: ArticleDates | None = None  # questions about when an article was reviewed
    types: QuestionTypes | None = None
    statements: Statements | None = None  # remarks that ask nothing need a closer match
    lexicon: Vocabulary | None = None
    spellings: dict[str, str] = field(default_factory=dict)
    lay_terms: dict[str, list[str]] = field(default_factory=dict)  # "vein" -> ["intravenous"]
    contrasts: Contrasts | None = None  # "vs ibuprofen": NSAIDs; "IV or by mouth?"
    frequencies: EnglishFrequencies | None = None  # reads typos of common English words
    typo_min_zipf: float = 4.0
    typo_gap: float = 2.5
    typo_margin: float = 0.5
    # (the snapshot it was built from, held weakly: an id() may be reused by a later one)
    _vocab: tuple[weakref.ref[IndexSnapshot], Vocabulary] | None = field(
        default=None, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    # (common English words asking an aspect, other common words), by first letter
    _typo_words: tuple[dict[str, list[str]], dict[str, list[str]]] | None = field(
        default=None, init=False, repr=False
    )

    def vocabulary(self, snapshot: IndexSnapshot) -> Vocabulary:
        """The snapshot's vocabulary, most frequent first, built once per generation."""
        with self._lock:
            if self._vocab is not None and self._vocab[0]() is snapshot:
                return self._vocab[1]
            common = [
                w for w, _ in snapshot.vocabulary.most_common() if w.isalpha() and len(w) > 2
            ][: self.max_vocab]
            vocab = Vocabulary(common)
            self._vocab = (weakref.ref(snapshot), vocab)
            return vocab

    def analyse(self, snapshot: IndexSnapshot, question: str) -> tuple[list[str], list[str]]:
        """(known topic words, after typo correction; unknown topic words)."""
        known: list[str] = []
        unknown: list[str] = []
        compares: bool | None = None
        contrasts = self.contrasts
        in_corpus = partial(_in_corpus, snapshot)
        terms = content_terms(question, GENERIC_WORDS)
        spelled_as = {t: self.spelled(snapshot, t) for t in dict.fromkeys(terms)}
        # round 27: a misspelt everyday word is read as the word meant ("surgry": surgery,
        # then what the articles say of its anesthesia use); it stays unknown as typed
        typos = self.everyday_typos([t for t, sp in spelled_as.items() if not sp], question)
        question = self.spelt_right(question, typos)
        for typed in terms:
            spelled = spelled_as[typed]
            if spelled:
                known.append(spelled)
                continue
            w = typos.get(typed, typed)
            if w != typed:
                spelled = self.spelled(snapshot, w)
                if spelled:
                    known.append(spelled)
                    continue
            clinical = self.clinical(snapshot, w)
            if not clinical and contrasts is not None:
                # "the drug they use for surgery": what the articles say of its anesthesia use
                clinical = contrasts.use_of(w, question, in_corpus)
                if not clinical and w in contrasts.kinds:
                    if compares is None:
                        compares = self.compares(question) and contrasts.against_subject(
                            question, snapshot.topics(), points_at_something(question)
                        )
                    if compares:  # "how is it different from ibuprofen": NSAIDs
                        clinical = contrasts.kind_of(w, in_corpus)
            if not clinical and (
                _VERSUS.search(question)
                or re.search(rf"\b{re.escape(w)}\s+than\b", question, re.I)
                # round 25: after "than", or set against its opposite ("higher doses than
                # lower ones", "at higher doses or at lower")
                or re.search(rf"\bthan (?:at |with |the |a )?{re.escape(w)}\b", question, re.I)
                or (
                    w.lower() in _OPPOSITE
                    and re.search(rf"\b{_OPPOSITE[w.lower()]}\b", question, re.I) is not None
                )
            ):
                clinical = _base_degree(w, in_corpus)  # "lower than": the articles' "low"
            if clinical:
                known.extend(clinical)  # "vein": what the articles call "intravenous"
            elif typed.isalpha() and len(typed) > 2:
                unknown.append(typed)
        return known, unknown

    def compares(self, question: str) -> bool:
        """True when the question asks a comparison (prompts/answerability/question_types)."""
        return self.types is not None and any(
            t.name == "comparison" for t in self.types.asked(question)
        )

    def alternatives(
        self,
        snapshot: IndexSnapshot,
        question: str,
        unknown: list[str],
        embed: Callable[[list[str]], np.ndarray],
    ) -> list[str]:
        """Unknown everyday words offered as the other choice to a medical term the articles
        use ("IV or by mouth?", "full anesthetic dose or lower?"): the articles answer which,
        so such a word carries no topic of its own. A name (Spravato, FDA) always does."""
        contrasts, topic = self.contrasts, self.topic_words
        if contrasts is None or topic is None or self.frequencies is None:
            return []

        def medical_terms(terms: list[str]) -> list[bool]:
            ours = [self.spelled(snapshot, t) or next(iter(self.clinical(snapshot, t)), "")
                    for t in terms]  # fmt: skip
            ours = [t for t in ours if t]
            return [bool(m) for m in topic.medical(embed(ours))] if ours else []

        zipf = self.frequencies.zipf
        return [
            w
            for w in unknown
            if not _is_name(question, w)
            and contrasts.alternative(question, w, zipf, medical_terms, GENERIC_WORDS)
        ]

    def clinical(self, snapshot: IndexSnapshot, word: str) -> list[str]:
        """The articles' own words for an everyday word (`lay_terms`), those the corpus uses."""
        out = []
        for term in self.lay_terms.get(word.lower(), ()) or self._lay_typo(word.lower()):
            parts = term.split()
            if all(_in_corpus(snapshot, p) for p in parts):
                out.extend(parts)
        return out

    def _lay_typo(self, word: str) -> list[str]:
        """The clinical words of a lay term the word misspells by one letter dropped or doubled
        ("painkilers"), when it is no English word itself (an "infected" is not "injected")."""
        if len(word) < 7 or (self.frequencies is not None and self.frequencies.zipf(word) > 0):
            return []
        for key, terms in self.lay_terms.items():
            if abs(len(key) - len(word)) == 1 and one_edit(key, word):
                return list(terms)
        return []

    def spelled(self, snapshot: IndexSnapshot, word: str) -> str | None:
        """The lowercase word as the corpus spells it: itself when the corpus uses it (or its
        stem), else the corpus word one edit away, else None."""
        if _in_corpus(snapshot, word):
            return word
        fixed = self.vocabulary(snapshot).correct(word)
        if fixed is not None and self._changes_real_word(word, fixed):
            fixed = None
        return fixed or self._compound(snapshot, word)

    def _changes_real_word(self, word: str, fixed: str) -> bool:
        """True when `fixed` changes a letter of a common English word ("liver": lives)."""
        return (
            self.frequencies is not None
            and len(word) == len(fixed)
            and sorted(word) != sorted(fixed)
            and self.frequencies.zipf(word) >= CHANGED_REAL_ZIPF
        )

    def _compound(self, snapshot: IndexSnapshot, word: str) -> str | None:
        """The corpus word a compound is built on: a common prefix before a corpus word of
        6+ letters ("underprescribe": prescribe), or a corpus word of 6+ letters that begins
        a longer word ("insulinostatic": insulin). A short remainder ("overdose") does not
        count: it changes what the word means too much."""
        for pre in _PREFIXES:
            rest = word[len(pre) :].lstrip("-")
            if word.startswith(pre) and len(rest) >= 6 and _in_corpus(snapshot, rest):
                return rest
        for i in range(len(word) - 4, 5, -1):
            if word[:i] in snapshot.vocabulary:
                return word[:i]
        return None

    def answerable(self, feats: dict[str, float], scoped: bool, r: RetrievalSettings) -> bool:
        """On a one-topic site: the anchored query clears the relevance floor. Elsewhere: the
        fitted model's probability clears `answerable_threshold`."""
        if scoped or self.model is None:
            return feats["dense"] >= r.relevance_floor
        return self.model.probability(feats) >= r.answerable_threshold

    def overview(self, question: str, titles: list[str]) -> bool:
        """True when the question asks for an overview of one of the articles (by title)."""
        return self.broad is not None and any(self.broad.asks(question, t) for t in titles)

    def misses(
        self,
        question: str,
        said: list[str],
        known: set[str] | None = None,
        passages: list[str] | None = None,
        everywhere: Callable[[str], bool] | None = None,
    ) -> bool:
        """True when the answer does not speak to what was asked: a number for "how much /
        how many", or an aspect (cost, approval, ...) that none of its sentences meets; with
        `known` (the corpus's stems), in a sentence about what the question is about;
        `passages`: the cited passages, for aspects whose evidence may sit anywhere in them.
        `everywhere`: true for a stem most passages hold ("pain" on a pain clinic's site),
        which says nothing about what is asked: "how many weeks does the pain relief last"
        asks about relief, "how soon do people notice less pain" only how soon."""
        quantity = asks_quantity(question, self.aspects)
        if quantity:
            # A number asked for must come from the sentence that speaks to the aspect: "how
            # many weeks does the relief last" is not met by "long-term relief" beside the
            # weeks that define chronic pain.
            said = [x for x in said if _meets_quantity(question, x)]
            if not said:
                return True
        if not self.aspects:
            return False
        about = self.aspects.subject(question, known) if known else set()
        if everywhere is not None:
            about = {t for t in about if not everywhere(t)}
        return bool(self.aspects.unmet(question, said, about, passages or ()))

    def unknown_carries(
        self,
        snapshot: IndexSnapshot,
        question: str,
        query: str,
        qvec: np.ndarray,
        unknown: list[str],
        embed: Callable[..., np.ndarray],
        typos: dict[str, str],
    ) -> bool:
        """True when an unknown word carries the question and the corpus never covers it.

        Centrality is measured on the visitor's own words, not on the resolved query; the
        probes (the words, and the question without each) take one more forward pass. A typo
        of a common English word is judged as that word, in the question spelt right: it
        carries no more than the word would ("what is ketamine actualy" asks what it is).
        `typos`: `everyday_typos` of the question, read once by the caller.
        """
        typos = {w: meant for w, meant in typos.items() if w in unknown}
        if typos:
            question = self.spelt_right(question, typos)
            meant_words = set(typos.values())
            unknown = [typos.get(w, w) for w in unknown]
            unknown = [w for w in unknown if w not in meant_words or self.analyse(snapshot, w)[1]]
            if not unknown:
                return False
        plain = partial(embed, cache=False)
        base = qvec if question == query else embed([question])[0]
        probes = plain(self.probe_texts(question, unknown))
        return bool(self.uncovered(snapshot, question, unknown, base, probes, plain))

    @staticmethod
    def spelt_right(question: str, typos: dict[str, str]) -> str:
        """The question with each typo (`everyday_typos`) replaced by the word meant."""
        for word, meant in typos.items():
            question = re.sub(rf"\b{re.escape(word)}\b", meant, question, flags=re.I)
        return question

    def everyday_typos(
        self, unknown: list[str], question: str = "", aspects: bool = False
    ) -> dict[str, str]:
        """Unknown words read as typos of common English words ("dificult" -> "difficult"),
        never a word of the English WordPiece list, a name (capitalised inside a sentence of
        `question`, "Naver", or in capitals) or a word that names an aspect as typed or, unless
        `aspects` (for the check that an answer says what was asked), as read (cost, ...). With
        `aspects`, a word no slip reading reaches may be read as an aspect word (`aspect_typo`)."""
        out: dict[str, str] = {}
        if self.frequencies is None:
            return out
        for w in unknown:
            if not w or (self.lexicon is not None and self.lexicon.knows(w)):
                continue
            if re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(w[0].upper() + w[1:])}\b", question):
                continue  # a name inside a sentence ("Naver")
            if not question.isupper() and re.search(rf"\b{re.escape(w.upper())}\b", question):
                continue  # an acronym or a shouted name (in a message not all in capitals)
            if self.aspects is not None and self.aspects.asked(w):
                continue  # "copay" asks the cost as typed
            meant = self.frequencies.typo_of(w, self.typo_min_zipf, self.typo_gap, self.typo_margin)
            if meant is None and aspects:
                meant = self.aspect_typo(w)  # "adictive": addictive, "aprooved": approved
            if meant and (aspects or not (self.aspects is not None and self.aspects.asked(meant))):
                out[w] = meant
        return out

    def warm(self) -> None:
        """Build the word lists that misspelt aspect words are read against, once."""
        self._aspect_index()

    def _aspect_index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """(common words that ask an aspect, other common words), each by first letter."""
        with self._lock:
            if self._typo_words is None:
                freq, aspects = self.frequencies, self.aspects
                if freq is None or aspects is None:
                    return {}, {}
                least = ASPECT_TYPO_FROM - 1  # one edit from a 6-letter typo
                asking = aspects.single_words(
                    w for w in freq.words(TYPO_KNOWN_ZIPF) if len(w) >= least
                )
                by_letter: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
                for w in sorted(asking, key=lambda x: (-freq.zipf(x), x)):
                    by_letter[0].setdefault(w[0], []).append(w)
                for w in freq.words(ASPECT_TYPO_RIVAL_ZIPF):
                    if len(w) >= least and w not in asking:
                        by_letter[1].setdefault(w[0], []).append(w)
                self._typo_words = by_letter
            return self._typo_words

    def aspect_typo(self, word: str) -> str | None:
        """The common English word asking an aspect that a misspelt word misses by one edit
        (a letter added, dropped, changed or two swapped), or two in a long word ("aprooved":
        approved), the most frequent of the closest; None when another common word is as
        close ("injetion": injection, not invention)."""
        if len(word) < ASPECT_TYPO_FROM or not word.isalpha():
            return None
        asking, others = self._aspect_index()
        w = word.lower()
        most = 1 if len(w) < ASPECT_TYPO_LONG else 2
        best: tuple[int, str] | None = None
        for c in asking.get(w[0], []):
            d = slip_count(w, c, most)
            if d <= most and (best is None or d < best[0]):
                best = (d, c)
        if best is None:
            return None
        for c in others.get(w[0], []):
            if abs(len(c) - len(w)) <= best[0] and slip_count(w, c, best[0]) <= best[0]:
                return None  # a word of its own is as close: not read as the aspect
        return best[1]

    def corrected(self, snapshot: IndexSnapshot, text: str, everyday: bool = False) -> str:
        """The text with each misspelled word replaced by the corpus word one edit away
        ("side efects of ketamin" -> "side effects of ketamine"); a clipped corpus word spelled
        out ("fibro" -> "fibromyalgia"); chat spellings read as meant ("wat"). Words the corpus
        or English uses (or their stems) stay. With `everyday`, also by the English word one
        edit away ("beter" -> "better"): only to judge scope, never for answering, since a
        drug the word list lacks would become an everyday word ("statins" -> "stating")."""
        english = self.lexicon
        vocab = self.vocabulary(snapshot)

        def fix(m: re.Match[str]) -> str:
            w = m.group(0).lower()
            if w in self.spellings and m.group(0).islower():
                return self.spellings[w]
            if w in STOPWORDS or w in snapshot.vocabulary:  # "there" is no typo of "their"
                return m.group(0)
            if english is not None and english.knows(w):
                return m.group(0)  # "addictive": addict + ive, no typo of "additive"
            spelled = vocab.expand(w) or vocab.correct(w)
            if spelled is None and english is not None:
                # read once: as a word the articles use or one of its family ("candadate":
                # candidate, of "candidacy"), or (judging scope) as any word
                meant = english.correct(w)
                zipf = self.frequencies.zipf(w) if self.frequencies is not None else 0.0
                unknown = stem(w) not in snapshot.stem_vocabulary  # no inflection: "dissociated"
                if meant and (
                    self._article_word(snapshot, meant)
                    or (vocab.kin(meant) and zipf < REAL_WORD_ZIPF)  # "warranty" stays
                ):
                    spelled = meant
                elif meant is None and unknown and zipf < REAL_WORD_ZIPF:
                    spelled = vocab.misspelt_kin(w)
                if spelled is None and everyday and unknown:
                    spelled = meant
            return m.group(0) if spelled is None else spelled

        def join(m: re.Match[str]) -> str:
            whole = (m.group(1) + m.group(2)).lower()  # "noci-ceptive": nociceptive
            return whole if whole in snapshot.vocabulary else m.group(0)

        text = _DOSE_TYPED.sub(r"\1does", text)  # "how long dose it last": does
        return re.sub(r"[A-Za-z]+", fix, re.sub(r"\b([A-Za-z]{2,})-([A-Za-z]{3,})\b", join, text))

    def _article_word(self, snapshot: IndexSnapshot, word: str) -> bool:
        """True when the articles use the word as written or its plural, or it is one of their
        lay terms: an English misspelling of it is read as it ("recepter": receptor, "vien":
        vein). Never by stem alone (round 24): read as any English word, a drug the list lacks
        would become an everyday word ("statins": stating, and "stating" is no "state")."""
        vocab = snapshot.vocabulary
        return word in vocab or f"{word}s" in vocab or word in self.lay_terms

    @staticmethod
    def without(question: str, word: str) -> str:
        """The question with one word removed (to measure how much the word carries)."""
        return re.sub(rf"\b{re.escape(word)}\b", "", question, flags=re.IGNORECASE)

    def probe_texts(self, question: str, unknown: list[str]) -> list[str]:
        """Texts to embed with the query in the same forward pass: the words, then leave-outs."""
        return [*unknown, *(self.without(question, w) for w in unknown)]

    def names_term(
        self, snapshot: IndexSnapshot, question: str, embed: Callable[[list[str]], np.ndarray]
    ) -> bool:
        """True when the question names a medical term the corpus uses ("what does comorbid
        mean"), itself or by an everyday word for it (`lay_terms`: "vein"): it is about the
        content, however little else it shares with it. Everyday words the corpus also uses
        ("everyone", "trip") do not count (by `topic_words`)."""
        if self.topic_words is None:
            return False
        known = []
        for w in dict.fromkeys(content_terms(question, GENERIC_WORDS)):
            if len(w) > 3 and _in_corpus(snapshot, w):
                known.append(w)
            else:
                known += self.clinical(snapshot, w)  # "vein": the articles' "intravenous"
        return bool(known) and bool(self.topic_words.medical(embed(known)).any())

    def everyday(
        self,
        snapshot: IndexSnapshot,
        words: list[str],
        embed: Callable[[list[str]], np.ndarray],
        floor: float,
    ) -> bool:
        """True when every word is everyday English (no medical term, by `topic_words`) at
        least `floor` similar to a corpus word: the same two readings `uncovered` makes."""
        if self.topic_words is None:
            return False
        vecs = embed(words)
        near = self.vocabulary(snapshot).nearest(vecs, embed)
        medical = self.topic_words.medical(vecs)
        return all(sim >= floor and not m for (_, sim), m in zip(near, medical, strict=True))

    def uncovered(
        self,
        snapshot: IndexSnapshot,
        question: str,
        unknown: list[str],
        qvec: np.ndarray,
        probes: np.ndarray,
        embed: Callable[[list[str]], np.ndarray],
    ) -> list[str]:
        """Unknown words that carry the question and have no close synonym in the corpus.

        A word of a corpus word's family (the same first `FAMILY_PREFIX` letters) is covered.
        A word carries the question when it is a name or acronym as written (FDA, Spravato),
        or when leaving it out moves the question's embedding by at least `shift_threshold`.
        Only a medical term (by `topic_words`) can carry a question this way: everyday words
        ("anyway", "quickly") are how visitors phrase things, not topics the corpus lacks,
        while "insulin" on a ketamine site stays uncovered. Without `topic_words` every word
        counts as a term.
        """
        if not unknown:
            return []
        n = len(unknown)
        word_vecs, leave_out = probes[:n], probes[n:]
        vocab = self.vocabulary(snapshot)
        near = vocab.nearest(word_vecs, embed)
        medical = (
            self.topic_words.medical(word_vecs)
            if self.topic_words is not None
            else np.ones(n, dtype=bool)
        )
        out = []
        for i, (w, (match, sim)) in enumerate(zip(unknown, near, strict=True)):
            # A longer word built on a known one (esketamine, nonopioid) names something else;
            # one built on a function word ("somewhere" on "where") does not.
            derived = bool(match) and match not in STOPWORDS and match in w and match != w
            if derived and w.startswith(match) and w[len(match) :] in _INFLECTIONS:
                derived = False  # "doses" is "dose" inflected, not a new name built on it
            if (sim >= self.word_threshold or vocab.kin(w)) and not derived:
                continue
            if derived or _is_name(question, w):
                out.append(w)
                continue
            if 1.0 - float(qvec @ leave_out[i]) < self.shift_threshold:
                continue
            if medical[i]:
                out.append(w)
        return out


def _is_name(question: str, word: str) -> bool:
    """True when the word is written as an acronym or a capitalised name mid-sentence."""
    for m in re.finditer(rf"\b{re.escape(word)}\b", question, flags=re.IGNORECASE):
        raw = m.group(0)
        if len(raw) >= 2 and raw.isupper():
            return True
        before = question[: m.start()].rstrip()
        if raw[0].isupper() and before and before[-1] not in '.!?:"“(':
            return True
    return False
