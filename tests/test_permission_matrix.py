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

import importlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
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
from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.cabs import cab_contact_add, cab_site_add
from accreditation.services.members import cab_grant_view, cab_member_invite
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.api.throttling import PortalScopedRateThrottle
from core.models import AuditEvent, User
from core.roles import Role
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, programme
from tests.conftest import LAB_ITEM
from tests.matrix import DENY, HIDE, LOGIN, NOT_ALLOWED, OK, PERSONAS, REFUSED, Case, World

# Routes that belong to libraries and carry no portal data.
IGNORED_PREFIXES = ("admin/",)
TESTS = Path(__file__).resolve().parent


def _entry_modules() -> list[ModuleType]:
    paths = sorted(TESTS.glob("*/matrix_*.py"))
    return [importlib.import_module(".".join(p.relative_to(TESTS.parent).with_suffix("").parts)) for p in paths]


def _merged_entries() -> dict[str, list[Case]]:
    merged: dict[str, list[Case]] = {}
    for module in _entry_modules():
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


def _user(username: str, role: Role | None = None) -> User:
    user = UserFactory.create(username=username)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each case starts with no API request counted: all personas share one address, and the whole
    matrix sends the public endpoints more requests a minute than the ``public`` rate allows."""
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.fixture
def world(db: None, django_capture_on_commit_callbacks: Any) -> World:
    secretariat = _user("m_secretariat", Role.SECRETARIAT)
    assigned, unassigned = _user("m_assigned", Role.ASSESSOR), _user("m_unassigned", Role.ASSESSOR)
    cab = CabFactory.create(name_zh="北京精准检测技术有限公司", name_en="Beijing Precise Testing Co., Ltd.")
    other_cab = CabFactory.create(name_zh="上海远东认证有限公司", province="31")
    cab_admin = CabMembershipFactory.create(cab=cab, user=_user("m_cab_admin"), is_admin=True).user
    member = CabMembershipFactory.create(cab=cab, user=_user("m_cab_member"), is_admin=False)
    other_admin = CabMembershipFactory.create(cab=other_cab, user=_user("m_other_admin"), is_admin=True).user
    cab_grant_view(cab=cab, user=assigned, actor=secretariat, reason="assessment team")

    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    first = scope_draft_start(accreditation=accreditation, actor=secretariat)
    published_item = scope_item_add(version=first, actor=secretariat, attributes=LAB_ITEM)
    published = scope_version_publish(version=first, actor=secretariat)
    accreditation = accreditation_grant(accreditation=accreditation, actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    applicant = accreditation_open(cab=cab, programme=programme("IB"), actor=secretariat)
    site = cab_site_add(cab=cab, actor=secretariat, name="一号实验楼", address="北京市海淀区1号", province="11")
    contact = cab_contact_add(cab=cab, actor=secretariat, name="刘洋", role="质量负责人")
    invitation = cab_member_invite(cab=cab, actor=cab_admin, email="invited@example.cn")
    world = World(
        users={
            "secretariat": secretariat,
            "decision_maker": _user("m_decision_maker", Role.DECISION_MAKER),
            "assigned_assessor": assigned,
            "unassigned_assessor": unassigned,
            "cab_admin": cab_admin,
            "cab_member": member.user,
            "other_cab_admin": other_admin,
            "anonymous": None,
        },
        cab=cab,
        other_cab=other_cab,
        accreditation=accreditation,
        applicant=applicant,
        published=published,
        published_item=published_item,
        draft=draft,
        draft_item=draft.items.get(),
        site=site,
        contact=contact,
        member=member,
        invitation=invitation,
        audit_event=AuditEvent.objects.order_by("sequence").first(),  # type: ignore[arg-type]
    )
    for module in _entry_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(world)
    return world


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
