"""Headless Chromium loads /demo, opens the widget, asks, and sees a cited answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from assistant.interfaces.api import create_app
from tests.web._web import ARTIFACTS, LiveServer, chrome, service_for, web_settings

pytestmark = [pytest.mark.server, pytest.mark.browser]


@pytest.fixture(scope="module")
def site(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A live server (no Gradio UI needed); yields (base url, log db)."""
    tmp = tmp_path_factory.mktemp("widget")
    settings = web_settings(built_store, tmp, ui=False)
    with LiveServer(create_app(service_for(built_store), settings)) as srv:
        yield srv.url, settings.server.log_db


def test_widget_and_demo_are_served(site: tuple[str, Path]) -> None:
    js = httpx.get(f"{site[0]}/widget.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("application/javascript")
    assert "/v1/chat/stream" in js.text and ".innerHTML" not in js.text
    demo = httpx.get(f"{site[0]}/demo")
    assert demo.status_code == 200 and 'src="/widget.js"' in demo.text and "data-title" in demo.text


def _ask(driver: Any, question: str, count: int) -> Any:
    """Type a question into the widget and wait for the count-th finished bot reply."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element(By.CSS_SELECTOR, ".va-input")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    sel = ".va-bot[data-route]"
    WebDriverWait(driver, 90).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, sel)) >= count)
    return driver.find_elements(By.CSS_SELECTOR, sel)[count - 1]


def test_widget_answers_with_citations(site: tuple[str, Path], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chrome(tmp_path, 1280, 900)
    try:
        driver.get(f"{site[0]}/demo")
        bubble = WebDriverWait(driver, 30).until(
            lambda d: d.find_element(By.CSS_SELECTOR, ".va-bubble")
        )
        assert driver.find_element(By.CSS_SELECTOR, ".va-title").get_attribute("textContent") == (
            "Ask our clinic"
        )
        bubble.click()
        reply = _ask(driver, "Can ketamine help with fibromyalgia?", 1)
        assert reply.get_attribute("data-route") == "answer"
        cites = reply.find_elements(By.CSS_SELECTOR, ".va-citation")
        assert cites and "Treating Fibromyalgia" in cites[0].text
        assert "fibromyalgia" in reply.find_element(By.CSS_SELECTOR, ".va-quote").text.lower()
        assert "not medical advice" in reply.find_element(By.CSS_SELECTOR, ".va-disclaimer").text
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "widget.png"))

        reply.find_element(By.CSS_SELECTOR, ".va-vote-up").click()
        WebDriverWait(driver, 30).until(
            lambda d: reply.find_elements(By.CSS_SELECTOR, ".va-thanks")
        )
        assert reply.find_element(By.CSS_SELECTOR, ".va-thanks").text == "Thanks!"
        db = sqlite3.connect(site[1])
        assert db.execute("SELECT COUNT(*) FROM feedback WHERE rating='up'").fetchone()[0] == 1

        other = _ask(driver, "What is the capital of France?", 2)
        route = other.get_attribute("data-route")
        assert route != "answer"
        assert f"va-route-{route}" in other.get_attribute("class")
        assert other.find_elements(By.CSS_SELECTOR, ".va-banner")  # non-answers stand out
        assert not other.find_elements(By.CSS_SELECTOR, ".va-citation")
        driver.save_screenshot(str(ARTIFACTS / "widget-no-answer.png"))
    finally:
        driver.quit()


class _EscalateRail:
    """Stand-in for the guardrails (built separately): routes marked test phrases."""

    ROUTES: ClassVar[dict[str, str]] = {"crushing chest pain": "emergency", "end my life": "crisis"}

    def check(self, messages: Any) -> Any:
        from assistant.pipeline.contracts import RailDecision

        text = messages[-1]["content"].lower()
        for phrase, route in self.ROUTES.items():
            if phrase in text:
                return RailDecision(route=route, text=f"Please get help now ({route}).")  # type: ignore[arg-type]
        return None


def test_widget_styles_escalation_routes(built_store: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from assistant.pipeline.service import AnswerService

    base = service_for(built_store)
    service = AnswerService(
        settings=base.settings, index=base.index, embedder=base.embedder,
        retriever=base.retriever, composer=base.composer, prompts=base.prompts,
        answerability=base.answerability, rails=[_EscalateRail()], gate=base.gate,
    )  # fmt: skip
    settings = web_settings(built_store, tmp_path, ui=False)
    driver = chrome(tmp_path)
    try:
        with LiveServer(create_app(service, settings)) as srv:
            driver.get(f"{srv.url}/demo")
            driver.find_element(By.CSS_SELECTOR, ".va-bubble").click()
            emergency = _ask(driver, "I have crushing chest pain right now", 1)
            crisis = _ask(driver, "I want to end my life", 2)
            answer = _ask(driver, "Can ketamine help with fibromyalgia?", 3)
            assert emergency.get_attribute("data-route") == "emergency"
            assert crisis.get_attribute("data-route") == "crisis"
            banner = emergency.find_element(By.CSS_SELECTOR, ".va-banner")
            assert "emergency" in banner.text.lower()
            red = emergency.value_of_css_property("border-top-color")
            purple = crisis.value_of_css_property("border-top-color")
            plain = answer.value_of_css_property("border-top-color")
            assert len({red, purple, plain}) == 3  # each escalation looks different
            assert banner.value_of_css_property("background-color") != answer.value_of_css_property(
                "background-color"
            )
            assert (
                "not medical advice"
                in emergency.find_element(By.CSS_SELECTOR, ".va-disclaimer").text
            )
            driver.execute_script("arguments[0].scrollIntoView()", emergency)
            driver.save_screenshot(str(ARTIFACTS / "widget-escalation.png"))
    finally:
        driver.quit()
