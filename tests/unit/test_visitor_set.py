"""The visitor question set (issue 14): its split is by template, and grading reads the lead."""

from __future__ import annotations

import re
from collections import defaultdict

from assistant.evals.suites.visitor import grade, load_visitor, summarise


def test_every_template_lies_in_one_split_and_both_splits_are_used() -> None:
    items = load_visitor(split=None)
    splits: dict[str, set[str]] = defaultdict(set)
    for q in items:
        splits[q.template].add(q.split)
    found = {q.split for q in items}
    devs = sorted(found - {"test", "test2"})
    assert all(re.fullmatch(r"dev\d*", s) for s in devs), devs  # dev, dev2, ...: no other names
    devs.sort(key=lambda s: int(s[3:] or 1))
    # the dev splits are numbered without a gap: dev, dev2, dev3, ... (a new set adds one)
    assert len(items) >= 140 and {"test", "test2"} <= found
    assert devs == ["dev", *(f"dev{n}" for n in range(2, len(devs) + 1))], devs
    assert all(len(s) == 1 for s in splits.values()), {
        t: s for t, s in splits.items() if len(s) > 1
    }
    assert all(q.lead for q in items if q.route == "answer")


def test_grading_needs_the_answering_sentence_first_and_traps_unanswered() -> None:
    covered = next(q for q in load_visitor(split=None) if q.route == "answer")
    trap = next(q for q in load_visitor(split=None) if q.route != "answer")
    lead = covered.lead[0]
    good = grade(covered, "answer", f"{lead} and more. [1] Other text. [2]")
    late = grade(covered, "answer", f"Something beside the point. [1] {lead}. [2]")
    assert good.ok and not late.ok and not grade(covered, "no_answer", "Sorry").ok
    assert grade(trap, "no_answer", "Not covered").ok and not grade(trap, "answer", "x [1]").ok
    summary = summarise([good, late])
    assert summary["answered"] == 1.0 and summary["answered_lead_first"] == 0.5
    assert repr(covered.question) in summary["failures"][0]
    held_out = summarise([good, late], wording=False)["failures"]
    assert held_out == [f"{covered.id} [answer]"]  # a test split's report shows no wording


def test_held_out_splits_exist_and_tuning_never_reads_them() -> None:
    """Every held-out split is a dev split on file, and tuning_splits leaves each one out."""
    from assistant.evals.suites.visitor import HELD_OUT, dev_splits, tuning_splits

    assert HELD_OUT and set(HELD_OUT) <= set(dev_splits())
    assert not set(HELD_OUT) & set(tuning_splits())
    assert set(tuning_splits()) | set(HELD_OUT) == set(dev_splits())
