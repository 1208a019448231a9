"""The answer service: rails, retrieval, answerability, composing and the output gate."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.compose.extractive import Composition
from assistant.config.prompts import Prompts
from assistant.config.settings import Settings
from assistant.corpus.text import content_terms, words
from assistant.index.snapshot import IndexSnapshot
from assistant.ingest.pipeline import IngestReport, ProgressFactory
from assistant.models import Answer, Citation
from assistant.pipeline.answer_cache import AnswerCache
from assistant.pipeline.contracts import (
    AnswerBackend,
    Composer,
    Embedder,
    Health,
    InputRail,
    OutputGate,
    RailDecision,
    Retriever,
    VectorStore,
)
from assistant.pipeline.deciding import Reading, compose_answer
from assistant.pipeline.index_manager import IndexManager
from assistant.pipeline.rail_chain import RailChain
from assistant.pipeline.streaming import (
    Delta,
    Final,
    StreamEvent,
    stream_generated,
    whole_answer,
)
from assistant.pipeline.validation import validate_messages
from assistant.retrieve.answer_model import read
from assistant.retrieve.answerability import Answerability
from assistant.retrieve.article_dates import review_lines
from assistant.retrieve.asked import message_sentences
from assistant.retrieve.followups import resolve_query, user_turns
from assistant.retrieve.hybrid import Hit, Mode
from assistant.retrieve.reference import points_at_something, points_at_topic

__all__ = ["SHORT_POINTING_WORDS", "AnswerService", "Draft"]

# Words that make a question about the asker's own case: then the referral stands alone
_OWN_CASE = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|myself|we|we're|our|us|for me|should i)\b", re.I
)
# A personal question told after the general one ("... I still feel it, is that normal"):
# the person's own case is then the last thing asked (round 27)
_ASKS_OWN = re.compile(
    r"\b(?:is (?:that|this|it) (?:normal|ok|okay|bad|serious|dangerous|a (?:problem|concern|worry))"
    r"|should i|what (?:should|do|can) i do|do i need|am i)\b",
    re.I,
)

# The most words a first question that points at the site's topic with one everyday word the
# articles lack may have and still be read against the topic ("is this a fad", round 22)
SHORT_POINTING_WORDS = 7


class AnswerService:
    """Answers a conversation from the live index; every interface calls `ask`."""

    def __init__(
        self,
        settings: Settings,
        index: IndexManager,
        embedder: Embedder,
        retriever: Retriever,
        composer: Composer,
        prompts: Prompts,
        answerability: Answerability,
        rails: Sequence[InputRail] = (),
        gate: OutputGate | None = None,
        llm: AnswerBackend | None = None,
    ) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.retriever = retriever
        self.composer = composer
        self.prompts = prompts
        self.answerability = answerability
        self.rails = RailChain(rails)
        self.gate = gate
        self.llm = llm if gate is not None else None  # generated text is never shown ungated
        self.cache = AnswerCache(settings.retrieval.answer_cache_size)

    # -- the index (see IndexManager) -----------------------------------------------------
    @property
    def store(self) -> VectorStore:
        """The vector store the index is read from."""
        return self.index.store

    @property
    def load_ms(self) -> float | None:
        """Time to load and warm the last index snapshot."""
        return self.index.load_ms

    def ingest(
        self, path: Path | str | None = None, progress: ProgressFactory | None = None
    ) -> IngestReport:
        """Ingest a corpus folder (default: the configured one) and serve the result."""
        return self.index.ingest(path, progress)

    def snapshot(self) -> IndexSnapshot:
        """The live snapshot, reloaded when a newer generation was ingested."""
        return self.index.snapshot()

    def ready(self) -> bool:
        """True when an index is loaded and the store answers."""
        return self.index.ready()

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
        return self.searched(messages, k)[5]

    def _queries(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot
    ) -> tuple[str, str, list[str]]:
        """(standalone query, query for BM25 with typo-corrected words, unknown words)."""
        query = self.answerability.corrected(snap, resolve_query(msgs, snap.bm25.term_idf))
        known, unknown = self.answerability.analyse(snap, query)
        return query, f"{query} {' '.join(known)}", unknown

    def searched(
        self, messages: Any, k: int | None = None
    ) -> tuple[IndexSnapshot, str, str, list[str], np.ndarray, list[Hit]]:
        """(snapshot, query, BM25 query, unknown words, query vector, hits) for a conversation,
        as answering reads it (rails not run)."""
        msgs = validate_messages(messages)
        snap = self.snapshot()
        query, lexical, unknown = self._queries(msgs, snap)
        qvec = self.embedder.embed_queries([query])[0]
        return snap, query, lexical, unknown, qvec, self.retriever.search(snap, lexical, qvec, k=k)

    def answer_features(self, messages: Any) -> dict[str, float]:
        """The answerability model's features for a conversation (rails not run)."""
        snap, query, lexical, unknown, qvec, hits = self.searched(messages)
        r = self.settings.retrieval
        return read(snap, self.composer, r, query, lexical, qvec, hits, len(unknown))[2]

    def ask(self, messages: Any) -> Answer:
        """Answer the last user turn of a conversation (timings exclude loading the index)."""
        msgs = validate_messages(messages)
        snap = self.snapshot()
        t0 = time.perf_counter()
        key = self.cache.key(snap.generation, msgs)
        hit = self.cache.get(key)
        if hit is not None:
            total = (time.perf_counter() - t0) * 1000
            return hit.model_copy(update={"timings_ms": {"cache": 1.0, "total": total}})
        timings: dict[str, float] = {}
        answer = self.with_notices(msgs, self._answer(msgs, snap, timings))
        timings["total"] = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {k: round(v, 3) for k, v in timings.items()}
        self.cache.put(key, answer)
        return answer

    def with_notices(self, msgs: list[dict[str, str]], answer: Answer) -> Answer:
        """Standing notices from rails (crisis resources stay visible once a crisis was told)."""
        if answer.route in ("emergency", "crisis"):
            return answer  # the reply itself is the resources
        notes = [n for n in self.rails.notices(msgs) if n not in answer.answer]
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

    def _no_answer(self, msgs: list[dict[str, str]], snap: IndexSnapshot) -> Answer:
        """no_answer, unless a rail rescues it (someone's own situation gets a referral)."""
        decision = self.rails.rescue(msgs)
        if decision is not None:
            return self._reply(decision.route, decision.text)
        return self.no_answer(snap)

    def screen(self, messages: list[dict[str, str]]) -> Answer | None:
        """The emergency or crisis reply when a conversation carries that risk, else None;
        used on messages over the size limit before they are rejected (scanned whole)."""
        decision = self.rails.urgent(messages)
        return None if decision is None else self._reply(decision.route, decision.text)

    def _answer(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot, timings: dict[str, float]
    ) -> Answer:
        draft = self.prepare(msgs, snap, timings)
        if isinstance(draft, Answer):
            return draft
        if self.llm is not None:
            t = time.perf_counter()
            generated = self.llm.compose(snap, draft.query, draft.qvec, draft.hits)
            timings["llm"] = (time.perf_counter() - t) * 1000
            if generated is not None:
                return self.finish(draft, self.answer_of(generated, self.llm.name))
        return self.finish(draft, self.extractive(draft, snap, timings))

    def prepare(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot, timings: dict[str, float]
    ) -> Answer | Draft:
        """Rails, retrieval and answerability: a finished reply, or what composing needs."""
        t = time.perf_counter()
        decision = self.rails.check(msgs)
        timings["rails"] = (time.perf_counter() - t) * 1000
        question = user_turns(msgs)[-1]
        dates = self.answerability.dates
        if (
            dates is not None
            and dates.asks(question)
            and (decision is None or decision.route == "off_topic")
        ):
            dated = self.article_dates(snap)
            if dated is not None:
                return dated
        if decision is not None and decision.route == "off_topic":
            decision = self._rechecked(msgs, snap, question, decision)
        # A situation told, then a question asked in general ("I get palpitations when stressed.
        # Is a fast heartbeat a known effect of the infusions?"): the article answers the
        # question, and the referral is kept as a note; it is the reply when no answer comes.
        referral: RailDecision | None = None
        general = self._in_general(question) if decision and decision.route == "clinician" else None
        if general is not None:  # the question alone is what is answered
            referral, decision, question = decision, None, general
            last = max(i for i, m in enumerate(msgs) if m.get("role") == "user")
            msgs = [*msgs[:last], {**msgs[last], "content": general}, *msgs[last + 1 :]]
        # "An overview, please" is about the site's own content: never off topic or refused.
        if decision is not None and not (
            decision.route in ("off_topic", "refused")
            and self.answerability.overview(question, snap.topics())
        ):
            return self._reply(decision.route, decision.text)

        t = time.perf_counter()
        query, lexical, unknown = self._queries(msgs, snap)
        qvec = self.embedder.embed_queries([query])[0]  # usually cached by the rails
        timings["embed"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        hits = self.retriever.search(snap, lexical, qvec)
        timings["retrieve"] = (time.perf_counter() - t) * 1000
        if not hits:
            return self._referred(referral, msgs, snap)

        t = time.perf_counter()
        # The visitor's words with typos corrected: "wat is", "dependance" read as meant.
        own = self.answerability.corrected(snap, question)
        statements = self.answerability.statements
        remark = statements is not None and statements.remark(own)
        if remark:
            # A remark about someone's own health ("my back has been worse since the
            # infusion") gets the referral, however close it is to an article (issue 11).
            decision = self.rails.rescue(msgs)
            if decision is not None:
                return self._reply(decision.route, decision.text)
        reading = Reading(own, query, lexical, unknown, qvec, remark)
        composition = compose_answer(self, snap, reading, hits)
        timings["compose"] = (time.perf_counter() - t) * 1000
        if composition is None:
            return self._referred(referral, msgs, snap)
        return Draft(question, query, qvec, hits, composition, referral.text if referral else None)

    def _referred(
        self, referral: RailDecision | None, msgs: list[dict[str, str]], snap: IndexSnapshot
    ) -> Answer:
        """No answer: the referral kept from the rails, else no_answer (or a rail's rescue)."""
        if referral is not None:
            return self._reply(referral.route, referral.text)
        return self._no_answer(msgs, snap)

    def _in_general(self, question: str) -> str | None:
        """The last question of a message of two or more sentences when it asks in general:
        it names no one's own case (no "I", "my", "for me") and, read alone, meets no rail."""
        parts = message_sentences(question)
        asked = [p for p in parts if p.endswith("?")]
        if len(parts) < 2 or not asked or _OWN_CASE.search(asked[-1]):
            return None
        after = parts[max(i for i, p in enumerate(parts) if p is asked[-1]) + 1 :]
        if any(_ASKS_OWN.search(p) for p in after):
            return None  # round 27: "... what does the page say? I still feel it, is that normal"
        alone = [{"role": "user", "content": asked[-1]}]
        return asked[-1] if self.rails.check(alone) is None else None

    def finish(self, draft: Draft, answer: Answer) -> Answer:
        """A referral kept from the rails: a note beside the answer (prompts/clinician_note.md),
        or the clinician reply itself when the gate left no answer."""
        if draft.referral is None:
            return answer
        if answer.route != "answer":
            return self._reply("clinician", draft.referral)
        note = self.prompts.get("clinician_note")
        return answer.model_copy(update={"disclaimer": f"{note} {answer.disclaimer}"})

    def article_dates(self, snap: IndexSnapshot) -> Answer | None:
        """When the published articles were last reviewed, from their front matter, each
        cited by its `reviewed_on` line (prompts/article_dates.md, article_date_line.md)."""
        lines = review_lines(snap.articles)
        if not lines:
            return None
        said, cites = [], []
        for n, a in enumerate(lines, start=1):
            fields = {k: a[k] for k in ("title", "authors", "reviewed_on", "version")}
            said.append(f"{self.prompts.get('article_date_line', **fields)} [{n}]")
            cites.append(
                Citation(
                    n=n,
                    article_id=a["article_id"],
                    title=a["title"],
                    section="Article details",
                    version=a["version"],
                    quote=f"reviewed_on: {a['reviewed_iso']}",
                    score=1.0,
                    url=a["url"] or None,
                )
            )
        text = self.prompts.get("article_dates", articles=" ".join(said))
        return Answer(answer=text, route="answer", citations=cites, disclaimer=self.disclaimer())

    def _rechecked(
        self, msgs: list[dict[str, str]], snap: IndexSnapshot, question: str, off: RailDecision
    ) -> RailDecision | None:
        """A message judged off topic, judged again: with its typos corrected ("how soon do you
        feel beter"), the rails' decision on the corrected text; a bare elliptical first
        question on a one-topic site, no rail decision (answering reads it against the site)."""
        fixed = self.answerability.corrected(snap, question, everyday=True)
        if fixed != question:
            last = max(i for i, m in enumerate(msgs) if m.get("role") == "user")
            again = [*msgs[:last], {**msgs[last], "content": fixed}, *msgs[last + 1 :]]
            decision = self.rails.check(again)
            if decision is None or decision.route != "off_topic":
                return decision
        if self.answerability.names_term(snap, fixed, self.embedder.embed_queries):
            return None  # it names a medical term of the articles: answering decides
        # On a one-topic site, a first message that asks a kind of answer through a word of
        # its own ("how is it given", "who's a good candidate": without "given" or
        # "candidate" no type is asked), and has no word the corpus lacks but those, is about
        # the site's topic: answering decides. "Who are you", "who cares" and "is it a good
        # day for golf" are not: no word of theirs makes a type, or they name a topic of their
        # own ("the best candidate for mayor").
        # Likewise a first message that points at a thing it never names ("is it right for
        # everyone?", "who is it for?"), with a word of its own or a kind of answer asked, and
        # no word the corpus lacks: the front desk reads "it" as the site's topic. "What about
        # it?" asks nothing; "is it going to rain" has a word the corpus lacks.
        one_topic = snap.scope[1] > self.settings.retrieval.scope_coherence
        types = self.answerability.types
        if one_topic and len(user_turns(msgs)) == 1:
            # A request for the whole piece's gist that names nothing beyond an article's title,
            # read spelt right ("so what's the overall verdikt?"): answering gives the summary
            if self.answerability.overview(fixed, snap.topics()):
                return None
            known, unknown_words = self.answerability.analyse(snap, fixed)
            unknown = set(unknown_words)
            # A question whose topic words (two or more) are all the corpus's own ("quality of
            # life?", "are there still challenges left?"): answering decides. "How are you?"
            # names none, "who cares" one.
            statements = self.answerability.statements
            two = len(set(known)) >= 2
            if two and not unknown and statements is not None and statements.asks(fixed):
                return None
            own = list(dict.fromkeys(content_terms(fixed)))
            making = set(types.type_words(fixed, own)) if types is not None else set()
            if making and not unknown - making:
                return None
            points = points_at_something(fixed)
            if not unknown and points:
                asks = types is not None and any(not t.fallback for t in types.asked(fixed))
                if own or asks:
                    return None
            # The same when the words it lacks are everyday English near an article word
            # ("how do they decide who qualifies": decide ~ determine); never a medical term.
            rest = sorted(unknown - making)
            near = self.settings.retrieval.everyday_near
            embed = self.embedder.embed_queries
            if (making or points) and rest and self.answerability.everyday(snap, rest, embed, near):
                return None
            # A short first question that points at the site's topic ("is this a fad?", "is it
            # legit") and lacks one everyday word, no medical term: answering decides, and says
            # no when the article does not cover it (round 22). Two words of a topic of their
            # own ("who wins the election") keep it off topic.
            asks_it = statements is None or statements.asks(fixed)
            short = len(words(fixed)) <= SHORT_POINTING_WORDS
            topical = points and short and points_at_topic(fixed)
            if topical and len(rest) == 1 and asks_it and self._everyday_only(rest, embed):
                return None
        return off

    def _everyday_only(self, terms: list[str], embed: Callable[[list[str]], Any]) -> bool:
        """True when no term is a medical one (by the topic-word model)."""
        topic = self.answerability.topic_words
        return topic is not None and not any(topic.medical(embed(terms)))

    def extractive(self, draft: Draft, snap: IndexSnapshot, timings: dict[str, float]) -> Answer:
        """The extractive composition through the gate (also the LLM's fallback)."""
        t = time.perf_counter()
        gated: Composition | None = draft.composition
        if self.gate is not None:
            gated = self.gate.filter(draft.composition, draft.question, snap)
        timings["fallback" if self.llm is not None else "verify"] = (time.perf_counter() - t) * 1000
        if gated is None:
            return self.no_answer(snap)
        return self.answer_of(gated, "extractive")

    def answer_of(self, gated: Composition, backend: str) -> Answer:
        return Answer(
            answer=gated.text,
            route="answer",
            citations=gated.citations,
            disclaimer=self.disclaimer(),
            backend=backend,
        )

    # -- streaming (see pipeline/streaming.py) --------------------------------------------
    def ask_stream(self, messages: Any) -> Iterator[StreamEvent]:
        """Gated `Delta`s, then one `Final`: the web layer's streaming contract."""
        if self.llm is None:
            yield from whole_answer(self.ask(messages))
            return
        for item in stream_generated(self, messages):
            yield Final(item) if isinstance(item, Answer) else Delta(item)

    def stream(self, messages: Any) -> Iterator[str | Answer]:
        """Gated answer text as it is written (str pieces), then the finished Answer."""
        if self.llm is None:
            answer = self.ask(messages)
            yield answer.answer
            yield answer
            return
        yield from stream_generated(self, messages)


@dataclass(frozen=True)
class Draft:
    """What composing needs once rails, retrieval and answerability let a question through."""

    question: str
    query: str
    qvec: np.ndarray
    hits: list[Hit]
    composition: Composition
    referral: str | None = None  # the clinician reply, when the message told a situation
