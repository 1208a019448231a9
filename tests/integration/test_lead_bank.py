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
