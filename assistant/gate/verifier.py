"""Is an answer sentence supported by the passage it cites? Rules, plus calibrated features."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.text import STOPWORDS, normalize, sentence_spans, stem, words

__all__ = [
    "FEATURES",
    "Support",
    "SupportVerifier",
    "VerifierModel",
    "default_model_path",
]

_NUM = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)\s*(%|percent|mg/kg|mg|mcg|µg|ug|ml|kg|g|mmhg|iu)?")
_NUM_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred thousand million once twice thrice half double triple quarter""".split()
)
_NEG = re.compile(
    r"\b(?:no|not|never|without|none|nor|neither|cannot|can't|won't|isn't|aren't|wasn't|"
    r"weren't|doesn't|don't|didn't|hasn't|haven't|hadn't|shouldn't|wouldn't|couldn't|"
    r"fail|fails|failed|lack|lacks|lacked|absence|absent|unlikely|insufficient)\b|n't\b",
    re.IGNORECASE,
)
_SUFFIX = re.compile(
    r"^[a-z]{3,}(?:mab|nib|pril|sartan|olol|azole|mycin|cillin|cycline|statin|pine|pam|lam|"
    r"done|tine|xetine|floxacin|vir|caine|mine|amine|fen|profen|oxacin|itis|osis|emia|aemia|oma|"
    r"pathy|algia|plasia|trophy|ectomy|otomy|phobia|philia|uria|ism|cardia|pnea|plegia|phasia|rrhea|tension)$"
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}(?:-[A-Z0-9]+)?\b")
_CAPITAL = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b")
_GENERIC = frozenset(
    """study studies result results patient patients group groups showed show shows shown
    found findings suggest suggests suggested data significant significantly associated
    association compared comparison higher lower increased decreased may might also however
    conclusion conclusions overall effect effects use used using well first report""".split()
)

FEATURES = (
    "coverage_min",
    "coverage_mean",
    "novel_terms",
    "missing_numbers",
    "missing_entities",
    "negation_unsupported",
    "negation_dropped",
    "sentences",
    "log_words",
    "semantic_min",
)


def _content(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUM.finditer(text):
        num = m.group(1).replace(",", "")
        unit = (m.group(2) or "").lower().replace("percent", "%")
        out.add(f"{num}{unit}")
    return out


def _entities(text: str) -> set[str]:
    """Drug, condition and other proper names: acronyms, mid-sentence capitals, suffixes."""
    found = {m.group(0).lower() for m in _ACRONYM.finditer(text)}
    found |= {m.group(0).lower() for m in _CAPITAL.finditer(text)}
    found |= {w for w in words(text) if _SUFFIX.match(w)}
    return {f for f in found if f not in STOPWORDS}


@dataclass(frozen=True)
class Support:
    """The verdict for one sentence against its passage, with the evidence."""

    supported: bool
    coverage: float
    missing_numbers: tuple[str, ...] = ()
    missing_entities: tuple[str, ...] = ()
    negation_unsupported: bool = False
    negation_dropped: bool = False
    novel_terms: int = 0
    reasons: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class VerifierModel:
    """Logistic regression over FEATURES (standardised), stored as plain JSON."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5
    meta: dict[str, object] = field(default_factory=dict)

    def probability(self, values: dict[str, float]) -> float:
        """Probability that the answer is not supported (hallucinated)."""
        z = self.intercept
        for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += c * ((values.get(name, 0.0) - m) / (s or 1.0))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def load(cls, path: Path | str) -> VerifierModel:
        """Read coefficients written by bench/bench_guardrails.py."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data.get("threshold", 0.5)),
            meta=dict(data.get("meta", {})),
        )

    def dump(self, path: Path | str) -> None:
        """Write the coefficients as JSON."""
        data = {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "meta": self.meta,
        }
        Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def default_model_path() -> Path:
    """The packaged calibration file."""
    return Path(__file__).with_name("verifier_lr.json")


class SupportVerifier:
    """Numbers, units, names and negations must appear in the passage; content words covered."""

    def __init__(self, min_coverage: float = 0.75, model: VerifierModel | None = None) -> None:
        self.min_coverage = min_coverage
        self.model = model

    def check(self, sentence: str, passage: str) -> Support:
        """The rule verdict for one sentence against its cited passage."""
        p_norm = normalize(passage)
        p_stems = {stem(w) for w in _content(passage)}
        p_words = set(words(passage))
        s_terms = [w for w in _content(sentence) if w not in _GENERIC]
        covered = [w for w in s_terms if stem(w) in p_stems or w in p_words]
        coverage = len(covered) / len(s_terms) if s_terms else 1.0
        p_nums = _numbers(passage)
        p_nums_bare = {re.sub(r"[^\d.]", "", n) for n in p_nums}
        missing_nums = []
        for n in sorted(_numbers(sentence)):
            bare = re.sub(r"[^\d.]", "", n)
            if n not in p_nums and not (n == bare and bare in p_nums_bare):
                missing_nums.append(n)
        missing_nums += [
            w for w in words(sentence) if w in _NUM_WORDS and w not in p_words and w != "one"
        ]
        missing_ents = sorted(
            e
            for e in _entities(sentence)
            if e not in p_norm and stem(e) not in p_stems and e not in p_words
        )
        neg_unsupported, neg_dropped = self._negation(sentence, passage)
        reasons = []
        if coverage < self.min_coverage:
            reasons.append(f"coverage {coverage:.2f}")
        if missing_nums:
            reasons.append(f"numbers not in passage: {', '.join(missing_nums)}")
        if missing_ents:
            reasons.append(f"names not in passage: {', '.join(missing_ents)}")
        if neg_unsupported:
            reasons.append("negation not in passage")
        return Support(
            supported=not reasons,
            coverage=coverage,
            missing_numbers=tuple(missing_nums),
            missing_entities=tuple(missing_ents),
            negation_unsupported=neg_unsupported,
            negation_dropped=neg_dropped,
            novel_terms=len(s_terms) - len(covered),
            reasons=tuple(reasons),
        )

    @staticmethod
    def _negation(sentence: str, passage: str) -> tuple[bool, bool]:
        """(negation in the sentence absent from matching passage text, negation dropped)."""
        s_stems = {stem(w) for w in _content(sentence)}
        best: tuple[int, str] = (0, "")
        negated_overlap = False
        for a, b in sentence_spans(passage):
            ps = passage[a:b]
            overlap = len(s_stems & {stem(w) for w in _content(ps)})
            if overlap > best[0]:
                best = (overlap, ps)
            if _NEG.search(ps) and overlap >= 2:
                negated_overlap = True
        has_neg = bool(_NEG.search(sentence))
        unsupported = has_neg and not negated_overlap
        dropped = not has_neg and bool(best[1]) and bool(_NEG.search(best[1]))
        return unsupported, dropped

    def features(self, answer: str, passage: str, semantic_min: float = 0.0) -> dict[str, float]:
        """Answer-level features over its sentences (for the calibrated model)."""
        spans = sentence_spans(answer) or [(0, len(answer))]
        sups = [self.check(answer[a:b], passage) for a, b in spans]
        covs = [s.coverage for s in sups]
        return {
            "coverage_min": min(covs),
            "coverage_mean": sum(covs) / len(covs),
            "novel_terms": float(sum(s.novel_terms for s in sups)),
            "missing_numbers": float(sum(len(s.missing_numbers) for s in sups)),
            "missing_entities": float(sum(len(s.missing_entities) for s in sups)),
            "negation_unsupported": float(sum(s.negation_unsupported for s in sups)),
            "negation_dropped": float(sum(s.negation_dropped for s in sups)),
            "sentences": float(len(sups)),
            "log_words": math.log1p(len(answer.split())),
            "semantic_min": semantic_min,
        }

    def supported_answer(self, answer: str, passage: str, semantic_min: float = 0.0) -> bool:
        """Whole-answer verdict: the calibrated model when loaded, else every sentence's rules."""
        if self.model is not None:
            p = self.model.probability(self.features(answer, passage, semantic_min))
            return p < self.model.threshold
        spans = sentence_spans(answer) or [(0, len(answer))]
        return all(self.check(answer[a:b], passage).supported for a, b in spans)
