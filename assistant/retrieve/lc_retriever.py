"""LangChain adapter: the hybrid search as a `BaseRetriever` integrators can reuse."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

__all__ = ["VettedRetriever"]


class VettedRetriever(BaseRetriever):
    """Returns the live index's best passages as LangChain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    service: Any
    k: int = 5

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(
                page_content=h.passage.text,
                id=h.passage.id,
                metadata={
                    "article_id": h.passage.article_id,
                    "title": h.passage.title,
                    "section": h.passage.section,
                    "version": h.passage.version,
                    "score": h.dense,
                    "fused": h.fused,
                },
            )
            for h in self.service.search(query, self.k)
        ]
