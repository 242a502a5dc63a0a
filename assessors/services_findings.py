"""Corrective actions on nonconformities: the CAB answers, an assessor of the team accepts or rejects,
and the secretariat may close a case whose answer deadlines have passed.

Each move locks its rows (the assessment first, then the finding, then the answer, so two moves
on the same case queue up instead of deadlocking), checks who acts and the state under the lock,
applies ``FINDING_TRANSITIONS`` and ``CORRECTIVE_ACTION_TRANSITIONS``, and writes its audit event
in the same transaction. A refused move raises a ``DomainError`` with a stable code and changes
nothing. Accepting the last open nonconformity, or closing the case, completes the assessment
through ``assessment_sync_progress``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import CabMembership
from accreditation.services.guards import require_secretariat, require_transition
from accreditation.uploads import check_upload
from assessors.choices import (
    CORRECTIVE_ACTION_TRANSITIONS,
    FINDING_TRANSITIONS,
    AssessmentStatus,
    CorrectiveActionStatus,
    FindingKind,
    FindingStatus,
)
from assessors.models_reports import CorrectiveAction, CorrectiveActionAttachment, Finding
from assessors.models_teams import Assessment, TeamMember
from assessors.notifications_findings import (
    notify_answer_reviewed,
    notify_answer_submitted,
    notify_closed_after_deadline,
)
from assessors.selectors_findings import PUBLISHED_REPORT_STATUSES
from assessors.selectors_teams import WORKING_STATUSES
from assessors.services_progress import UNRESOLVED_FINDING_STATUSES, assessment_sync_progress
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User

#: An answer carries at most this many files; more is almost always a mistake in the upload.
MAX_ATTACHMENTS = 10
_ANSWER_FIELDS = (
    ("correction", _("Say what was done to fix this case.")),
    ("root_cause", _("Give the root cause.")),
    ("action", _("Say what was done so that it does not happen again.")),
)
_TEXT_LIMIT = 8000


def is_cab_member(user: User, finding: Finding) -> bool:
    return CabMembership.objects.filter(cab_id=finding.assessment.application.cab_id, user=user).exists()


def is_working_on(user: User, assessment: Assessment | int) -> bool:
    """On the assessment's confirmed team, in a status in which they work on it."""
    assessment_id = assessment if isinstance(assessment, int) else assessment.pk
    return TeamMember.objects.filter(
        assessment_id=assessment_id, user=user, status__in=sorted(WORKING_STATUSES)
    ).exists()


def is_late(corrective_action: CorrectiveAction) -> bool:
    """Submitted on a day after the nonconformity's answer deadline."""
    due = corrective_action.finding.answer_due_on
    return due is not None and timezone.localdate(corrective_action.submitted_at) > due


def _locked_assessment(assessment_id: int) -> Assessment:
    return Assessment.objects.select_for_update(of=("self",)).select_related("application__cab").get(pk=assessment_id)


def _locked_finding(finding_id: int) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("report").get(pk=finding_id)


def _audit(instance: Any, event_type: str, actor: User | None, assessment: Assessment, **kwargs: Any) -> None:
    audit_record(
        instance=instance,
        event_type=event_type,
        actor=actor,
        cab_id=assessment.application.cab_id,
        **kwargs,
    )


def _clean_answer(values: dict[str, str]) -> dict[str, str]:
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    missing = {name: [str(message)] for name, message in _ANSWER_FIELDS if not cleaned[name]}
    if missing:
        raise DomainError(
            "answer_incomplete",
            _("Give the correction, the root cause and the corrective action."),
            detail=missing,
        )
    too_long = {
        name: [str(_("At most {limit} characters.").format(limit=_TEXT_LIMIT))]
        for name, value in cleaned.items()
        if len(value) > _TEXT_LIMIT
    }
    if too_long:
        raise DomainError("answer_too_long", _("Some parts of the answer are too long."), detail=too_long)
    return cleaned


@transaction.atomic
def corrective_action_submit(
    *,
    finding: Finding,
    actor: User,
    correction: str,
    root_cause: str,
    action: str,
    evidence: str = "",
    uploads: Iterable[UploadedFile] = (),
) -> CorrectiveAction:
    """A member of the assessed CAB answers an open nonconformity; after its deadline the answer is late.

    The files are checked like application documents and stored under generated names.
    """
    if not is_cab_member(actor, finding):
        raise NotPermitted("not_cab_member", _("Only members of the assessed CAB may answer its nonconformities."))
    finding = _locked_finding(finding.pk)
    assessment = Assessment.objects.select_related("application__cab").get(pk=finding.assessment_id)
    finding.assessment = assessment
    if finding.kind != FindingKind.NONCONFORMITY:
        raise DomainError(
            "not_a_nonconformity", _("{finding} is an observation; it needs no answer.").format(finding=finding)
        )
    if finding.report.status not in PUBLISHED_REPORT_STATUSES:
        raise StateConflict("report_not_submitted", _("The report raising this finding has not been submitted."))
    if finding.status == FindingStatus.ANSWERED:
        raise StateConflict(
            "already_answered",
            _("{finding} is already answered; the answer is waiting for the assessor.").format(finding=finding),
            detail={"status": finding.status},
        )
    if finding.status != FindingStatus.OPEN:
        raise StateConflict(
            "finding_not_open",
            _("{finding} is {status}; it can no longer be answered.").format(
                finding=finding, status=finding.get_status_display()
            ),
            detail={"status": finding.status},
        )
    require_transition(FINDING_TRANSITIONS, finding.status, FindingStatus.ANSWERED, FindingStatus)
    texts = _clean_answer({"correction": correction, "root_cause": root_cause, "action": action, "evidence": evidence})
    files = list(uploads)
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(
            "too_many_files",
            _("Attach at most {limit} files to one answer.").format(limit=MAX_ATTACHMENTS),
            detail={"count": len(files), "limit": MAX_ATTACHMENTS},
        )
    checked = [(upload, *check_upload(upload)) for upload in files]

    corrective_action = CorrectiveAction.objects.create(finding=finding, submitted_by=actor, **texts)
    storage = CorrectiveActionAttachment._meta.get_field("file").storage
    stored: list[str] = []
    attachments: list[dict[str, Any]] = []
    try:
        for upload, label, extension in checked:
            attachment = CorrectiveActionAttachment(
                corrective_action=corrective_action, label=label, size=upload.size or 0, uploaded_by=actor
            )
            # Only the extension of this name reaches the storage path (``attachment_path``).
            attachment.file.save(f"upload.{extension}", upload, save=False)
            stored.append(attachment.file.name)
            attachment.save()
            attachments.append({"attachment": attachment.pk, "label": label, "size": attachment.size})
    except Exception:
        for name in stored:
            storage.delete(name)
        raise

    late = is_late(corrective_action)
    finding.status = FindingStatus.ANSWERED
    finding.save(update_fields=["status"])
    _audit(
        corrective_action,
        "corrective_action.submitted",
        actor,
        assessment,
        old_values={"finding_status": FindingStatus.OPEN},
        new_values={
            "finding": finding.pk,
            "finding_number": finding.number,
            "finding_status": finding.status,
            "status": corrective_action.status,
            "answer_due_on": finding.answer_due_on,
            "late": late,
            "attachments": attachments,
        },
    )
    notify_answer_submitted(corrective_action, actor, late=late)
    return corrective_action


@transaction.atomic
def corrective_action_review(
    *, corrective_action: CorrectiveAction, actor: User, accept: bool, comment: str = ""
) -> CorrectiveAction:
    """An assessor working on the assessment accepts (the nonconformity closes) or rejects (it opens again).

    A rejection needs a comment, which the CAB reads; the answer deadline does not move.
    """
    assessment_id = Finding.objects.filter(pk=corrective_action.finding_id).values_list("assessment_id", flat=True)[0]
    if not is_working_on(actor, assessment_id):
        raise NotPermitted("not_on_team", _("Only an assessor on the assessment's team may review the CAB's answers."))
    assessment = _locked_assessment(assessment_id)
    finding = _locked_finding(corrective_action.finding_id)
    finding.assessment = assessment
    corrective_action = CorrectiveAction.objects.select_for_update().get(pk=corrective_action.pk)
    corrective_action.finding = finding
    if corrective_action.status != CorrectiveActionStatus.SUBMITTED:
        raise StateConflict(
            "already_reviewed",
            _("This answer was already reviewed: {status}.").format(status=corrective_action.get_status_display()),
            detail={"status": corrective_action.status},
        )
    comment = comment.strip()
    if not accept and not comment:
        raise DomainError("comment_required", _("Say why the answer is rejected; the CAB will read it."))
    if len(comment) > 4000:
        raise DomainError("comment_too_long", _("At most {limit} characters.").format(limit=4000))
    target = CorrectiveActionStatus.ACCEPTED if accept else CorrectiveActionStatus.REJECTED
    finding_target = FindingStatus.CLOSED if accept else FindingStatus.OPEN
    require_transition(CORRECTIVE_ACTION_TRANSITIONS, corrective_action.status, target, CorrectiveActionStatus)
    require_transition(FINDING_TRANSITIONS, finding.status, finding_target, FindingStatus)

    now = timezone.now()
    corrective_action.status = target
    corrective_action.reviewed_by = actor
    corrective_action.reviewed_at = now
    corrective_action.review_comment = comment
    corrective_action.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    old_finding_status = finding.status
    finding.status = finding_target
    finding.closed_at = now if accept else None
    finding.save(update_fields=["status", "closed_at"])
    _audit(
        corrective_action,
        f"corrective_action.{target}",
        actor,
        assessment,
        reason=comment,
        old_values={"status": CorrectiveActionStatus.SUBMITTED, "finding_status": old_finding_status},
        new_values={
            "status": target,
            "finding": finding.pk,
            "finding_number": finding.number,
            "finding_status": finding.status,
        },
    )
    assessment_sync_progress(
        assessment=assessment,
        actor=actor,
        reason=str(
            _("The answer to {finding} was accepted.")
            if target == CorrectiveActionStatus.ACCEPTED
            else _("The answer to {finding} was rejected.")
        ).format(finding=finding),
    )
    notify_answer_reviewed(corrective_action, actor)
    return corrective_action


@transaction.atomic
def assessment_close_after_deadline(*, assessment: Assessment, actor: User | None, reason: str) -> Assessment:
    """The secretariat closes a case whose unresolved nonconformities are all open past their deadline.

    They lapse, and the assessment is completed: the decision maker sees them as unresolved. An
    answer still waiting for review, or a deadline not yet passed, refuses the close.
    """
    require_secretariat(actor)
    assessment = _locked_assessment(assessment.pk)
    if assessment.status != AssessmentStatus.REPORTED:
        raise StateConflict(
            "assessment_not_reported",
            _(
                "Only an assessment whose nonconformities are waiting for answers can be closed; this one is {status}."
            ).format(status=assessment.get_status_display()),
            detail={"status": assessment.status},
        )
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("Give the reason for closing the case."))
    unresolved = list(
        Finding.objects.select_for_update()
        .filter(
            assessment=assessment,
            kind=FindingKind.NONCONFORMITY,
            status__in=sorted(UNRESOLVED_FINDING_STATUSES),
        )
        .order_by("number")
    )
    if not unresolved:
        raise StateConflict("no_open_nonconformities", _("No nonconformity of this assessment is open."))
    waiting = [f.number for f in unresolved if f.status == FindingStatus.ANSWERED]
    if waiting:
        raise StateConflict(
            "answers_waiting_for_review",
            _("Answers to nonconformities {numbers} are waiting for the assessor's review.").format(
                numbers=", ".join(str(n) for n in waiting)
            ),
            detail={"findings": waiting},
        )
    today = timezone.localdate()
    in_time = [f.number for f in unresolved if f.answer_due_on is None or f.answer_due_on >= today]
    if in_time:
        raise StateConflict(
            "deadline_not_passed",
            _("The answer deadline of nonconformities {numbers} has not passed yet.").format(
                numbers=", ".join(str(n) for n in in_time)
            ),
            detail={"findings": in_time},
        )
    for finding in unresolved:
        require_transition(FINDING_TRANSITIONS, finding.status, FindingStatus.LAPSED, FindingStatus)
        old = finding.status
        finding.status = FindingStatus.LAPSED
        finding.save(update_fields=["status"])
        _audit(
            finding,
            "finding.lapsed",
            actor,
            assessment,
            reason=reason,
            old_values={"status": old},
            new_values={"status": finding.status, "answer_due_on": finding.answer_due_on},
        )
    lapsed = [f.number for f in unresolved]
    _audit(
        assessment,
        "assessment.closed_after_deadline",
        actor,
        assessment,
        reason=reason,
        new_values={"lapsed": lapsed},
    )
    assessment_sync_progress(assessment=assessment, actor=actor, reason=reason)
    notify_closed_after_deadline(assessment, actor, reason=reason, count=len(lapsed))
    return assessment
