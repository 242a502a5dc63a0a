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

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group
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
from accreditation.services.accreditations import accreditation_open
from accreditation.services.cabs import cab_contact_add, cab_site_add
from accreditation.services.members import cab_grant_view, cab_member_invite
from accreditation.services.scopes import scope_draft_start
from core.models import AuditEvent, User
from core.roles import Role
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, make_credit_code, programme
from tests.conftest import LAB_ITEM

PERSONAS = (
    "secretariat",
    "decision_maker",
    "assigned_assessor",
    "unassigned_assessor",
    "cab_admin",
    "cab_member",
    "other_cab_admin",
    "anonymous",
)
OK, LOGIN, DENY, HIDE, NOT_ALLOWED, REFUSED = "ok", "login", "deny", "hide", "405", "refused"

# Routes that belong to libraries and carry no portal data.
IGNORED_PREFIXES = ("admin/",)


@dataclass
class World:
    users: dict[str, User | None]
    cab: Cab
    other_cab: Cab
    accreditation: Accreditation
    applicant: Accreditation
    published: ScopeVersion
    published_item: ScopeItem
    draft: ScopeVersion
    draft_item: ScopeItem
    site: CabSite
    contact: CabContact
    member: CabMembership
    invitation: CabInvitation
    audit_event: AuditEvent


@dataclass
class Case:
    """One method on one route: how to build its URL and body, and what each persona gets."""

    expect: dict[str, str]
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    query: Callable[[World], dict[str, Any]] = lambda w: {}
    api: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def everyone(outcome: str, **overrides: str) -> dict[str, str]:
    table = dict.fromkeys(PERSONAS, outcome)
    table.update(overrides)
    return table


def signed_in(outcome: str, **overrides: str) -> dict[str, str]:
    """``outcome`` for every signed-in persona; the public is sent to log in."""
    return everyone(outcome, anonymous=LOGIN, **overrides)


def secretariat_only(others: str = DENY, **overrides: str) -> dict[str, str]:
    return signed_in(others, secretariat=OK, **overrides)


STAFF_READ = signed_in(HIDE, secretariat=OK, decision_maker=OK)
# Who sees the CAB ``cab`` (and its accreditations and scopes).
SEES_CAB = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK)
LISTS = signed_in(OK)

cab_pk = lambda w: {"pk": w.cab.pk}  # noqa: E731
acc_pk = lambda w: {"pk": w.accreditation.pk}  # noqa: E731
draft_pk = lambda w: {"pk": w.draft.pk}  # noqa: E731
item_pk = lambda w: {"pk": w.draft_item.pk}  # noqa: E731

NEW_CAB = {
    "name_zh": "杭州新建检测有限公司",
    "name_en": "Hangzhou New Testing Co., Ltd.",
    "credit_code": make_credit_code(987_654),
    "kind": "laboratory",
    "province": "33",
    "address_zh": "杭州市西湖区文三路1号",
}

PAGES: dict[str, list[Case]] = {
    "healthz": [Case(everyone(OK))],
    "home": [Case(everyone(OK))],
    "set_language": [Case(everyone(OK), method="post", data=lambda w: {"language": "en", "next": "/"})],
    "login": [Case(everyone(OK))],
    "logout": [Case(everyone(OK), method="post")],
    "password_change": [Case(signed_in(OK))],
    "password_change_done": [Case(signed_in(OK))],
    "password_reset": [Case(everyone(OK))],
    "password_reset_done": [Case(everyone(OK))],
    "password_reset_confirm": [Case(everyone(OK), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"})],
    "password_reset_complete": [Case(everyone(OK))],
    # The public directory.
    "accreditation:directory": [Case(everyone(OK), query=lambda w: {"q": "精准"})],
    "accreditation:directory_cab": [Case(everyone(OK), kwargs=cab_pk)],
    # The register.
    "accreditation:cab_list": [Case(signed_in(OK))],
    "accreditation:cab_create": [
        Case(secretariat_only()),
        Case(secretariat_only(), method="post", data=lambda w: NEW_CAB),
    ],
    "accreditation:cab_detail": [Case(SEES_CAB, kwargs=cab_pk)],
    "accreditation:cab_update": [
        Case(secretariat_only(), kwargs=cab_pk),
        Case(
            secretariat_only(),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {**NEW_CAB, "credit_code": w.cab.credit_code, "reason": "typo"},
        ),
    ],
    "accreditation:cab_site_add": [
        Case(
            secretariat_only(),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"name": "二号实验楼", "address": "北京市海淀区2号", "province": "11"},
        )
    ],
    "accreditation:cab_contact_add": [
        Case(secretariat_only(), method="post", kwargs=cab_pk, data=lambda w: {"name": "王芳", "role": "技术负责人"})
    ],
    "accreditation:accreditation_open": [
        Case(secretariat_only(), method="post", kwargs=cab_pk, data=lambda w: {"programme": "ML"})
    ],
    "accreditation:accreditation_detail": [Case(SEES_CAB, kwargs=acc_pk)],
    "accreditation:accreditation_grant": [
        Case(secretariat_only(), method="post", kwargs=lambda w: {"pk": w.applicant.pk}, data=lambda w: {})
    ],
    "accreditation:accreditation_status": [
        Case(secretariat_only(), method="post", kwargs=acc_pk, data=lambda w: {"status": "suspended", "reason": "r"})
    ],
    "accreditation:accreditation_partial_suspension": [
        Case(
            secretariat_only(),
            method="post",
            kwargs=lambda w: {"pk": w.accreditation.pk},
            data=lambda w: {"items": [str(w.published_item.key)], "reason": "r"},
            extra={"needs_no_draft": "1"},
        )
    ],
    "accreditation:scope_draft_start": [
        Case(secretariat_only(), method="post", kwargs=lambda w: {"pk": w.applicant.pk}, data=lambda w: {"note": "n"})
    ],
    "accreditation:scope_diff": [
        Case(SEES_CAB, kwargs=acc_pk, query=lambda w: {"old": w.published.pk, "new": w.draft.pk})
    ],
    "accreditation:scope_version_detail": [Case(SEES_CAB, kwargs=draft_pk)],
    "accreditation:scope_item_add": [
        Case(secretariat_only(), method="post", kwargs=draft_pk, data=lambda w: {**LAB_ITEM, "parameter": "过氧化值"})
    ],
    "accreditation:scope_version_publish": [Case(secretariat_only(), method="post", kwargs=draft_pk)],
    "accreditation:scope_version_discard": [Case(secretariat_only(), method="post", kwargs=draft_pk)],
    "accreditation:scope_item_update": [
        Case(secretariat_only(), method="post", kwargs=item_pk, data=lambda w: {**LAB_ITEM, "parameter": "水分"})
    ],
    "accreditation:scope_item_status": [
        Case(secretariat_only(), method="post", kwargs=item_pk, data=lambda w: {"status": "suspended", "reason": "r"})
    ],
    "accreditation:scope_item_remove": [Case(secretariat_only(), method="post", kwargs=item_pk)],
    # The CAB user's home.
    "accreditation:cab_home": [Case(signed_in(OK))],
    "accreditation:cab_home_detail": [Case(signed_in(HIDE, cab_admin=OK, cab_member=OK), kwargs=cab_pk)],
    "accreditation:cab_member_invite": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"email": "new.colleague@example.cn"},
        )
    ],
    "accreditation:cab_member_remove": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=lambda w: {"pk": w.cab.pk, "member_pk": w.member.pk},
        )
    ],
    "accreditation:cab_home_contact_add": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"name": "李强", "role": "质量负责人"},
        )
    ],
    "accreditation:cab_home_contact_update": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=lambda w: {"pk": w.cab.pk, "contact_pk": w.contact.pk},
            data=lambda w: {"name": "张伟", "role": "最高管理者", "email": "", "phone": ""},
        )
    ],
    "accreditation:invitation_accept": [Case(everyone(OK), kwargs=lambda w: {"token": w.invitation.token})],
}


def api(expect: dict[str, str], **kwargs: Any) -> Case:
    return Case(expect, api=True, **kwargs)


# Moves on an accreditation the user can see but not change are 404 through the "change" selector.
ACC_MOVE = signed_in(HIDE, secretariat=OK)
REASON = lambda w: {"reason": "checked on site"}  # noqa: E731

ENDPOINTS: dict[str, list[Case]] = {
    "core_api:token": [
        api(everyone(REFUSED), method="post", data=lambda w: {"username": "nobody", "password": "wrong"})
    ],
    "accreditation_api:api-root": [api(LISTS)],
    "accreditation_api:me": [api(LISTS)],
    "accreditation_api:programme-list": [api(LISTS)],
    "accreditation_api:programme-detail": [api(LISTS, kwargs=lambda w: {"code": "CL"})],
    "accreditation_api:cab-list": [
        api(LISTS),
        api(signed_in(DENY, secretariat=OK), method="post", data=lambda w: NEW_CAB),
    ],
    "accreditation_api:cab-detail": [
        api(SEES_CAB, kwargs=cab_pk),
        api(
            signed_in(HIDE, secretariat=OK, cab_admin=DENY),
            method="patch",
            kwargs=cab_pk,
            data=lambda w: {"name_en": "Renamed Co., Ltd."},
        ),
    ],
    "accreditation_api:cab-close": [
        api(signed_in(HIDE, secretariat=OK, cab_admin=DENY), method="post", kwargs=cab_pk, data=REASON)
    ],
    "accreditation_api:cab-reopen": [
        api(signed_in(HIDE, secretariat=REFUSED, cab_admin=DENY), method="post", kwargs=cab_pk, data=REASON)
    ],
    "accreditation_api:cab-invite": [
        api(
            signed_in(HIDE, secretariat=OK, cab_admin=OK),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"email": "new.colleague@example.cn"},
        )
    ],
    "accreditation_api:cab-site-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "name": "三号楼", "address": "北京市海淀区3号", "province": "11"},
        ),
    ],
    "accreditation_api:cab-site-detail": [
        api(SEES_CAB, kwargs=lambda w: {"pk": w.site.pk}),
        # A CAB admin may change its CAB's contacts but not its sites: the service refuses (403).
        api(signed_in(HIDE, secretariat=OK, cab_admin=DENY), method="delete", kwargs=lambda w: {"pk": w.site.pk}),
    ],
    "accreditation_api:cab-contact-list": [
        api(LISTS),
        api(
            signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=OK, cab_member=DENY),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "name": "赵敏", "role": "授权签字人"},
        ),
    ],
    "accreditation_api:cab-contact-detail": [
        api(SEES_CAB, kwargs=lambda w: {"pk": w.contact.pk}),
        api(
            signed_in(HIDE, secretariat=OK, cab_admin=OK),
            method="patch",
            kwargs=lambda w: {"pk": w.contact.pk},
            data=lambda w: {"phone": "010-12345678"},
        ),
        api(signed_in(HIDE, secretariat=OK, cab_admin=OK), method="delete", kwargs=lambda w: {"pk": w.contact.pk}),
    ],
    "accreditation_api:membership-list": [api(LISTS)],
    "accreditation_api:membership-detail": [
        api(
            signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK),
            kwargs=lambda w: {"pk": w.member.pk},
        ),
        # Whoever sees a membership reaches the service, which lets only the secretariat and the CAB's admin remove it.
        api(
            signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=OK, cab_member=DENY),
            method="delete",
            kwargs=lambda w: {"pk": w.member.pk},
        ),
    ],
    "accreditation_api:accreditation-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "programme": "ML"},
        ),
    ],
    "accreditation_api:accreditation-detail": [api(SEES_CAB, kwargs=acc_pk)],
    "accreditation_api:accreditation-grant": [
        api(ACC_MOVE, method="post", kwargs=lambda w: {"pk": w.applicant.pk}, data=lambda w: {})
    ],
    "accreditation_api:accreditation-suspend": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:accreditation-partially-suspend": [
        api(
            ACC_MOVE,
            method="post",
            kwargs=acc_pk,
            data=lambda w: {"reason": "r", "item_keys": [str(w.published_item.key)]},
            extra={"needs_no_draft": "1"},
        )
    ],
    "accreditation_api:accreditation-reinstate": [
        api(signed_in(HIDE, secretariat=REFUSED), method="post", kwargs=acc_pk, data=REASON)
    ],
    "accreditation_api:accreditation-withdraw": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:accreditation-cancel": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:accreditation-expire": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:scope-version-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"accreditation": w.applicant.pk},
        ),
    ],
    "accreditation_api:scope-version-detail": [api(SEES_CAB, kwargs=draft_pk)],
    "accreditation_api:scope-version-publish": [api(ACC_MOVE, method="post", kwargs=draft_pk, data=lambda w: {})],
    "accreditation_api:scope-version-discard": [api(ACC_MOVE, method="post", kwargs=draft_pk, data=lambda w: {})],
    "accreditation_api:scope-version-diff": [
        api(SEES_CAB, kwargs=draft_pk, query=lambda w: {"against": w.published.pk})
    ],
    "accreditation_api:scope-item-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"version": w.draft.pk, "attributes": {**LAB_ITEM, "parameter": "铅"}},
        ),
    ],
    "accreditation_api:scope-item-detail": [
        api(SEES_CAB, kwargs=item_pk),
        api(ACC_MOVE, method="patch", kwargs=item_pk, data=lambda w: {"attributes": {**LAB_ITEM, "parameter": "镉"}}),
        api(ACC_MOVE, method="delete", kwargs=item_pk),
    ],
    "accreditation_api:scope-item-set-status": [
        api(ACC_MOVE, method="post", kwargs=item_pk, data=lambda w: {"status": "suspended", "reason": "r"})
    ],
    "accreditation_api:audit-event-list": [api(signed_in(DENY, secretariat=OK, decision_maker=OK))],
    "accreditation_api:audit-event-detail": [
        api(signed_in(DENY, secretariat=OK, decision_maker=OK), kwargs=lambda w: {"pk": w.audit_event.pk})
    ],
    "accreditation_api:public-cab-list": [api(everyone(OK), query=lambda w: {"q": "精准"})],
    "accreditation_api:public-cab-detail": [api(everyone(OK), kwargs=cab_pk)],
    "api-schema": [api(everyone(OK))],
    "api-docs": [api(everyone(OK))],
}

MATRIX: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}


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

    from accreditation.services.accreditations import accreditation_grant
    from accreditation.services.scopes import scope_item_add, scope_version_publish

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
    return World(
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
    from urllib.parse import urlencode

    return f"?{urlencode(query)}" if query else ""
