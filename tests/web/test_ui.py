"""The Gradio chat UI mounted at /ui: gradio_client, rendering, and headless Chromium."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.interfaces.api import create_app
from assistant.interfaces.ui.render import render_answer
from assistant.models import Answer, Citation
from tests.web._web import ARTIFACTS, LiveServer, chrome, service_for, web_settings

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def ui(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A live server with the UI mounted; yields (base url, log db)."""
    tmp = tmp_path_factory.mktemp("ui")
    settings = web_settings(built_store, tmp, ui=True)
    with LiveServer(create_app(service_for(built_store), settings)) as srv:
        yield srv.url, settings.server.log_db


def test_gradio_client_gets_cited_answer(ui: tuple[str, Path]) -> None:
    from gradio_client import Client

    client = Client(f"{ui[0]}/ui/", verbose=False)
    reply = client.predict("Can ketamine help with fibromyalgia?", api_name="/chat")
    assert isinstance(reply, str)
    assert 'class="va-sources"' in reply and "Treating Fibromyalgia" in reply
    assert "va-disclaimer" in reply and "not medical advice" in reply
    db = sqlite3.connect(ui[1])
    channels = [r[0] for r in db.execute("SELECT channel FROM messages")]
    assert "ui" in channels  # the UI calls the same service and log as the API


def test_root_redirects_to_ui(ui: tuple[str, Path]) -> None:
    import httpx

    resp = httpx.get(f"{ui[0]}/", follow_redirects=False)
    assert resp.status_code in (302, 307) and resp.headers["location"] == "/ui/"


def _answer(route: str, text: str = "Call now.") -> Answer:
    cites = [] if route != "answer" else [
        Citation(n=1, article_id="a", title="T <b>", section="S", version="2",
                 quote="Q & q", score=0.9)
    ]  # fmt: skip
    return Answer(answer=text, route=route, citations=cites, disclaimer="Not advice.")  # type: ignore[arg-type]


@pytest.mark.parametrize("route", ["emergency", "crisis", "clinician"])
def test_escalation_routes_stand_out(route: str) -> None:
    html = render_answer(_answer(route))
    assert f'class="va-banner va-route-{route}"' in html and "⚠" in html
    assert "Not advice." in html


def test_answers_are_escaped_and_cite_sources() -> None:
    html = render_answer(_answer("answer", "<script>alert(1)</script> Ketamine [1]"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "T &lt;b&gt;" in html and "Q &amp; q" in html and 'value="1"' in html
    assert "va-banner" not in html


@pytest.mark.browser
def test_browser_chat_streams_cites_and_takes_feedback(
    ui: tuple[str, Path], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chrome(tmp_path, 1280, 1150)
    try:
        driver.get(f"{ui[0]}/ui/")
        wait = WebDriverWait(driver, 90)
        box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "textarea"))
        box.send_keys("Can ketamine help with fibromyalgia?")
        box.send_keys(Keys.ENTER)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".va-sources li"))
        page = driver.find_element(By.TAG_NAME, "body").text
        assert "Sources" in page and "Treating Fibromyalgia" in page
        assert "not medical advice" in page
        time.sleep(0.5)
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "ui.png"))
        driver.find_element(By.CSS_SELECTOR, 'button[aria-label="Like"]').click()

        def rated(_: object) -> bool:
            db = sqlite3.connect(ui[1])
            try:
                return bool(
                    db.execute("SELECT COUNT(*) FROM feedback WHERE rating='up'").fetchone()[0]
                )
            finally:
                db.close()

        WebDriverWait(driver, 30).until(rated)
    finally:
        driver.quit()
