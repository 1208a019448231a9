"""The README's settings table is the one the settings tree generates."""

from __future__ import annotations

from assistant.config.reference import README_BLOCK, markdown_table, update_readme
from tests.conftest import ROOT


def test_readme_settings_table_is_current() -> None:
    """Fails when a setting, default or description changed without regenerating the README."""
    block = README_BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block, "README.md lost its <!-- settings:start --> ... <!-- settings:end --> markers"
    assert markdown_table() in block.group(0), (
        "README settings table is stale: run `python -m assistant.config.reference README.md`"
    )


def test_table_lists_every_setting_with_a_description(tmp_path) -> None:
    """Every row has an env var, a default and a description; update_readme rewrites a copy."""
    table = markdown_table()
    rows = [r for r in table.splitlines()[2:]]
    assert len(rows) > 60 and all(r.count(" | ") >= 2 and not r.endswith("|  |") for r in rows)
    assert "| `VA_SERVER__MAX_CONCURRENCY` | `32` |" in table
    copy = tmp_path / "README.md"
    copy.write_text("x\n<!-- settings:start -->\nold\n<!-- settings:end -->\ny\n", encoding="utf-8")
    assert update_readme(copy) and not update_readme(copy)
    assert markdown_table() in copy.read_text(encoding="utf-8")
