"""Section-aware chunking: whole sentences grouped under their heading, with exact offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.corpus.articles import Article
from assistant.corpus.text import sentence_spans

__all__ = ["CHUNKER_VERSION", "Chunk", "chunk_article", "embed_key"]

CHUNKER_VERSION = "c1"


@dataclass(frozen=True)
class Chunk:
    """A passage of one section: `text` is a verbatim slice of the article body."""

    article_id: str
    title: str
    section: str
    version: str
    position: int
    text: str
    start: int
    sentences: tuple[tuple[int, int], ...]
    source: str = ""

    @property
    def prefix(self) -> str:
        """Context prepended for embedding and BM25 (title and heading)."""
        return f"{self.title}. {self.section}. "

    @property
    def embed_text(self) -> str:
        """What the encoder sees: prefix plus the passage."""
        return self.prefix + self.text

    @property
    def id(self) -> str:
        """Content hash of everything stored with the chunk."""
        key = "\x1f".join(
            [CHUNKER_VERSION, self.article_id, self.title, self.section, self.version,
             str(self.position), self.source, self.text]
        )  # fmt: skip
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def embed_key(model_id: str, embed_text: str) -> str:
    """Cache key of a chunk's vectors: the model and the exact text it encoded."""
    return hashlib.sha256(f"{model_id}\x1f{embed_text}".encode()).hexdigest()[:32]


def _n_words(text: str) -> int:
    return len(text.split())


def chunk_article(article: Article, max_words: int = 150) -> list[Chunk]:
    """Split an article into chunks of whole sentences that never cross a heading."""
    chunks: list[Chunk] = []
    body = article.body
    for section in article.sections():
        spans = sentence_spans(section.text)
        groups: list[list[tuple[int, int]]] = []
        current: list[tuple[int, int]] = []
        count = 0
        for s, e in spans:
            n = _n_words(section.text[s:e])
            if current and count + n > max_words:
                groups.append(current)
                current, count = [], 0
            current.append((s, e))
            count += n
        if current:
            groups.append(current)
        for group in groups:
            g_start, g_end = group[0][0], group[-1][1]
            abs_start = section.start + g_start
            text = body[abs_start : section.start + g_end]
            rel = tuple((s - g_start, e - g_start) for s, e in group)
            chunks.append(
                Chunk(
                    article_id=article.id,
                    title=article.title,
                    section=section.heading,
                    version=article.version,
                    position=len(chunks),
                    text=text,
                    start=abs_start,
                    sentences=rel,
                    source=article.source,
                )
            )
    return chunks
