"""Small contracts between the answer service and its guardrails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.compose.extractive import Composition
from assistant.index.snapshot import IndexSnapshot
from assistant.models import Route

__all__ = ["InputRail", "OutputGate", "RailDecision"]


@dataclass(frozen=True)
class RailDecision:
    """An input rail's verdict: answer with `text` on `route` instead of retrieving."""

    route: Route
    text: str
    reason: str = ""


class InputRail(Protocol):
    """Looks at the whole conversation before retrieval."""

    def check(self, messages: Sequence[dict[str, Any]]) -> RailDecision | None:
        """A decision, or None to go on to retrieval."""
        ...


class OutputGate(Protocol):
    """Removes answer sentences that the passages they cite do not support."""

    def filter(
        self, composition: Composition, question: str, snapshot: IndexSnapshot
    ) -> Composition | None:
        """The supported part of the composition, or None when nothing is left."""
        ...
