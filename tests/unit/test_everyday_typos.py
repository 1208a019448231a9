"""Typos of common English words, told by word frequencies."""

from __future__ import annotations

from assistant.retrieve.everyday_typos import EnglishFrequencies, slips

# Frequencies per word (a Zipf value z is a frequency of 10 ** (z - 9)).
_TABLE = {"actually": 10**-3.4, "actualy": 10**-6.8, "statins": 10**-6.4, "stating": 10**-4.8}


def test_a_rare_spelling_of_a_far_commoner_word_is_its_typo() -> None:
    freq = EnglishFrequencies(lambda: _TABLE)
    assert freq.typo_of("actualy", min_zipf=4.0, gap=2.5) == "actually"


def test_a_real_word_a_short_word_or_a_rare_target_stays() -> None:
    freq = EnglishFrequencies(lambda: _TABLE)
    assert freq.typo_of("statins", min_zipf=4.0, gap=2.5) is None  # stating: 1.6 orders only
    assert freq.typo_of("actualy", min_zipf=6.0, gap=2.5) is None  # the target is not common
    assert freq.typo_of("tehy", min_zipf=0.0, gap=0.0) is None  # under five letters


def test_without_word_frequencies_nothing_is_read_as_a_typo() -> None:
    calls: list[int] = []

    def missing() -> None:
        calls.append(1)

    freq = EnglishFrequencies(missing)
    assert freq.typo_of("actualy", 4.0, 2.5) is None and freq.zipf("actually") == 0.0
    assert calls == [1]  # loaded once


def test_the_packaged_frequencies_read_everyday_typos_and_keep_drug_names() -> None:
    freq = EnglishFrequencies()
    assert freq.typo_of("dificult", 4.0, 2.5) == "difficult"
    assert freq.typo_of("persn", 4.0, 2.5) == "person"
    for drug in ("statins", "pregabalin", "gabapentin", "esketamine"):
        assert freq.typo_of(drug, 4.0, 2.5) is None, drug


def test_two_words_about_as_common_leave_the_typo_unread() -> None:
    table = {"playing": 10**-4.0, "placing": 10**-4.2, "plaing": 10**-7.0}
    freq = EnglishFrequencies(lambda: table)
    assert freq.typo_of("plaing", 4.0, 2.5) == "playing"  # the more frequent, without a margin
    assert freq.typo_of("plaing", 4.0, 2.5, margin=0.5) is None


def test_slips_are_a_letter_left_out_swapped_or_doubled_never_added_or_changed() -> None:
    out = slips("figgure")
    assert "figure" in out  # a doubled letter
    assert "poeple" in slips("people") and "persn" not in slips("person")
    assert "person" in slips("persn") and "people" in slips("poeple")
    assert "ultra" not in slips("ultram") and "alive" not in slips("aleve")


def test_brand_names_are_not_read_as_everyday_typos() -> None:
    freq = EnglishFrequencies()
    for name in ("ultram", "concerta", "aleve", "abilify", "copay", "humana", "urate"):
        assert freq.typo_of(name, 4.0, 2.5, 0.5) is None, name
