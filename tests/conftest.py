"""Personas for every test (see STYLE.md: tests read as sentences about these people).

- ``secretariat``: Alice, secretariat staff.
- ``decision_maker``: Dmitri, decides on accreditations; reads the register, changes nothing.
- ``assessor``: Erin, an assessor with no grant on anything yet.
- ``cab_admin``: Carol, admin of ``cab`` (Beijing lab).
- ``cab_user``: Chen, a plain member of ``cab``.
- ``other_cab_user``: Oscar, admin of ``other_cab``: he must never see or change ``cab``.
- anonymous: the public, through an unauthenticated client.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accreditation.models import Accreditation, Cab, ScopeVersion
from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.models import User
from core.roles import Role
from core.two_factor import REQUIRED_ROLES
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, programme


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run transactional tests last of all.

    A transactional test empties every table when it ends, including the rows the data
    migrations wrote (roles, programmes, code lists). pytest-django already runs them after the
    tests marked for the database, but a test that reaches the database only through a fixture
    it looks up by name (``request.getfixturevalue``) is not seen as one, and would run after.
    """

    def transactional(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in getattr(
            item, "fixturenames", ()
        )

    items.sort(key=transactional)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """PBKDF2's deliberate slowness protects real passwords; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache (Redis when REDIS_URL is set): cached page fragments and
    counters of one test must not leak into another's pages or query counts."""
    cache.clear()


def pass_second_factor(client: Client, user: User) -> None:
    """Make ``client``'s session count as having given ``user``'s two-factor code, when their role
    needs one: a confirmed device (made if missing) remembered in the session as django-otp does.
    For clients signed in outside the test suite's ``force_login`` (scripts, subprocesses)."""
    # Asked of the database, not through ``roles_of``, which would cache roles on the test's user object.
    if not (user.is_superuser or user.groups.filter(name__in=REQUIRED_ROLES).exists()):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login(user)`` (pages, and ``APIClient``) signs in as if the user had also given
    their two-factor code. Tests of the second factor itself log in through the forms instead
    (``tests/core/test_two_factor.py``)."""
    force_login = Client.force_login

    def force_login_verified(self: Client, user: Any, backend: str | None = None) -> None:
        force_login(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    """Tests assert English messages unless they switch language themselves (the default is zh-hans)."""
    with translation.override("en"):
        yield


def _with_role(username: str, role: Role) -> User:
    user = UserFactory.create(username=username)
    user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def secretariat(db: None) -> User:
    return _with_role("alice", Role.SECRETARIAT)


@pytest.fixture
def decision_maker(db: None) -> User:
    return _with_role("dmitri", Role.DECISION_MAKER)


@pytest.fixture
def assessor(db: None) -> User:
    return _with_role("erin", Role.ASSESSOR)


@pytest.fixture
def cab(db: None) -> Cab:
    return CabFactory.create(name_zh="北京精准检测技术有限公司", name_en="Beijing Precise Testing Co., Ltd.")


@pytest.fixture
def other_cab(db: None) -> Cab:
    return CabFactory.create(
        name_zh="上海远东认证有限公司", name_en="Shanghai Far East Certification Co., Ltd.", province="31"
    )


@pytest.fixture
def cab_admin(cab: Cab) -> User:
    return CabMembershipFactory.create(cab=cab, user=UserFactory.create(username="carol"), is_admin=True).user


@pytest.fixture
def cab_user(cab: Cab) -> User:
    return CabMembershipFactory.create(cab=cab, user=UserFactory.create(username="chen"), is_admin=False).user


@pytest.fixture
def other_cab_user(other_cab: Cab) -> User:
    return CabMembershipFactory.create(cab=other_cab, user=UserFactory.create(username="oscar"), is_admin=True).user


LAB_ITEM = {"field": "食品", "subject": "食用植物油", "parameter": "酸价", "method": "GB 5009.229-2016"}


@pytest.fixture
def accreditation(cab: Cab, secretariat: User) -> Accreditation:
    """``cab`` accredited under the laboratory programme with a published first scope issue."""
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=LAB_ITEM)
    scope_version_publish(version=draft, actor=secretariat)
    return accreditation_grant(accreditation=accreditation, actor=secretariat)


@pytest.fixture
def published_scope(accreditation: Accreditation) -> ScopeVersion:
    scope = accreditation.current_scope
    assert scope is not None
    return scope


@pytest.fixture
def client_for(db: None):
    """``client_for(user)``: a logged-in page client in English; ``client_for(None)`` is the public.

    Pass ``language="zh-hans"`` to see the pages in Chinese.
    """

    def make(user: User | None, language: str = "en") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for(db: None):
    """``api_for(user)``: an API client authenticated as ``user``; ``api_for(None)`` is anonymous."""

    def make(user: User | None, language: str = "en") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
