"""The answer service: rails, retrieval, composing and the output gate, in one place."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from assistant.compose.extractive import Composition, ExtractiveComposer
from assistant.compose.llm.backend import AnswerBackend, Health
from assistant.config.prompts import Prompts
from assistant.config.settings import Settings
from assistant.corpus.text import normalize
from assistant.errors import AssistantError, IndexNotReadyError
from assistant.index.embeddings import Embedder
from assistant.index.snapshot import IndexSnapshot
from assistant.index.store import VectorStore
from assistant.ingest.pipeline import IngestReport, IngestService, ProgressFactory
from assistant.models import Answer
from assistant.pipeline.contracts import InputRail, OutputGate, RailDecision
from assistant.pipeline.streaming import Delta, Final, StreamEvent, split_sentences
from assistant.retrieve.answerability import Answerability, asks_quantity, has_quantity
from assistant.retrieve.followups import resolve_query, user_turns
from assistant.retrieve.hybrid import Hit, HybridRetriever, Mode

__all__ = ["AnswerService", "InvalidRequestError", "validate_messages"]

MAX_MESSAGE_CHARS = 4000
MAX_MESSAGES = 50


class InvalidRequestError(AssistantError):
    """The messages are not a valid conversation."""


def validate_messages(messages: Any, max_chars: int = MAX_MESSAGE_CHARS) -> list[dict[str, str]]:
    """A clean list of {role, content} dicts ending with a user turn, or a clear error."""
    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    if not isinstance(messages, list) or not messages:
        raise InvalidRequestError("messages must be a non-empty list of {role, content} objects")
    if len(messages) > MAX_MESSAGES:
        raise InvalidRequestError(f"at most {MAX_MESSAGES} messages per conversation")
    clean: list[dict[str, str]] = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("content"), str):
            raise InvalidRequestError(f"messages[{i}] must be an object with a string 'content'")
        role = m.get("role")
        if role not in ("user", "assistant", "system"):
            raise InvalidRequestError(
                f"messages[{i}].role must be 'user', 'assistant' or 'system', not {role!r}"
            )
        if len(m["content"]) > max_chars:
            raise InvalidRequestError(
                f"messages[{i}].content is {len(m['content'])} characters; the limit is {max_chars}"
            )
        clean.append({"role": role, "content": m["content"]})
    if clean[-1]["role"] != "user" or not clean[-1]["content"].strip():
        raise InvalidRequestError("the last message must be a non-empty user message")
    return clean


def _notice(rail: InputRail, msgs: list[dict[str, str]]) -> str | None:
    """A rail's standing notice for this conversation, when the rail has one."""
    notice = getattr(rail, "notice", None)
    return notice(msgs) if callable(notice) else None


class AnswerService:
    """Answers a conversation from the live index; every interface calls `ask`."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        store: VectorStore,
        retriever: HybridRetriever,
        composer: ExtractiveComposer,
        prompts: Prompts,
        ingester: IngestService,
        rails: Sequence[InputRail] = (),
        gate: OutputGate | None = None,
        llm: AnswerBackend | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.retriever = retriever
        self.composer = composer
        self.prompts = prompts
        self.ingester = ingester
        self.rails = list(rails)
        self.gate = gate
        self.llm = llm if gate is not None else None  # generated text is never shown ungated
        self.answerability = Answerability(
            settings.retrieval.synonym_threshold, settings.retrieval.centrality_threshold
        )
        self._snapshot: IndexSnapshot | None = None
        self._checked = 0.0
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()

    # -- index ---------------------------------------------------------------------------
    def ingest(
        self, path: Path | str | None = None, progress: ProgressFactory | None = None
    ) -> IngestReport:
        """Ingest a corpus folder (default: the configured one) and serve the result."""
        report = self.ingester.ingest(path or self.settings.corpus.path, progress)
        with self._lock:
            self._checked = 0.0
        return report

    def snapshot(self) -> IndexSnapshot:
        """The live snapshot, reloaded when a newer generation was ingested."""
        with self._lock:
            now = time.monotonic()
            due = now - self._checked >= self.settings.store.refresh_interval_s
            if self._snapshot is not None and not due:
                return self._snapshot
            self._checked = now
            generation = self.store.generation()
            if generation is None and self.settings.corpus.auto_ingest:
                self.ingester.ingest(self.settings.corpus.path)
                generation = self.store.generation()
            if generation is None:
                raise IndexNotReadyError("no index yet: run `assistant ingest` first")
            if self._snapshot is None or self._snapshot.generation != generation:
                snap = IndexSnapshot.load(self.store)
                self._warm(snap)
                self._snapshot = snap
                self._cache.clear()
            return self._snapshot

    def _warm(self, snap: IndexSnapshot) -> None:
        """Build the vocabulary vectors now, not on a visitor's first unusual word."""
        vocab = self.answerability.vocabulary(snap)
        probe = self.embedder.embed_queries(["warm up"], cache=False)
        vocab.nearest(probe, lambda ws: self.embedder.embed_queries(ws, cache=False))

    def ready(self) -> bool:
        """True when an index is loaded and the store answers."""
        try:
            return self.store.ping() and bool(self.snapshot().passages)
        except AssistantError:
            return False

    @property
    def backend_name(self) -> str:
        """The configured answer backend: 'extractive', 'openai' or 'ollama'."""
        return self.llm.name if self.llm is not None else "extractive"

    def health(self) -> Health:
        """Readiness of the answer backend: degraded means answers fall back to extractive."""
        if self.llm is None:
            return Health("ok", "extractive")
        return self.llm.health()

    # -- answering -----------------------------------------------------------------------
    def disclaimer(self) -> str:
        """The disclaimer shown with every reply."""
        return self.prompts.get("disclaimer")

    def search(self, query: str, k: int | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """Ranked passages for a query (no rails, no composing)."""
        snap = self.snapshot()
        qvec = self.embedder.embed_queries([query])[0]
        return self.retriever.search(snap, query, qvec, k=k, mode=mode)

    def retrieve(self, messages: Any, k: int | None = None) -> list[Hit]:
        """The passages an answer to this conversation is composed from (rails not run)."""
        msgs = validate_messages(messages)
        snap = self.snapshot()
        query, lexical_query, _ = self._queries(msgs, snap)
        qvec = self.embedder.embed_queries([query])[0]
        return self.retriever.search(snap, lexical_query, qvec, k=k)

    def _queries(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot
    ) -> tuple[str, str, list[str]]:
        """(standalone query, query for BM25 with typo-corrected words, unknown words)."""
        query = resolve_query(msgs, snap.bm25.term_idf)
        known, unknown = self.answerability.analyse(snap, query)
        return query, f"{query} {' '.join(known)}", unknown

    def ask(self, messages: Any) -> Answer:
        """Answer the last user turn of a conversation."""
        t0 = time.perf_counter()
        msgs = validate_messages(messages)
        snap = self.snapshot()
        key = (snap.generation, tuple((m["role"], normalize(m["content"])) for m in msgs))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        if hit is not None:
            total = (time.perf_counter() - t0) * 1000
            return hit.model_copy(update={"timings_ms": {"cache": 1.0, "total": total}})
        timings: dict[str, float] = {}
        answer = self._with_notices(msgs, self._answer(msgs, snap, timings))
        timings["total"] = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {k: round(v, 3) for k, v in timings.items()}
        if self.settings.retrieval.answer_cache_size:
            with self._lock:
                self._cache[key] = answer
                while len(self._cache) > self.settings.retrieval.answer_cache_size:
                    self._cache.popitem(last=False)
        return answer

    def _with_notices(self, msgs: list[dict[str, str]], answer: Answer) -> Answer:
        """Standing notices from rails (crisis resources stay visible once a crisis was told)."""
        notes = [n for rail in self.rails if (n := _notice(rail, msgs)) and n not in answer.answer]
        if not notes:
            return answer
        return answer.model_copy(update={"disclaimer": " ".join([answer.disclaimer, *notes])})

    def _reply(self, route: str, text: str) -> Answer:
        return Answer(answer=text, route=route, citations=[], disclaimer=self.disclaimer())

    def no_answer(self, snap: IndexSnapshot) -> Answer:
        """The plain 'our vetted content does not cover that' reply."""
        titles = snap.topics()
        topics = "; ".join(titles[:8]) or "our published articles"
        if len(titles) > 8:
            topics += f"; and {len(titles) - 8} more articles"
        return self._reply("no_answer", self.prompts.get("no_answer", topics=topics))

    def _answer(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot, timings: dict[str, float]
    ) -> Answer:
        draft = self._prepare(msgs, snap, timings)
        if isinstance(draft, Answer):
            return draft
        if self.llm is not None:
            t = time.perf_counter()
            generated = self.llm.compose(snap, draft.query, draft.qvec, draft.hits)
            timings["llm"] = (time.perf_counter() - t) * 1000
            if generated is not None:
                return self._answer_of(generated, self.llm.name)
        return self._extractive(draft, snap, timings)

    def _prepare(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot, timings: dict[str, float]
    ) -> Answer | _Draft:
        """Rails, retrieval and answerability: a finished reply, or what composing needs."""
        t = time.perf_counter()
        decision: RailDecision | None = None
        for rail in self.rails:
            decision = rail.check(msgs)
            if decision is not None:
                break
        timings["rails"] = (time.perf_counter() - t) * 1000
        if decision is not None:
            return self._reply(decision.route, decision.text)

        t = time.perf_counter()
        question = user_turns(msgs)[-1]
        query, lexical_query, unknown = self._queries(msgs, snap)
        qvec = self.embedder.embed_queries([query])[0]  # usually cached by the rails
        timings["embed"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        hits = self.retriever.search(snap, lexical_query, qvec)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        if not hits or max(h.dense for h in hits) < self.settings.retrieval.relevance_floor:
            return self.no_answer(snap)

        t = time.perf_counter()
        if unknown:
            # Only now, above the floor, pay one more pass for the unknown words' probes.
            # Centrality is measured on the visitor's own words, not on the resolved query.
            embed = partial(self.embedder.embed_queries, cache=False)
            base = qvec if question == query else self.embedder.embed_queries([question])[0]
            probes = embed(self.answerability.probe_texts(question, unknown))
            if self.answerability.uncovered(snap, question, unknown, base, probes, embed):
                timings["compose"] = (time.perf_counter() - t) * 1000
                return self.no_answer(snap)
        composition = self.composer.compose(snap, lexical_query, qvec, hits)
        if (
            composition
            and asks_quantity(question)
            and not any(has_quantity(p.text) for p in composition.picked)
        ):
            composition = None  # a "how much / how many" question needs a stated number
        timings["compose"] = (time.perf_counter() - t) * 1000
        if composition is None:
            return self.no_answer(snap)
        return _Draft(question, query, qvec, hits, composition)

    def _extractive(self, draft: _Draft, snap: IndexSnapshot, timings: dict[str, float]) -> Answer:
        """The extractive composition through the gate (also the LLM's fallback)."""
        t = time.perf_counter()
        gated: Composition | None = draft.composition
        if self.gate is not None:
            gated = self.gate.filter(draft.composition, draft.question, snap)
        timings["fallback" if self.llm is not None else "verify"] = (time.perf_counter() - t) * 1000
        if gated is None:
            return self.no_answer(snap)
        return self._answer_of(gated, "extractive")

    def _answer_of(self, gated: Composition, backend: str) -> Answer:
        return Answer(
            answer=gated.text,
            route="answer",
            citations=gated.citations,
            disclaimer=self.disclaimer(),
            backend=backend,
        )

    # -- streaming -----------------------------------------------------------------------
    def ask_stream(self, messages: Any) -> Iterator[StreamEvent]:
        """Gated `Delta`s, then one `Final`: the web layer's streaming contract."""
        if self.llm is None:
            answer = self.ask(messages)
            for piece in split_sentences(answer.answer):
                yield Delta(piece)
            yield Final(answer)
            return
        for item in self.stream(messages):
            yield Final(item) if isinstance(item, Answer) else Delta(item)

    def stream(self, messages: Any) -> Iterator[str | Answer]:
        """Gated answer text as it is written (str pieces), then the finished Answer.

        With an LLM backend, sentences are held until `llm.min_sentences_kept` have passed
        the gate, then sent one by one; when the model fails or too little passes before
        anything was sent, the extractive answer is sent instead. Other replies come whole.
        """
        t0 = time.perf_counter()
        msgs = validate_messages(messages)
        snap = self.snapshot()
        timings: dict[str, float] = {}
        draft = self._prepare(msgs, snap, timings) if self.llm is not None else None
        if draft is None or isinstance(draft, Answer):
            answer = self.ask(msgs) if draft is None else self._with_notices(msgs, draft)
            if draft is not None:
                timings["total"] = (time.perf_counter() - t0) * 1000
                answer.timings_ms = {k: round(v, 3) for k, v in timings.items()}
            yield answer.answer
            yield answer
            return
        assert self.llm is not None
        t = time.perf_counter()
        held: list[Composition] = []
        sent: list[Composition] = []
        for piece in self.llm.stream(snap, draft.query, draft.qvec, draft.hits):
            if sent:
                sent.append(piece)
                yield " " + piece.text
                continue
            held.append(piece)
            if len(held) >= self.llm.min_sentences_kept:
                sent, held = held, []
                yield " ".join(c.text for c in sent)
        timings["llm"] = (time.perf_counter() - t) * 1000
        if sent:
            cites = {c.n: c for piece in sent for c in piece.citations}
            whole = Composition(
                " ".join(c.text for c in sent), sorted(cites.values(), key=lambda c: c.n), []
            )
            answer = self._answer_of(whole, self.llm.name)
        else:
            answer = self._extractive(draft, snap, timings)
            yield answer.answer
        answer = self._with_notices(msgs, answer)
        timings["total"] = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {k: round(v, 3) for k, v in timings.items()}
        yield answer


@dataclass(frozen=True)
class _Draft:
    """What composing needs once rails, retrieval and answerability let a question through."""

    question: str
    query: str
    qvec: np.ndarray
    hits: list[Hit]
    composition: Composition
