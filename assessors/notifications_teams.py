"""Messages about assessment teams and who receives them (see ``core.notifications``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.notifications import cab_members, secretariat_users
from assessors.choices import ACTIVE_MEMBER_STATUSES
from assessors.models_teams import Assessment, TeamMember
from core.models import User
from core.notifications import notify, register

register(
    "team.place_offered",
    subject=_("You are on the team of an assessment of {cab}"),
    body=_(
        "The secretariat confirmed you as {role} for the {kind} of {cab} ({application}) from {start} to {end}.\n"
        "Accept or decline your place on the assessment page."
    ),
)
register(
    "team.confirmed",
    subject=_("The assessment team for {application} is confirmed"),
    body=_(
        "The {kind} of {cab} is planned from {start} to {end} with this team:\n{members}\n"
        "If you have a reason to object to a member (a conflict of interest, for example), "
        "say so on the assessment page."
    ),
)
register(
    "team.place_declined",
    subject=_("{member} declined a place on the team for {application}"),
    body=_("{member} declined the place of {role} for the {kind} of {cab}: {reason}\nFind a replacement."),
)
register(
    "team.member_objected",
    subject=_("{cab} objects to {member} on the team for {application}"),
    body=_("{cab} objects to {member} ({role}) for the {kind} from {start}: {reason}\nRule on the objection."),
)
register(
    "team.objection_upheld",
    subject=_("Objection to {member} upheld"),
    body=_("The secretariat upheld the objection to {member} for the {kind} of {cab} ({application}): {reason}"),
)
register(
    "team.objection_dismissed",
    subject=_("Objection to {member} dismissed"),
    body=_(
        "The secretariat dismissed the objection to {member} for the {kind} of {cab} ({application}); "
        "they stay on the team: {reason}"
    ),
)
register(
    "assessment.rescheduled",
    subject=_("The {kind} of {cab} ({application}) moves to {start}"),
    body=_(
        "The secretariat moved the {kind} of {cab} ({application}) from {old_start}–{old_end} to {start}–{end}: "
        "{reason}"
    ),
)


def _params(assessment: Assessment, member: TeamMember | None = None, reason: str = "") -> dict[str, str]:
    application = assessment.application
    params = {
        "application": str(application),
        "cab": application.cab.name_zh,
        "kind": str(assessment.get_kind_display()),
        "start": f"{assessment.planned_start:%Y-%m-%d}",
        "end": f"{assessment.planned_end:%Y-%m-%d}",
        "reason": reason,
    }
    if member is not None:
        params["member"] = member.user.full_name or member.user.get_username()
        params["role"] = str(member.get_role_display())
    return params


def _link(assessment: Assessment) -> str:
    return reverse("assessors:assessment_detail", args=[assessment.pk])


def notify_team_confirmed(assessment: Assessment, members: list[TeamMember], actor: User) -> None:
    for member in members:
        notify(
            recipients=[member.user],
            kind="team.place_offered",
            params=_params(assessment, member),
            link=_link(assessment),
            exclude=actor,
        )
    roster = "\n".join(f"- {m.user.full_name or m.user.get_username()} ({m.get_role_display()})" for m in members)
    notify(
        recipients=cab_members(assessment.application.cab_id),
        kind="team.confirmed",
        params={**_params(assessment), "members": roster},
        link=_link(assessment),
        exclude=actor,
    )


def notify_place_declined(member: TeamMember, actor: User, reason: str) -> None:
    notify(
        recipients=secretariat_users(),
        kind="team.place_declined",
        params=_params(member.assessment, member, reason),
        link=_link(member.assessment),
        exclude=actor,
    )


def notify_member_objected(member: TeamMember, actor: User) -> None:
    notify(
        recipients=secretariat_users(),
        kind="team.member_objected",
        params=_params(member.assessment, member, member.objection_reason),
        link=_link(member.assessment),
        exclude=actor,
    )


def notify_objection_ruled(member: TeamMember, actor: User, *, upheld: bool) -> None:
    recipients = [*cab_members(member.assessment.application.cab_id), member.user]
    notify(
        recipients=recipients,
        kind="team.objection_upheld" if upheld else "team.objection_dismissed",
        params=_params(member.assessment, member, member.ruling_reason),
        link=_link(member.assessment),
        exclude=actor,
    )


def notify_rescheduled(assessment: Assessment, actor: User, *, old_start: str, old_end: str, reason: str) -> None:
    """The CAB and everyone still on the team hear of the new dates."""
    team = [
        member.user for member in assessment.members.select_related("user") if member.status in ACTIVE_MEMBER_STATUSES
    ]
    notify(
        recipients=[*team, *cab_members(assessment.application.cab_id)],
        kind="assessment.rescheduled",
        params={**_params(assessment, reason=reason), "old_start": old_start, "old_end": old_end},
        link=_link(assessment),
        exclude=actor,
    )
