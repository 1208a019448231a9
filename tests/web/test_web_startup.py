"""The server answers /healthz at once, /readyz once loaded; /docs works with no network."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web._web import ARTIFACTS, LiveServer, chrome, service_for, web_settings

pytestmark = pytest.mark.server


def test_healthz_at_once_readyz_after_background_load(built_store: Path, tmp_path: Path) -> None:
    from assistant.interfaces.api import create_app

    release = threading.Event()
    settings = web_settings(built_store, tmp_path, ui=False)

    def slow_load() -> Any:
        release.wait(60)  # stands in for loading the model and the index
        return service_for(built_store)

    with LiveServer(create_app(None, settings, loader=slow_load)) as srv:
        assert httpx.get(f"{srv.url}/healthz", timeout=10).json() == {"status": "ok"}
        not_yet = httpx.get(f"{srv.url}/readyz", timeout=10)
        assert not_yet.status_code == 503
        assert not_yet.json()["loading"] is True and not_yet.json()["startup_s"] is None
        chat = httpx.post(
            f"{srv.url}/v1/chat",
            json={"messages": [{"role": "user", "content": "What is chronic pain?"}]},
            timeout=10,
        )
        assert chat.status_code == 503 and chat.json()["error"]["code"] == "index_not_ready"
        release.set()
        deadline = time.monotonic() + 120
        while (ready := httpx.get(f"{srv.url}/readyz", timeout=10)).status_code != 200:
            assert time.monotonic() < deadline, ready.text
            time.sleep(0.1)
        body = ready.json()
        assert body["status"] == "ready" and body["loading"] is False and body["startup_s"] > 0
        chat = httpx.post(
            f"{srv.url}/v1/chat",
            json={"messages": [{"role": "user", "content": "What is chronic pain?"}]},
            timeout=60,
        )
        assert chat.status_code == 200 and chat.json()["route"] == "answer"


def test_failed_background_load_says_why(built_store: Path, tmp_path: Path) -> None:
    from assistant.errors import StoreError
    from assistant.interfaces.api import create_app

    def broken() -> Any:
        raise StoreError("cannot open the Chroma store at /nowhere")

    settings = web_settings(built_store, tmp_path, ui=False)
    with LiveServer(create_app(None, settings, loader=broken)) as srv:
        deadline = time.monotonic() + 30
        while httpx.get(f"{srv.url}/readyz", timeout=10).json()["loading"]:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        body = httpx.get(f"{srv.url}/readyz", timeout=10).json()
        assert body["status"] == "not_ready" and "/nowhere" in body["detail"]
        assert httpx.get(f"{srv.url}/healthz", timeout=10).status_code == 200


@pytest.mark.browser
def test_docs_list_the_endpoints_with_the_network_blocked(
    built_store: Path, tmp_path: Path
) -> None:
    """Swagger UI comes from packaged assets: Chromium resolves no host but 127.0.0.1."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from assistant.interfaces.api import create_app

    settings = web_settings(built_store, tmp_path, ui=False)
    driver = chrome(
        tmp_path,
        extra=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
               "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"],
    )  # fmt: skip
    try:
        with LiveServer(create_app(service_for(built_store), settings)) as srv:
            try:  # the network is really blocked: the CDN FastAPI's own /docs uses is unreachable
                driver.get("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css")
                assert ".swagger-ui" not in driver.page_source
            except WebDriverException as exc:
                assert "ERR_" in str(exc)
            driver.get(f"{srv.url}/docs")
            WebDriverWait(driver, 60).until(
                ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock-summary-path"))
            )
            paths = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / "docs-offline.png"))
        assert {"/v1/chat", "/v1/search", "/healthz", "/readyz"} <= {
            p.strip("\u200b") for p in paths
        }
    finally:
        driver.quit()
