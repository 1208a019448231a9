"""The LangChain runnable: system prompt from prompts/, numbered passages, the chat model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.index.snapshot import Passage
from assistant.models import Citation

__all__ = ["build_chain", "format_passages", "number_passages"]


def number_passages(passages: Sequence[Passage], scores: Sequence[float]) -> list[Citation]:
    """Citations [1..k] for the passages given to the model; each quote is the whole passage."""
    return [
        Citation(n=n, quote=p.text, score=round(float(s), 4), **p.source())
        for n, (p, s) in enumerate(zip(passages, scores, strict=True), start=1)
    ]


def format_passages(passages: Sequence[Passage]) -> str:
    """`[n] Title — Section` then the passage text, one block per passage."""
    return "\n\n".join(
        f"[{n}] {p.title} — {p.section}\n{p.text}" for n, p in enumerate(passages, start=1)
    )


def build_chain(model: BaseChatModel, system: Callable[[], str]) -> Runnable[dict[str, Any], str]:
    """{"question", "passages"} -> the model's text; `system` is read on every call."""

    def messages(inputs: dict[str, Any]) -> list[BaseMessage]:
        user = (
            f"Passages:\n\n{format_passages(inputs['passages'])}\n\n"
            f"Question: {inputs['question']}\n"
            "Answer from the passages, citing each sentence as [n]."
        )
        return [SystemMessage(system()), HumanMessage(user)]

    return RunnableLambda(messages) | model | StrOutputParser()
