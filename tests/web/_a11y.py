"""Accessibility checks for browser tests: axe-core, contrast at rendered opacity, layout."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "AXE_TAGS",
    "MOVING",
    "TEXT",
    "Audit",
    "axe_script",
    "blocking",
    "contrast_failures",
    "describe",
    "emulate",
    "focused",
    "layout_problems",
    "press",
    "run_axe",
    "tab_to",
    "wait",
]

HERE = Path(__file__).resolve().parent
# WCAG 2.0/2.1/2.2 A and AA rules, plus best practices (they report but only serious and
# critical findings fail a test).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_script() -> tuple[str, str]:
    """(axe-core source, where it came from): npm's pinned copy, else axe-selenium-python's."""
    npm = HERE / "node_modules" / "axe-core" / "axe.min.js"
    if npm.exists():
        return npm.read_text(encoding="utf-8"), str(npm)
    try:
        import axe_selenium_python
    except ImportError:  # pragma: no cover - dev extra always installs it
        import pytest

        pytest.skip("axe-core is not installed (make sysdeps, or pip install axe-selenium-python)")
    bundled = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    warnings.warn(
        "tests/web/node_modules/axe-core is missing (make sysdeps): using the older axe-core "
        "bundled with axe-selenium-python, which has no WCAG 2.2 rules",
        stacklevel=2,
    )
    return bundled.read_text(encoding="utf-8"), str(bundled)


def run_axe(driver: Any, source: str) -> dict[str, Any]:
    """Inject axe-core into the page and run it on the whole document."""
    driver.execute_script(source)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done({violations: r.violations,"
        " version: axe.version})).catch(e => done({error: String(e)}));",
        options,
    )
    if "error" in result:
        raise AssertionError(f"axe-core failed: {result['error']}")
    return result


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations that fail a test: serious or critical, and every contrast failure."""
    return [
        v
        for v in violations
        if v.get("impact") in ("serious", "critical") or v["id"].startswith("color-contrast")
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violated rule with its first targets and why."""
    lines = []
    for v in violations:
        nodes = v.get("nodes", [])
        where = "; ".join(
            f"{json.dumps(n.get('target'))}: {' '.join(n.get('failureSummary', '').split())[:160]}"
            for n in nodes[:3]
        )
        lines.append(f"[{v.get('impact')}] {v['id']} x{len(nodes)}: {where}")
    return "\n".join(lines)


def emulate(driver: Any, width: int, height: int, reduced_motion: bool = False) -> None:
    """A real width x height CSS-pixel viewport (a phone below 600 px), and motion preference."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {
            "features": [
                {"name": "prefers-reduced-motion", "value": "reduce" if reduced_motion else ""}
            ]
        },
    )


# Contrast of text as drawn: colours composited through every ancestor's background and
# group opacity (source-over), down to the white page. axe reports the same rule, this check
# names the banners and notes of our own markup and cannot be skipped as "needs review".
_CONTRAST_JS = """
const sels = arguments[0];
function parse(c) {
  const m = c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, bottom) {
  const a = top[3] + bottom[3] * (1 - top[3]);
  if (a === 0) return [0, 0, 0, 0];
  const mix = i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
  return [mix(0), mix(1), mix(2), a];
}
function drawn(el, withText) {
  let px = withText ? parse(getComputedStyle(el).color) : [0, 0, 0, 0];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const cs = getComputedStyle(n);
    px = over(px, parse(cs.backgroundColor));
    px = [px[0], px[1], px[2], px[3] * parseFloat(cs.opacity)];
  }
  return over(px, [255, 255, 255, 1]);
}
function lum(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
const out = [];
for (const sel of sels) {
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !el.textContent.trim()) continue;
    const cs = getComputedStyle(el);
    const fg = lum(drawn(el, true)), bg = lum(drawn(el, false));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    out.push({sel: sel, text: el.textContent.trim().slice(0, 40), ratio: ratio, need: need});
  }
}
return out;
"""


def contrast_failures(driver: Any, selectors: list[str]) -> tuple[int, list[str]]:
    """(elements measured, those below AA) for text matching the selectors."""
    measured = driver.execute_script(_CONTRAST_JS, selectors)
    bad = [
        f"{m['sel']} '{m['text']}': {m['ratio']:.2f}:1 < {m['need']}:1"
        for m in measured
        if m["ratio"] < m["need"]
    ]
    return len(measured), bad


_LAYOUT_JS = """
const [inputSel, replySel, scrollerSel, toolSel, textSel] = arguments;
const vw = window.innerWidth, vh = window.innerHeight, doc = document.documentElement;
const problems = [];
const box = document.querySelector(inputSel);
if (!box) return ['no question box ' + inputSel];
const b = box.getBoundingClientRect();
if (b.top < 0 || b.bottom > vh + 1 || b.left < 0 || b.right > vw + 1)
  problems.push('question box is off screen: ' + JSON.stringify([b.top, b.bottom, vw, vh]));
if (doc.scrollWidth > vw + 1) problems.push('page scrolls sideways: ' + doc.scrollWidth + ' > ' + vw);
const replies = document.querySelectorAll(replySel);
const last = replies[replies.length - 1];
if (!last) problems.push('no reply ' + replySel);
else {
  const sc = document.querySelector(scrollerSel).getBoundingClientRect();
  const r = last.getBoundingClientRect();
  const top = Math.max(r.top, sc.top, 0), bottom = Math.min(r.bottom, sc.bottom, vh);
  const shown = bottom - top, want = Math.min(r.height, 80);
  if (shown < want) problems.push('latest reply not on screen with the box: ' + shown.toFixed(0) + 'px shown');
  if (bottom > b.top + 1 && top < b.bottom) problems.push('latest reply overlaps the question box');
}
if (toolSel) {
  const texts = Array.from(document.querySelectorAll(textSel)).map(e => e.getBoundingClientRect());
  for (const t of document.querySelectorAll(toolSel)) {
    const a = t.getBoundingClientRect();
    if (!a.width) continue;
    for (const r of texts) {
      if (a.left < r.right - 1 && a.right > r.left + 1 && a.top < r.bottom - 1 && a.bottom > r.top + 1)
        problems.push('toolbar button "' + (t.getAttribute('aria-label') || t.textContent) + '" overlaps message text');
    }
  }
}
return problems;
"""


def layout_problems(
    driver: Any,
    input_sel: str,
    reply_sel: str,
    scroller_sel: str,
    tool_sel: str = "",
    text_sel: str = "",
) -> list[str]:
    """What keeps the question box and the latest reply from sharing one clean screen."""
    return list(
        driver.execute_script(_LAYOUT_JS, input_sel, reply_sel, scroller_sel, tool_sel, text_sel)
    )


# Our own text, checked for contrast as drawn (Gradio fades chat messages with opacity).
TEXT = [
    ".va-banner", ".va-alert-text", ".va-disclaimer", ".va-quote", ".va-source-title",
    ".va-source-meta", "#va-chatbot .message-content p", ".va-msg", ".va-send", ".va-vote",
]  # fmt: skip


def wait(driver: Any, cond: Callable[[Any], Any], timeout: float = 90) -> Any:
    """WebDriverWait(...).until(cond)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(cond)


class Audit:
    """Collects every problem of every state, so one run reports them all."""

    def __init__(self, driver: Any, axe: str, width: int) -> None:
        self.driver, self.axe, self.width = driver, axe, width
        self.problems: dict[str, list[str]] = {}
        self.states = 0

    def check(self, state: str, layout: tuple[str, ...] = ()) -> None:
        """axe-core, contrast as drawn, and (for a reply) the one-screen layout."""
        self.states += 1
        found = []
        bad = blocking(run_axe(self.driver, self.axe)["violations"])
        if bad:
            found.append(describe(bad))
        found += contrast_failures(self.driver, TEXT)[1]
        if layout:
            found += layout_problems(self.driver, *layout)
        if found:
            self.problems[f"{state} @ {self.width}px"] = found

    def assert_clean(self) -> None:
        """Fail with the full report."""
        report = "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in self.problems.items())
        assert not self.problems, f"accessibility problems:\n{report}"


def press(driver: Any, *keys: str, shift: bool = False) -> None:
    """Key presses through the keyboard only (no element is clicked)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    chain = ActionChains(driver)
    if shift:
        chain.key_down(Keys.SHIFT)
    chain.send_keys(*keys)
    if shift:
        chain.key_up(Keys.SHIFT)
    chain.perform()


def tab_to(driver: Any, css: str, limit: int = 25) -> Any:
    """Press Tab until the focused element matches css; it must show a focus ring."""
    from selenium.webdriver.common.keys import Keys

    for _ in range(limit):
        press(driver, Keys.TAB)
        el = driver.switch_to.active_element
        if driver.execute_script("return arguments[0].matches(arguments[1])", el, css):
            ring = float(el.value_of_css_property("outline-width").removesuffix("px") or 0)
            assert el.value_of_css_property("outline-style") != "none" and ring >= 2, css
            return el
    raise AssertionError(f"Tab never reached {css}")


def focused(driver: Any, css: str) -> bool:
    """Whether the focused element matches css."""
    el = driver.switch_to.active_element
    return bool(driver.execute_script("return arguments[0].matches(arguments[1])", el, css))


# Elements that transition or animate (the page under prefers-reduced-motion must have none).
MOVING = (
    "return Array.from(document.querySelectorAll(arguments[0])).filter(e => {"
    " const s = getComputedStyle(e);"
    " return parseFloat(s.transitionDuration) > 0.001 || s.animationName !== 'none'; }).length"
)
