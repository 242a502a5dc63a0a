"""Every move of an assessment and its team: one function per move, each audited in its own transaction.

The secretariat plans the assessment, has the portal propose a team, edits and confirms it; each
assessor accepts or declines their place; a member of the CAB may object to a member with a
reason, and the secretariat upholds (the member leaves) or dismisses (the member stays) the
objection. A confirmed member gets a guardian grant on the assessment and a view grant on the
CAB; both are taken back when they leave the team. A refused move raises a ``DomainError``
with a stable code and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from accreditation.choices_applications import ApplicationStatus, ScopeAction
from accreditation.models import Application, ApplicationScopeItem, Cab, CabMembership
from accreditation.services.guards import require_secretariat, require_transition
from accreditation.services.members import VIEW_CAB
from assessors.choices import (
    ACTIVE_MEMBER_STATUSES,
    ASSESSMENT_TRANSITIONS,
    TEAM_MEMBER_TRANSITIONS,
    AssessmentKind,
    AssessmentStatus,
    QualificationRole,
    TeamMemberStatus,
    TeamRole,
)
from assessors.models import AssessorProfile
from assessors.models_teams import Assessment, TeamMember
from assessors.notifications_teams import (
    notify_member_objected,
    notify_objection_ruled,
    notify_place_declined,
    notify_rescheduled,
    notify_team_confirmed,
)
from assessors.selectors import available, conflicted_assessor_ids
from assessors.selectors_teams import (
    VIEW_ASSESSMENT,
    WORKING_STATUSES,
    Proposal,
    propose_team,
    qualified_ids,
    workload_days,
)
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User

#: The qualifications that let an assessor take each role on a team.
ROLE_QUALIFICATIONS: dict[str, tuple[str, ...]] = {
    TeamRole.LEAD_ASSESSOR: (QualificationRole.LEAD_ASSESSOR,),
    TeamRole.ASSESSOR: (QualificationRole.LEAD_ASSESSOR, QualificationRole.ASSESSOR),
    TeamRole.TECHNICAL_EXPERT: (
        QualificationRole.LEAD_ASSESSOR,
        QualificationRole.ASSESSOR,
        QualificationRole.TECHNICAL_EXPERT,
    ),
    TeamRole.TRAINEE: (QualificationRole.TRAINEE,),
}


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("application__cab", "application__programme")
        .get(pk=assessment.pk)
    )


def _locked_member(member: TeamMember) -> TeamMember:
    locked = TeamMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    locked.assessment = _locked(locked.assessment)
    return locked


def _require_planning(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.PLANNING:
        raise StateConflict(
            "team_already_confirmed", _("The team of this assessment is confirmed; it can no longer be edited.")
        )


def _audit(
    instance: Assessment | TeamMember,
    event_type: str,
    actor: User | None,
    *,
    reason: str = "",
    old_values: dict[str, Any] | None = None,
    new_values: dict[str, Any] | None = None,
) -> None:
    assessment = instance if isinstance(instance, Assessment) else instance.assessment
    audit_record(
        instance=instance,
        event_type=event_type,
        actor=actor,
        reason=reason,
        old_values=old_values,
        new_values=new_values,
        cab_id=assessment.application.cab_id,
    )


def _grant(member: TeamMember, actor: User | None) -> None:
    assign_perm(VIEW_ASSESSMENT, member.user, member.assessment)
    assign_perm(VIEW_CAB, member.user, member.assessment.application.cab)


def _revoke(member: TeamMember) -> None:
    """Take back the grants; the CAB grant stays while the user works on another assessment of that CAB."""
    remove_perm(VIEW_ASSESSMENT, member.user, member.assessment)
    cab: Cab = member.assessment.application.cab
    elsewhere = (
        TeamMember.objects.filter(
            user=member.user, assessment__application__cab=cab, status__in=sorted(WORKING_STATUSES)
        )
        .exclude(pk=member.pk)
        .exists()
    )
    if not elsewhere:
        remove_perm(VIEW_CAB, member.user, cab)


# --- the assessment -----------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    application: Application,
    actor: User | None,
    kind: str,
    planned_start: dt.date,
    planned_end: dt.date,
    sites: str = "",
    scope_items: Iterable[ApplicationScopeItem] | None = None,
) -> Assessment:
    """The secretariat plans an assessment of an accepted application; by default it covers every applied item.

    ``actor=None``: the surveillance planner (a scheduled job), which acts for the secretariat.
    """
    require_secretariat(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.ACCEPTED:
        raise StateConflict("application_not_accepted", _("Only an accepted application can be assessed."))
    if kind not in AssessmentKind.values:
        raise DomainError("invalid_kind", _("Choose a kind of assessment."), detail={"kind": [kind]})
    if planned_end < planned_start:
        raise DomainError(
            "invalid_period",
            _("The end date ({end}) is before the start date ({start}).").format(end=planned_end, start=planned_start),
            detail={"start": str(planned_start), "end": str(planned_end)},
        )
    own_items = application.items.exclude(action=ScopeAction.REMOVE)
    if scope_items is None:
        items = list(own_items)
    else:
        items = list(scope_items)
        foreign = {item.pk for item in items} - set(own_items.values_list("pk", flat=True))
        if foreign:
            raise DomainError(
                "invalid_scope_items",
                _("Choose scope items of this application."),
                detail={"scope_items": sorted(foreign)},
            )
    if not items:
        raise DomainError("no_scope_items", _("An assessment must cover at least one scope item."))
    assessment = Assessment.objects.create(
        application=application,
        kind=kind,
        planned_start=planned_start,
        planned_end=planned_end,
        sites=sites.strip(),
        created_by=actor,
    )
    assessment.scope_items.set(items)
    _audit(
        assessment,
        "assessment.created",
        actor,
        new_values={
            "application": str(application),
            "kind": kind,
            "planned_start": planned_start,
            "planned_end": planned_end,
            "scope_items": sorted(item.pk for item in items),
        },
    )
    return assessment


@transaction.atomic
def assessment_reschedule(
    *, assessment: Assessment, actor: User, planned_start: dt.date, planned_end: dt.date, reason: str
) -> Assessment:
    """The secretariat moves an assessment not yet held to the dates agreed with the CAB and the team.

    The planner's dates for a surveillance are a proposal; so are the secretariat's own. The CAB
    and the team members hear of the move.
    """
    require_secretariat(actor)
    assessment = _locked(assessment)
    if assessment.status not in (AssessmentStatus.PLANNING, AssessmentStatus.TEAM_CONFIRMED):
        raise StateConflict(
            "assessment_held", _("This assessment has been held (its report is submitted); its dates stay as they are.")
        )
    if assessment.application.status != ApplicationStatus.ACCEPTED:
        raise StateConflict(
            "application_closed",
            _("The application is {status}; its assessments are no longer planned.").format(
                status=assessment.application.get_status_display()
            ),
        )
    if planned_end < planned_start:
        raise DomainError(
            "invalid_period",
            _("The end date ({end}) is before the start date ({start}).").format(end=planned_end, start=planned_start),
            detail={"planned_end": [str(planned_end)]},
        )
    if planned_start < timezone.localdate():
        raise DomainError(
            "start_in_past",
            _("The new start date ({start}) is in the past.").format(start=planned_start),
            detail={"planned_start": [str(planned_start)]},
        )
    if (planned_start, planned_end) == (assessment.planned_start, assessment.planned_end):
        raise DomainError("dates_unchanged", _("These are the dates already planned."))
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("Say why the dates change."), detail={"reason": [""]})
    old_start, old_end = assessment.planned_start, assessment.planned_end
    assessment.planned_start, assessment.planned_end = planned_start, planned_end
    assessment.save(update_fields=["planned_start", "planned_end"])
    _audit(
        assessment,
        "assessment.rescheduled",
        actor,
        reason=reason,
        old_values={"planned_start": old_start, "planned_end": old_end},
        new_values={"planned_start": planned_start, "planned_end": planned_end},
    )
    notify_rescheduled(
        assessment, actor, old_start=f"{old_start:%Y-%m-%d}", old_end=f"{old_end:%Y-%m-%d}", reason=reason
    )
    return assessment


# --- the team -------------------------------------------------------------------------------------


@transaction.atomic
def team_propose(*, assessment: Assessment, actor: User) -> Proposal:
    """Store the portal's proposal, replacing the members it proposed before (manual picks stay)."""
    require_secretariat(actor)
    assessment = _locked(assessment)
    _require_planning(assessment)
    assessment.members.filter(status=TeamMemberStatus.PROPOSED, is_manual=False).delete()
    proposal = propose_team(assessment)
    on_team = set(
        assessment.members.filter(status__in=sorted(ACTIVE_MEMBER_STATUSES)).values_list("user_id", flat=True)
    )
    for proposed in proposal.members:
        if proposed.profile.user_id in on_team:
            continue
        TeamMember.objects.create(
            assessment=assessment,
            user=proposed.profile.user,
            role=proposed.role,
            explanation=proposed.explanation,
            covers=proposed.covers,
            workload_days=proposed.workload_days,
            added_by=actor,
        )
    assessment.proposal_warnings = proposal.warnings
    assessment.proposal_excluded = proposal.excluded
    assessment.save(update_fields=["proposal_warnings", "proposal_excluded"])
    _audit(
        assessment,
        "assessment.team_proposed",
        actor,
        new_values={
            "members": [{"user": m.profile.user.username, "role": m.role} for m in proposal.members],
            "excluded": proposal.excluded,
            "warnings": [w["code"] for w in proposal.warnings],
        },
    )
    return proposal


@transaction.atomic
def team_member_add(*, assessment: Assessment, actor: User, user: User, role: str) -> TeamMember:
    """The secretariat picks an assessor by hand; a conflict, an absence or a missing qualification refuses it."""
    require_secretariat(actor)
    assessment = _locked(assessment)
    _require_planning(assessment)
    if role not in TeamRole.values:
        raise DomainError("invalid_role", _("Choose a role on the team."), detail={"role": [role]})
    profile = AssessorProfile.objects.filter(user=user).first()
    if profile is None:
        raise DomainError("not_an_assessor", _("{user} has no assessor profile.").format(user=user))
    if assessment.members.filter(user=user, status__in=sorted(ACTIVE_MEMBER_STATUSES)).exists():
        raise StateConflict("already_member", _("{user} is already on this team.").format(user=user))
    cab = assessment.application.cab
    for day in (assessment.planned_start, assessment.planned_end):
        reason = conflicted_assessor_ids(cab=cab, on_date=day).get(profile.pk)
        if reason:
            raise DomainError(
                "conflict_of_interest",
                _("{user} may not assess {cab}: {reason}").format(user=user, cab=cab.name, reason=reason),
                detail={"reason": reason},
            )
    if not available(assessor_ids=[profile.pk], start=assessment.planned_start, end=assessment.planned_end):
        raise DomainError(
            "unavailable",
            _("{user} is unavailable between {start} and {end}.").format(
                user=user, start=assessment.planned_start, end=assessment.planned_end
            ),
        )
    if profile.pk not in qualified_ids(assessment=assessment, roles=ROLE_QUALIFICATIONS[role]):
        raise DomainError(
            "not_qualified",
            _("{user} holds no valid qualification for this role under {programme} on the planned dates.").format(
                user=user, programme=assessment.application.programme.code
            ),
        )
    days = workload_days(user_ids={user.pk}, before=assessment.planned_start, exclude=assessment)[user.pk]
    member = TeamMember.objects.create(
        assessment=assessment,
        user=user,
        role=role,
        is_manual=True,
        explanation=str(_("picked by the secretariat; {days} assessment days in the last 12 months").format(days=days)),
        workload_days=days,
        added_by=actor,
    )
    _audit(member, "assessment.member_added", actor, new_values={"user": user.username, "role": role})
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, actor: User) -> None:
    """The secretariat takes a proposed member off the team before it is confirmed."""
    require_secretariat(actor)
    member = _locked_member(member)
    _require_planning(member.assessment)
    if member.status != TeamMemberStatus.PROPOSED:
        raise StateConflict("not_removable", _("Only a proposed member can be removed."))
    _audit(
        member.assessment,
        "assessment.member_removed",
        actor,
        old_values={"user": member.user.username, "role": member.role},
    )
    member.delete()


@transaction.atomic
def team_confirm(*, assessment: Assessment, actor: User) -> Assessment:
    """The secretariat confirms the team; every member gets access to the assessment and the CAB."""
    require_secretariat(actor)
    assessment = _locked(assessment)
    require_transition(ASSESSMENT_TRANSITIONS, assessment.status, AssessmentStatus.TEAM_CONFIRMED, AssessmentStatus)
    members = list(assessment.members.filter(status=TeamMemberStatus.PROPOSED).select_related("user"))
    if not any(m.role == TeamRole.LEAD_ASSESSOR for m in members):
        raise DomainError("no_lead_assessor", _("The team needs a lead assessor before it can be confirmed."))
    for member in members:
        member.status = TeamMemberStatus.CONFIRMED
        member.save(update_fields=["status", "status_changed_at"])
        member.assessment = assessment
        _grant(member, actor)
    assessment.status = AssessmentStatus.TEAM_CONFIRMED
    assessment.save(update_fields=["status"])
    _audit(
        assessment,
        "assessment.team_confirmed",
        actor,
        old_values={"status": AssessmentStatus.PLANNING},
        new_values={
            "status": AssessmentStatus.TEAM_CONFIRMED,
            "members": [{"user": m.user.username, "role": m.role} for m in members],
        },
    )
    notify_team_confirmed(assessment, members, actor)
    return assessment


def _move(member: TeamMember, target: str) -> str:
    require_transition(TEAM_MEMBER_TRANSITIONS, member.status, target, TeamMemberStatus)
    old = member.status
    member.status = target
    return old


@transaction.atomic
def team_member_accept(*, member: TeamMember, actor: User) -> TeamMember:
    member = _locked_member(member)
    if member.user_id != actor.pk:
        raise NotPermitted("not_own_assignment", _("Only the assessor themself may accept or decline this place."))
    old = _move(member, TeamMemberStatus.ACCEPTED)
    member.save(update_fields=["status", "status_changed_at"])
    _audit(
        member, "assessment.member_accepted", actor, old_values={"status": old}, new_values={"status": member.status}
    )
    return member


@transaction.atomic
def team_member_decline(*, member: TeamMember, actor: User, reason: str = "") -> TeamMember:
    member = _locked_member(member)
    if member.user_id != actor.pk:
        raise NotPermitted("not_own_assignment", _("Only the assessor themself may accept or decline this place."))
    old = _move(member, TeamMemberStatus.DECLINED)
    member.save(update_fields=["status", "status_changed_at"])
    _revoke(member)
    _audit(
        member,
        "assessment.member_declined",
        actor,
        reason=reason.strip(),
        old_values={"status": old},
        new_values={"status": member.status},
    )
    notify_place_declined(member, actor, reason.strip())
    return member


@transaction.atomic
def team_member_object(*, member: TeamMember, actor: User, reason: str) -> TeamMember:
    """A member of the CAB objects to a team member, with a reason the secretariat rules on."""
    member = _locked_member(member)
    if not CabMembership.objects.filter(cab_id=member.assessment.application.cab_id, user=actor).exists():
        raise NotPermitted("not_cab_member", _("Only a member of the assessed CAB may object to a team member."))
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("Give the reason for the objection."), detail={"reason": []})
    old = _move(member, TeamMemberStatus.OBJECTED)
    member.objection_reason = reason
    member.objected_by = actor
    member.save(update_fields=["status", "objection_reason", "objected_by", "status_changed_at"])
    _audit(
        member,
        "assessment.member_objected",
        actor,
        reason=reason,
        old_values={"status": old},
        new_values={"status": member.status, "user": member.user.username},
    )
    notify_member_objected(member, actor)
    return member


@transaction.atomic
def team_objection_rule(*, member: TeamMember, actor: User, uphold: bool, reason: str = "") -> TeamMember:
    """The secretariat upholds an objection (the member leaves the team) or dismisses it (they stay)."""
    require_secretariat(actor)
    member = _locked_member(member)
    old = _move(member, TeamMemberStatus.UPHELD if uphold else TeamMemberStatus.DISMISSED)
    member.ruling_reason = reason.strip()
    member.save(update_fields=["status", "ruling_reason", "status_changed_at"])
    if uphold:
        _revoke(member)
    _audit(
        member,
        "assessment.objection_upheld" if uphold else "assessment.objection_dismissed",
        actor,
        reason=member.ruling_reason,
        old_values={"status": old},
        new_values={"status": member.status, "user": member.user.username},
    )
    notify_objection_ruled(member, actor, upheld=uphold)
    return member
