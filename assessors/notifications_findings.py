"""Messages about corrective actions and who receives them (see ``core.notifications``).

An answer goes to the team working on the assessment; the assessor's verdict goes to the
CAB's members; closing a case after the deadline goes to both.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.notifications import cab_members
from assessors.models_reports import CorrectiveAction, Finding
from assessors.models_teams import Assessment
from assessors.selectors_teams import WORKING_STATUSES
from core.models import User
from core.notifications import notify, register

register(
    "corrective_action.submitted",
    subject=_("{cab} answered {finding}"),
    body=_("{cab} answered the nonconformity {finding} of {assessment}. Review the answer: accept or reject it."),
)
register(
    "corrective_action.submitted_late",
    subject=_("{cab} answered {finding} after the deadline"),
    body=_(
        "{cab} answered the nonconformity {finding} of {assessment} after its deadline of {due}. "
        "Review the answer: accept or reject it."
    ),
)
register(
    "corrective_action.accepted",
    subject=_("Your answer to {finding} was accepted"),
    body=_("{reviewer} accepted your answer to the nonconformity {finding} of {assessment}; it is closed. {comment}"),
)
register(
    "corrective_action.rejected",
    subject=_("Your answer to {finding} was rejected"),
    body=_(
        "{reviewer} rejected your answer to the nonconformity {finding} of {assessment}: {comment}\n"
        "Answer it again by {due}."
    ),
)
register(
    "assessment.closed_after_deadline",
    subject=_("{assessment}: closed after the answer deadline"),
    body=_(
        "The secretariat closed {assessment} after the answer deadline: {reason}\n"
        "{count} nonconformities lapsed without an accepted answer; the decision maker will see them as unresolved."
    ),
)


def team_users(assessment: Assessment) -> QuerySet[User]:
    """The assessors working on the assessment (a proposed, declined or removed member is not)."""
    return User.objects.filter(
        team_memberships__assessment=assessment, team_memberships__status__in=sorted(WORKING_STATUSES), is_active=True
    ).distinct()


def _params(finding: Finding) -> dict[str, str]:
    assessment = finding.assessment
    return {
        "finding": str(finding),
        "assessment": str(assessment),
        "cab": assessment.application.cab.name_zh,
        "due": str(finding.answer_due_on or ""),
    }


def _finding_link(finding: Finding) -> str:
    return reverse("assessors:finding_detail", args=[finding.pk])


def notify_answer_submitted(corrective_action: CorrectiveAction, actor: User, *, late: bool) -> None:
    finding = corrective_action.finding
    notify(
        recipients=team_users(finding.assessment),
        kind="corrective_action.submitted_late" if late else "corrective_action.submitted",
        params=_params(finding),
        link=_finding_link(finding),
        exclude=actor,
    )


def notify_answer_reviewed(corrective_action: CorrectiveAction, actor: User) -> None:
    finding = corrective_action.finding
    notify(
        recipients=cab_members(finding.assessment.application.cab_id),
        kind=f"corrective_action.{corrective_action.status}",
        params={
            **_params(finding),
            "reviewer": actor.full_name or actor.get_username(),
            "comment": corrective_action.review_comment,
        },
        link=_finding_link(finding),
        exclude=actor,
    )


def notify_closed_after_deadline(assessment: Assessment, actor: User | None, *, reason: str, count: int) -> None:
    recipients = [*cab_members(assessment.application.cab_id), *team_users(assessment)]
    notify(
        recipients=recipients,
        kind="assessment.closed_after_deadline",
        params={"assessment": str(assessment), "reason": reason, "count": count},
        link=reverse("assessors:finding_list", args=[assessment.pk]),
        exclude=actor,
    )
