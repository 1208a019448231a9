"""The shipped lead bank: reproduced by its script, loaded by the service, switchable off."""

from __future__ import annotations

from typing import Any

from assistant.evals.fitting.lead_bank import bank_rows, main


def test_shipped_lead_bank_is_reproduced_by_its_script() -> None:
    """`python -m assistant.evals.fitting.lead_bank --check`: the tuning splits give the file."""
    assert main(["--check"]) == 0


def test_the_service_reads_the_bank_and_a_setting_turns_it_off(assistant: Any) -> None:
    from assistant.config.container import build_services
    from assistant.config.settings import Settings

    bank = assistant.service.composer.bank
    assert bank is not None and bank.meta["questions"] == len(bank_rows()) == len(bank.vectors)
    off = build_services(Settings(composer={"lead_bank": False}))  # type: ignore[arg-type]
    assert off.composer.bank is None


def test_the_bank_never_changes_whether_a_question_is_answered(
    assistant: Any, built_store: Any
) -> None:
    """Bank on or off, the same tunable visitor questions get the same routes (the bank only
    re-leads an answer that passed every check)."""
    from assistant import Assistant
    from assistant.evals.suites.visitor import load_visitor
    from tests.conftest import make_settings

    off = Assistant(make_settings(built_store, composer={"lead_bank": False})).service
    qs = [q.question for q in load_visitor(split="dev3") if not q.turns][:60]
    on_routes = [assistant.service.ask(q).route for q in qs]
    assert on_routes == [off.ask(q).route for q in qs]
    assert on_routes.count("answer") > 30
