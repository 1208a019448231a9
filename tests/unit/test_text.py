"""Sentence spans are exact slices; tokens and stems behave."""

from __future__ import annotations

from assistant.corpus.text import content_terms, normalize, sentence_spans, terms, words


def test_sentence_spans_are_verbatim_and_respect_abbreviations() -> None:
    text = (
        "Dr. Smith said e.g. this works. The U.S. approved it! Is it safe? Yes.\n"
        "- first bullet\n- second bullet. And more."
    )
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == [
        "Dr. Smith said e.g. this works.",
        "The U.S. approved it!",
        "Is it safe?",
        "Yes.",
        "first bullet",
        "second bullet.",
        "And more.",
    ]


def test_sentence_before_a_curly_quote_or_digit_still_splits() -> None:
    text = "Side effects may occur. 2 patients improved. “Quoted” start."
    assert len(sentence_spans(text)) == 3


def test_words_fold_case_accents_and_possessives() -> None:
    assert words("Ketamine’s NMDA-receptor effect; café") == [
        "ketamine", "nmda", "receptor", "effect", "cafe",
    ]  # fmt: skip
    assert normalize("  Héllo\tWORLD ") == "hello world"


def test_terms_drop_stopwords_and_stem() -> None:
    assert terms("What are the treatments for fibromyalgia?") == ["treatment", "fibromyalgia"]
    assert content_terms("Is it safe for my nerves?") == ["safe", "nerves"]


def test_chat_sentences_may_start_in_lowercase() -> None:
    """Articles start sentences with a capital; chat messages often do not."""
    text = "so tired today. i can't sleep. e.g. this one vs. that one."
    assert len(sentence_spans(text)) == 1
    got = [text[a:b] for a, b in sentence_spans(text, any_case=True)]
    assert got == ["so tired today.", "i can't sleep.", "e.g. this one vs. that one."]
