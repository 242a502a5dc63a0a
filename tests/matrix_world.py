"""The permission matrix's world: its personas and objects, used by the matrix and the API fuzzer.

A CAB with a granted accreditation, a published scope and a draft, applications, assessments,
reports, findings, certificates, supervision records. Each app's ``tests/<app>/matrix_*.py``
``build`` adds its own objects, so the matrix (``tests/test_permission_matrix.py``, once per
test) and the fuzzer (``tests/test_api_fuzz.py``, once per module) reach every app's real rows.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from django.contrib.auth.models import Group

from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.cabs import cab_contact_add, cab_site_add
from accreditation.services.members import cab_grant_view, cab_member_invite
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.models import AuditEvent, User
from core.roles import Role
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, programme
from tests.conftest import LAB_ITEM
from tests.matrix import World

TESTS = Path(__file__).resolve().parent


def entry_modules() -> list[ModuleType]:
    paths = sorted(TESTS.glob("*/matrix_*.py"))
    return [importlib.import_module(".".join(p.relative_to(TESTS.parent).with_suffix("").parts)) for p in paths]


def _user(username: str, role: Role | None = None) -> User:
    user = UserFactory.create(username=username)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def build_world() -> World:
    """The matrix's personas and objects, with every app's ``build`` applied."""
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
        audit_event=AuditEvent.objects.order_by("id").first(),  # type: ignore[arg-type]
    )
    for module in entry_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(world)
    return world
