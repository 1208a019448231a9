"""The official `openai` SDK against /v1/chat/completions, streaming and not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from assistant.interfaces.api import create_app
from tests.web._web import LiveServer, service_for, web_settings

pytestmark = pytest.mark.server

QUESTION = "Can ketamine help with fibromyalgia?"
KEY = "sk-vetted-test-key-000001"


@pytest.fixture(scope="module")
def base_url(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server; API keys configured but optional (anonymous use allowed)."""
    tmp = tmp_path_factory.mktemp("openai")
    settings = web_settings(built_store, tmp, ui=False, api_keys=[KEY])
    with LiveServer(create_app(service_for(built_store), settings)) as srv:
        yield f"{srv.url}/v1"


@pytest.fixture()
def client(base_url: str) -> openai.OpenAI:
    """The OpenAI SDK pointed at the assistant, unchanged but for base_url."""
    return openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0, timeout=60)


def test_non_streaming_completion(client: openai.OpenAI) -> None:
    done = client.chat.completions.create(
        model="anything", messages=[{"role": "user", "content": QUESTION}]
    )
    assert done.object == "chat.completion"
    choice = done.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    content = choice.message.content or ""
    extra = (done.model_extra or {})["vetted"]
    assert extra["route"] == "answer" and extra["citations"] and extra["message_id"]
    # a client that shows only `content` still shows the sources and the disclaimer
    assert "Sources:" in content and extra["disclaimer"] in content
    for c in extra["citations"]:
        assert c["quote"] in content and f"[{c['n']}]" in content


def test_streaming_matches_non_streaming(client: openai.OpenAI) -> None:
    messages = [
        {"role": "system", "content": "You are the clinic's assistant."},
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
    ]
    plain = client.chat.completions.create(model="m", messages=messages)  # type: ignore[arg-type]
    stream = client.chat.completions.create(model="m", messages=messages, stream=True)  # type: ignore[arg-type]
    chunks = list(stream)
    assert len(chunks) >= 4
    assert len({c.id for c in chunks}) == 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    vetted = (last.model_extra or {})["vetted"]
    assert vetted["route"] == "answer" and vetted["citations"]


def test_models_and_errors(client: openai.OpenAI, base_url: str) -> None:
    assert [m.id for m in client.models.list()] == ["vetted-assistant"]
    with pytest.raises(openai.BadRequestError) as bad:
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": QUESTION}], n=2
        )
    assert bad.value.status_code == 400 and "n=1" in str(bad.value)
    with pytest.raises(openai.UnprocessableEntityError) as long:
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "x" * 9000}]
        )
    assert "limit" in str(long.value)
    wrong = openai.OpenAI(base_url=base_url, api_key="sk-not-a-valid-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION}])


def test_rate_limit_reaches_the_sdk(built_store: Path, tmp_path: Path) -> None:
    settings = web_settings(
        built_store, tmp_path, ui=False, rate_limit_per_minute=1, rate_limit_burst=1
    )
    with LiveServer(create_app(service_for(built_store), settings)) as srv:
        client = openai.OpenAI(base_url=f"{srv.url}/v1", api_key="unused", max_retries=0)
        msgs = [{"role": "user", "content": QUESTION}]
        client.chat.completions.create(model="m", messages=msgs)  # type: ignore[arg-type]
        with pytest.raises(openai.RateLimitError) as limited:
            client.chat.completions.create(model="m", messages=msgs)  # type: ignore[arg-type]
        assert int(limited.value.response.headers["retry-after"]) >= 1
