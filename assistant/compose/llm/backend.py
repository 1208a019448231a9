"""LLM answers behind the output gate: deadline, retry, fallback signal, readiness."""

from __future__ import annotations

import queue
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.compose.extractive import Composition
from assistant.compose.llm.sentences import CitedSentence, SentenceBuffer
from assistant.config.settings import LLMSettings
from assistant.corpus.text import terms
from assistant.index.snapshot import IndexSnapshot, Passage
from assistant.models import Citation
from assistant.pipeline.contracts import Health, OutputGate
from assistant.retrieve.hybrid import Hit

if TYPE_CHECKING:  # langchain loads only with an LLM backend (start-up time)
    from langchain_core.runnables import Runnable

__all__ = [
    "GatedLLMBackend",
    "LLMFailure",
    "LLMStats",
    "attribute",
    "http_probe",
    "renumber",
]


class LLMFailure(Exception):
    """The model server failed, timed out or sent nothing usable."""


@dataclass
class LLMStats:
    """Counters for benchmarks and monitoring."""

    calls: int = 0
    failures: int = 0
    skipped: int = 0
    generated: int = 0
    kept: int = 0
    too_little: int = 0
    dropped: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=200))

    def as_dict(self) -> dict[str, Any]:
        """Counters without the dropped sentences."""
        return {k: v for k, v in self.__dict__.items() if k != "dropped"}


def renumber(sentences: Sequence[CitedSentence], cites: Sequence[Citation]) -> Composition:
    """Join gated sentences, numbering the citations they use 1..m in order of use."""
    by_n = {c.n: c for c in cites}
    order: dict[int, int] = {}
    for s in sentences:
        for m in s.marks:
            if m in by_n and m not in order:
                order[m] = len(order) + 1
    text = " ".join(
        CitedSentence(s.body, tuple(order[m] for m in s.marks if m in order)).text
        for s in sentences
    )
    used = [by_n[old].model_copy(update={"n": new}) for old, new in order.items()]
    return Composition(text, used, [])


def attribute(sentence: CitedSentence, passages: Sequence[Passage]) -> list[CitedSentence]:
    """An uncited sentence marked with each passage sharing its terms, most shared first."""
    mine = set(terms(sentence.body))
    overlap = [(len(mine & p.stems), n) for n, p in enumerate(passages, start=1)]
    ranked = sorted((o for o in overlap if o[0]), key=lambda o: -o[0])
    return [CitedSentence(sentence.body, (n,)) for _, n in ranked]


_END = object()


@dataclass(eq=False, repr=False)
class GatedLLMBackend:
    """A LangChain chain whose every sentence must pass the output gate."""

    name: str
    chain: Runnable[dict[str, Any], str]
    gate: OutputGate
    settings: LLMSettings
    probe: Callable[[], None] | None = None
    stats: LLMStats = field(default_factory=LLMStats, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _down_until: float = field(default=0.0, init=False)  # no calls until then (after a failure)
    _last_error: str = field(default="", init=False)
    _probe_cache: tuple[float, str] = field(default=(0.0, ""), init=False)

    @property
    def min_sentences_kept(self) -> int:
        """Gated sentences needed before a generated answer is used."""
        return self.settings.min_sentences_kept

    # -- generation ----------------------------------------------------------------------
    def _attempt(self, inputs: dict[str, Any]) -> Iterator[str]:
        """One call's chunks, under a hard wall-clock deadline (the call runs in a thread)."""
        q: queue.Queue[object] = queue.Queue()
        stop = threading.Event()

        def produce() -> None:
            try:
                for chunk in self.chain.stream(inputs):
                    if stop.is_set():
                        return
                    q.put(chunk)
                q.put(_END)
            except Exception as exc:  # any client or server error ends the attempt
                q.put(exc)

        threading.Thread(target=produce, daemon=True, name="llm-call").start()
        deadline = time.monotonic() + self.settings.timeout_s
        limit = self.settings.max_tokens * 12  # characters: junk that never ends is cut
        received = 0
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LLMFailure(f"timed out after {self.settings.timeout_s:g} s")
                try:
                    item = q.get(timeout=left)
                except queue.Empty:
                    raise LLMFailure(f"timed out after {self.settings.timeout_s:g} s") from None
                if item is _END:
                    return
                if isinstance(item, Exception):
                    raise LLMFailure(f"{type(item).__name__}: {item}"[:300]) from item
                if not isinstance(item, str):
                    raise LLMFailure(f"unexpected chunk type {type(item).__name__}")
                received += len(item)
                if received > limit:
                    return
                yield item
        finally:
            stop.set()

    def _generate(self, inputs: dict[str, Any]) -> Iterator[str]:
        """Chunks of the answer; retried only when an attempt failed before any output."""
        attempts = 1 + self.settings.max_retries
        for attempt in range(attempts):
            started = False
            try:
                for chunk in self._attempt(inputs):
                    started = True
                    yield chunk
                return
            except LLMFailure:
                if started or attempt == attempts - 1:
                    raise

    # -- gating --------------------------------------------------------------------------
    def _gate(
        self,
        sentence: CitedSentence,
        passages: list[Passage],
        cites: list[Citation],
        question: str,
        snapshot: IndexSnapshot,
    ) -> CitedSentence | None:
        """The sentence as kept by the output gate, or None."""
        tries = [sentence]
        if not sentence.marks and self.settings.cite_uncited:
            tries = attribute(sentence, passages) or tries
        why: list[tuple[str, str]] = []
        for s in tries:
            kept = self.gate.filter(Composition(s.gate_form, cites, []), question, snapshot)
            if kept is not None and kept.text.strip():
                return s
            why = why or getattr(self.gate, "last_dropped", None) or [(s.text, "dropped")]
        with self._lock:
            self.stats.dropped.extend((sentence.text, str(w)) for _, w in why[:1])
        return None

    def _passages(self, hits: list[Hit]) -> tuple[list[Passage], list[Citation]]:
        from assistant.compose.llm.chain import number_passages  # imports langchain

        top = hits[: self.settings.max_passages]
        passages = [h.passage for h in top]
        return passages, number_passages(passages, [h.dense for h in top])

    def gated_sentences(
        self, snapshot: IndexSnapshot, question: str, hits: list[Hit]
    ) -> Iterator[tuple[CitedSentence, list[Citation]]]:
        """(sentence, the numbered passages) for each sentence that passed the gate."""
        now = time.monotonic()
        with self._lock:
            if now < self._down_until:
                self.stats.skipped += 1
                return
            self.stats.calls += 1
        passages, cites = self._passages(hits)
        if not passages:
            return
        buffer = SentenceBuffer()
        inputs = {"question": question, "passages": passages}
        try:
            for chunk in self._generate(inputs):
                for s in buffer.feed(chunk):
                    if kept := self._count(self._gate(s, passages, cites, question, snapshot)):
                        yield kept, cites
            for s in buffer.close():
                if kept := self._count(self._gate(s, passages, cites, question, snapshot)):
                    yield kept, cites
        except LLMFailure as exc:
            self._fail(str(exc))
            return
        with self._lock:
            self._down_until = 0.0
            self._last_error = ""

    def _count(self, kept: CitedSentence | None) -> CitedSentence | None:
        with self._lock:
            self.stats.generated += 1
            self.stats.kept += int(kept is not None)
        return kept

    def _fail(self, reason: str) -> None:
        with self._lock:
            self.stats.failures += 1
            self._last_error = reason
            self._down_until = time.monotonic() + self.settings.cooldown_s

    # -- the AnswerBackend contract ------------------------------------------------------
    def compose(
        self, snapshot: IndexSnapshot, question: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Composition | None:
        """The gated answer, or None (fallback) when fewer than min_sentences_kept survive."""
        kept: list[CitedSentence] = []
        cites: list[Citation] = []
        for s, cs in self.gated_sentences(snapshot, question, hits):
            kept.append(s)
            cites = cs
        if len(kept) < self.settings.min_sentences_kept:
            with self._lock:
                self.stats.too_little += 1
            return None
        return renumber(kept, cites)

    def stream(
        self, snapshot: IndexSnapshot, question: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Iterator[Composition]:
        """Gated sentences as they complete, each a one-sentence Composition."""
        for s, cites in self.gated_sentences(snapshot, question, hits):
            yield Composition(s.text, [c for c in cites if c.n in s.marks], [])

    def health(self) -> Health:
        """Degraded while cooling down after a failure, or when the server does not answer."""
        with self._lock:
            if time.monotonic() < self._down_until:
                return Health("degraded", self.name, f"last call failed: {self._last_error}")
        if self.probe is None:
            return Health("ok", self.name)
        at, reason = self._probe_cache
        if time.monotonic() - at > 5.0:
            try:
                self.probe()
                reason = ""
            except Exception as exc:
                reason = f"server unreachable: {type(exc).__name__}: {exc}"[:300]
            self._probe_cache = (time.monotonic(), reason)
        return Health("degraded", self.name, reason) if reason else Health("ok", self.name)


def http_probe(url: str, timeout_s: float, api_key: str = "") -> Callable[[], None]:
    """A probe that raises unless GET url answers 2xx within the timeout."""

    def probe() -> None:
        req = urllib.request.Request(url, method="GET")
        if api_key:
            req.add_header("Authorization", f"Bearer {api_key}")
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            if not 200 <= resp.status < 300:
                raise LLMFailure(f"GET {url} answered {resp.status}")

    return probe
