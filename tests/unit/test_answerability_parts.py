"""The parts of the answerability decision: aspects, the fitted models, the scope anchor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.errors import ConfigError
from assistant.retrieve.answer_model import (
    FEATURES,
    AnswerabilityModel,
    anchored,
    default_model_path,
)
from assistant.retrieve.answerability import (
    Answerability,
    TopicWords,
    Vocabulary,
    _base_degree,
    asks_quantity,
    default_topic_model_path,
    load_lay_terms,
    load_spellings,
    one_edit,
    slip_count,
)
from assistant.retrieve.aspects import Aspects

ROOT = Path(__file__).resolve().parents[2]
ASPECTS = ROOT / "prompts" / "answerability" / "aspects.yaml"


@pytest.fixture(scope="module")
def aspects() -> Aspects:
    return Aspects.load(ASPECTS)


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("what would I pay out of pocket", "cost"),
        ("what does coverage look like with an HMO", "insurance"),
        ("has the FDA cleared this use", "regulation"),
        ("are booster infusions part of it", "schedule"),
        ("is there a risk of misuse", "addiction"),
        ("is it ok to have a beer the same evening", "interactions"),
        ("who first synthesized the drug", "history"),
        ("is there an age limit", "population"),
        ("could I do the infusions by myself", "home_use"),
        ("what's the starting dose in mg", "dose_amount"),
        ("any permanent damage to the liver", "long_term_harm"),
        ("is this a one-time treatment", "schedule"),
        ("which college did the doctor graduate from", "education"),
        ("would it be eight infusions in total", "schedule"),
        ("what drip rate do they run it at", "dose_amount"),
        ("is it fine for someone taking blood thinners", "interactions"),
        ("could it help me wean off my painkillers", "addiction"),
        ("is it an option while I'm pregnant", "pregnancy"),
        ("can nursing mums have the infusion", "pregnancy"),
        ("am I ok to drive myself back after", "aftercare"),
        ("will they want a friend to pick me up from the clinic", "aftercare"),
        ("can I eat before the session", "aftercare"),
        ("could a friend drive me home afterwards", "aftercare"),
        ("is it ok in the second trimester", "pregnancy"),
        ("what does the infusion schedule look like", "schedule"),
        ("where do I sign up for the infusions", "logistics"),
        ("is it fine combined with other treatments like my lithium", "interactions"),
        ("roughly how many hours does a single infusion run", "session_length"),
        ("what's the usual appointment length", "session_length"),
        ("could somebody drive after their drip", "aftercare"),
        ("is operating a vehicle ok the same day", "aftercare"),
        ("where's your office", "logistics"),
        ("is there anywhere nearby that offers it", "logistics"),
        # round 24, by category: the plan that pays, the places served, getting over a session
        ("does my employer's health plan pay for it", "insurance"),
        ("which towns do you have offices in", "logistics"),
        ("are there clinics around my area", "logistics"),
        ("how much recovery time should I plan after each infusion", "aftercare"),
        ("are the drips longer than a blood transfusion", "session_length"),
        ("recovery time?", "aftercare"),
        ("so it's a single drip and you're done?", "schedule"),
        ("do people need a full series of them", "schedule"),
    ],
)
def test_a_question_asks_about_its_aspect(aspects: Aspects, question: str, aspect: str) -> None:
    assert aspect in [a.name for a in aspects.asked(question)]


def test_plain_questions_ask_no_aspect(aspects: Aspects) -> None:
    for q in (
        "what does the treatment feel like",
        "does it help nerve pain",
        "what is NMDA",
        "does it pick you up when you feel low",  # an idiom, not a ride home
        "what is driving all the interest in it",
        "does it work better combined with physio",  # combined care, not a drug mixed in
        "does it go to work quickly",  # how soon it acts, not a return to work
        "origins of long-lasting back pain",  # causes, not the drug's history
        "is the dose schedule settled yet",  # dosing, not booking
        "could just anyone sign up for it",  # who may have it, not booking
        "can it help the pain in my lower back area",  # a body area, not a place
        "does the relief from one drip outlast the next",  # relief, not the length of a visit
        "which parts of the brain does it act on",  # the body, not a place
        "in what field of medicine did it start",  # a field, not a place
        "do the infusions work longer than tablets",  # relief, not a visit's length
        "does it shorten the recovery time after nerve damage",  # healing, not aftercare
    ):
        assert aspects.asked(q) == [], q


def test_how_long_relief_lasts_is_not_how_long_a_session_takes(aspects: Aspects) -> None:
    """A sentence on benefits beyond the treatment does not say how long a visit is; minutes do;
    and "how long does the relief last after a session" asks no session length (round 22)."""
    question = "how long is one infusion visit"
    said = ["The benefits may outlast the course of treatment."]
    assert aspects.unmet(question, said) == ["session_length"]
    assert aspects.unmet(question, ["Each infusion runs for about 40 minutes."]) == []
    for q in ("how long does the relief last after a session", "how long does the drip work for"):
        assert "session_length" not in [a.name for a in aspects.asked(q)], q
    # a unit of time is the measure asked for, not what the question is about
    q = "do the effects last months or only a few days"
    assert aspects.subject(q, {"effect", "month", "day"}) == {"effect"}


def test_an_aspect_is_met_only_by_a_sentence_that_speaks_to_it(aspects: Aspects) -> None:
    question = "what would I pay out of pocket"
    assert aspects.unmet(question, ["Ketamine dampens pain signals."]) == ["cost"]
    assert aspects.unmet(question, ["A session costs about $400 at most clinics."]) == []


def test_a_passage_aspect_is_met_anywhere_in_the_cited_passage(aspects: Aspects) -> None:
    question = "does it work in children"
    said = ["Transplant outcomes improved over the decade."]
    passage = "We reviewed 40 children who had a liver transplant. " + said[0]
    assert aspects.unmet(question, said) == ["population"]
    assert aspects.unmet(question, said, passages=[passage]) == []
    # answer-sentence aspects still need the answer itself to speak to them
    assert aspects.unmet("what does it cost", said, passages=["It costs $400."]) == ["cost"]


@pytest.mark.parametrize(
    ("a", "b", "one"),
    [
        ("beter", "better", True),
        ("teh", "the", True),
        ("efects", "effects", True),
        ("abcd", "abdc", True),
        ("beter", "beers", False),  # two edits, though the two share a deletion
        ("abcd", "badc", False),
        ("same", "same", False),
    ],
)
def test_one_edit_is_exactly_one_edit(a: str, b: str, one: bool) -> None:
    assert one_edit(a, b) is one


def test_chat_spellings_load_lowercase(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("spellings:\n  Wat: What\n", encoding="utf-8")
    assert load_spellings(f) == {"wat": "what"}
    assert load_spellings(tmp_path / "missing.yaml") == {}
    f.write_text("spellings: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_spellings(f)


def test_numbers_inside_longer_numbers_count_as_evidence(aspects: Aspects) -> None:
    assert aspects.unmet("how many people respond, in percent", ["In 2015, 62 of 100 did."]) == []


@pytest.mark.parametrize("kind", ["aspects", "question_types"])
def test_a_broken_pattern_file_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    from assistant.compose.question_types import QuestionTypes

    load, second = (
        (Aspects.load, "evidence") if kind == "aspects" else (QuestionTypes.load, "answer")
    )
    bad = tmp_path / f"{kind}.yaml"
    bad.write_text(f"x:\n  ask: ['(unclosed']\n  {second}: ['y']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad pattern"):
        load(bad)
    bad.write_text("x:\n  ask: ['price']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"needs 'ask' and '{second}'"):
        load(bad)


def test_misses_needs_a_number_for_how_much_and_the_aspect_for_cost(aspects: Aspects) -> None:
    check = Answerability(0.62, 0.065, aspects=aspects)
    assert check.misses("how much does it cost", ["It dampens pain."])
    assert not check.misses("how much does it cost", ["It costs $300 per session."])
    assert not check.misses("what does it do", ["It dampens pain."])


class _Snap:
    def __init__(self, vec: np.ndarray, coherence: float) -> None:
        self.scope = (vec, coherence)


def test_the_anchor_leaves_a_corpus_without_one_topic_alone() -> None:
    q = np.array([1.0, 0.0, 0.0], np.float32)
    scope = np.array([0.0, 1.0, 0.0], np.float32)
    assert anchored(_Snap(scope, 0.5), q, 0.5, 0.6) is q  # type: ignore[arg-type]
    a = anchored(_Snap(scope, 1.0), q, 0.5, 0.6)  # type: ignore[arg-type]
    assert a is not q and a[1] > 0 and np.isclose(np.linalg.norm(a), 1.0)
    half = anchored(_Snap(scope, 0.8), q, 0.5, 0.6)  # type: ignore[arg-type]
    assert 0 < half[1] < a[1]  # the anchor grows with coherence


def test_the_shipped_models_load_and_record_a_dev_only_fit() -> None:
    model = AnswerabilityModel.load(default_model_path())
    assert len(model.weights) == len(FEATURES)
    assert "dev" in model.meta["split"] and "test" in model.meta["split"]
    low = dict.fromkeys(FEATURES, 0.0)
    high = {**low, "dense": 0.9, "coverage": 1.0, "sentence": 0.9}
    assert model.probability(high) > 0.5 > model.probability(low)
    words = TopicWords.load(default_topic_model_path())
    assert words.weights.shape == (384,)


def test_a_model_file_round_trips_and_a_broken_one_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    AnswerabilityModel((1.0, 2.0, 3.0, -1.0), -2.0, {"split": "dev"}).dump(path)
    again = AnswerabilityModel.load(path)
    assert again.weights == (1.0, 2.0, 3.0, -1.0) and again.bias == -2.0
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="answerability model"):
        AnswerabilityModel.load(path)
    with pytest.raises(ConfigError, match="topic-word model"):
        TopicWords.load(path)


def test_a_speed_question_is_met_by_a_word_for_speed_not_only_a_number(
    aspects: Aspects,
) -> None:
    from assistant.retrieve.answerability import asks_quantity

    q = "how quickly would I notice anything"
    assert not asks_quantity(q, aspects)
    assert aspects.unmet(q, ["The change is often felt within the first session."]) == []
    assert aspects.unmet(q, ["Patients describe a calm feeling."]) == ["speed"]


def test_how_long_till_it_acts_asks_speed_and_how_long_it_lasts_asks_duration(
    aspects: Aspects,
) -> None:
    from assistant.retrieve.answerability import asks_quantity

    onset = "how long before the treatment starts to help"
    assert asks_quantity(onset) and not asks_quantity(onset, aspects)  # speed, not a number
    assert [a.name for a in aspects.asked(onset)] == ["speed"]
    assert aspects.unmet(onset, ["Relief is often immediate."]) == []
    lasting = "how long until it wears off"
    assert asks_quantity(lasting, aspects) and "duration" in [
        a.name for a in aspects.asked(lasting)
    ]


def test_being_on_medication_asks_about_interactions_only_for_another_medicine(
    aspects: Aspects,
) -> None:
    assert "interactions" in [a.name for a in aspects.asked("okay if I'm on other meds?")]
    plain = "why do people stay in pain even when they are on medication"
    assert "interactions" not in [a.name for a in aspects.asked(plain)]


def test_an_aspect_is_met_only_in_a_sentence_about_what_was_asked(aspects: Aspects) -> None:
    q = "how many months does the numbness persist after surgery"
    about = aspects.subject(q, {"numb", "surgeri", "month"})
    assert about == {"numb", "surgeri"}  # "how many months" is the aspect, not the subject
    elsewhere = ["Recovery from surgery takes months.", "Numbness is common."]
    assert aspects.unmet(q, elsewhere) == []  # without a subject: any sentence will do
    assert aspects.unmet(q, ["Numbness fades.", "Scars fade over months."], about) == ["duration"]
    assert aspects.unmet(q, ["Numbness fades within two months."], about) == []


def test_a_word_list_knows_words_made_by_common_endings() -> None:
    words = Vocabulary(["addict", "qualify", "better", "bet"])
    assert words.knows("addictive") and words.knows("qualifies") and words.knows("better")
    assert not words.knows("beter")  # "bet" + "er": too short a base to count
    assert words.correct("beter") == "better"


def test_a_clipped_word_is_spelled_out_as_the_most_frequent_word_it_begins() -> None:
    words = Vocabulary(["fibromyalgia", "fibrosis", "fibro", "neuropathic"])
    assert words.expand("fibro") == "fibromyalgia"  # longer words only, most frequent first
    assert words.expand("fibros") == "fibrosis"
    assert words.expand("neur") is None  # under five letters
    assert words.expand("zebra") is None


def test_a_word_of_a_corpus_words_family_shares_its_first_seven_letters() -> None:
    words = Vocabulary(["inflammation", "medications", "pain"])
    assert words.kin("inflammatories") and words.kin("inflammatory")
    assert not words.kin("medicare")  # "medica-" is six letters: another word
    assert not words.kin("pains") and not words.kin("zebrafish")


def test_a_four_letter_word_is_corrected_only_for_two_swapped_letters() -> None:
    words = Vocabulary(["nmda", "dose", "pain"])
    assert words.correct("ndma") == "nmda" and words.correct("pian") == "pain"
    assert words.correct("dosa") is None and words.correct("dos") is None


def test_a_word_most_passages_hold_does_not_make_the_subject(aspects: Aspects) -> None:
    """On a knee clinic's site "knee" is in every passage: "how many weeks does the knee
    swelling last" asks about the swelling, so weeks of something else about knees miss."""
    check = Answerability(0.62, 0.065, aspects=aspects)
    q = "how many weeks does the knee swelling last"
    known = {"knee", "swell", "week"}
    other = ["Knee pain can last for weeks or months."]
    assert not check.misses(q, other, known)  # "knee" alone would bind the weeks
    assert check.misses(q, other, known, everywhere=lambda t: t == "knee")
    said = ["The swelling settles within two weeks."]
    assert not check.misses(q, said, known, everywhere=lambda t: t == "knee")
    # a question about the common word alone asks only the aspect
    assert not check.misses("how long does knee pain last", other, known, everywhere=lambda t: True)


def test_a_number_asked_must_come_from_the_sentence_that_meets_the_aspect(
    aspects: Aspects,
) -> None:
    """ "Long-term relief" meets "does the relief last?", but "how many weeks" needs its weeks
    in that sentence, not in one that defines chronic pain."""
    check = Answerability(0.62, 0.065, aspects=aspects)
    known = {"relief", "week", "chronic", "pain", "term"}
    said = ["Chronic pain lasts for weeks or months.", "It offers long-term relief."]
    assert not check.misses("does the relief last after the infusion", said, known)
    assert check.misses("how many weeks does the relief last", said, known)
    assert not check.misses(
        "how many weeks does the relief last", ["The relief lasts about three weeks."], known
    )


def test_a_missing_english_word_list_is_logged_not_silent(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from assistant.retrieve.answerability import english_lexicon

    with caplog.at_level("WARNING"):
        assert english_lexicon(tmp_path / "vocab.txt") is None
    assert "no English word list" in caplog.text
    (tmp_path / "vocab.txt").write_text("[PAD]\nthe\nbetter\n##ing\n", encoding="utf-8")
    lexicon = english_lexicon(tmp_path / "vocab.txt")
    assert lexicon is not None and lexicon.words == ["the", "better"]


def test_the_vocabulary_is_rebuilt_for_a_new_snapshot_and_kept_for_the_same() -> None:
    from collections import Counter

    class Snap:
        def __init__(self, words: str) -> None:
            self.vocabulary = Counter(words.split())

    check = Answerability(0.62, 0.065)
    first = Snap("ketamine ketamine infusion")
    v1 = check.vocabulary(first)  # type: ignore[arg-type]
    assert check.vocabulary(first) is v1 and v1.words == ["ketamine", "infusion"]  # type: ignore[arg-type]
    del first  # a new index may land at the same address: it must not get the old words
    second = Snap("acupuncture needle")
    assert check.vocabulary(second).words == ["acupuncture", "needle"]  # type: ignore[arg-type]


def test_a_compound_is_read_through_the_corpus_word_it_is_built_on() -> None:
    from collections import Counter

    from assistant.corpus.text import stem

    class Snap:
        def __init__(self, words: str) -> None:
            self.vocabulary = Counter(words.split())
            self.stem_vocabulary = {stem(w) for w in self.vocabulary}

    check = Answerability(0.62, 0.065)
    snap: Any = Snap("prescribe insulin dose antibiotics")
    assert check.spelled(snap, "underprescribe") == "prescribe"  # a prefix before a corpus word
    assert check.spelled(snap, "insulinostatic") == "insulin"  # a corpus word begins it
    assert check.spelled(snap, "overdose") is None  # a short remainder changes the meaning
    assert check.spelled(snap, "esketamine") is None


def test_an_everyday_word_is_read_as_the_articles_word_only_when_they_use_it(
    tmp_path: Path,
) -> None:
    from collections import Counter

    from assistant.corpus.text import stem

    class Snap:
        def __init__(self, words: str) -> None:
            self.vocabulary = Counter(words.split())
            self.stem_vocabulary = {stem(w) for w in self.vocabulary}

    f = tmp_path / "lay.yaml"
    f.write_text("lay_terms:\n  Vein: [Intravenous, infusion]\n  jab: injection\n", "utf-8")
    terms = load_lay_terms(f)
    assert terms == {"vein": ["intravenous", "infusion"], "jab": ["injection"]}
    check = Answerability(0.62, 0.065, lay_terms=terms)
    snap: Any = Snap("given intravenous over an hour")
    assert check.clinical(snap, "vein") == ["intravenous"]  # only the words the corpus uses
    assert check.clinical(snap, "jab") == []  # no corpus word for it: it stays unknown
    known, unknown = check.analyse(snap, "is it into a vein or a jab")
    assert "intravenous" in known and unknown == ["jab"]
    assert load_lay_terms(tmp_path / "missing.yaml") == {}
    f.write_text("lay_terms: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_lay_terms(f)
    with pytest.raises(ConfigError):  # unreadable (a folder): a clear error, as for spellings
        load_lay_terms(tmp_path)


def test_a_relative_clause_asks_about_no_aspect(aspects: Aspects) -> None:
    assert [a.name for a in aspects.asked("how does it help pain that lasts")] == []
    assert "duration" in [a.name for a in aspects.asked("how long does the relief last")]


def test_wearing_off_asks_a_duration_only_with_a_when_or_a_time(aspects: Aspects) -> None:
    """ "When does it wear off" and "wears off within a week" need a duration; "won't it just
    wear off once the drip is out" asks whether the relief lasts, which the article answers."""
    for q in ("when will the numbness wear off", "does the effect wear off within a week"):
        assert "duration" in [a.name for a in aspects.asked(q)], q
    assert "duration" not in [
        a.name for a in aspects.asked("won't it just wear off once the drip is out")
    ]


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("how do they choose what dose a patient gets", False),  # how it is chosen
        ("who works out how much each person should have", False),
        ("what dose it mean when they say subanesthetic", False),  # "dose" typed for "does"
        ("what dose it take to knock someone out", True),  # "take" is no typo's verb
        ("how often would i come back for another infusion", True),
        ("what dose do they start at", True),
        ("how much is it", True),
    ],
)
def test_how_a_dose_is_chosen_asks_no_number(question: str, number: bool, aspects: Aspects) -> None:
    assert asks_quantity(question, aspects) is number


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("can the treatment address the emotional side too", None),  # the verb
        ("what's the street address of the clinic", "logistics"),
        ("where does nerve pain usually originate in the body", None),  # not the drug's history
        ("where did the drug originate", "history"),
        ("do anxiety and pain tend to go together with each other", None),  # they co-occur
        ("can i take it together with sleeping pills", "interactions"),
        ("should the dose be bigger for a heavier person", "dose_amount"),
        ("how often are top-up sessions needed", "schedule"),
    ],
)
def test_everyday_senses_ask_no_aspect(question: str, aspect: str | None, aspects: Aspects) -> None:
    names = [a.name for a in aspects.asked(question)]
    assert (aspect in names) if aspect else not names, names


def test_a_comparative_reads_as_the_adjective_it_is_formed_from() -> None:
    corpus = {"low", "high", "safe", "big", "easy"}.__contains__
    assert _base_degree("lower", corpus) == ["low"]
    assert _base_degree("safest", corpus) == ["safe"]
    assert _base_degree("bigger", corpus) == ["big"]
    assert _base_degree("easier", corpus) == ["easy"]
    assert _base_degree("water", corpus) == [] and _base_degree("better", corpus) == []


def test_how_much_in_an_everyday_sense_asks_no_number() -> None:
    assert not asks_quantity("do the side effects come no matter how much they give you?")
    assert not asks_quantity("how much is still unknown about this treatment?")
    assert not asks_quantity("how little do doctors understand about it?")
    assert asks_quantity("how much does one session cost?")
    assert asks_quantity("how many infusions are in a course?")
    # round 24: a dependence on the amount, and how much more study is needed
    assert not asks_quantity("is the dizziness worse depending on how much they put in?")
    assert not asks_quantity("how much further research will be needed before it's routine?")
    assert asks_quantity("how much more do the later sessions cost?")
    assert asks_quantity("how much of it is given per kilo?")


def test_a_lay_term_with_a_letter_dropped_or_doubled_reads_as_the_term() -> None:
    from assistant.retrieve.answerability import Answerability
    from assistant.retrieve.everyday_typos import ENGLISH

    check = Answerability(
        0.6,
        0.06,
        lay_terms={"painkillers": ["analgesics"], "injected": ["injection"]},
        frequencies=ENGLISH,
    )
    assert check._lay_typo("painkilers") == ["analgesics"]  # a letter dropped
    assert check._lay_typo("painkillerss") == ["analgesics"]  # a letter doubled
    assert check._lay_typo("infected") == []  # an English word of its own, never a typo
    assert check._lay_typo("pills") == []  # too short to read as a typo


def test_whatever_the_amount_asks_no_number() -> None:
    """Round 25: 'no matter what dose', 'regardless of the amount' ask about something else."""
    assert not asks_quantity("are the hallucinations the same no matter which dose is used?")
    assert not asks_quantity("does it help regardless of the dosage level?")
    assert asks_quantity("which dose would they start me on?")


def test_kinds_counted_are_met_by_naming_them_and_degrees_by_a_degree(aspects: Aspects) -> None:
    """Round 25: 'how many kinds' is answered by the kinds named; 'a big or a small dose' by a
    degree; a plain 'how many' still needs a number."""
    check = Answerability(0.62, 0.065, aspects=aspects)
    named = ["It targets both nerve and tissue pain."]
    assert not check.misses("how many sorts of pain does it act on", named)
    assert check.misses("how many sessions does a course have", named)
    degree = ["It is given in low doses."]
    assert not check.misses("which dose do they give, a high one or a low one?", degree)
    assert check.misses("which dose do they give?", degree)


def test_interacting_with_the_bodys_own_parts_is_no_drug_interaction(aspects: Aspects) -> None:
    """Round 25: how a drug acts on receptors or the brain is its mechanism."""
    assert "interactions" not in [
        a.name for a in aspects.asked("how does it interact with nerve cells")
    ]
    assert "interactions" in [
        a.name for a in aspects.asked("does it interact with my antidepressant")
    ]


def test_the_review_s_twins_of_the_round_twenty_five_checks(aspects: Aspects) -> None:
    """Round-25 review (own words): a medicine for the brain still asks about interactions,
    and a count of kinds is met only by the kinds of what was counted."""
    asked = [a.name for a in aspects.asked("will it interact with my brain medication")]
    assert "interactions" in asked
    check = Answerability(0.62, 0.065, aspects=aspects)
    named = ["It targets both nerve and tissue pain."]
    assert check.misses("how many kinds of sleeping pills can i keep taking", named)


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        ("nueropathy", "neuropathi", 2),
        ("candidate", "candidate", 0),
        ("abc", "abcdefg", 3),
        ("psychological", "phsycological", 2),
        ("ab", "ba", 1),
    ],
)
def test_slips_counts_letters_added_dropped_changed_or_swapped(a: str, b: str, n: int) -> None:
    assert slip_count(a, b, 2) == n


def test_a_long_misspelt_word_is_read_as_the_corpus_word_of_its_family() -> None:
    words = Vocabulary(["neuropathic", "psychological", "nociceptive", "pain", "nerve"])
    assert words.misspelt_kin("nueropathy") == "neuropathic"  # family: neuropathy
    assert words.misspelt_kin("phsycological") == "psychological"
    assert words.misspelt_kin("nephropathy") is None  # another family
    assert words.misspelt_kin("neuropat") is None  # too short to read safely


def test_the_misspelling_memo_stays_bounded_and_answers_the_same() -> None:
    from assistant.retrieve.answerability import KIN_MEMO

    words = Vocabulary(["neuropathic", "pain"])
    first = words.misspelt_kin("nueropathy")
    for i in range(KIN_MEMO + 10):
        words.misspelt_kin(f"nonsenseword{i}")
    assert len(words._kin) <= KIN_MEMO
    assert words.misspelt_kin("nueropathy") == first == "neuropathic"


def test_round_twenty_eight_a_common_word_with_a_changed_letter_is_no_corpus_word() -> None:
    """A common English word is not read as the corpus word one changed letter makes of it
    ("liver" is no "lives"); two swapped letters still are ("trail": trial), and so is a rare
    form ("pian": pain)."""
    from collections import Counter

    from assistant.corpus.text import stem
    from assistant.retrieve.everyday_typos import EnglishFrequencies

    class Snap:
        def __init__(self, words: str) -> None:
            self.vocabulary = Counter(words.split())
            self.stem_vocabulary = {stem(w) for w in self.vocabulary}

    table = {"liver": 1.5e-5, "lives": 1.4e-4, "trial": 7e-5, "trail": 2.8e-5, "pian": 1e-7}
    check = Answerability(0.62, 0.065, frequencies=EnglishFrequencies(lambda: table))
    snap: Any = Snap("lives trial pain")
    assert check.spelled(snap, "liver") is None
    assert check.spelled(snap, "trail") == "trial"
    assert check.spelled(snap, "pian") == "pain"  # a rare form is still a typo


def test_round_twenty_eight_a_misspelt_aspect_word_is_read_as_it(aspects: Aspects) -> None:
    """A misspelt word that asks an aspect is read as the aspect word, one edit away or two in
    a long word, only for the check that an answer says what was asked, and never when another
    common word is as close ("injetion" is "injection", not "invention")."""
    from assistant.retrieve.everyday_typos import EnglishFrequencies

    table = {
        "addictive": 4e-6,
        "approved": 3e-5,
        "children": 3e-4,
        "pilots": 2e-5,
        "invention": 3e-5,
        "injection": 3e-5,
    }
    check = Answerability(
        0.62, 0.065, aspects=aspects, frequencies=EnglishFrequencies(lambda: table)
    )
    assert check.aspect_typo("adictive") == "addictive"
    assert check.aspect_typo("aprooved") == "approved"  # two slips in a long word
    assert check.aspect_typo("childen") == "children"
    assert check.aspect_typo("pilotz") is None  # no aspect word near it
    assert check.aspect_typo("aproov") is None  # two slips in a short word are too many
    assert check.aspect_typo("injetion") is None  # "injection" is as close as "invention"
    typos = check.everyday_typos(["adictive"], "is it adictive", aspects=True)
    assert typos == {"adictive": "addictive"}
    assert check.everyday_typos(["adictive"], "is it adictive") == {}


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("who came up with the drug in the first place", "history"),
        ("which year did surgeons begin using it", "history"),
        ("was it given to soldiers in the field", "history"),
        ("is it rough on the kidneys", "long_term_harm"),
        ("could it wreck my liver", "long_term_harm"),
        ("honestly what are my chances it works", "statistics"),
        ("what's the usual timeframe before it wears off", "duration"),
        ("is it useful for migraine sufferers", "named_condition"),
        ("can you get it in my town", "logistics"),
        ("which med school did the author attend", "education"),
    ],
)
def test_round_twenty_eight_aspects_asked_in_everyday_words(
    aspects: Aspects, question: str, aspect: str
) -> None:
    """Own words by category: who thought of it, the year it began, its use in war; an organ
    strained; one's chances; a timeframe; a named condition it is useful for; a town."""
    assert aspect in [a.name for a in aspects.asked(question)]


@pytest.mark.parametrize(
    "question",
    [
        "what year was this page last reviewed",  # the article's own date
        "does the dosage change the chance of a bad reaction",  # whether, not a figure
        "in my country we only see it in theatres, is it used for other things",
        "can it be paired with other treatments such as counselling",  # care, not a drug
        "why research it alongside other kinds of therapy",
        "how does ketamine affect the brain",  # how it works, not harm
        "i feel like i'm at war with my body, what does it do for fibromyalgia",
    ],
)
def test_round_twenty_eight_their_everyday_twins_ask_no_aspect(
    aspects: Aspects, question: str
) -> None:
    """The same words where they ask no aspect (own words)."""
    asked = [a.name for a in aspects.asked(question)]
    assert not set(asked) & {
        "history",
        "statistics",
        "logistics",
        "interactions",
        "long_term_harm",
    }, asked


@pytest.mark.parametrize(
    ("question", "aspect", "asked"),
    [
        ("could it help ex soldiers who have ptsd", "history", False),  # a veteran's own pain
        ("i got hurt in the war. what side effects are there?", "history", False),
        ("who found relief from it, which kinds of patients", "history", False),
        ("what year did my back pain begin? anyway what are the risks", "history", False),
        ("was ketamine carried by army medics in the war", "history", True),
        ("can the nurse change the infusion dose if i feel odd", "logistics", False),
        ("is there a clinic in my city that does it", "logistics", True),
        ("trouble with memory afterwards?", "named_effect", True),
        ("is it safe in the long run", "long_term_harm", True),
    ],
)
def test_round_twenty_eight_review_aspect_twins(
    aspects: Aspects, question: str, aspect: str, asked: bool
) -> None:
    """The answers review's categories in my own words: war words ask the drug's history only
    with the drug as subject, "who found" only with an object, "what year" only of the drug;
    an infusion's dose is no booking; a clinic in my city is; a framing word on a named effect
    asks it; safe in the long run asks long-term harm."""
    assert (aspect in [a.name for a in aspects.asked(question)]) == asked
