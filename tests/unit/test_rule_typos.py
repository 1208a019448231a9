"""The rails' typo fixer: rule words are targets, `unless` words and real words are not."""

from __future__ import annotations

from assistant.guard.rules import RuleSet

_DATA = {
    "routes": {
        "emergency": [
            {"all": ["\\bseiz\\w*|\\bspiked\\b"], "unless": ["\\bseries\\b"]},
        ]
    }
}


def test_an_unless_word_is_no_typo_target() -> None:
    rules = RuleSet.parse(_DATA)
    assert rules.fixer("he seizes up") == "he seizes up"  # not "series"
    assert rules.fixer("my drink was spikd") == "my drink was spiked"


def test_a_real_english_word_is_only_read_as_a_form_of_a_keyword() -> None:
    data = {"keywords": ["overdosed"], **_DATA}
    rules = RuleSet.parse(data, english=["spiced", "overdoses", "overdoing"])
    assert rules.fixer("the tea was spiced") == "the tea was spiced"
    assert rules.fixer("he overdoses") == "he overdosed"  # the keyword's own stem
    assert rules.fixer("i keep overdoing it") == "i keep overdoing it"


def test_a_dropped_g_is_still_the_keyword() -> None:
    data = {"keywords": ["shooting"], **_DATA}
    rules = RuleSet.parse(data, english=["shootin"])
    assert rules.fixer("thinkin of shootin myself") == "thinkin of shooting myself"
