"""Regenerate the README screenshots in docs/: the chat UI and the widget, desktop and phone.

    python -m bench.screenshots [--out docs]

Serves the real corpus from a temporary index on a free loopback port and drives headless
Debian Chromium (chromium + chromium-driver from apt). Phone shots use a 390 x 844 CSS-pixel
viewport, desktop shots 1280 x 900.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = (1280, 900)
PHONE = (390, 844)
QUESTION = "Can ketamine help with fibromyalgia?"
PERSONAL = "How much ketamine should I take for my back pain?"
FOLLOW_UP = "What is chronic pain?"
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900",
)  # fmt: skip


def _serve(app: Any) -> tuple[str, Callable[[], None]]:
    """uvicorn in a thread on a free loopback port: (base url, stop)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=15)

    return f"http://127.0.0.1:{port}", stop


def _browser(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def _viewport(driver: Any, size: tuple[int, int]) -> None:
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _until(driver: Any, cond: Callable[[Any], Any], timeout: float = 120) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(cond)


def _ui_ask(driver: Any, question: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    done = "#va-chatbot .va-disclaimer"
    before = len(driver.find_elements(By.CSS_SELECTOR, done))
    box = driver.find_element(By.CSS_SELECTOR, "#va-input textarea")
    box.send_keys(question, Keys.ENTER)
    _until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, done)) > before)
    _until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#va-input textarea").is_enabled())
    time.sleep(0.8)  # let the chat scroll to the newest reply


def _widget_ask(driver: Any, question: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    done = ".va-bot[data-route]"
    before = len(driver.find_elements(By.CSS_SELECTOR, done))
    driver.find_element(By.CSS_SELECTOR, ".va-input").send_keys(question, Keys.ENTER)
    _until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, done)) > before)
    time.sleep(0.3)


def _ui(driver: Any, url: str, size: tuple[int, int], questions: list[str]) -> None:
    from selenium.webdriver.common.by import By

    _viewport(driver, size)
    driver.get(f"{url}/ui/")
    _until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#va-input textarea"))
    for q in questions:
        _ui_ask(driver, q)


def _widget(driver: Any, url: str, size: tuple[int, int], questions: list[str]) -> None:
    from selenium.webdriver.common.by import By

    _viewport(driver, size)
    driver.get(f"{url}/demo")
    _until(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".va-bubble")).click()
    for q in questions:
        _widget_ask(driver, q)


SHOTS: list[tuple[str, Callable[..., None], tuple[int, int], list[str]]] = [
    ("ui-desktop.png", _ui, DESKTOP, [QUESTION]),
    ("ui-phone.png", _ui, PHONE, [QUESTION]),
    ("ui-phone-referral.png", _ui, PHONE, [PERSONAL, FOLLOW_UP]),
    ("widget-desktop.png", _widget, DESKTOP, [QUESTION]),
    ("widget-phone.png", _widget, PHONE, [QUESTION]),
]


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; 0 on success, 2 when Chromium is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    args = parser.parse_args(argv)
    if not (shutil.which("chromium") and Path("/usr/bin/chromedriver").exists()):
        print("chromium and chromium-driver are needed: make sysdeps", file=sys.stderr)
        return 2
    from assistant.config.env import apply_offline_env

    apply_offline_env()
    from assistant.config.container import build_services
    from assistant.config.settings import Settings
    from assistant.interfaces.api import create_app

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="va-shots-") as tmp:
        settings = Settings(
            store={"path": Path(tmp) / "store", "refresh_interval_s": 0},  # type: ignore[arg-type]
            corpus={"path": ROOT / "corpus"},  # type: ignore[arg-type]
            prompts_path=ROOT / "prompts",
            server={"log_db": Path(tmp) / "log.sqlite3", "ui": True},  # type: ignore[arg-type]
        )
        service = build_services(settings, batching=True)
        service.snapshot()  # ingests corpus/ into the temporary index
        url, stop = _serve(create_app(service, settings))
        driver = _browser(Path(tmp) / "chrome")
        try:
            for name, show, size, questions in SHOTS:
                show(driver, url, size, questions)
                driver.save_screenshot(str(args.out / name))
                print(f"wrote {args.out / name} ({size[0]}x{size[1]})")
        finally:
            driver.quit()
            stop()
    shutil.copy(args.out / "ui-desktop.png", args.out / "screenshot.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
