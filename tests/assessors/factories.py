"""Factories and helpers for the assessors' tests: profiles made through the services, as the portal does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Model

from accreditation.models import Cab
from assessors import services
from assessors.choices import ConflictKind, QualificationRole
from assessors.models import (
    AssessorProfile,
    Competence,
    CompetenceCode,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)
from core.models import AuditEvent, User
from core.roles import Role
from tests.accreditation.factories import UserFactory, programme

D = dt.date
SINCE = D(2024, 1, 1)
UNTIL = D(2028, 12, 31)
CONFLICT_START = D(2020, 1, 1)


def assessor_user(username: str, full_name: str = "") -> User:
    user = UserFactory.create(username=username, full_name=full_name or username.title())
    user.groups.add(Group.objects.get(name=Role.ASSESSOR.value))
    return user


def profile_for(user: User, **values: object) -> AssessorProfile:
    profile = services.profile_get_or_create(user=user, actor=user)
    if values:
        profile = services.profile_update(profile=profile, actor=user, **values)
    return profile


def code(programme_code: str, value: str) -> CompetenceCode:
    return CompetenceCode.objects.get(programme__code=programme_code, code=value)


def qualification(
    profile: AssessorProfile,
    *,
    by: User | None = None,
    programme_code: str = "CL",
    role: str = QualificationRole.LEAD_ASSESSOR,
    valid_from: dt.date = SINCE,
    valid_until: dt.date | None = UNTIL,
    approved_by: User | None = None,
) -> Qualification:
    result = services.qualification_request(
        profile=profile,
        actor=by or profile.user,
        programme=programme(programme_code),
        role=role,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if approved_by is not None:
        result = services.qualification_approve(qualification=result, actor=approved_by)
    return result


def competence(
    profile: AssessorProfile, competence_code: CompetenceCode, *, approved_by: User | None = None
) -> Competence:
    result = services.competence_request(profile=profile, actor=profile.user, code=competence_code)
    if approved_by is not None:
        result = services.competence_approve(competence=result, actor=approved_by)
    return result


def training(profile: AssessorProfile, title: str = "ISO/IEC 17025 内审员培训") -> TrainingRecord:
    return services.training_record_add(
        profile=profile, actor=profile.user, title=title, provider="CNAS", date=D(2025, 3, 1), hours=Decimal("16")
    )


def conflict(
    profile: AssessorProfile,
    cab: Cab,
    *,
    kind: str = ConflictKind.CONSULTANCY,
    started_on: dt.date = CONFLICT_START,
    ended_on: dt.date | None = None,
) -> ConflictOfInterest:
    return services.conflict_declare(
        profile=profile, actor=profile.user, cab=cab, kind=kind, started_on=started_on, ended_on=ended_on
    )


def unavailable(profile: AssessorProfile, start: dt.date, end: dt.date) -> Unavailability:
    return services.unavailability_add(profile=profile, actor=profile.user, start=start, end=end, reason="休假")


_TABLES: tuple[type[Model], ...] = (
    AssessorProfile,
    Qualification,
    Competence,
    TrainingRecord,
    ConflictOfInterest,
    Unavailability,
    AuditEvent,
)


def assessor_snapshot() -> dict[str, list[dict[str, object]]]:
    snapshot: dict[str, list[dict[str, object]]] = {}
    for model in _TABLES:
        snapshot[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return snapshot


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Wrap a refused call: every assessors table and the audit trail hold exactly what they held."""
    before = assessor_snapshot()
    yield
    assert assessor_snapshot() == before
