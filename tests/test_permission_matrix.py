"""The permission matrix: every page and endpoint × every persona has an expected outcome.

The list of routes comes from the URL configuration itself, so a new page or endpoint that
has no entry here fails ``test_every_route_has_an_entry``. Each entry says, per persona, what
happens: ``OK`` (2xx, or a redirect that is not to the login page), ``LOGIN`` (sent to log in,
or 401 from the API), ``DENY`` (403) or ``HIDE`` (404: the object is not there for them).
Every denied request is also checked to have changed nothing: no audit event, no new row.

Personas: the secretariat, a decision maker, an assessor granted access to the CAB and one
who is not, the admin and a plain member of the CAB, the admin of another CAB, the public.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accreditation.models import (
    Accreditation,
    Cab,
    CabContact,
    CabInvitation,
    CabMembership,
    CabSite,
    ScopeItem,
    ScopeVersion,
)
from core.api.throttling import PortalScopedRateThrottle
from core.models import AuditEvent
from tests.matrix import DENY, HIDE, LOGIN, NOT_ALLOWED, OK, PERSONAS, REFUSED, Case, World
from tests.matrix_world import build_world, entry_modules

# Routes that belong to libraries and carry no portal data.
IGNORED_PREFIXES = ("admin/",)


def _merged_entries() -> dict[str, list[Case]]:
    merged: dict[str, list[Case]] = {}
    for module in entry_modules():
        twice = sorted(set(merged) & set(module.ENTRIES))
        assert not twice, f"{module.__name__} repeats matrix entries: {twice}"
        merged.update(module.ENTRIES)
    return merged


MATRIX = _merged_entries()


def _route_names(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _route_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            if route.startswith(IGNORED_PREFIXES):
                continue
            name = pattern.name or route
            yield (f"{namespace}:{name}" if namespace else name), route


def test_every_route_has_an_entry() -> None:
    routes = {name for name, _route in _route_names(get_resolver().url_patterns)}
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert missing == [], f"Routes with no entry in the permission matrix: {missing}"
    assert stale == [], f"Matrix entries for routes that no longer exist: {stale}"


def test_every_entry_names_every_persona() -> None:
    incomplete = [name for name, cases in MATRIX.items() for case in cases if set(case.expect) != set(PERSONAS)]
    assert incomplete == []


# --- Running the matrix -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each case starts with no API request counted: all personas share one address, and the whole
    matrix sends the public endpoints more requests a minute than the ``public`` rate allows."""
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.fixture
def world(db: None, django_capture_on_commit_callbacks: Any) -> World:
    return build_world()


def _snapshot() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            AuditEvent,
            Cab,
            CabSite,
            CabContact,
            CabMembership,
            CabInvitation,
            Accreditation,
            ScopeVersion,
            ScopeItem,
        )
    }


def _outcome(response: Any, *, is_api: bool) -> str:
    status = response.status_code
    if status in (401,) or (status == 302 and "/accounts/login/" in response.get("Location", "")):
        return LOGIN
    if status == 403:
        return DENY
    if status == 404:
        return HIDE
    if status == 405:
        return NOT_ALLOWED
    if status in (400, 409):
        return REFUSED
    if 200 <= status < 400:
        return OK
    return str(status)


def _cases() -> Iterator[Any]:
    for name, cases in MATRIX.items():
        for index, case in enumerate(cases):
            yield pytest.param(name, index, id=f"{name}[{case.method}]")


@pytest.mark.parametrize(("name", "index"), list(_cases()))
def test_each_persona_gets_what_the_matrix_says(world: World, name: str, index: int) -> None:
    case = MATRIX[name][index]
    if case.extra.get("needs_no_draft"):
        world.draft.delete()
    url = reverse(name, kwargs=case.kwargs(world))
    observed: dict[str, str] = {}
    leaks: list[str] = []
    for persona in PERSONAS:
        user = world.users[persona]
        client: Client | APIClient = (
            APIClient(HTTP_ACCEPT_LANGUAGE="en") if case.api else Client(HTTP_ACCEPT_LANGUAGE="en")
        )
        if user is not None:
            client.force_login(user)
        with transaction.atomic():
            before = _snapshot()
            send = getattr(client, case.method)
            if case.method == "get":
                response = send(url, case.query(world))
            elif case.api:
                response = send(url + _query_string(case.query(world)), case.data(world), format="json")
            else:
                response = send(url, case.data(world))
            observed[persona] = _outcome(response, is_api=case.api)
            if observed[persona] != OK and case.method != "get" and _snapshot() != before:
                leaks.append(persona)
            transaction.set_rollback(True)
    assert observed == case.expect
    assert leaks == [], f"A refused {case.method.upper()} changed data for: {leaks}"


def _query_string(query: dict[str, Any]) -> str:
    return f"?{urlencode(query)}" if query else ""
