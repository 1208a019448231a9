"""Accessibility audit of a running server: the states of tests/web/test_a11y.py, as figures.

    python -m bench.a11y_audit --url http://127.0.0.1:8000 --out bench/results/a11y_after.json

For each page state (UI and widget; empty, answer, no-answer, each escalation and a later
answer; 1280 and 390 px) it records the serious/critical axe-core violations and the text
below AA contrast as drawn. Point it at a server of any commit to compare before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.web._a11y import TEXT, axe_script, blocking, contrast_failures, emulate, run_axe

__all__ = ["main"]

ASK = {
    "answer": "Can ketamine help with fibromyalgia?",
    "no_answer": "Does acupuncture help with migraine headaches?",
}
ESCALATE = {
    "emergency": "I have crushing chest pain right now and can't breathe",
    "crisis": "I want to end my life",
    "clinician": "How much ketamine should I take for my back pain?",
}
FOLLOW_UP = "What is chronic pain?"


def _until(driver: Any, cond: Callable[[Any], Any], timeout: float = 120) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(cond)


def _ask(driver: Any, box_css: str, done_css: str, question: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(driver.find_elements(By.CSS_SELECTOR, done_css))
    driver.find_element(By.CSS_SELECTOR, box_css).send_keys(question, Keys.ENTER)
    _until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, done_css)) > before)
    _until(driver, lambda d: d.find_element(By.CSS_SELECTOR, box_css).is_enabled())
    time.sleep(0.7)


def audit(driver: Any, url: str, axe: str) -> dict[str, dict[str, list[str]]]:
    """Every state's blocking axe findings and contrast failures."""
    from selenium.webdriver.common.by import By

    states: dict[str, dict[str, list[str]]] = {}

    def check(name: str) -> None:
        bad = blocking(run_axe(driver, axe)["violations"])
        states[name] = {
            "axe": [f"{v['impact']} {v['id']} x{len(v['nodes'])}" for v in bad],
            "contrast": contrast_failures(driver, TEXT)[1],
        }
        print(name, json.dumps(states[name]), flush=True)

    def ui() -> None:
        driver.get(f"{url}/ui/")
        _until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "textarea"))
        time.sleep(1)

    def demo() -> Any:
        driver.get(f"{url}/demo")
        return _until(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".va-bubble"))

    ui_ask = ("textarea", ".va-disclaimer")
    w_ask = (".va-input", ".va-bot[data-route]")
    for width, height in ((1280, 900), (390, 844)):
        emulate(driver, width, height)
        ui()
        check(f"ui empty {width}")
        for route, q in ASK.items():
            _ask(driver, *ui_ask, q)
            check(f"ui {route} {width}")
        for route, q in ESCALATE.items():
            ui()
            _ask(driver, *ui_ask, q)
            check(f"ui {route} {width}")
            _ask(driver, *ui_ask, FOLLOW_UP)
            check(f"ui {route} then answer {width}")
        bubble = demo()
        check(f"demo closed {width}")
        bubble.click()
        check(f"demo open {width}")
        for route, q in ASK.items():
            _ask(driver, *w_ask, q)
            check(f"widget {route} {width}")
        for route, q in ESCALATE.items():
            demo().click()
            _ask(driver, *w_ask, q)
            check(f"widget {route} {width}")
            _ask(driver, *w_ask, FOLLOW_UP)
            check(f"widget {route} then answer {width}")
    return states


def main(argv: list[str] | None = None) -> int:
    """Run the audit and write its JSON; exit 1 when any state has a finding."""
    from tests.web._web import chrome

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL of a running server (UI on)")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    axe, source = axe_script()
    with tempfile.TemporaryDirectory(prefix="va-audit-") as tmp:
        driver = chrome(Path(tmp), 1280, 900)
        driver.set_script_timeout(60)
        try:
            states = audit(driver, args.url.rstrip("/"), axe)
        finally:
            driver.quit()
    summary = {
        "states": len(states),
        "states_with_axe_findings": sum(1 for s in states.values() if s["axe"]),
        "axe_rule_hits": sum(len(s["axe"]) for s in states.values()),
        "contrast_failures": sum(len(s["contrast"]) for s in states.values()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"axe_core": source.split("node_modules/")[-1], "summary": summary, "states": states},
            indent=1,
        )
    )
    print(json.dumps(summary))
    return 1 if summary["axe_rule_hits"] or summary["contrast_failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
