"""Question types and their answer cues."""

from __future__ import annotations

import pytest

from assistant.compose.question_types import QuestionTypes
from tests.conftest import ROOT

TYPES = QuestionTypes.load(ROOT / "prompts" / "answerability" / "question_types.yaml")


@pytest.fixture(scope="module")
def types() -> QuestionTypes:
    return TYPES


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("what brings this condition on", None),
        ("what causes migraines in teenagers", "cause"),
        ("how rapidly will I notice a change", "onset"),
        ("what does the abbreviation EEG mean", "definition"),
        ("who qualifies for the programme", "candidates"),
        ("is the condition passed down from parents", "inheritance"),
        ("how rare is this syndrome", "frequency"),
    ],
)
def test_a_question_asks_for_its_type(types: QuestionTypes, question: str, kind: str) -> None:
    names = [t.name for t in types.asked(question)]
    assert (kind in names) if kind else names == []


def test_a_cue_counts_only_beyond_the_questions_own_words(types: QuestionTypes) -> None:
    q = "what triggers migraines in teenagers"
    asked = types.asked(q)
    assert types.cue(asked, q, "Migraines are caused by changes in blood flow.") > 0
    # "triggers" is the question's own topic word: BM25 already counts it, the cue does not.
    assert types.cue(asked, q, "Migraines have many triggers.") == 0.0
    assert types.cue(asked, q, "Teenagers sleep late.") == 0.0
    # A framing word ("causes") is no topic: the same word in a sentence is a cue.
    assert types.cue(types.asked("what causes it"), "what causes it", "It has causes.") > 0


def test_more_distinct_cues_score_higher_up_to_the_cap(types: QuestionTypes) -> None:
    q = "how rapidly will I notice a change"
    asked = types.asked(q)
    one = types.cue(asked, q, "Relief is immediate for most.")
    two = types.cue(asked, q, "Relief is immediate, with onset within minutes.")
    assert 0 < one < two == 1.0


def test_no_type_asked_gives_no_cue(types: QuestionTypes) -> None:
    assert types.cue([], "ketamine and nerve pain", "Relief is immediate.") == 0.0


def test_framing_words_are_those_inside_a_type_request(types: QuestionTypes) -> None:
    q = "any drawbacks I should know about with nerve blocks"
    assert types.framing(q, ["drawbacks", "nerve", "blocks"]) == ["drawbacks"]
    assert types.framing("does lidocaine help", ["lidocaine"]) == []
    # A word in an open slot of a pattern names the topic, not the kind of answer.
    assert types.framing("how does lidocaine work", ["lidocaine"]) == []


def test_a_sentence_meets_the_type_asked(types: QuestionTypes) -> None:
    q = "any drawbacks to it"
    assert types.met(q, "Nausea is a common side effect.")
    assert not types.met(q, "It was first used in the 1960s.")


def test_only_framing_types_excuse_a_word(types: QuestionTypes) -> None:
    # "needles" asks about how a drug is given, but it may just as well be a symptom.
    q = "pins and needles in my hands"
    assert "administration" in [t.name for t in types.asked("do they use needles")]
    assert types.framing(q, ["pins", "needles", "hands"]) == []


def test_a_bare_what_is_question_asks_what_it_is(types: QuestionTypes) -> None:
    assert [t.name for t in types.asked("what is frozen shoulder?")] == ["what_is"]
    assert [t.name for t in types.asked("whats a bunion exactly")] == ["what_is"]
    assert [t.name for t in types.asked("what sort of medicine is naproxen")] == ["what_is"]
    first = "what is a bunion?? the podiatrist said it and I just nodded"
    assert [t.name for t in types.asked(first)] == ["what_is"]
    assert "what_is" not in [t.name for t in types.asked("what is it? how do I book")]
    q = "what is frozen shoulder"
    said = "Frozen shoulder is a condition in which the joint capsule stiffens."
    assert types.cue(types.asked(q), q, said) > 0


def test_the_fallback_type_gives_way_to_any_other(types: QuestionTypes) -> None:
    names = [t.name for t in types.asked("what are the symptoms of frozen shoulder")]
    assert names == ["symptoms"]
    assert "what_is" not in [t.name for t in types.asked("what is the dose")]


def test_asides_in_brackets_are_not_read(types: QuestionTypes) -> None:
    assert [t.name for t in types.asked("What is (or are) hallux valgus ?")] == ["what_is"]


def test_a_what_is_cue_counts_only_where_it_describes_the_asked_word(
    types: QuestionTypes,
) -> None:
    """ "what is X?" wants the sentence that describes X, not one describing a word beside X."""
    q = "what is gabapentin"
    asked = types.asked(q)
    beside = "Gabapentin helped some patients with shingles, a condition characterized by rash."
    describes = (
        "Doctors often reach for gabapentin\u2014an anticonvulsant drug first made for seizures."
    )
    assert types.cue(asked, q, beside) == 0.0
    assert types.cue(asked, q, describes) > 0.0


@pytest.mark.parametrize(
    "question",
    [
        "who put this article together",
        "are the authers doctors",
        "was it checked by a physician",
        "what experts are behind this page",
    ],
)
def test_questions_about_who_wrote_an_article_ask_for_its_byline(
    types: QuestionTypes, question: str
) -> None:
    asked = types.asked(question)
    assert "authorship" in [t.name for t in asked]
    assert types.cue(asked, question, "By Ana Ruiz, MD and Li Wei, PhD") > 0
    assert types.cue(asked, question, "Nerve pain is hard to treat.") == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "what do the writers conclude about nerve blocks",
        "according to the author, is acupuncture worth a try",
        "do the authors think the evidence is strong",
    ],
)
def test_the_authors_as_the_articles_voice_do_not_ask_for_the_byline(
    types: QuestionTypes, question: str
) -> None:
    assert "authorship" not in [t.name for t in types.asked(question)]


def test_a_word_of_a_type_asked_twice_still_makes_the_type(types: QuestionTypes) -> None:
    # "how soon" and "kicks in" each ask for onset: neither word alone drops the type
    q = "how soon does the relief kick in"
    assert set(types.type_words(q, ["soon", "kick", "relief"])) == {"soon", "kick"}
    assert types.type_words("what is the relief like", ["relief"]) == []


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("who is the writer of this page", False),
        ("who's the doctor behind these articles", False),
        ("who is it meant for", True),
        ("who are good candidates", True),
    ],
)
def test_who_is_the_author_does_not_ask_who_the_treatment_is_for(
    types: QuestionTypes, question: str, asked: bool
) -> None:
    assert ("candidates" in [t.name for t in types.asked(question)]) is asked


def test_cues_inside_a_describing_clause_count_only_for_describing(types: QuestionTypes) -> None:
    q = "does the relief wear off"
    asked = types.asked(q)
    assert [t.name for t in asked] == ["duration"]
    clause = "Gout, defined as joint pain lasting for days, weeks, or months, can flare again."
    plain = "The relief is lasting and sustained for months."
    assert types.cue(asked, q, clause) == 0.0
    assert types.cue(asked, q, plain) > 0.0
    what = "what is gout"
    assert types.cue(types.asked(what), what, clause) > 0.0


def test_a_relative_clause_asks_for_no_type(types: QuestionTypes) -> None:
    assert "duration" not in [t.name for t in types.asked("can it help pain that lasts for years")]
    assert "duration" in [t.name for t in types.asked("does that last for long")]


def test_how_does_it_work_asks_how_not_whether(types: QuestionTypes) -> None:
    assert [t.name for t in types.asked("how does it work")] == ["mechanism"]
    assert "efficacy" in [t.name for t in types.asked("does it work for migraines")]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("any advantages?", "efficacy"),
        ("for everybody?", "candidates"),
        ("just for anyone?", "candidates"),
    ],
)
def test_bare_questions_on_upsides_and_who_it_is_for(
    types: QuestionTypes, question: str, kind: str
) -> None:
    assert kind in [t.name for t in types.asked(question)]


def test_why_a_condition_is_hard_to_treat_asks_what_makes_it_hard(types: QuestionTypes) -> None:
    q = "why is gout so hard to treat"
    asked = types.asked(q)
    assert "difficulty" in [t.name for t in asked]
    hard = types.cue(asked, q, "Its complex course often defies the usual approaches.")
    assert hard > types.cue(asked, q, "Gout can stem from diet or genes.")


def test_can_anyone_get_it_asks_who_it_is_for(types: QuestionTypes) -> None:
    assert "candidates" in [t.name for t in types.asked("can anybody try this treatment")]
