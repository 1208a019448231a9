"""Answer coverage with the real model and index: scope reading, unknown terms, summaries."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import Assistant
from assistant.pipeline.deciding import with_own_words


def test_one_article_is_one_coherent_scope(assistant: Assistant) -> None:
    vec, coherence = assistant.service.snapshot().scope
    assert coherence == pytest.approx(1.0, abs=1e-4)
    assert np.linalg.norm(vec) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize(
    "question",
    [
        "can the therapy help people who also feel depressed",
        "what happens to pain signals",
        "what did the doctors write about safety",
        # remarks that ask nothing but are close to the article are still answered
        "ketamine was only an operating room drug as far as I knew",
        "nerve pain never seems to get better with regular painkillers",
    ],
)
def test_questions_that_leave_the_topic_unsaid_are_read_against_the_site(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.route == "answer", answer.answer
    assert answer.citations and answer.citations[0].article_id == "ketamine-chronic-pain"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("what is ketamine actualy", "what is ketamine actually"),
        ("how do they figgure out each persons dose", "how do they figure out each persons dose"),
        ("does it work on nerve pain usualy", "does it work on nerve pain usually"),
        ("can it mess with your memry", "can it mess with your memory"),
    ],
)
def test_a_misspelt_everyday_word_is_read_as_the_word_meant(
    assistant: Assistant, typed: str, meant: str
) -> None:
    """A typo of a common English word is no topic the article lacks: the question is routed
    as it is spelt right (answered, or not, from the same article)."""
    got, want = assistant.ask(typed), assistant.ask(meant)
    assert got.route == want.route, (got.route, want.route)
    assert {c.article_id for c in got.citations} == {c.article_id for c in want.citations}


@pytest.mark.parametrize(
    "question", ["how does metformin lower blood sugar", "how do statins work"]
)
def test_a_medical_term_the_article_never_uses_is_not_answered(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.route == "no_answer", answer.answer
    assert answer.citations == []


def test_an_overview_request_gets_a_summary_across_sections(assistant: Assistant) -> None:
    answer = assistant.ask("can you give me the quick rundown")
    assert answer.route == "answer", answer.answer
    sections = [c.section for c in answer.citations]
    assert len(sections) >= 2 and len(set(sections)) == len(sections)
    # A request for an overview of a topic the site does not cover stays unanswered.
    assert assistant.ask("give me an overview of diabetes").route != "answer"


def test_answer_sentences_stay_close_to_the_leading_one(assistant: Assistant) -> None:
    answer = assistant.ask("What is chronic pain?")
    assert answer.route == "answer"
    assert "persistent discomfort" in answer.answer.split("[1]")[0]
    assert len(answer.citations) <= 2


def test_a_follow_up_ranks_sentences_by_the_visitors_own_words(assistant: Assistant) -> None:
    snap = assistant.service.snapshot()
    cands = assistant.service.composer.candidates(
        snap, "x", snap.passages[0].sentence_vectors[0], assistant.service.search("ketamine")
    )
    own = cands[-1].passage.sentence_vectors[cands[-1].index]
    out = with_own_words(cands, own)
    base = {(c.passage.id, c.index): c.score for c in cands}
    for c in out:
        cos = float(c.passage.sentence_vectors[c.index] @ own)
        assert c.score == pytest.approx(base[(c.passage.id, c.index)] + cos)
    assert [c.score for c in out] == sorted((c.score for c in out), reverse=True)
    assert out[0].score - base[(out[0].passage.id, out[0].index)] > 0.5  # own words count


def test_misspelled_words_are_corrected_before_the_query_is_embedded(assistant: Assistant) -> None:
    svc = assistant.service
    snap = svc.snapshot()
    assert svc.answerability.corrected(snap, "does it calm neuropathik pain") == (
        "does it calm neuropathic pain"
    )
    assert svc.answerability.corrected(snap, "what is NMDA") == "what is NMDA"  # known words


def test_common_words_are_never_taken_for_typos(assistant: Assistant) -> None:
    svc = assistant.service
    snap = svc.snapshot()
    text = "where there are studies"
    assert svc.answerability.corrected(snap, text) == text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # a stem the corpus knows is still spelled as the corpus does
        ("is ketamin safe", "is ketamine safe"),
        ("what about fibro?", "what about fibromyalgia?"),
        ("wat are the risks", "what are the risks"),
        ("approved in the U.S.", "approved in the U.S."),
        # a letter changed: the English word list reads it as a word the article uses (its
        # plural "receptors"), or as a lay term of the article's words ("vein": intravenous)
        ("which recepter is it", "which receptor is it"),
        ("into a vien?", "into a vein?"),
        # never by stem alone: a drug the word list lacks stays ("stating" is no article word)
        ("with my statins", "with my statins"),
        ("with insurence", "with insurence"),
        # round 26: a typo of a word of an article word's family ("candidacy"); a long word
        # neither list knows, read as the article word it misspells, family and all; a word
        # split by a hyphen; an inflection of an article word stays as typed
        ("am i a good candadate", "am i a good candidate"),
        ("does it ease nuropathy", "does it ease neuropathic"),
        ("the phsycological side", "the psychological side"),
        ("noci-ceptive pain", "nociceptive pain"),
        ("feeling dissociated", "feeling dissociated"),
        ("what is co-morbid depression", "what is comorbid depression"),
        # a real word is never read as a misspelt article word of another family
        ("a convulsion", "a convulsion"),
        ("after a dislocation", "after a dislocation"),
    ],
)
def test_a_typo_is_read_as_the_article_word_it_stands_for(
    assistant: Assistant, typed: str, read: str
) -> None:
    svc = assistant.service
    assert svc.answerability.corrected(svc.snapshot(), typed) == read


def test_an_english_word_is_no_typo_of_a_corpus_word(assistant: Assistant) -> None:
    svc = assistant.service
    snap = svc.snapshot()
    # "addictive" is addict + ive (stem known to English), not a typo of "additive"
    assert svc.answerability.corrected(snap, "is it addictive") == "is it addictive"


def test_everyday_corrections_judge_scope_but_never_rename_a_drug(assistant: Assistant) -> None:
    svc = assistant.service
    snap = svc.snapshot()
    assert svc.answerability.corrected(snap, "do you feel beter", everyday=True) == (
        "do you feel better"
    )
    assert svc.answerability.corrected(snap, "how do statins work") == "how do statins work"
    assert assistant.ask("how soon do you feel beter").route == "answer"


@pytest.mark.parametrize(
    "question", ["how is it given", "how quickly does it act?", "who is a suitable candidate"]
)
def test_a_bare_first_question_on_a_one_topic_site_is_about_its_topic(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.route != "off_topic", answer.answer


@pytest.mark.parametrize(
    "question", ["does this stuff make you sleepy", "is it worth it", "who would it help?"]
)
def test_a_first_question_that_points_at_the_topic_without_naming_it_is_about_it(
    assistant: Assistant, question: str
) -> None:
    assert assistant.ask(question).route != "off_topic"


@pytest.mark.parametrize(
    "question",
    ["is it legit", "is this a fad"],
)
def test_a_first_question_on_the_topic_in_everyday_words_is_read_against_it(
    assistant: Assistant, question: str
) -> None:
    """Pointing at the site's topic ("this", "it") with only everyday words, none a medical
    term: answering decides (round 22)."""
    assert assistant.ask(question).route != "off_topic"


@pytest.mark.parametrize(
    "question",
    [
        "What about it?",
        "is it going to snow on friday",
        "why is that",
        "is it a good day for golf",
        "who's the best candidate for mayor",
        "who cares",
        "who are you",
        "who can help me",
    ],
)
def test_a_bare_question_with_nothing_asked_or_its_own_topic_stays_off_topic(
    assistant: Assistant, question: str
) -> None:
    assert assistant.ask(question).route == "off_topic"


@pytest.mark.parametrize(
    ("question", "route"),
    [
        ("how do they work out whether someone qualifies", "answer"),
        ("how do they decide how much to give", "answer"),
        ("how do they decide who wins the election", "off_topic"),
        ("how do i decide what to cook tonight", "off_topic"),
        ("can you help me plan a party", "off_topic"),
    ],
)
def test_everyday_words_near_the_articles_keep_a_bare_question_on_the_topic(
    assistant: Assistant, question: str, route: str
) -> None:
    """A first question that asks a kind of answer, whose other words are everyday English
    near an article word (decide ~ determine), is about the site's topic; one whose words
    name a topic of their own (an election, dinner, a party) stays off topic."""
    assert assistant.ask(question).route == route


def test_a_medical_term_the_article_uses_keeps_a_question_in_scope(assistant: Assistant) -> None:
    # "comorbid" is one of the article's terms; "sense" and "context" add nothing
    assert assistant.ask("what is the sense of comorbid in this context").route != "off_topic"
    assert assistant.ask("what is the sense of life in this context").route == "off_topic"


@pytest.mark.parametrize(
    "question",
    [
        "are the side effects minor?",
        "where are the NMDA receptors located?",
        "is it effective for pain that has lasted over 10 years",
    ],
)
def test_covered_questions_with_trap_like_words_are_still_answered(
    assistant: Assistant, question: str
) -> None:
    assert assistant.ask(question).route == "answer"


@pytest.mark.parametrize(
    "question",
    [
        "can teenagers have these infusions",
        "what is the usual mg per kg",
        "could this be done at home instead",
        "will it harm my memory over time",
    ],
)
def test_questions_on_what_the_article_never_states_are_not_answered(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.route != "answer", answer.answer


def test_a_short_typed_question_ranks_every_passage_of_the_one_article(
    assistant: Assistant,
) -> None:
    # "how is it given" retrieves passages poorly (no shared word with "administered
    # intravenously"); the whole article is ranked, and the type picks the sentence.
    answer = assistant.ask("how is it given")
    assert answer.route == "answer", answer.answer
    assert answer.answer.startswith("Administered intravenously"), answer.answer


def test_a_question_type_lifts_the_sentence_that_answers_it(assistant: Assistant) -> None:
    svc = assistant.service
    snap = svc.snapshot()
    question = "by what mechanism does this medicine act in the brain"
    qvec = svc.embedder.embed_queries([question])[0]
    hits = svc.search(question)
    plain = type(svc.composer)(svc.settings.composer, svc.settings.retrieval, svc.composer.screen)
    typed = svc.composer
    lead = typed.candidates(snap, question, qvec, hits)[0]
    assert "NMDA" in lead.text
    scores = {
        (c.passage.id, c.index): c.score for c in plain.candidates(snap, question, qvec, hits)
    }
    assert lead.score > scores[(lead.passage.id, lead.index)]  # the cue added to its rank


def test_a_word_that_only_frames_the_question_does_not_block_it(assistant: Assistant) -> None:
    answer = assistant.ask("complications to expect?")
    assert answer.route == "answer", answer.answer
    lead = answer.answer.split("[1]")[0]
    assert "risk" in lead.lower() or "side effects" in lead.lower(), lead
    # A topic word in an open slot of a question pattern still has to be covered.
    assert assistant.ask("how does warfarin work").route != "answer"


@pytest.mark.parametrize(
    "question",
    [
        "who are the writers of this?",
        "any idea who authored it",
        "who is the author of the piece on ketamine for pain",  # a topic named beside it
        "who's the writer here",
    ],
)
def test_a_question_about_the_authors_leads_with_the_byline(
    assistant: Assistant, question: str
) -> None:
    ans = assistant.ask(question)
    assert ans.route == "answer"
    assert ans.answer.startswith("By Tanya Dall, MD and Justin Yanuck, MD")
    assert ans.citations and ans.citations[0].quote.startswith("By Tanya Dall")


@pytest.mark.parametrize(
    "question", ["how recent is this page?", "when did this get last revised", "up to date?"]
)
def test_when_an_article_was_reviewed_is_answered_from_its_front_matter(
    assistant: Assistant, question: str
) -> None:
    entry = assistant.service.snapshot().articles["ketamine-chronic-pain"]
    ans = assistant.ask(question)
    assert ans.route == "answer", ans.answer
    assert "Ketamine Infusion Therapy for Chronic Pain" in ans.answer and "[1]" in ans.answer
    year = entry["reviewed_on"][:4]
    assert year in ans.answer and f"version {entry['version']}" in ans.answer
    (cite,) = ans.citations
    assert cite.article_id == "ketamine-chronic-pain"
    assert cite.quote == f"reviewed_on: {entry['reviewed_on']}"


def test_a_date_question_never_outranks_an_emergency_or_a_research_question(
    assistant: Assistant,
) -> None:
    urgent = assistant.ask("my husband collapsed and is not breathing, is this page up to date")
    assert urgent.route == "emergency"
    research = assistant.ask("when were the studies on ketamine for pain published")
    assert "last reviewed on" not in research.answer


STORY = (
    "My aunt has tried duloxetine, pregabalin and acupuncture over the last ten years and her "
    "rheumatologist is running out of ideas for her widespread aches."
)


@pytest.mark.parametrize(
    "question",
    [
        "Is ketamine something doctors use for the pain of fibromyalgia?",
        "How is ketamine thought to ease fibromyalgia pain?",
    ],
)
def test_a_story_with_words_the_article_lacks_does_not_block_its_covered_question(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(f"{STORY} {question}")
    assert answer.route == "answer", answer.answer
    assert answer.citations[0].article_id == "ketamine-chronic-pain"


@pytest.mark.parametrize(
    "question",
    ["Does acupuncture help with fibromyalgia pain?", "How much does a course of infusions cost?"],
)
def test_a_story_before_an_uncovered_question_is_still_not_answered(
    assistant: Assistant, question: str
) -> None:
    story = (
        "My aunt has had fibromyalgia for ten years and has tried many things with little success."
    )
    answer = assistant.ask(f"{story} {question}")
    assert answer.route != "answer", answer.answer


@pytest.mark.parametrize(
    "question", ["what schooling does the writer have?", "is all this just hype about ketamine?"]
)
def test_a_framing_word_leads_with_a_sentence_of_its_kind_rather_than_no_answer(
    assistant: Assistant, question: str
) -> None:
    # "writer" asks for a person, "hype" for the evidence: the best sentence of that kind
    # leads when it scores near the best one, instead of the whole answer being withheld.
    svc = assistant.service
    types = svc.answerability.types
    assert types is not None
    answer = assistant.ask(question)
    assert answer.route == "answer", answer.answer
    first = answer.answer.split("[1]")[0]
    assert types.met(question, first), first


def test_a_comparative_of_a_corpus_word_stays_a_word_of_its_own(assistant: Assistant) -> None:
    # "lower" is built on the article's "low" but names a place ("lower back"), which the
    # article never covers: the question is not answered.
    assert assistant.ask("is ketamine good for lower back pain?").route != "answer"


@pytest.mark.parametrize(
    "remark",
    ["my uncle has not been well lately", "work stress is getting to me and I sleep badly"],
)
def test_a_remark_far_from_the_article_is_not_answered_with_a_quote(
    assistant: Assistant, remark: str
) -> None:
    """Without retrieval.statement_floor both got an article sentence (dense 0.51-0.52)."""
    answer = assistant.ask(remark)
    assert answer.route in ("no_answer", "clinician"), answer.answer
    assert not answer.citations


def test_a_capitalised_name_is_no_typo_of_an_everyday_word(assistant: Assistant) -> None:
    check = assistant.service.answerability
    assert check.everyday_typos(["naver"], "Does Naver keep logs?") == {}
    assert check.everyday_typos(["actualy"], "What is it actualy?") == {"actualy": "actually"}


@pytest.mark.parametrize(
    ("question", "route"),
    [
        ("does ketamine make you throw up", "no_answer"),
        ("can the infusions mess with your memory", "no_answer"),
        ("is hair loss a side effect of it", "no_answer"),
        ("does it cause disorientation", "answer"),
    ],
)
def test_an_effect_the_article_never_names_is_not_answered_from_its_side_effect_list(
    assistant: Assistant, question: str, route: str
) -> None:
    """The article names disorientation and a faster heart rate; nausea is not among them."""
    assert assistant.ask(question).route == route


@pytest.mark.parametrize(
    ("question", "route"),
    [
        ("would it make me fail a urine drug screen", "no_answer"),
        ("how long does ketamine stay in the body", "no_answer"),
        ("is it any good for migraines", "no_answer"),
        ("what do people call it on the street", "no_answer"),
        ("what hospital are the authors affiliated with", "no_answer"),
        ("why was ketamine originally made", "no_answer"),
        ("does it help fibromyalgia", "answer"),
    ],
)
def test_trap_kinds_the_article_never_speaks_to_are_not_answered(
    assistant: Assistant, question: str, route: str
) -> None:
    """Drug tests, clearance, a condition the article never names, street names, where the
    authors work, why the drug was first made: no neighbouring sentence answers them."""
    got = assistant.ask(question).route
    assert got == "answer" if route == "answer" else got != "answer", got


@pytest.mark.parametrize(
    "question",
    ["what's the copay for an infusion", "is lyrica better than ketamine for back pain"],
)
def test_a_brand_or_plan_word_is_no_typo_of_an_everyday_word(
    assistant: Assistant, question: str
) -> None:
    """'copay' is no typo of 'copy', nor 'lyrica' of 'lyric': they stay words the article
    lacks. (A brand of a kind the article names, such as an opioid, reads as that kind in a
    comparison: prompts/answerability/kinds.yaml.)"""
    assert assistant.ask(question).route != "answer"


@pytest.mark.parametrize("question", ["quality of life?", "are there still challenges left?"])
def test_a_first_question_whose_every_topic_word_is_the_articles_own_is_about_it(
    assistant: Assistant, question: str
) -> None:
    """Every topic word of the question is one the article uses: answering decides."""
    assert assistant.ask(question).route != "off_topic"


def test_a_comparative_reads_as_the_articles_adjective(assistant: Assistant) -> None:
    # "lower" is the article's "low" (doses), read only when the question compares
    assert assistant.ask("are side effects worse at higher doses versus lower ones?").route == (
        "answer"
    )


@pytest.mark.parametrize(
    "question",
    [
        "are the side effects different at higher doses and at lower ones?",  # its opposite
        "do side effects show up more often at high doses than at lower?",  # after "than"
        "what shortcomings do the usual pain treatments have?",  # limitations
    ],
)
def test_round_twenty_five_comparatives_and_lay_words_are_read_as_the_articles(
    assistant: Assistant, question: str
) -> None:
    """Own words by category: a comparative that compares two degrees, and a lay word for the
    article's limitations."""
    assert assistant.ask(question).route == "answer"


@pytest.mark.parametrize(
    "question",
    [
        "is ketamine only for putting patients under for an operaton",  # an operation: anesthesia
        "is the dose the same as in surgey or smaller",  # surgery: the anesthetic dose
        "does the spacey feeling wear off after the drip",  # a lay word for dissociation
        "who is this therapy mostly meant for",  # who the treatment is for
        "so what's the final verdict of the piece",  # the whole piece's judgement
    ],
)
def test_round_twenty_seven_typos_lay_words_and_verdicts_are_answered(
    assistant: Assistant, question: str
) -> None:
    """Own words by category: a misspelt everyday word read as meant, a lay word for the
    altered state, who the treatment is meant for, and a verdict on the whole piece."""
    answer = assistant.ask(question)
    assert answer.route == "answer", answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "how expensiv is one infusion",  # a misspelt cost word still asks the cost
        "who is this film mainly meant for",  # a topic of its own
        "what's the final verdict on the match tonight",
    ],
)
def test_round_twenty_seven_typos_of_aspects_and_other_topics_are_not_answered(
    assistant: Assistant, question: str
) -> None:
    """A misspelt aspect word still needs an answer that states it; who a film is for and a
    match's verdict are topics of their own (own words)."""
    assert assistant.ask(question).route != "answer"


@pytest.mark.parametrize(
    "question",
    [
        "what issues do patients hit with the usual pain treatments",  # a framing word
        "is there any evidence it helps nerve pain",
        "how is one drug able to handle two kinds of pain",
        "does it just numb the pain or does it do more",  # a lay word for an analgesic
        "can ketamine be paired with other treatments such as counselling",  # care, not a drug
        "in my country we only see ketamine in operating theatres, what else is it used for here",
    ],
)
def test_round_twenty_eight_framing_and_lay_words_are_answered(
    assistant: Assistant, question: str
) -> None:
    """Own words by category: words that frame a question (issues, evidence, a drug), a lay
    word for numbing pain, care paired with the treatment, and where the visitor lives told
    before the question."""
    answer = assistant.ask(question)
    assert answer.route == "answer", answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "could it damage the liver over time",  # "liver" is no misspelt "lives"
        "is ketamine adictive for patients",  # a misspelt aspect word still asks it
        "is it aprooved for pain",
        "who came up with ketamine originally",  # its history
        "which year did hospitals start giving it",
        "what are my chances it works for me",
        "is it useful for cluster headaches",  # a condition the article never names
        "what's the typical timeframe for the relief",  # a figure the article never gives
    ],
)
def test_round_twenty_eight_what_the_article_never_says_is_not_answered(
    assistant: Assistant, question: str
) -> None:
    """Own words by category: an organ the article never names, misspelt aspect words, the
    drug's history, one's chances, a condition it is useful for, and a timeframe."""
    assert assistant.ask(question).route != "answer"


@pytest.mark.parametrize(
    "question",
    [
        "it's only an anaesthetic, i doubt it does anything else",  # "I doubt" frames a remark
        "what do they mean when they call pain hard to treat",  # a general "they"
        "why is nerve pain such a headache for clinicians",  # a figure for a hard problem
        "can anyone have it, or only certain patients",
        "so what's the final take, summed up",  # the conclusion, asked for twice over
        "are the side effects dependent on the dose",  # dose-dependent is no addiction
        "is it given as a tablet or through the drip?",  # the article says which
        "how do the doctors prepare a patient's treatment so it's safe",  # clinicians preparing
        "what is driving the relief that continues after the infusion",  # "driving" as a cause
        "are these infusions better than the pills i take now",  # the visitor's own pills
        "can you take it by mouth or does it have to go in a vein?",  # the article says which
        "my daughter is one of many with fibromyalgia, can ketamine help that",
        "are the side effects dose-dependent",
        "there are a number of treatment options already, why ketamine",
    ],
)
def test_round_twenty_nine_framings_and_overviews_are_answered(
    assistant: Assistant, question: str
) -> None:
    """Own words by category: a remark framed by "I doubt", a general "they", a headache as a
    figure of speech, who it suits, a summary asked in two phrases, effects that depend on the
    dose, and a pill-or-drip choice the article answers; and the answers review's twins:
    clinicians preparing, "driving" the relief, the visitor's own pills, "one of many", "a
    number of treatment options"."""
    answer = assistant.ask(question)
    assert answer.route == "answer", answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "is ketamine a controlled drug",
        "when was it first tried on people",
        "is it offered in palliative care",
        "does it help leg pain from a herniated disc",
        "is there an oral version you can take at home",
        "could my nephew have it, he's 10",
        "what if i have to cancel an appointment",
        "do you accept card payments",
        "what's the normal number of sessions",
        "anything i should do to prep before an infusion",
        "could you get arrested for carrying ketamine",
        "is it given to people who are dying, to keep them comfortable",
        "do you post ketamine out to patients",
        "what should i wear to my ketamine appointment",
        "is it allowed for a kid in 8th grade",
        "is it a replacement for my antidepressants",
        "which universities are researching this",
    ],
)
def test_round_twenty_nine_what_the_article_never_says_is_not_answered(
    assistant: Assistant, question: str
) -> None:
    """Own words by category: a drug's legal class, its first use in people, a care setting,
    pain from a named condition, another form of the drug, a child's age, a cancelled visit,
    how to pay, the number of sessions and how to prepare; and the answers review's kinds:
    the law, the end of life, posting the drug, what to wear, a school grade, replacing
    another drug and named institutions."""
    assert assistant.ask(question).route != "answer"


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # by category, in my own words: words read as meant
        ("what symptoms of fibromyalgia does the therapy address", True),  # the verb
        ("how durable is the relief from ketamine", True),  # a lay word for long-term
        ("how long dose pain need to go on before it counts as chronic", True),  # "does"
        ("dose it work for nerve pain", True),
        # and what the article never says
        ("can you mix ketamine with sleeping tablets", False),
        ("is there an oral ketamine I could take instead of the drip", False),
        ("does acupuncture work better than ketamine", False),
        ("what's the youngest age you treat", False),
        ("is ketamine used by vets", False),
        ("how many hours dose a session take", False),
        ("will they keep me in the chair for hours", False),
        ("are the infusions done in a hospital or a clinic", False),
    ],
)
def test_round_thirty_by_category(assistant: Assistant, question: str, answered: bool) -> None:
    """Own words by category: "address" as what a treatment does, a lay word for how long an
    effect holds, "dose" typed for "does" after a question word; and traps: the drug mixed with
    another, its oral form named outright, another named treatment set beside it, the youngest
    age, its use in animals, one session's length, and where infusions are given."""
    answer = assistant.ask(question)
    assert (answer.route == "answer") == answered, answer.answer


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the answers review's kinds, in my own words
        (
            "I've tried loads, like acupuncture and nerve blocks, does ketamine help nerve pain?",
            True,
        ),
        ("is mixing ketamine with talking therapy something being looked into", True),
        ("someone told me oral ketamine is weak, how is it given in this therapy?", True),
        ("which patients do clinics usually offer the infusions to", True),
        ("can you give me the clinic address", False),
        ("can people get hooked up on ketamine like on pills", False),
        ("does it require a hospital stay", False),
        ("is ketamine an animal drug", False),
        ("can minors have the infusions", False),
        ("is one session about 45 minutes", False),
        ("is ketamine as effective as a nerve block", False),
    ],
)
def test_round_thirty_review_kinds(assistant: Assistant, question: str, answered: bool) -> None:
    """The answers review's kinds (own words): treatments a visitor has tried, mixing with a
    therapy, an oral form told in passing and clinics named as where it is offered ask no trap;
    the clinic's address, "hooked up on" it, a hospital stay, an animal drug, minors, one
    session's minutes and a comparison with a named treatment are not answered."""
    assert (assistant.ask(question).route == "answer") == answered


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # by category, in my own words: words read as meant
        ("what kinds of pain is it that ketamine might address", True),  # a relative clause
        ("what happens to the nerves' pain messages while ketamine is in your system", True),
        ("does the relief outlast the course of infusions", True),  # a lay word
        ("what do the authers say about the challenges ahead", True),  # a misspelling
        # and what the article never says
        ("what fraction of patients get relief from it", False),
        ("how many out of ten people respond to the drip", False),
        ("how long does ketamine stay in your system afterwards", False),
        ("what's the address of the infusion clinic", False),
    ],
)
def test_round_thirty_one_by_category(assistant: Assistant, question: str, answered: bool) -> None:
    """Own words by category: "address" as the verb in a relative clause, "in your system" as
    while (not how long it stays), a lay word for a benefit beyond the treatment, a misspelt
    "authors"; and traps: a share of patients asked as a fraction or "N out of ten", how long
    the drug stays in the body, the clinic's address."""
    answer = assistant.ask(question)
    assert (answer.route == "answer") == answered, answer.answer


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the answers review's kinds, in my own words
        ("what problems is ketamine therapy said to address", True),
        ("is feeling detached part of the treatment", True),
        ("can it leave people disoriented", True),
        ("does ketamine leave your body quickly", False),
        ("what's the response rate for the infusions", False),
        ("does it work for most patients or only a few", False),
        ("how do i contact the clinic about this", False),
        ("where should i go to get the infusions", False),
    ],
)
def test_round_thirty_one_review_kinds(assistant: Assistant, question: str, answered: bool) -> None:
    """The answers review's kinds (own words): "address" as the verb after the treatment, lay
    words for dissociation; and traps: how fast it leaves the body, a response rate, most or
    only a few, how to contact the clinic, where to go for it."""
    answer = assistant.ask(question)
    assert (answer.route == "answer") == answered, answer.answer


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # by category, in my own words: words read as meant
        ("are the writers real specialists or just random MDs?", True),  # doubted credentials
        # and what the article never says
        ("is it better as one long session or spread over several weeks", False),
        ("can painkillers interfere with the ketamine treatment", False),
        ("my girl has 14 years, is the therapy for her age?", False),  # an age, as some say it
        ("what's the prep before the first session?", False),
    ],
)
def test_round_thirty_two_by_category(assistant: Assistant, question: str, answered: bool) -> None:
    """Round 32, own words by category: writers doubted as specialists ("random MDs"); and
    traps: one long session or several spread out, a medicine that interferes, an age told as
    "has 14 years", the preparation before the day. Each was routed the other way before."""
    answer = assistant.ask(question)
    assert (answer.route == "answer") == answered, answer.answer


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the answers review's kinds, in my own words
        ("opioids are medicines that interact with pain signals, how is ketamine different?", True),
        ("does chronic pain mean pain that's spread over months?", True),
        ("I'm a nurse at kaiser, what side effects does ketamine have", True),
        ("names of the doctors on this article?", True),
        ("is it on the nhs", False),
    ],
)
def test_round_thirty_two_review_kinds(assistant: Assistant, question: str, answered: bool) -> None:
    """The answers review's kinds (own words): medicines that "interact with pain signals" say
    how drugs work, chronic pain "spread over months" is no schedule, an insurer named in
    passing asks no cover; the names on the article ask for the byline; and a trap: the NHS."""
    answer = assistant.ask(question)
    assert (answer.route == "answer") == answered, answer.answer


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # by category, in my own words: words read as meant
        ("is the amount they give for pain lower than what they use to sedate people?", True),
        # and what the article never says
        ("how soon after an infusion can I drive?", False),
        ("is the standard dose printed anywhere in the article?", False),
    ],
)
def test_round_thirty_three_by_category(
    assistant: Assistant, question: str, answered: bool
) -> None:
    """Round 33, own words by category: "sedate" read as the article's anesthesia; and traps:
    how soon one may drive, a standard dose."""
    answer = assistant.ask(question)
    assert (answer.route == "answer") == answered, answer.answer
