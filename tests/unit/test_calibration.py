"""Calibrated values live in calibration.yaml with their provenance, apart from operator settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.config import calibration as cal
from assistant.config.settings import Settings


def _field(settings: Settings, key: str) -> float:
    section, name = key.split(".")
    return float(getattr(getattr(settings, section), name))


def test_every_calibrated_value_is_a_setting_default_with_provenance() -> None:
    """Each value entry is the default of a real setting; each entry says data, split, script."""
    entries = cal.calibration()
    values = {k: e for k, e in entries.items() if "value" in e}
    assert len(values) >= 10 and any("artefact" in e for e in entries.values())
    defaults = Settings()
    for key, entry in values.items():
        assert _field(defaults, key) == pytest.approx(float(entry["value"])), key
        assert all(str(entry[f]).strip() for f in ("data", "split", "script", "description"))
        section, name = key.split(".")
        described = type(getattr(defaults, section)).model_fields[name].description or ""
        assert "calibration.yaml" in described and entry["description"] in described


def test_an_operator_can_still_override_a_calibrated_value(monkeypatch) -> None:
    """The env var of the setting wins over the calibrated default."""
    monkeypatch.setenv("VA_RETRIEVAL__RELEVANCE_FLOOR", "0.5")
    assert Settings().retrieval.relevance_floor == 0.5


def test_an_entry_without_provenance_is_refused(tmp_path: Path, monkeypatch) -> None:
    """A value with no data, split or script cannot be loaded."""
    bad = tmp_path / "calibration.yaml"
    bad.write_text(yaml.safe_dump({"retrieval.sentence_floor": {"value": 0.3}}), encoding="utf-8")
    monkeypatch.setattr(cal, "CALIBRATION_PATH", bad)
    cal.calibration.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"retrieval\.sentence_floor"):
            cal.calibration()
    finally:
        cal.calibration.cache_clear()
