"""Reports for people: report.json and a self-contained report.html."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from assistant.models import ROUTES

__all__ = ["render_html", "write_reports"]

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2733;background:#f7f9fb}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
.tiles{display:flex;flex-wrap:wrap;gap:10px}
.tile{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:10px 14px;min-width:150px}
.tile b{display:block;font-size:20px}.tile.fail{border-color:#c62828;background:#fdecea}
.tile.ok{border-color:#2e7d32}
table{border-collapse:collapse;background:#fff;margin-top:8px}
td,th{border:1px solid #dde3ea;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#eef2f6}.num{text-align:right}
.cm td{text-align:center;min-width:48px}
.bad{color:#c62828;font-weight:600}.small{font-size:12px;color:#555}
blockquote{margin:2px 0;padding-left:8px;border-left:3px solid #9bb}
"""


def _tile(name: str, value: Any, status: str | None) -> str:
    cls = {"fail": " fail", "ok": " ok"}.get(status or "", "")
    shown = "–" if value is None else value
    return f'<div class="tile{cls}"><span>{html.escape(name)}</span><b>{shown}</b></div>'


def _confusion(conf: dict[str, dict[str, int]]) -> str:
    used = [r for r in ROUTES if sum(conf[r].values()) or sum(conf[e][r] for e in ROUTES)]
    peak = max([v for row in conf.values() for v in row.values()] + [1])
    rows = ["<tr><th>expected \\ got</th>" + "".join(f"<th>{r}</th>" for r in used) + "</tr>"]
    for e in used:
        cells = []
        for g in used:
            v = conf[e][g]
            alpha = 0.08 + 0.85 * v / peak if v else 0
            color = "46,125,50" if e == g else "198,40,40"
            style = f' style="background:rgba({color},{alpha:.2f})"' if v else ""
            cells.append(f"<td{style}>{v}</td>")
        rows.append(f"<tr><th>{e}</th>{''.join(cells)}</tr>")
    return f'<table class="cm">{"".join(rows)}</table>'


def _bars(per_route: dict[str, dict[str, Any]]) -> str:
    routes = [
        r
        for r in ROUTES
        if per_route.get(r, {}).get("support") or per_route.get(r, {}).get("predicted")
    ]
    width, row_h = 520, 26
    parts = [f'<svg width="{width + 160}" height="{row_h * len(routes) * 2 + 20}" role="img">']
    y = 10
    for r in routes:
        for metric, color in (("precision", "#1565c0"), ("recall", "#ef6c00")):
            v = per_route[r].get(metric)
            w = int(width * (v or 0))
            label = "–" if v is None else f"{v:.2f}"
            parts.append(
                f'<text x="0" y="{y + 14}" font-size="12">{r} {metric[0]}</text>'
                f'<rect x="120" y="{y}" width="{w}" height="{row_h - 8}" fill="{color}"/>'
                f'<text x="{126 + w}" y="{y + 14}" font-size="12">{label}</text>'
            )
            y += row_h
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: dict[str, Any]) -> str:
    """A single HTML file: tiles, confusion matrix, per-route bars, failed cases."""
    m = report["metrics"]
    gate = {g["metric"]: g for g in report.get("gate", [])}
    tiles = []
    for name in (
        "pass_rate", "route_accuracy", "escalation_recall", "hallucination_rate",
        "unsupported_sentence_rate", "citation_precision", "facts_recall", "forbidden_clean",
        "no_answer_precision", "no_answer_recall", "retrieval_hit_at_k", "retrieval_mrr",
        "latency_p50_ms", "latency_p95_ms",
    ):  # fmt: skip
        g = gate.get(name)
        tiles.append(_tile(name, m.get(name), None if g is None else ("ok" if g["ok"] else "fail")))
    failed_rows = []
    for c in report["cases"]:
        if c["passed"]:
            continue
        bad = ", ".join(k for k, v in c["checks"].items() if not v)
        cites = "".join(
            f"<blockquote>[{x['n']}] {html.escape(x['section'])}: "
            f"{html.escape(x['quote'])}</blockquote>"
            for x in c["citations"]
        )
        failed_rows.append(
            f"<tr><td>{html.escape(c['id'])}<div class=small>{html.escape(c['file'])}</div></td>"
            f"<td>{html.escape(c['question'])}</td>"
            f"<td>{html.escape(', '.join(c['expected_route']))}"
            f"<div class=small>{html.escape(', '.join(c['expected_sections']))}</div></td>"
            f"<td>{html.escape(c['route'])}</td><td>{html.escape(c['answer'])}{cites}</td>"
            f'<td class="bad">{html.escape(bad)}</td></tr>'
        )
    gate_rows = "".join(
        f"<tr><td>{html.escape(g['metric'])}</td><td class=num>{g['value']}</td>"
        f"<td>{g['op']} {g['threshold']}</td><td class={'' if g['ok'] else 'bad'}>"
        f"{'ok' if g['ok'] else 'MISSED'}</td></tr>"
        for g in report.get("gate", [])
    )
    regress = "".join(f"<li>{html.escape(x)}</li>" for x in report.get("regressions", []))
    run = report["run"]
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>vetted-assistant eval {html.escape(run["started"])}</title><style>{_CSS}</style></head><body>
<h1>Evaluation report</h1>
<p class=small>{html.escape(run["started"])} · backend {html.escape(run["backend"])}
· index generation {run["generation"]} · {m["cases"]} cases, {m["passed"]} passed
· {run["seconds"]} s</p>
<div class="tiles">{"".join(tiles)}</div>
<h2>Gate</h2><table><tr><th>metric</th><th>value</th><th>threshold</th><th></th></tr>{gate_rows}</table>
{"<h2>Regressions against the baseline</h2><ul>" + regress + "</ul>" if regress else ""}
<h2>Routes: confusion matrix</h2>{_confusion(m["confusion"])}
<h2>Per-route precision and recall</h2>{_bars(m["per_route"])}
<h2>Failed cases ({len(failed_rows)})</h2>
<table><tr><th>case</th><th>question</th><th>expected</th><th>got</th><th>answer and citations</th>
<th>failed evaluators</th></tr>{"".join(failed_rows) or "<tr><td colspan=6>none</td></tr>"}</table>
</body></html>"""


def write_reports(report: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write report.json and report.html into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    js = out_dir / "report.json"
    js.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    page = out_dir / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return js, page
