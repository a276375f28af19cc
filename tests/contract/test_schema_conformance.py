"""Schema and behaviour agree: schemathesis cases for every operation, answered in-process.

Cases are generated up front (bounded and derandomized), then sent through the test's own
client so they reach the per-test database on either backend. Each case signs in a fresh artist,
so deleting the account, logging out or revoking a device never spoils the cases after it.
"""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from notalabel.config import Settings
from notalabel.container import Container
from tests.contract.openapi_walk import openapi_document
from tests.users.factories import make_artist

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def generate_cases(raw_schema: dict[str, Any]) -> list[Case]:
    """A bounded, repeatable set of valid and invalid cases for every documented operation."""
    schema = schemathesis.openapi.from_dict(raw_schema)
    cases: list[Case] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        cases += examples(operation.as_strategy(GenerationMode.POSITIVE))
        # an operation without parameters or body has nothing to make invalid
        with contextlib.suppress(Unsatisfiable):
            cases += examples(operation.as_strategy(GenerationMode.NEGATIVE))
    return cases


def examples(strategy: SearchStrategy[Case]) -> list[Case]:
    """What Hypothesis draws from `strategy`, the same on every run."""
    found: list[Case] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(case: Case) -> None:
        found.append(case)

    collect()
    return found


async def send(client: httpx.AsyncClient, case: Case, token: str) -> httpx.Response | None:
    """Send one case in-process; None when httpx itself cannot express the request."""
    kwargs = case.as_transport_kwargs(base_url="http://test")
    headers = dict(kwargs.get("headers") or {})
    if any(name.lower() == "authorization" for name in headers):
        # the generated token becomes a real one; a case without one tests the missing token
        headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        headers["Authorization"] = f"Bearer {token}"
    try:
        return await client.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            headers=headers,
            json=kwargs.get("json"),
            content=kwargs.get("data") if isinstance(kwargs.get("data"), str | bytes) else None,
        )
    except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError):
        return None


async def test_every_operation_answers_as_documented(
    client: httpx.AsyncClient, container: Container, settings: Settings
) -> None:
    raw_schema = openapi_document(settings, container)
    cases = generate_cases(raw_schema)
    assert len({(c.method, c.path) for c in cases}) == sum(
        len([m for m in item if m in {"get", "post", "put", "patch", "delete"}])
        for item in raw_schema["paths"].values()
    )
    failures: list[str] = []
    sent = 0
    for number, case in zip(itertools.count(), cases, strict=False):
        artist = await make_artist(container, f"Contract {number}")
        response = await send(client, case, artist.token)
        if response is None:
            continue
        sent += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # schemathesis groups every failed check in one error
            failures.append(f"{case.method} {case.path}: {exc}")
    assert sent > len(cases) // 2
    assert not failures, "\n\n".join(failures[:20]) + f"\n\n{len(failures)} failures"
