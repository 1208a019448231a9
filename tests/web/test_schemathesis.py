"""Schemathesis against a real uvicorn server: no 5xx, and every response as documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assistant.interfaces.api import create_app
from tests.web._web import LiveServer, service_for, web_settings

pytestmark = pytest.mark.server

EXAMPLES = 15  # per operation and mode: bounded so the run stays near a minute or two
# Not run: "schema-valid request rejected". Two rules have no JSON Schema form: a
# conversation must end with a user turn, and text must be valid Unicode (JSON strings may
# hold lone surrogates). Both are rejected with a documented 422, which the status-code
# check verifies.
EXCLUDED = [positive_data_acceptance]


@pytest.fixture(scope="module")
def live(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server with generous rate limits."""
    tmp = tmp_path_factory.mktemp("schemathesis")
    app = create_app(service_for(built_store), web_settings(built_store, tmp, ui=False))
    with LiveServer(app) as srv:
        yield srv.url


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_v1_conforms_to_its_openapi_schema(live: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{live}/openapi.json").include(path_regex="^/v1/")
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        op = result.ok()

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(base_url=live, timeout=60, excluded_checks=EXCLUDED)

        try:
            run()
        except Unsatisfiable:  # e.g. no invalid request exists for GET /v1/models
            continue
        except Exception as exc:  # collect every operation's first failure
            failures.append(f"{op.label}: {str(exc)[:1500]}")
    assert calls >= 5 * EXAMPLES // 2
    assert not failures, "\n\n".join(failures)
