"""Every change to an assessor's record: one function per move, each audited in its own transaction.

An assessor keeps their own record (profile, requests, training, conflicts, absences); the
secretariat may act on anyone's record and alone decides on qualification and competence
requests. A refused move raises a ``DomainError`` with a stable code and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab, Programme
from accreditation.services.guards import (
    assign_changes,
    field_values,
    full_clean_or_raise,
    require_secretariat,
    require_transition,
)
from assessors.choices import (
    COMPETENCE_TRANSITIONS,
    OPEN_COMPETENCE_STATUSES,
    OPEN_QUALIFICATION_STATUSES,
    QUALIFICATION_TRANSITIONS,
    CompetenceStatus,
    ConflictKind,
    QualificationRole,
    QualificationStatus,
)
from assessors.models import (
    AssessorProfile,
    Competence,
    CompetenceCode,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.roles import Role, has_role, is_secretariat

PROFILE_FIELDS = ["region", "languages", "employer", "phone", "cv"]


# --- guards -------------------------------------------------------------------------------------


def require_own_or_secretariat(actor: User, profile: AssessorProfile) -> None:
    if is_secretariat(actor):
        return
    if profile.user_id != actor.pk or not has_role(actor, Role.ASSESSOR):
        raise NotPermitted("not_own_profile", _("You may only change your own assessor record."))


def _require_period(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise DomainError(
            "invalid_period",
            _("The end date ({end}) is before the start date ({start}).").format(end=end, start=start),
            detail={"start": str(start), "end": str(end)},
        )


def _require_not_own_request(actor: User, profile: AssessorProfile) -> None:
    if profile.user_id == actor.pk:
        raise NotPermitted("own_request", _("Nobody may decide on their own request."))


def _locked_profile(profile: AssessorProfile) -> AssessorProfile:
    # Locking the profile serialises every change to one assessor's record (duplicates, overlaps).
    return AssessorProfile.objects.select_for_update().get(pk=profile.pk)


# --- profile ------------------------------------------------------------------------------------


@transaction.atomic
def profile_get_or_create(*, user: User, actor: User) -> AssessorProfile:
    """The user's assessor profile, created empty on first use by the assessor or by the secretariat."""
    existing = AssessorProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    if not is_secretariat(actor) and actor.pk != user.pk:
        raise NotPermitted("not_own_profile", _("You may only change your own assessor record."))
    if not has_role(user, Role.ASSESSOR):
        raise DomainError(
            "not_an_assessor", _("{user} is not in the assessor group.").format(user=user), detail={"user": user.pk}
        )
    # get_or_create: two first visits at once end with one profile (the user column is unique).
    profile, created = AssessorProfile.objects.get_or_create(user=user)
    if created:
        audit_record(instance=profile, event_type="assessor_profile.created", actor=actor, new_values={"user": user.pk})
    return profile


@transaction.atomic
def profile_update(*, profile: AssessorProfile, actor: User, **values: Any) -> AssessorProfile:
    require_own_or_secretariat(actor, profile)
    profile = _locked_profile(profile)
    old = assign_changes(profile, values, allowed=PROFILE_FIELDS)
    if not old:
        return profile
    full_clean_or_raise(profile)
    profile.save(update_fields=[*old, "updated_at"])
    audit_record(
        instance=profile,
        event_type="assessor_profile.updated",
        actor=actor,
        old_values=old,
        new_values=field_values(profile, list(old)),
    )
    return profile


# --- qualifications -----------------------------------------------------------------------------


@transaction.atomic
def qualification_request(
    *,
    profile: AssessorProfile,
    actor: User,
    programme: Programme,
    role: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> Qualification:
    require_own_or_secretariat(actor, profile)
    profile = _locked_profile(profile)
    _require_period(valid_from, valid_until)
    if role not in QualificationRole.values:
        raise DomainError("invalid", _("Some fields are invalid."), detail={"role": [_("Unknown role.")]})
    if profile.qualifications.filter(
        programme=programme, role=role, status__in=sorted(OPEN_QUALIFICATION_STATUSES)
    ).exists():
        raise StateConflict(
            "duplicate_qualification",
            _("This assessor already holds or has requested this role under {programme}.").format(
                programme=programme.code
            ),
        )
    qualification = Qualification.objects.create(
        assessor=profile, programme=programme, role=role, valid_from=valid_from, valid_until=valid_until
    )
    audit_record(
        instance=qualification,
        event_type="qualification.requested",
        actor=actor,
        new_values={
            "assessor": profile.pk,
            "programme": programme.code,
            "role": role,
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    return qualification


def _decide(
    *,
    model: type[Qualification] | type[Competence],
    pk: int,
    transitions: Mapping[str, set[str]],
    labels: Any,
    actor: User,
    target: str,
    reason: str,
    reason_required: bool,
    event_type: str,
) -> Any:
    """The secretariat's decision on a qualification or a competence: one guarded, audited move."""
    require_secretariat(actor)
    record = model.objects.select_for_update().select_related("assessor").get(pk=pk)
    _require_not_own_request(actor, record.assessor)
    require_transition(transitions, record.status, target, labels)
    if reason_required and not reason.strip():
        raise DomainError("reason_required", _("Give a reason: it is kept in the audit trail."))
    old_status = record.status
    record.status = target
    record.decided_by = actor
    record.decided_at = timezone.now()
    record.reason = reason.strip()
    record.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_record(
        instance=record,
        event_type=event_type,
        actor=actor,
        reason=record.reason,
        old_values={"status": old_status},
        new_values={"status": target},
    )
    return record


def _qualification_move(
    *, qualification: Qualification, actor: User, target: str, reason: str, event_type: str, reason_required: bool
) -> Qualification:
    decided: Qualification = _decide(
        model=Qualification,
        pk=qualification.pk,
        transitions=QUALIFICATION_TRANSITIONS,
        labels=QualificationStatus,
        actor=actor,
        target=target,
        reason=reason,
        reason_required=reason_required,
        event_type=event_type,
    )
    return decided


@transaction.atomic
def qualification_approve(*, qualification: Qualification, actor: User, reason: str = "") -> Qualification:
    return _qualification_move(
        qualification=qualification,
        actor=actor,
        target=QualificationStatus.APPROVED,
        reason=reason,
        event_type="qualification.approved",
        reason_required=qualification.status == QualificationStatus.SUSPENDED,
    )


@transaction.atomic
def qualification_reject(*, qualification: Qualification, actor: User, reason: str) -> Qualification:
    return _qualification_move(
        qualification=qualification,
        actor=actor,
        target=QualificationStatus.REJECTED,
        reason=reason,
        event_type="qualification.rejected",
        reason_required=True,
    )


@transaction.atomic
def qualification_suspend(*, qualification: Qualification, actor: User, reason: str) -> Qualification:
    return _qualification_move(
        qualification=qualification,
        actor=actor,
        target=QualificationStatus.SUSPENDED,
        reason=reason,
        event_type="qualification.suspended",
        reason_required=True,
    )


@transaction.atomic
def qualification_withdraw(*, qualification: Qualification, actor: User, reason: str) -> Qualification:
    return _qualification_move(
        qualification=qualification,
        actor=actor,
        target=QualificationStatus.WITHDRAWN,
        reason=reason,
        event_type="qualification.withdrawn",
        reason_required=True,
    )


@transaction.atomic
def qualification_cancel(*, qualification: Qualification, actor: User) -> None:
    """Take back a request nobody has decided on yet."""
    require_own_or_secretariat(actor, qualification.assessor)
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    if qualification.status != QualificationStatus.REQUESTED:
        raise StateConflict("not_pending", _("Only a request that is still waiting for a decision can be taken back."))
    audit_record(
        instance=qualification,
        event_type="qualification.request_cancelled",
        actor=actor,
        old_values={"programme": qualification.programme.code, "role": qualification.role},
    )
    qualification.delete()


# --- competences --------------------------------------------------------------------------------


@transaction.atomic
def competence_request(*, profile: AssessorProfile, actor: User, code: CompetenceCode) -> Competence:
    require_own_or_secretariat(actor, profile)
    profile = _locked_profile(profile)
    if not code.is_active:
        raise DomainError("inactive_code", _("The code {code} is no longer in use.").format(code=code.code))
    if profile.competences.filter(code=code, status__in=sorted(OPEN_COMPETENCE_STATUSES)).exists():
        raise StateConflict(
            "duplicate_competence",
            _("This assessor already holds or has requested the code {code}.").format(code=code.code),
        )
    competence = Competence.objects.create(assessor=profile, code=code)
    audit_record(
        instance=competence,
        event_type="competence.requested",
        actor=actor,
        new_values={"assessor": profile.pk, "programme": code.programme.code, "code": code.code},
    )
    return competence


def _competence_move(*, competence: Competence, actor: User, target: str, reason: str, event_type: str) -> Competence:
    decided: Competence = _decide(
        model=Competence,
        pk=competence.pk,
        transitions=COMPETENCE_TRANSITIONS,
        labels=CompetenceStatus,
        actor=actor,
        target=target,
        reason=reason,
        reason_required=target == CompetenceStatus.REJECTED,
        event_type=event_type,
    )
    return decided


@transaction.atomic
def competence_approve(*, competence: Competence, actor: User, reason: str = "") -> Competence:
    return _competence_move(
        competence=competence,
        actor=actor,
        target=CompetenceStatus.APPROVED,
        reason=reason,
        event_type="competence.approved",
    )


@transaction.atomic
def competence_reject(*, competence: Competence, actor: User, reason: str) -> Competence:
    return _competence_move(
        competence=competence,
        actor=actor,
        target=CompetenceStatus.REJECTED,
        reason=reason,
        event_type="competence.rejected",
    )


@transaction.atomic
def competence_cancel(*, competence: Competence, actor: User) -> None:
    require_own_or_secretariat(actor, competence.assessor)
    competence = Competence.objects.select_for_update().select_related("code").get(pk=competence.pk)
    if competence.status != CompetenceStatus.REQUESTED:
        raise StateConflict("not_pending", _("Only a request that is still waiting for a decision can be taken back."))
    audit_record(
        instance=competence,
        event_type="competence.request_cancelled",
        actor=actor,
        old_values={"code": competence.code.code},
    )
    competence.delete()


# --- training -----------------------------------------------------------------------------------


@transaction.atomic
def training_record_add(
    *, profile: AssessorProfile, actor: User, title: str, provider: str, date: dt.date, hours: Decimal
) -> TrainingRecord:
    require_own_or_secretariat(actor, profile)
    if hours <= 0:
        raise DomainError("invalid", _("Some fields are invalid."), detail={"hours": [_("Hours must be positive.")]})
    record = TrainingRecord(assessor=profile, title=title, provider=provider, date=date, hours=hours)
    full_clean_or_raise(record)
    record.save()
    audit_record(
        instance=record,
        event_type="training_record.added",
        actor=actor,
        new_values={"assessor": profile.pk, "title": title, "provider": provider, "date": date, "hours": hours},
    )
    return record


@transaction.atomic
def training_record_remove(*, record: TrainingRecord, actor: User) -> None:
    require_own_or_secretariat(actor, record.assessor)
    record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    audit_record(
        instance=record,
        event_type="training_record.removed",
        actor=actor,
        old_values={"title": record.title, "date": record.date, "hours": record.hours},
    )
    record.delete()


# --- conflicts of interest ----------------------------------------------------------------------


@transaction.atomic
def conflict_declare(
    *,
    profile: AssessorProfile,
    actor: User,
    cab: Cab,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    note: str = "",
) -> ConflictOfInterest:
    require_own_or_secretariat(actor, profile)
    _require_period(started_on, ended_on)
    if kind not in ConflictKind.values:
        raise DomainError("invalid", _("Some fields are invalid."), detail={"kind": [_("Unknown kind.")]})
    conflict = ConflictOfInterest.objects.create(
        assessor=profile, cab=cab, kind=kind, started_on=started_on, ended_on=ended_on, note=note
    )
    audit_record(
        instance=conflict,
        event_type="conflict.declared",
        actor=actor,
        cab_id=cab.pk,
        reason=note,
        new_values={"assessor": profile.pk, "kind": kind, "started_on": started_on, "ended_on": ended_on},
    )
    return conflict


@transaction.atomic
def conflict_end(*, conflict: ConflictOfInterest, actor: User, ended_on: dt.date) -> ConflictOfInterest:
    require_own_or_secretariat(actor, conflict.assessor)
    conflict = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
    if conflict.ended_on is not None:
        raise StateConflict(
            "conflict_already_ended",
            _("This conflict of interest already ended on {date}.").format(date=conflict.ended_on),
        )
    _require_period(conflict.started_on, ended_on)
    conflict.ended_on = ended_on
    conflict.save(update_fields=["ended_on"])
    audit_record(
        instance=conflict,
        event_type="conflict.ended",
        actor=actor,
        cab_id=conflict.cab_id,
        old_values={"ended_on": None},
        new_values={"ended_on": ended_on},
    )
    return conflict


# --- unavailable periods ------------------------------------------------------------------------


@transaction.atomic
def unavailability_add(
    *, profile: AssessorProfile, actor: User, start: dt.date, end: dt.date, reason: str = ""
) -> Unavailability:
    require_own_or_secretariat(actor, profile)
    profile = _locked_profile(profile)
    _require_period(start, end)
    overlapping = profile.unavailabilities.filter(start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise StateConflict(
            "overlapping_unavailability",
            _("This period overlaps another unavailable period ({start} to {end}).").format(
                start=overlapping.start, end=overlapping.end
            ),
            detail={"overlaps": overlapping.pk},
        )
    period = Unavailability.objects.create(assessor=profile, start=start, end=end, reason=reason)
    audit_record(
        instance=period,
        event_type="unavailability.added",
        actor=actor,
        reason=reason,
        new_values={"assessor": profile.pk, "start": start, "end": end},
    )
    return period


@transaction.atomic
def unavailability_remove(*, period: Unavailability, actor: User) -> None:
    require_own_or_secretariat(actor, period.assessor)
    period = Unavailability.objects.select_for_update().get(pk=period.pk)
    audit_record(
        instance=period,
        event_type="unavailability.removed",
        actor=actor,
        old_values={"start": period.start, "end": period.end},
    )
    period.delete()
