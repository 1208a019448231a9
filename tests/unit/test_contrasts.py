"""Words a question names only to set against the articles' topics (retrieve/contrasts)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assistant.compose.question_types import QuestionTypes
from assistant.corpus.text import stem
from assistant.errors import ConfigError
from assistant.retrieve.answerability import Answerability
from assistant.retrieve.contrasts import Contrasts, either_or_sides, load_kinds

ROOT = Path(__file__).resolve().parents[2]
KINDS = ROOT / "prompts" / "answerability" / "kinds.yaml"
TYPES = ROOT / "prompts" / "answerability" / "question_types.yaml"


class _Snap:
    def __init__(self, text: str) -> None:
        self.vocabulary = Counter(text.split())
        self.stem_vocabulary = {stem(w) for w in self.vocabulary}

    def topics(self) -> list[str]:
        return ["Ketamine blocks for nerve pain"]


def test_the_shipped_kinds_file_loads_and_lists_no_drug_of_another_kind() -> None:
    kinds, uses = load_kinds(KINDS)
    assert kinds["naproxen"] == ["nsaids", "nsaid"] and kinds["tramadol"][0] == "opioids"
    assert "anesthesia" in uses["surgery"]
    for other in ("gabapentin", "pregabalin", "lidocaine", "sertraline", "duloxetine"):
        assert other not in kinds and other not in uses  # not a member of a kind it names


def test_a_broken_kinds_file_is_a_clear_error(tmp_path: Path) -> None:
    assert load_kinds(tmp_path / "missing.yaml") == ({}, {})
    bad = tmp_path / "kinds.yaml"
    bad.write_text("kinds: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_kinds(bad)
    bad.write_text("kinds:\n  - a list, not a mapping\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_kinds(bad)


def test_either_or_reads_only_sentences_that_ask() -> None:
    assert either_or_sides("drip or tablet?", "tablet") == ["drip "]
    assert either_or_sides("Is it a tablet, or does it go in a vein?", "tablet") == [
        " does it go in a vein"
    ]
    assert either_or_sides("no fever, rash or cough. what now?", "cough") == []  # a list
    assert either_or_sides("is it given by drip?", "drip") == []  # no choice offered


def test_an_everyday_word_beside_a_medical_term_is_a_choice_a_drug_name_is_not() -> None:
    zipf = {"tablet": 4.0, "pregabalin": 2.0, "weekend": 4.5}.get
    medical = {"infusion"}

    def terms(ts: list[str]) -> list[bool]:
        return [t in medical for t in ts]

    c = Contrasts()
    assert c.alternative("infusion or tablet?", "tablet", lambda w: zipf(w, 0.0), terms)
    assert not c.alternative("infusion or pregabalin?", "pregabalin", lambda w: zipf(w, 0.0), terms)
    # beside no medical term the word is a topic of its own ("weekend or weekday?")
    assert not c.alternative("weekday or weekend?", "weekend", lambda w: zipf(w, 0.0), terms)


def test_a_setting_reads_as_its_use_only_where_it_names_the_use() -> None:
    c = Contrasts(uses={"surgery": ["anesthesia"]})
    known = {"anesthesia"}.__contains__
    for q in ("the sedative they give for surgery?", "an operating-table drug, like surgery?",
              "same amount as a surgery dose?"):  # fmt: skip
        assert c.use_of("surgery", q, known) == ["anesthesia"], q
    for q in ("worried about my surgery next month", "pain after knee surgery, will it help?",
              "I need surgery soon", "is it used for surgery on horses"):  # fmt: skip
        assert c.use_of("surgery", q, known) == [], q


def test_a_member_reads_as_its_kind_only_in_a_comparison() -> None:
    check = Answerability(
        0.62,
        0.065,
        types=QuestionTypes.load(TYPES),
        contrasts=Contrasts(kinds={"motrin": ["nsaids"], "vicodin": ["opioids"]}),
    )
    snap: Any = _Snap("unlike opioids or nsaids ketamine blocks receptors")
    known, unknown = check.analyse(snap, "how does ketamine differ from motrin")
    assert "nsaids" in known and "motrin" not in unknown
    known, unknown = check.analyse(snap, "ketamine versus vicodin for back pain")
    assert "opioids" in known
    known, unknown = check.analyse(snap, "can motrin upset the stomach")
    assert "motrin" in unknown and "nsaids" not in known  # its own topic, not the kind
    # set against each other, not against the articles' subject; or a verdict asked
    assert "motrin" in check.analyse(snap, "how does vicodin differ from motrin")[1]
    assert "vicodin" in check.analyse(snap, "is vicodin stronger than ketamine")[1]
    assert "nsaids" in check.analyse(snap, "how is it different from motrin")[0]  # "it"


def test_which_choice_is_better_is_no_either_or_the_articles_answer() -> None:
    def terms(ts: list[str]) -> list[bool]:
        return [t == "infusion" for t in ts]

    c = Contrasts()
    assert not c.alternative(
        "is it better as an infusion or a tablet?", "tablet", lambda w: 4.0, terms
    )
