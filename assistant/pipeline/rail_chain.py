"""The input rails run in order: the first decision wins; notices and rescues are asked of all."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from assistant.pipeline.contracts import InputRail, RailDecision

__all__ = ["RailChain"]

URGENT = ("emergency", "crisis")


class RailChain:
    """The configured input rails, with the optional hooks some rails offer."""

    def __init__(self, rails: Sequence[InputRail] = ()) -> None:
        self.rails = list(rails)

    def __iter__(self) -> Iterator[InputRail]:
        return iter(self.rails)

    def check(self, msgs: list[dict[str, str]]) -> RailDecision | None:
        """The first rail's decision, or None to go on to retrieval."""
        for rail in self.rails:
            decision = rail.check(msgs)
            if decision is not None:
                return decision
        return None

    def urgent(self, msgs: list[dict[str, str]]) -> RailDecision | None:
        """The emergency or crisis decision alone (used on messages over the size limit)."""
        for rail in self.rails:
            if getattr(rail, "route", None) in URGENT and (d := rail.check(msgs)) is not None:
                return d
        return None

    def rescue(self, msgs: list[dict[str, str]]) -> RailDecision | None:
        """A rail's reply instead of no_answer (someone's own situation gets a referral)."""
        for rail in self.rails:
            rescue = getattr(rail, "rescue", None)
            decision = rescue(msgs) if callable(rescue) else None
            if decision is not None:
                return decision
        return None

    def notices(self, msgs: list[dict[str, str]]) -> list[str]:
        """Standing notices for this conversation (crisis resources stay visible)."""
        out = []
        for rail in self.rails:
            notice = getattr(rail, "notice", None)
            text = notice(msgs) if callable(notice) else None
            if text:
                out.append(text)
        return out
