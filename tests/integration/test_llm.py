"""LLM answers behind the output gate: a real local model (SmolLM2 on xllamacpp) and fakes."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableGenerator
from pydantic import ValidationError

from assistant import Answer, Assistant
from assistant.compose.llm import GatedLLMBackend
from assistant.compose.llm.chain import build_chain
from assistant.compose.llm.local import LocalModelServer, free_port
from assistant.compose.llm.models import build_chat_model
from assistant.compose.llm.sentences import SentenceBuffer, parse_sentences
from assistant.config.settings import LLMSettings, Settings
from tests.conftest import make_settings

# Questions that tempt a small model to invent prices, doses, agencies and session counts.
TEMPTING = [
    "How much does one ketamine infusion cost, what dose in mg/kg is used, and how many "
    "sessions are needed?",
    "What does the FDA or NIDA recommend about ketamine for fibromyalgia, and which "
    "studies prove it?",
]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}\b")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b")


def invented(sentence: str, passages: str) -> list[str]:
    """Numbers, acronyms and mid-sentence names of `sentence` missing from `passages`."""
    text = re.sub(r"\[\d+\]", "", sentence)
    found = _NUMBER.findall(text) + _ACRONYM.findall(text) + _NAME.findall(text)
    low = passages.lower()
    return [f for f in found if f.lower() not in low]


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def local_model() -> Iterator[LocalModelServer]:
    """The packaged SmolLM2-135M-Instruct served by xllamacpp on a free loopback port."""
    with LocalModelServer() as server:
        yield server


def llm_settings(built_store: Path, **llm: Any) -> Settings:
    """Settings over the session index with an openai-compatible LLM backend."""
    return make_settings(built_store, llm={"backend": "openai", "model": "m", **llm})


@pytest.fixture(scope="session")
def real_llm(built_store: Path, local_model: LocalModelServer) -> Assistant:
    """An Assistant whose answers are written by the real local model, behind the gate."""
    settings = llm_settings(
        built_store,
        base_url=local_model.base_url,
        model=local_model.model_name,
        timeout_s=240,  # generous: the CPU is shared; a timeout would only mean a fallback
        max_tokens=64,
        cite_uncited=True,
        cooldown_s=0,
    )
    return Assistant(settings)


@pytest.fixture(scope="session")
def fake_host(built_store: Path) -> Assistant:
    """An Assistant over the session index whose LLM backend the tests swap for fakes."""
    return Assistant(make_settings(built_store))


def use_chain(
    host: Assistant, chain: Any, **llm: Any
) -> GatedLLMBackend:  # the chain is any Runnable[dict, str]
    """Give the host service a gated LLM backend running `chain`."""
    settings = LLMSettings(backend="openai", base_url="http://x", model="m", **llm)
    backend = GatedLLMBackend("fake", chain, host.service.gate, settings)  # type: ignore[arg-type]
    host.service.llm = backend
    host.service.cache.clear()
    return backend


def writer(write: Callable[[dict[str, Any]], str]) -> RunnableGenerator:
    """A deterministic streaming 'model': `write(inputs)` split into word chunks."""

    def gen(inputs: Iterator[dict[str, Any]]) -> Iterator[str]:
        for inp in inputs:
            yield from re.split(r"(?<=\s)", write(inp))

    return RunnableGenerator(gen)


def sentences_of(inp: dict[str, Any], n: int = 1, k: int = 2) -> list[str]:
    """The first k sentences of passage n, verbatim."""
    p = inp["passages"][n - 1]
    return [p.sentence(i) for i in range(min(k, len(p.sentences)))]


# -- sentence buffering (deterministic, langchain_core fake chat models) -------------------
def test_buffer_releases_each_sentence_only_with_its_marker() -> None:
    text = "Ketamine blocks NMDA receptors. [1] It can ease nerve pain [2]. Tail without end"
    chain = build_chain(GenericFakeChatModel(messages=iter([AIMessage(text)])), lambda: "s")
    buf = SentenceBuffer()
    released: list[tuple[int, str]] = []
    for i, chunk in enumerate(chain.stream({"question": "q", "passages": []})):
        released += [(i, s.text) for s in buf.feed(chunk)]
    released += [(-1, s.text) for s in buf.close()]
    texts = [t for _, t in released]
    assert texts == [s.text for s in parse_sentences(text)]
    assert texts[:2] == ["Ketamine blocks NMDA receptors. [1]", "It can ease nerve pain. [2]"]
    assert released[-1] == (-1, "Tail without end")  # held until the stream ended
    # the first sentence came out only after its trailing [1] had arrived
    assert released[0][0] > len(re.split(r"(?<=\s)", "Ketamine blocks NMDA receptors. "))


def test_buffer_char_by_char_matches_whole_text() -> None:
    text = "First point [1][2]. Second, with a list marker [1, 3]. Third. [2]"
    model = FakeListChatModel(responses=[text])
    buf = SentenceBuffer()
    out = [s for ch in build_chain(model, lambda: "s").stream({"question": "q", "passages": []})
           for s in buf.feed(ch)] + buf.close()  # fmt: skip
    assert [(s.body, s.marks) for s in out] == [
        ("First point.", (1, 2)),
        ("Second, with a list marker.", (1, 3)),
        ("Third.", (2,)),
    ]
    assert out[0].gate_form == "First point [1][2]."


# -- gate, fallback and streaming with deterministic models ---------------------------------
def test_faithful_sentences_pass_and_inventions_are_removed(fake_host: Assistant) -> None:
    def write(inp: dict[str, Any]) -> str:
        good = sentences_of(inp, 1, 2)
        return (
            f"{good[0]} [1] One infusion costs $450 and uses 0.5 mg/kg [1]. "
            f"NIDA recommends six sessions for every patient [1]. {good[1]} [1]"
        )

    backend = use_chain(fake_host, writer(write))
    answer = fake_host.ask("How does ketamine work for chronic pain?")
    assert answer.route == "answer" and answer.backend == "fake"
    assert "$450" not in answer.answer and "NIDA" not in answer.answer
    assert "0.5" not in answer.answer and "six" not in answer.answer
    assert answer.answer.count("[1]") == 2 and [c.n for c in answer.citations] == [1]
    quote = answer.citations[0].quote
    for s in parse_sentences(answer.answer):
        assert s.body in quote
    assert backend.stats.generated == 4 and backend.stats.kept == 2
    assert answer.model_dump().keys() == {"answer", "route", "citations", "disclaimer",
                                          "timings_ms"}  # fmt: skip
    assert "llm" in answer.timings_ms


def test_junk_or_uncited_output_falls_back_to_extractive(fake_host: Assistant) -> None:
    question = "Can ketamine help people with fibromyalgia?"
    fake_host.service.llm = None
    fake_host.service.cache.clear()
    extractive = fake_host.ask(question)
    for junk in (
        "asdf qwer zxcv 12345 $$$ #### [9] !!!",
        "The passages do not answer this.",
        " ".join(sentences_of({"passages": [h.passage for h in fake_host.search(question)]})),
    ):  # junk, an honest refusal, and true sentences with no [n]: none may be shown
        use_chain(fake_host, writer(lambda inp, j=junk: j))
        answer = fake_host.ask(question)
        assert answer.route == "answer" and answer.backend == "extractive"
        assert answer.answer == extractive.answer and "fallback" in answer.timings_ms


def test_model_error_falls_back_and_degrades_readiness(fake_host: Assistant) -> None:
    model = FakeListChatModel(responses=["x" * 50], error_on_chunk_number=0)
    backend = use_chain(fake_host, build_chain(model, lambda: "s"), cooldown_s=60)
    assert fake_host.service.health().status == "ok"
    answer = fake_host.ask("Does ketamine help neuropathic pain?")
    assert answer.route == "answer" and answer.backend == "extractive"
    health = fake_host.service.health()
    assert health.status == "degraded" and "failed" in health.reason
    assert backend.stats.failures == 1
    fake_host.service.cache.clear()
    fake_host.ask("What is chronic pain?")  # cooling down: the model is not called again
    assert backend.stats.skipped == 1 and backend.stats.calls == 1


def test_stream_sends_only_gated_sentences(fake_host: Assistant) -> None:
    def write(inp: dict[str, Any]) -> str:
        a, b = sentences_of(inp, 1, 2)
        return f"{a} [1] Ketamine cures 95% of patients in 3 days [1]. {b} [1]"

    use_chain(fake_host, writer(write), min_sentences_kept=2)
    events = list(fake_host.service.stream("How does ketamine work for chronic pain?"))
    pieces, final = events[:-1], events[-1]
    assert isinstance(final, Answer) and final.backend == "fake"
    assert all(isinstance(p, str) for p in pieces)
    assert "".join(str(p) for p in pieces) == final.answer
    assert "95%" not in final.answer and len(parse_sentences(final.answer)) == 2
    assert len(pieces) == 1, [
        p[:30] for p in pieces
    ]  # held until min_sentences_kept passed the gate, then sent


def test_stream_falls_back_whole_when_too_little_passes(fake_host: Assistant) -> None:
    use_chain(fake_host, writer(lambda inp: "Ketamine costs $900 per session [1]."))
    events = list(fake_host.service.stream("What is fibromyalgia?"))
    final = events[-1]
    assert isinstance(final, Answer) and final.backend == "extractive"
    assert events[:-1] == [final.answer] and "$900" not in final.answer


# -- settings ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("llm", "words"),
    [
        ({"backend": "openai", "model": "m"}, "base_url"),
        ({"backend": "openai", "base_url": "http://x", "model": "m", "temperature": 1.5},
         "temperature"),
        ({"backend": "openai", "base_url": "http://x", "model": "m", "timeout_s": 0},
         "timeout_s"),
        ({"backend": "ollama", "model": ""}, "model"),
        ({"backend": "openai", "base_url": "ftp://x", "model": "m"}, "base_url"),
    ],
)  # fmt: skip
def test_unsafe_llm_settings_are_refused(llm: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Settings(llm=llm)


def test_default_is_extractive_and_env_selects_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().llm.backend == "extractive"
    monkeypatch.setenv("VA_LLM__BACKEND", "ollama")
    monkeypatch.setenv("VA_LLM__MODEL", "llama3.2")
    s = Settings()
    assert (s.llm.backend, s.llm.model) == ("ollama", "llama3.2")


# -- the real local model -------------------------------------------------------------------
def test_real_model_honours_max_tokens(local_model: LocalModelServer) -> None:
    settings = LLMSettings(
        backend="openai", base_url=local_model.base_url, model=local_model.model_name,
        max_tokens=16, timeout_s=120,
    )  # fmt: skip
    msg = build_chat_model(settings).invoke("Write a long story about a dragon.")
    assert msg.response_metadata.get("finish_reason") == "length"
    assert len(str(msg.content).split()) <= 16


def test_real_model_tempted_answers_carry_nothing_invented(real_llm: Assistant) -> None:
    service = real_llm.service
    backend = service.llm
    assert isinstance(backend, GatedLLMBackend)
    snap = service.snapshot()
    kept_total = 0
    for question in TEMPTING:
        hits = service.search("ketamine infusion fibromyalgia chronic pain")
        before = backend.stats.generated
        for sentence, cites in backend.gated_sentences(snap, question, hits):
            kept_total += 1
            cited = " ".join(c.quote for c in cites if c.n in sentence.marks)
            assert sentence.marks and cited
            assert invented(sentence.text, cited) == [], sentence.text
        assert backend.stats.generated > before  # the model did write sentences
    assert backend.stats.failures == 0
    assert kept_total < backend.stats.generated  # the gate removed some of what it wrote


def test_real_model_answer_and_stream_are_gated(real_llm: Assistant) -> None:
    question = "How does ketamine work for chronic pain?"
    answer = real_llm.ask(question)
    assert answer.route == "answer" and answer.backend in ("openai", "extractive")
    passages = " ".join(c.quote for c in answer.citations)
    assert invented(answer.answer, passages) == []
    for c in answer.citations:
        assert f"[{c.n}]" in answer.answer and c.quote in CORPUS_TEXT
    events = list(real_llm.service.stream("Can ketamine help people with fibromyalgia?"))
    final = events[-1]
    assert isinstance(final, Answer) and final.route == "answer"
    assert "".join(str(e) for e in events[:-1]) == final.answer
    assert invented(final.answer, " ".join(c.quote for c in final.citations)) == []
    assert real_llm.service.health().status == "ok"


CORPUS_TEXT = (
    Path(__file__).resolve().parents[2] / "corpus" / "ketamine-chronic-pain.md"
).read_text(encoding="utf-8")


# -- a server that is down, slow, or sends junk ---------------------------------------------
def test_server_down_gives_extractive_answer_and_degraded_readiness(built_store: Path) -> None:
    down = Assistant(llm_settings(built_store, base_url=f"http://127.0.0.1:{free_port()}/v1"))
    answer = down.ask("Does ketamine help neuropathic pain?")
    assert answer.route == "answer" and answer.backend == "extractive" and answer.citations
    health = down.service.health()
    assert health.status == "degraded" and health.backend == "openai" and health.reason


class _Handler(http.server.BaseHTTPRequestHandler):
    """An OpenAI-style server that sleeps (`delay`) or streams a junk answer."""

    delay = 0.0
    content = ""

    def log_message(self, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"data": []}')

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for word in re.split(r"(?<=\s)", self.content):
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}  # fmt: skip
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture()
def fake_server() -> Iterator[Callable[[float, str], str]]:
    """Start a fake OpenAI-compatible server; returns its base URL."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(delay: float, content: str) -> str:
        handler = type("H", (_Handler,), {"delay": delay, "content": content})
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_address[1]}/v1"

    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def test_slow_server_falls_back_before_it_answers(
    built_store: Path, fake_server: Callable[[float, str], str]
) -> None:
    url = fake_server(30.0, "Ketamine is used for chronic pain [1].")
    slow = Assistant(llm_settings(built_store, base_url=url, timeout_s=1.0, max_retries=1))
    t = time.monotonic()
    answer = slow.ask("What is neuropathic pain?")
    waited = time.monotonic() - t
    assert answer.route == "answer" and answer.backend == "extractive"
    assert waited < 30.0  # the visitor did not wait for the slow server
    health = slow.service.health()
    assert health.status == "degraded" and "timed out" in health.reason


def test_junk_server_output_falls_back(
    built_store: Path, fake_server: Callable[[float, str], str]
) -> None:
    url = fake_server(0.0, "$$$ BUY KETAMINE 4999 USD [1]. lorem ipsum [7] ### <|im_end|>")
    junk = Assistant(llm_settings(built_store, base_url=url, timeout_s=10.0))
    answer = junk.ask("What is chronic pain?")
    assert answer.route == "answer" and answer.backend == "extractive"
    assert "4999" not in answer.answer and "BUY" not in answer.answer
    assert junk.service.health().status == "ok"  # junk is not an outage


def test_cli_json_names_the_backend(built_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.interfaces.cli import main

    assert main(["--store-path", str(built_store), "ask", "--json", "What is chronic pain?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["backend"] == "extractive" and data["route"] == "answer"
