"""Eval cases are data: YAML files in eval/cases/, validated on load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from assistant.errors import AssistantError
from assistant.models import ROUTES

__all__ = ["EvalCase", "Expectation", "load_cases"]


class Expectation(BaseModel):
    """What a case expects of the answer."""

    route: list[str] = Field(description="Acceptable routes (one or more).")
    sections: list[str] = Field(default_factory=list, description="Cite one of these sections.")
    facts: list[list[str]] = Field(
        default_factory=list, description="Each group: the answer must contain one alternative."
    )
    forbidden: list[str] = Field(
        default_factory=list, description="Regexes that must not match the answer."
    )

    @field_validator("route", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> list[str]:
        routes = [v] if isinstance(v, str) else list(v)
        bad = [r for r in routes if r not in ROUTES]
        if bad:
            raise ValueError(f"unknown route(s) {bad}; use one of {', '.join(ROUTES)}")
        return routes

    @field_validator("facts", mode="before")
    @classmethod
    def _groups(cls, v: Any) -> list[list[str]]:
        return [[g] if isinstance(g, str) else list(g) for g in (v or [])]


class EvalCase(BaseModel):
    """One graded conversation; only its last user turn is graded."""

    id: str = Field(description="Unique case id.")
    question: str | None = Field(None, description="A single user question.")
    messages: list[dict[str, str]] | None = Field(None, description="A conversation.")
    expect: Expectation = Field(description="The expected behaviour.")
    file: str = Field("", description="The YAML file the case came from.")
    tags: list[str] = Field(default_factory=list, description="Free labels.")

    @model_validator(mode="before")
    @classmethod
    def _routing_shorthand(cls, data: Any) -> Any:
        """Accept `expected_route` (+ optional `accept`) as used by the routing cases."""
        if isinstance(data, dict) and "expect" not in data and "expected_route" in data:
            data = dict(data)
            route = data.pop("expected_route")
            accept = data.pop("accept", None)
            if accept is None:
                accept = ["answer", "no_answer"] if route in ("answer", "no_answer") else [route]
            data["expect"] = {"route": [route, *[a for a in accept if a != route]]}
        return data

    @model_validator(mode="after")
    def _one_input(self) -> EvalCase:
        if (self.question is None) == (self.messages is None):
            raise ValueError("give exactly one of 'question' or 'messages'")
        return self

    @property
    def conversation(self) -> list[dict[str, str]]:
        """The messages to send."""
        return self.messages or [{"role": "user", "content": self.question or ""}]

    @property
    def last_question(self) -> str:
        """The graded user turn."""
        return [m["content"] for m in self.conversation if m["role"] == "user"][-1]

    @property
    def kind(self) -> str:
        """answerable, trap (no_answer), routing, or conversation."""
        if self.messages and len(self.messages) > 1:
            return "conversation"
        if self.expect.route == ["answer"]:
            return "answerable"
        if "no_answer" in self.expect.route and "answer" not in self.expect.route:
            return "trap"
        return "routing"


def load_cases(folder: Path | str) -> list[EvalCase]:
    """Every case in every *.yaml file of a folder; errors name the file and the case."""
    folder = Path(folder)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise AssistantError(f"no eval cases: {folder} has no *.yaml files")
    cases: list[EvalCase] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise AssistantError(f"{path}: invalid YAML: {exc}".splitlines()[0]) from None
        if isinstance(data, dict):
            data = data.get("cases", [])
        for i, raw in enumerate(data):
            try:
                case = EvalCase(**{**raw, "file": path.name})
            except (ValidationError, TypeError) as exc:
                where = raw.get("id", f"#{i}") if isinstance(raw, dict) else f"#{i}"
                msg = str(exc).splitlines()
                raise AssistantError(f"{path}: case {where}: {' '.join(msg[:3])}") from None
            if case.id in seen:
                raise AssistantError(
                    f"{path}: duplicate case id '{case.id}' (also in {seen[case.id]})"
                )
            seen[case.id] = path.name
            cases.append(case)
    return cases
