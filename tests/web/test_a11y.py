"""WCAG 2.2 AA in real headless Chromium: axe-core, contrast as drawn, phone layout, keyboard.

One server (UI and widget, over a corpus copy whose article has a `url`) and one browser for
the module. Every page state is checked at 1280 px and at 390 px: the UI and the demo page
(widget closed and open), after an answer, a no-answer and each escalation; an escalation's
banner must stay on screen and readable after a later answer.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CORPUS
from tests.web._a11y import MOVING, Audit, axe_script, emulate, focused, press, tab_to, wait
from tests.web._web import LiveServer, chrome, service_for, web_settings

pytestmark = [pytest.mark.server, pytest.mark.browser]

URL = "https://clinic.example/articles/ketamine-chronic-pain"
WIDTHS = [(1280, 900), (390, 844)]
ANSWER = "Can ketamine help with fibromyalgia?"
NO_ANSWER = "Does acupuncture help with migraine headaches?"
FOLLOW_UP = "What is chronic pain?"
ESCALATIONS = {
    "emergency": "I have crushing chest pain right now and can't breathe",
    "crisis": "I want to end my life",
    "clinician": "How much ketamine should I take for my back pain?",
}


@pytest.fixture(scope="module")
def site(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server with UI and widget; the session index gets a `url` on its article.

    The shared service is reused (no second model load); its index is put back after the
    module, so other modules see the corpus as it is.
    """
    from assistant.interfaces.api import create_app

    tmp = tmp_path_factory.mktemp("a11y")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    article = corpus / "ketamine-chronic-pain.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("---\n", f"---\nurl: {URL}\n", 1),
        encoding="utf-8",
    )
    service = service_for(built_store)
    service.ingest(corpus)
    settings = web_settings(built_store, tmp, ui=True)
    try:
        with LiveServer(create_app(service, settings)) as srv:
            yield srv.url
    finally:
        service.ingest(CORPUS)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module."""
    driver = chrome(tmp_path_factory.mktemp("chrome"), 1280, 900)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def axe() -> str:
    """The axe-core source to inject."""
    return axe_script()[0]


# -- /ui/ ---------------------------------------------------------------------------------
UI_LAYOUT = (
    "#va-input textarea",
    "#va-chatbot .bot-row",
    "#va-chatbot .bubble-wrap",
    "#va-chatbot .top-panel button, #va-chatbot .message-buttons button",
    "#va-chatbot .message-content",
)


def _ui_ask(driver: Any, question: str) -> None:
    """Type into the question box, press Enter, wait for the finished reply."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(driver.find_elements(By.CSS_SELECTOR, "#va-chatbot .va-disclaimer"))
    box = driver.find_element(By.CSS_SELECTOR, "#va-input textarea")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    wait(
        driver,
        lambda d: (
            len(d.find_elements(By.CSS_SELECTOR, "#va-chatbot .va-disclaimer")) > before
            and d.find_element(By.CSS_SELECTOR, "#va-input textarea").is_enabled()
        ),
    )
    wait(
        driver,
        lambda d: d.execute_script("return document.activeElement.tagName") == "TEXTAREA",
        10,
    )


def _ui_open(driver: Any, url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/ui/")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#va-input textarea"))


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["1280px", "390px"])
def test_ui_meets_wcag_aa(site: str, browser: Any, axe: str, width: int, height: int) -> None:
    from selenium.webdriver.common.by import By

    emulate(browser, width, height)
    audit = Audit(browser, axe, width)
    _ui_open(browser, site)
    box = browser.find_element(By.CSS_SELECTOR, "#va-input textarea")
    wait(browser, lambda d: box.accessible_name == "Your question", 10)
    send = browser.find_element(By.CSS_SELECTOR, "#va-input .submit-button")
    assert send.accessible_name == "Send"
    examples = browser.find_elements(By.CSS_SELECTOR, "#va-chatbot .examples button.example")
    assert examples and examples[0].value_of_css_property("cursor") == "pointer"
    assert examples[0].value_of_css_property("border-top-style") == "solid"
    audit.check("empty")

    _ui_ask(browser, ANSWER)  # also proves focus came back to the box
    link = browser.find_element(By.CSS_SELECTOR, "#va-chatbot a.va-source-title")
    assert link.get_attribute("href") == URL
    meta = browser.find_element(By.CSS_SELECTOR, "#va-chatbot .va-source-meta").text
    assert meta.endswith("(version 1)")
    log = browser.find_element(By.CSS_SELECTOR, "#va-chatbot [role=log]")
    assert log.get_attribute("aria-live") == "polite"
    audit.check("answer", UI_LAYOUT)
    _ui_ask(browser, NO_ANSWER)
    assert browser.find_elements(By.CSS_SELECTOR, "#va-chatbot .va-banner.va-route-no_answer")
    audit.check("no_answer", UI_LAYOUT)

    for route, question in ESCALATIONS.items():
        _ui_open(browser, site)  # a new conversation
        _ui_ask(browser, question)
        assert browser.find_elements(By.CSS_SELECTOR, f"#va-chatbot .va-route-{route}")
        audit.check(route, UI_LAYOUT)
        _ui_ask(browser, FOLLOW_UP)
        alert = browser.find_element(By.CSS_SELECTOR, f"#va-alerts .va-alert-{route}")
        assert alert.is_displayed() and alert.find_element(By.CSS_SELECTOR, ".va-alert-text").text
        rect = browser.execute_script("return arguments[0].getBoundingClientRect().bottom", alert)
        assert rect <= height  # still on screen while the later answer shows
        audit.check(f"{route}, then an answer", UI_LAYOUT)
    assert audit.states == 9
    audit.assert_clean()


# -- /demo and the widget -------------------------------------------------------------------
WIDGET_LAYOUT = (".va-input", ".va-bot[data-route]", ".va-log")


def _widget_ask(driver: Any, question: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sel = ".va-bot[data-route]"
    before = len(driver.find_elements(By.CSS_SELECTOR, sel))
    box = driver.find_element(By.CSS_SELECTOR, ".va-input")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, sel)) > before)
    return driver.find_elements(By.CSS_SELECTOR, sel)[-1]


def _demo_open(driver: Any, url: str) -> Any:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/demo")
    return wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".va-bubble"))


@pytest.mark.parametrize(("width", "height"), WIDTHS, ids=["1280px", "390px"])
def test_widget_meets_wcag_aa(site: str, browser: Any, axe: str, width: int, height: int) -> None:
    from selenium.webdriver.common.by import By

    emulate(browser, width, height)
    audit = Audit(browser, axe, width)
    bubble = _demo_open(browser, site)
    audit.check("demo, widget closed")
    bubble.click()
    assert browser.find_element(By.CSS_SELECTOR, ".va-panel").is_displayed()
    audit.check("demo, widget open")

    reply = _widget_ask(browser, ANSWER)
    assert reply.get_attribute("data-route") == "answer"
    link = reply.find_element(By.CSS_SELECTOR, "a.va-source-title")
    assert link.get_attribute("href") == URL
    assert reply.find_element(By.CSS_SELECTOR, ".va-source-meta").text.endswith("(version 1)")
    audit.check("answer", WIDGET_LAYOUT)
    reply = _widget_ask(browser, NO_ANSWER)
    assert reply.get_attribute("data-route") == "no_answer"
    audit.check("no_answer", WIDGET_LAYOUT)

    for route, question in ESCALATIONS.items():
        _demo_open(browser, site).click()  # a new conversation
        reply = _widget_ask(browser, question)
        assert reply.get_attribute("data-route") == route
        audit.check(route, WIDGET_LAYOUT)
        _widget_ask(browser, FOLLOW_UP)
        alert = browser.find_element(By.CSS_SELECTOR, f".va-alerts .va-alert-{route}")
        assert alert.is_displayed() and alert.find_element(By.CSS_SELECTOR, ".va-alert-text").text
        audit.check(f"{route}, then an answer", WIDGET_LAYOUT)
    assert audit.states == 10
    audit.assert_clean()


def test_api_citations_carry_the_article_url(site: str) -> None:
    body = {"messages": [{"role": "user", "content": ANSWER}]}
    cites = httpx.post(f"{site}/v1/chat", json=body, timeout=60).json()["citations"]
    assert cites and {c["url"] for c in cites} == {URL}
    done = httpx.post(f"{site}/v1/chat/completions", json=body, timeout=60).json()
    content = done["choices"][0]["message"]["content"]
    assert f"]({URL}) — " in content and "(version 1)" in content


# -- keyboard only --------------------------------------------------------------------------
def test_widget_by_keyboard_only(site: str, browser: Any) -> None:
    """Tab to the bubble, open, type, send, read the reply, close: no mouse."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    emulate(browser, 390, 844, reduced_motion=True)
    _demo_open(browser, site)
    bubble = tab_to(browser, ".va-bubble")
    assert bubble.get_attribute("aria-expanded") == "false"
    press(browser, Keys.ENTER)
    assert focused(browser, "#va-question") and bubble.get_attribute("aria-expanded") == "true"
    press(browser, ANSWER, Keys.ENTER)
    reply = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".va-bot[data-route]"))
    assert focused(browser, "#va-question")  # ready for the next question
    log = browser.find_element(By.CSS_SELECTOR, ".va-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert "fibromyalgia" in reply.text.lower() and "(version 1)" in reply.text
    press(browser, Keys.TAB, shift=True)  # back into the reply: its last control
    assert browser.execute_script("return arguments[0].contains(document.activeElement)", reply), (
        "the reply's controls are not reachable by keyboard"
    )
    assert not browser.execute_script(MOVING, ".va-w *")  # reduced motion respected
    press(browser, Keys.ESCAPE)
    assert not browser.find_element(By.CSS_SELECTOR, ".va-panel").is_displayed()
    assert focused(browser, ".va-bubble") and bubble.get_attribute("aria-expanded") == "false"


def test_ui_by_keyboard_only(site: str, browser: Any) -> None:
    """Tab to an example question, send it, then type a follow-up: focus stays in the box."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    emulate(browser, 1280, 900)
    _ui_open(browser, site)
    assert browser.execute_script(MOVING, ".gradio-container *")  # Gradio animates...
    emulate(browser, 1280, 900, reduced_motion=True)
    assert not browser.execute_script(MOVING, ".gradio-container *")  # ...unless asked not to
    tab_to(browser, "#va-chatbot .examples button.example")
    press(browser, Keys.ENTER)
    done = "#va-chatbot .va-disclaimer"
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, done)) == 1)
    wait(browser, lambda d: focused(d, "#va-input textarea"), 15)
    press(browser, FOLLOW_UP, Keys.ENTER)
    wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, done)) == 2)
    wait(browser, lambda d: focused(d, "#va-input textarea"), 15)
    text = browser.find_element(By.CSS_SELECTOR, "#va-chatbot [role=log]").text
    assert "chronic pain" in text.lower() and "Sources" in text
