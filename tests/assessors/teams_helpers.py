"""What the team tests share: an accepted application, a pool of assessors and a snapshot of the team tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone
from guardian.models import UserObjectPermission

from accreditation.choices_applications import ApplicationStatus, ApplicationType, ScopeAction
from accreditation.models import Accreditation, Application, ApplicationScopeItem, Cab, CabUserObjectPermission
from assessors.choices import AssessmentKind, QualificationRole
from assessors.models import AssessorProfile
from assessors.models_teams import Assessment, AssessmentUserObjectPermission, TeamMember
from assessors.services_teams import assessment_create
from core.models import AuditEvent, User
from tests.accreditation.factories import programme
from tests.assessors.factories import (
    D,
    assessor_user,
    code,
    competence,
    conflict,
    profile_for,
    qualification,
    unavailable,
)
from tests.conftest import LAB_ITEM

START = D(2026, 12, 7)
END = D(2026, 12, 9)
FOOD_ITEM = {**LAB_ITEM, "parameter": "过氧化值", "method": "GB 5009.227-2016"}
METAL_ITEM = {"field": "金属材料", "subject": "钢材", "parameter": "抗拉强度", "method": "GB/T 228.1-2021"}
WATER_ITEM = {"field": "水质", "subject": "生活饮用水", "parameter": "浑浊度", "method": "GB/T 5750.4-2023"}


def accepted_extension(
    cab: Cab, accreditation: Accreditation, actor: User, items: tuple[dict[str, str], ...] = (FOOD_ITEM, METAL_ITEM)
) -> Application:
    """An extension the acceptance review accepted (made directly: the review has its own tests)."""
    now = timezone.now()
    application = Application.objects.create(
        reference=f"EXT-{Application.objects.count() + 1}",
        cab=cab,
        programme=programme("CL"),
        accreditation=accreditation,
        type=ApplicationType.EXTENSION,
        status=ApplicationStatus.ACCEPTED,
        created_by=actor,
        submitted_at=now,
        first_submitted_at=now,
    )
    for position, attributes in enumerate(items):
        ApplicationScopeItem.objects.create(
            application=application, action=ScopeAction.ADD, position=position, attributes=attributes
        )
    return application


def plan(application: Application, secretariat: User, start: dt.date = START, end: dt.date = END) -> Assessment:
    return assessment_create(
        application=application, actor=secretariat, kind=AssessmentKind.ON_SITE, planned_start=start, planned_end=end
    )


@dataclass
class Pool:
    """王芳 leads with 食品; 李娜 assesses 金属材料; 张伟 holds both but consulted for the CAB.

    刘洋 holds 金属材料 too but is away from the second planned day.
    """

    wang: AssessorProfile
    li: AssessorProfile
    zhang: AssessorProfile
    liu: AssessorProfile


def pool(cab: Cab, secretariat: User) -> Pool:
    wang = profile_for(assessor_user("wang", "王芳"))
    qualification(wang, role=QualificationRole.LEAD_ASSESSOR, approved_by=secretariat)
    competence(wang, code("CL", "CL-01"), approved_by=secretariat)
    li = profile_for(assessor_user("li", "李娜"))
    qualification(li, role=QualificationRole.ASSESSOR, approved_by=secretariat)
    competence(li, code("CL", "CL-06"), approved_by=secretariat)
    zhang = profile_for(assessor_user("zhang", "张伟"))
    qualification(zhang, role=QualificationRole.LEAD_ASSESSOR, approved_by=secretariat)
    competence(zhang, code("CL", "CL-01"), approved_by=secretariat)
    competence(zhang, code("CL", "CL-06"), approved_by=secretariat)
    conflict(zhang, cab)
    liu = profile_for(assessor_user("liu", "刘洋"))
    qualification(liu, role=QualificationRole.ASSESSOR, approved_by=secretariat)
    competence(liu, code("CL", "CL-06"), approved_by=secretariat)
    unavailable(liu, D(2026, 12, 8), D(2026, 12, 20))
    return Pool(wang=wang, li=li, zhang=zhang, liu=liu)


_TABLES: tuple[type[Model], ...] = (
    Assessment,
    TeamMember,
    AssessmentUserObjectPermission,
    CabUserObjectPermission,
    UserObjectPermission,
    AuditEvent,
)


def team_snapshot() -> dict[str, list[dict[str, object]]]:
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _TABLES}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Wrap a refused call: the assessments, teams, grants and the audit trail hold exactly what they held."""
    before = team_snapshot()
    yield
    assert team_snapshot() == before
