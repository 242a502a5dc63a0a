"""What the decision tests share: accepted applications of each type, assessed and ready for a decision.

Applications are made directly in the accepted state (the review has its own tests), and
their assessments are made with the ORM in the ``completed`` state, with a submitted report
holding the team's recommendation per item: the decision only reads them through the
assessment-facts hook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from accreditation.choices_applications import ApplicationStatus, ApplicationType, ScopeAction
from accreditation.models import (
    Accreditation,
    Application,
    ApplicationScopeItem,
    Cab,
    Decision,
    DecisionItem,
    Programme,
)
from accreditation.services.accreditations import accreditation_open
from assessors.choices import (
    AssessmentKind,
    AssessmentStatus,
    Recommendation,
    ReportStatus,
    TeamMemberStatus,
    TeamRole,
)
from assessors.models_reports import AssessmentReport, ItemRecommendation
from assessors.models_teams import Assessment, TeamMember
from core.models import Notification, User
from tests.accreditation.service_assertions import register_snapshot
from tests.conftest import LAB_ITEM

FOOD_ITEM = {**LAB_ITEM, "parameter": "过氧化值", "method": "GB 5009.227-2016"}
METAL_ITEM = {"field": "金属材料", "subject": "钢材", "parameter": "抗拉强度", "method": "GB/T 228.1-2021"}
WATER_ITEM = {"field": "水质", "subject": "生活饮用水", "parameter": "浑浊度", "method": "GB/T 5750.4-2023"}


def accepted_application(
    cab: Cab,
    programme: Programme,
    actor: User,
    type: str,
    *,
    accreditation: Accreditation | None = None,
    add: Iterable[Mapping[str, Any]] = (),
    keys: Iterable[str] = (),
    change_kinds: Sequence[str] = (),
    proposed_changes: Mapping[str, Any] | None = None,
) -> Application:
    """An application of ``type`` the secretariat accepted; ``add`` are new items, ``keys`` current ones."""
    now = timezone.now()
    application = Application.objects.create(
        reference=f"APP-T-{Application.objects.count() + 1:04d}",
        cab=cab,
        programme=programme,
        accreditation=accreditation,
        type=type,
        status=ApplicationStatus.ACCEPTED,
        change_kinds=list(change_kinds),
        proposed_changes=dict(proposed_changes or {}),
        created_by=actor,
        submitted_at=now,
        first_submitted_at=now,
        status_changed_at=now,
    )
    position = 0
    named = ScopeAction.REMOVE if type == ApplicationType.REDUCTION else ScopeAction.KEEP
    current = accreditation.current_scope if accreditation else None
    for key in keys:
        position += 1
        assert current is not None
        attributes = current.items.get(key=key).attributes
        ApplicationScopeItem.objects.create(
            application=application, action=named, key=key, attributes=attributes, position=position
        )
    for attributes in add:
        position += 1
        ApplicationScopeItem.objects.create(
            application=application, action=ScopeAction.ADD, attributes=dict(attributes), position=position
        )
    return application


def accepted_initial(
    cab: Cab, programme: Programme, actor: User, secretariat: User, *items: Mapping[str, Any]
) -> Application:
    """An accepted initial application, with the applicant accreditation acceptance opens."""
    applicant = accreditation_open(cab=cab, programme=programme, actor=secretariat)
    return accepted_application(
        cab, programme, actor, ApplicationType.INITIAL, accreditation=applicant, add=items or (FOOD_ITEM,)
    )


def assessed(
    application: Application,
    secretariat: User,
    *,
    team: Sequence[User] = (),
    status: str = AssessmentStatus.COMPLETED,
    recommendations: Mapping[int, str] | None = None,
    start: dt.date = dt.date(2026, 10, 12),
) -> Assessment:
    """An assessment of ``application`` in ``status`` with ``team`` on it (the first leads).

    ``recommendations`` (item id → ``Recommendation``) go into a submitted report.
    """
    assessment = Assessment.objects.create(
        application=application,
        kind=AssessmentKind.ON_SITE,
        planned_start=start,
        planned_end=start + dt.timedelta(days=2),
        status=status,
        created_by=secretariat,
    )
    for index, user in enumerate(team):
        TeamMember.objects.create(
            assessment=assessment,
            user=user,
            role=TeamRole.LEAD_ASSESSOR if index == 0 else TeamRole.ASSESSOR,
            status=TeamMemberStatus.ACCEPTED,
            added_by=secretariat,
        )
    if recommendations:
        author = team[0] if team else secretariat
        report = AssessmentReport.objects.create(
            assessment=assessment,
            version=1,
            status=ReportStatus.SUBMITTED,
            created_by=author,
            submitted_by=author,
            submitted_at=timezone.now(),
        )
        for item_id, recommendation in recommendations.items():
            ItemRecommendation.objects.create(report=report, item_id=item_id, recommendation=recommendation)
    return assessment


def items_of(application: Application) -> list[ApplicationScopeItem]:
    return list(application.items.order_by("position", "pk"))


def all_items(application: Application, outcome: str, reason: str = "") -> dict[int, tuple[str, str]]:
    return {item.pk: (outcome, reason) for item in items_of(application)}


__all__ = ["Recommendation"]


_DECISION_TABLES = (Decision, DecisionItem, Application, Notification)


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Around a refused decision: the register, the applications, decisions and inboxes hold what they held."""
    before = register_snapshot()
    rows = {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _DECISION_TABLES}
    yield
    after = register_snapshot()
    for label, values in before.items():
        assert after[label] == values, f"{label} changed"
    for model in _DECISION_TABLES:
        assert list(model._default_manager.order_by("pk").values()) == rows[model._meta.label], model._meta.label
