"""The one answer contract shared by the Python API, the CLI and the HTTP API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["ROUTES", "Answer", "Citation", "Message", "Route", "SourceRef"]

Route = Literal["answer", "no_answer", "clinician", "emergency", "crisis", "off_topic", "refused"]
ROUTES: tuple[str, ...] = (
    "answer", "no_answer", "clinician", "emergency", "crisis", "off_topic", "refused",
)  # fmt: skip


class Message(BaseModel):
    """One chat turn."""

    role: Literal["user", "assistant", "system"] = Field(description="Who said it.")
    content: str = Field(description="What was said.")


class SourceRef(BaseModel):
    """Which article, section and version a passage or quote comes from."""

    article_id: str = Field(description="Id of the article.", examples=["ketamine-chronic-pain"])
    title: str = Field(
        description="Title of the article.", examples=["Ketamine Infusion Therapy for Chronic Pain"]
    )
    section: str = Field(description="Heading of the section.", examples=["Clinical Applications"])
    version: str = Field(description="Version of the article.", examples=["1"])


class Citation(SourceRef):
    """A numbered source: `quote` appears verbatim in the cited article."""

    n: int = Field(description="The marker [n] used in the answer text.")
    quote: str = Field(description="The cited passage, verbatim from the article.")
    score: float = Field(description="Similarity of the quote to the question (0-1).")
    url: str | None = Field(
        None, description="Web page of the cited article (its front matter `url`), if any."
    )


class Answer(BaseModel):
    """What every interface returns."""

    answer: str = Field(description="The reply shown to the visitor, with [n] markers.")
    route: Route = Field(description="How the message was handled.")
    citations: list[Citation] = Field(default_factory=list, description="Sources of the answer.")
    disclaimer: str = Field(description="Shown with every reply.")
    timings_ms: dict[str, float] = Field(default_factory=dict, description="Stage timings.")
    backend: str = Field(
        "extractive",
        exclude=True,
        description="What wrote the answer text: 'extractive', or the LLM backend ('openai', "
        "'ollama') when its gated answer was used. Left out of model_dump() so the JSON "
        "contract stays fixed; interfaces add it explicitly.",
    )
