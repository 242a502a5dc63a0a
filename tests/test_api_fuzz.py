"""API fuzzing: schemathesis sends generated requests to every operation of the OpenAPI schema.

Each operation is called as the public, the secretariat, a decision maker, an assessor assigned
to the CAB, the CAB's admin and another CAB's admin (token authentication, as machine clients
use it). Every answer must be no server error, carry a status code the schema documents, a
documented content type and headers, and a body that conforms to the documented schema.

The requests run in-process through the WSGI application, inside the test's transaction: each
one is rolled back before the next, so every generated case meets the same world (the
permission matrix's, see ``tests/matrix_world.py``) rather than whatever the previous case left.

Generation is derandomized, so a CI failure reproduces with the same command. Deeper runs:

- ``FUZZ_EXAMPLES=100``: generated cases per operation (default 8; each is sent as every persona);
- ``FUZZ_COVERAGE=1``: also schemathesis's coverage phase (each parameter's boundary values);
- ``FUZZ_SHRINK=0``: report failures as found, without shrinking them (faster for a survey).

The rate limits are lifted here, or every case past the first few of a public operation would
meet 429 instead of the view; ``tests/test_schema.py`` checks that the schema documents the 429.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response

from tests.fuzz.targets import Targets, collect_targets
from tests.matrix_world import build_world

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
COVERAGE = os.environ.get("FUZZ_COVERAGE", "") == "1"
# Shrinking a failure to its smallest form takes time; a survey of many failures can skip it.
PHASES = [p for p in hypothesis.Phase if p is not hypothesis.Phase.shrink or os.environ.get("FUZZ_SHRINK", "1") == "1"]
PERSONAS = ("anonymous", "secretariat", "decision_maker", "assigned_assessor", "cab_admin", "other_cab_admin")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _schema() -> dict[str, Any]:
    """The schema exactly as ``/api/schema/?format=json`` serves it."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


# The coverage phase sends each parameter's boundary and invalid values in turn: many cases per
# operation, so only in a deeper local run. Security parameters are not generated: each persona
# sends its own token, and the public none.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"with-security-parameters": False, "database": "none"},
        "phases": {"coverage": {"enabled": COVERAGE}},
    }
)
SCHEMA = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
SCHEMA.app = get_wsgi_application()
# Filled by the ``fuzz_world`` fixture once the world exists; read while cases are generated.
TARGETS = Targets()


@SCHEMA.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    known = TARGETS.paths.get((context.operation.method.upper(), context.operation.path), [])
    return st.sampled_from([path_parameters, *known])


@SCHEMA.hook
def flatmap_body(context: Any, body: Any) -> Any:
    related = TARGETS.bodies.get((context.operation.method.upper(), context.operation.path), {})
    if not isinstance(body, dict) or not related:
        return st.just(body)
    names = sorted(related)
    choices = [st.sampled_from([None, *related[name]]) for name in names]

    def aim(picked: tuple[Any, ...]) -> dict[str, Any]:
        return {**body, **{name: value for name, value in zip(names, picked, strict=True) if value is not None}}

    return st.tuples(*choices).map(aim)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str | None]]:
    """The world and one API token per persona, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        tokens: dict[str, str | None] = {}
        for persona in PERSONAS:
            user = world.users[persona]
            tokens[persona] = None if user is None else Token.objects.get_or_create(user=user)[0].key
        collected = collect_targets()
        TARGETS.paths, TARGETS.bodies = collected.paths, collected.bodies
        yield tokens
        TARGETS.paths, TARGETS.bodies = {}, {}
        transaction.set_rollback(True)


@pytest.fixture
def in_process(db: None, settings: Any) -> Iterator[None]:
    """Let the WSGI handler run inside the test's transaction, like Django's test client does.

    The handler closes "old" connections when a request starts and finishes; inside a transaction
    that would close the test's own connection. No rate limit applies (see the module's notes).
    """
    settings.ALLOWED_HOSTS = ["localhost"]
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _send(case: Any, token: str | None) -> tuple[Response, dict[str, str]]:
    headers = {"Accept-Language": "en"}
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    with transaction.atomic():
        response: Response = case.call(headers=headers)
        # Whatever the request changed is undone: the next case meets the same world.
        transaction.set_rollback(True)
    assert response.request.headers.get("Authorization") == headers.get("Authorization"), "sent as someone else"
    return response, headers


# One parameter set, so that each operation's test gets its own node id (``...[GET /api/cabs/][...]``):
# schemathesis names unparametrized items after the function alone, and pytest 9 then gives all
# of them the same id.
@pytest.mark.parametrize("personas", [PERSONAS], ids=["each persona"])
@SCHEMA.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=PHASES,
)
def test_every_answer_is_documented_and_no_server_error(
    case: Any, personas: tuple[str, ...], fuzz_world: dict[str, str | None], in_process: None
) -> None:
    """The same generated request, sent as each persona."""
    failures = []
    for persona in personas:
        response, headers = _send(case, fuzz_world[persona])
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failure:
            failures.append(f"As {persona}: {failure}")
    if failures:
        raise AssertionError("\n".join(failures))


def test_every_address_with_a_parameter_can_name_a_real_object(fuzz_world: dict[str, str | None], db: None) -> None:
    """Without real ids in the URLs the fuzzer would only ever meet "not found"."""
    templated = {
        (method.upper(), path)
        for path, item in SCHEMA.raw_schema["paths"].items()
        for method in item
        if "{" in path and method in {"get", "post", "put", "patch", "delete"}
    }

    missing = sorted(f"{method} {path}" for method, path in templated if not TARGETS.paths.get((method, path)))
    assert missing == [], "\n".join(missing)
