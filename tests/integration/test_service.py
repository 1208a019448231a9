"""Answers end to end with the real model and Chroma: facts cited, gaps refused, contract kept."""

from __future__ import annotations

import pytest

from assistant import ROUTES, Assistant, InvalidRequestError
from assistant.corpus.articles import load_corpus


def _article_bodies(assistant: Assistant) -> dict[str, str]:
    return {a.id: a.body for a in load_corpus(assistant.settings.corpus.path)}


@pytest.mark.parametrize(
    ("question", "section", "fact"),
    [
        ("How does ketamine work on chronic pain?", "Ketamine: A Multifaceted Solution", "NMDA"),
        ("Can ketamine help people with fibromyalgia?", "Treating Fibromyalgia", "fibromyalgia"),
        ("does ketamine work for nerve pain", "Targeting Neuropathic Pain", "Neuropathic"),
        ("What side effects can ketamine cause?", "Safety and Considerations", "heart rate"),
        ("How is ketamine given in clinics?", "Clinical Applications", "infusion therapy"),
        ("Can ketamine help with depression or anxiety?", "Psychological Benefits", "antidepressant"),
        ("What is chronic pain?", "Understanding Chronic Pain", "persistent discomfort"),
    ],
)  # fmt: skip
def test_known_facts_are_retrieved_and_cited(
    assistant: Assistant, question: str, section: str, fact: str
) -> None:
    answer = assistant.ask(question)
    assert answer.route == "answer", answer.answer
    assert section in {c.section for c in answer.citations}
    assert fact.lower() in answer.answer.lower()
    assert "[1]" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "How much does a ketamine infusion cost?",
        "Does insurance cover ketamine infusions?",
        "What is the price of one session?",
        "Is ketamine FDA approved for chronic pain?",
        "How many milligrams of ketamine are given per infusion?",
        "How many sessions does a course of treatment take?",
        "Is ketamine addictive?",
        "Does ketamine damage the bladder?",
        "What is esketamine?",
        "What time does the clinic open on Saturdays?",
    ],
)
def test_questions_outside_the_vetted_content_get_no_answer(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    # Never answered; the off-topic rail may take clinic-service questions first.
    assert answer.route in ("no_answer", "off_topic"), answer.answer
    assert answer.citations == []
    if answer.route == "no_answer":
        assert "doesn't cover" in answer.answer
    # No invented figures; the only digits are the urgent-help line's phone numbers.
    body, _, urgent = answer.answer.partition("Urgent help:")
    assert not any(ch.isdigit() for ch in body)
    assert "911" in urgent


def test_every_quote_appears_verbatim_in_the_cited_article(assistant: Assistant) -> None:
    bodies = _article_bodies(assistant)
    questions = [
        "what does ketamine do in the brain",
        "is ketamine therapy safe for everyone?",
        "ketamine and ptsd",
        "what are the long-term benefits of ketamine infusion?",
        "why do ordinary pain medicines fail for nerve damage?",
    ]
    cited = 0
    for q in questions:
        answer = assistant.ask(q)
        for c in answer.citations:
            cited += 1
            assert c.quote in bodies[c.article_id]
            assert c.version == "1" and c.title
            assert f"[{c.n}]" in answer.answer
        # Every answer sentence is itself a verbatim quote of a cited passage.
        for sentence in answer.answer.split(" [")[:-1]:
            text = sentence.split("] ", 1)[-1]
            assert any(text in c.quote for c in answer.citations)
    assert cited >= len(questions)


def test_follow_up_is_resolved_against_earlier_turns(assistant: Assistant) -> None:
    first = assistant.ask("Does ketamine help neuropathic pain?")
    assert "Targeting Neuropathic Pain" in {c.section for c in first.citations}
    follow = assistant.ask(
        [
            {"role": "user", "content": "Does ketamine help neuropathic pain?"},
            {"role": "assistant", "content": first.answer},
            {"role": "user", "content": "What about fibromyalgia?"},
        ]
    )
    assert follow.route == "answer"
    assert follow.citations[0].section == "Treating Fibromyalgia"
    alone = assistant.ask("What about it?")
    assert alone.route in ("no_answer", "off_topic") and alone.citations == []


def test_pronoun_follow_up_uses_the_previous_topic(assistant: Assistant) -> None:
    answer = assistant.ask(
        [
            {"role": "user", "content": "Tell me about ketamine for fibromyalgia"},
            {"role": "assistant", "content": "..."},
            {"role": "user", "content": "is it safe?"},
        ]
    )
    assert answer.route == "answer"
    assert "Safety and Considerations" in {c.section for c in answer.citations}


def test_answer_contract_shape(assistant: Assistant) -> None:
    dumped = assistant.ask("Can ketamine help fibromyalgia?").model_dump()
    assert set(dumped) == {"answer", "route", "citations", "disclaimer", "timings_ms"}
    assert dumped["route"] in ROUTES
    assert set(dumped["citations"][0]) == {
        "n", "article_id", "title", "section", "version", "quote", "score", "url",
    }  # fmt: skip
    assert "not medical advice" in dumped["disclaimer"]
    assert dumped["timings_ms"]["total"] > 0
    assert 0 < dumped["citations"][0]["score"] <= 1


def test_repeated_question_is_served_from_the_cache(assistant: Assistant) -> None:
    q = "What are the psychological benefits of ketamine therapy?"
    first = assistant.ask(q)
    calls = assistant.service.embedder.forward_calls  # type: ignore[attr-defined]
    again = assistant.ask("  what are the psychological benefits of KETAMINE therapy? ")
    assert again.answer == first.answer and again.timings_ms.get("cache") == 1.0
    assert assistant.service.embedder.forward_calls == calls  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("messages", "words"),
    [
        ([], "non-empty list"),
        ("", "non-empty user message"),
        ([{"role": "user"}], "string 'content'"),
        ([{"role": "robot", "content": "hi"}], "role must be"),
        ([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "x"}], "last"),
        ([{"role": "user", "content": "x" * 9000}], "limit is 8000"),
        ({"messages": "nope"}, "non-empty list"),
    ],
)
def test_invalid_conversations_get_clear_errors(
    assistant: Assistant, messages: object, words: str
) -> None:
    with pytest.raises(InvalidRequestError, match=words):
        assistant.ask(messages)  # type: ignore[arg-type]


def test_half_an_emoji_in_a_python_call_is_read_not_a_crash(assistant: Assistant) -> None:
    """A lone surrogate (half of an escaped emoji) reaches the tokenizer as U+FFFD."""
    assert assistant.ask("what is ketamine \ud83d").route == "answer"
    assert assistant.ask("i took all my pills \ud83d\ude22 i want to die").route == "crisis"


def test_langchain_retriever_returns_documents(assistant: Assistant) -> None:
    from langchain_core.retrievers import BaseRetriever

    retriever = assistant.as_retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("ketamine for fibromyalgia")
    assert len(docs) == 3
    assert docs[0].metadata["section"] == "Treating Fibromyalgia"
    assert docs[0].metadata["article_id"] == "ketamine-chronic-pain"
    assert docs[0].metadata["score"] >= docs[-1].metadata["score"] - 0.2


def test_a_word_built_on_a_function_word_is_no_new_topic(assistant: Assistant) -> None:
    # "somewhere" is closest to the corpus word "where": no name built on a known term.
    answer = assistant.ask("I saw somewhere that ketamine blocks NMDA receptors, is that so?")
    assert answer.route == "answer" and answer.citations
    assert assistant.ask("What is esketamine?").route == "no_answer"


def test_a_situation_told_then_a_general_question_gets_the_answer_and_a_referral_note(
    assistant: Assistant,
) -> None:
    """The question asked in general is answered from the article; the referral the rails
    gave for the situation stays beside it as a note (prompts/clinician_note.md)."""
    told = "Sciatica has bothered me for three years and nothing helps. How does ketamine work on pain?"
    answer = assistant.ask(told)
    assert answer.route == "answer" and answer.citations
    note = assistant.service.prompts.get("clinician_note")
    assert answer.disclaimer.startswith(note)
    plain = assistant.ask("How does ketamine work on pain?")
    assert note not in plain.disclaimer


def test_a_personal_question_told_after_the_general_one_gets_the_referral(
    assistant: Assistant,
) -> None:
    """Round 27: a general question, then the person's own case asked last ("... is that
    normal"): the referral is the reply, not the general answer (own words)."""
    told = "How long does the dissociation last? Mine has not worn off after a week, is that normal"
    assert assistant.ask(told).route == "clinician"


@pytest.mark.parametrize(
    "message",
    [
        "I've had back pain for years. Should I try ketamine?",
        "I take gabapentin every day. What dose of ketamine would I need?",
    ],
)
def test_a_question_about_ones_own_case_still_gets_the_referral(
    assistant: Assistant, message: str
) -> None:
    assert assistant.ask(message).route == "clinician"
