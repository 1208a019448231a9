"""One typed settings tree: env overrides, described fields, unsafe values refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from assistant.config.settings import Settings


def test_env_vars_override_nested_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VA_STORE__MODE", "http")
    monkeypatch.setenv("VA_STORE__PORT", "9123")
    monkeypatch.setenv("VA_RETRIEVAL__TOP_K", "7")
    monkeypatch.setenv("VA_SAFETY__CRISIS_LINE", "116 123")
    s = Settings()
    assert (s.store.mode, s.store.port, s.retrieval.top_k) == ("http", 9123, 7)
    assert s.safety.crisis_line == "116 123"


def test_defaults_are_embedded_and_us_numbers() -> None:
    s = Settings()
    assert s.store.mode == "embedded"
    assert (s.safety.emergency_number, s.safety.crisis_line) == ("911", "988")
    assert s.corpus.path == Path("corpus")


def test_every_field_has_a_description() -> None:
    def walk(model: type[BaseModel], prefix: str) -> list[str]:
        missing = []
        for name, field in model.model_fields.items():
            if not field.description:
                missing.append(prefix + name)
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                missing += walk(ann, f"{prefix}{name}.")
        return missing

    assert walk(Settings, "") == []


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"retrieval": {"relevance_floor": 0.0}}, "relevance_floor"),
        ({"retrieval": {"relevance_floor": 1.5}}, "relevance_floor"),
        ({"retrieval": {"top_k": 2}, "composer": {"max_passages": 3}}, "max_passages"),
        ({"store": {"mode": "cloud"}}, "mode"),
        ({"store": {"collection": "a b"}}, "collection"),
        ({"embedding": {"batch_size": 0}}, "batch_size"),
    ],
)
def test_unsafe_or_invalid_values_are_refused(overrides: dict, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Settings(**overrides)
