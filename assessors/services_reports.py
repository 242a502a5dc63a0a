"""Every move of an assessment report, its findings and attachments, and of a remote assessment's details.

The team writes the report: any working member of the team (``WORKING_STATUSES``) starts the
first version once the team is confirmed, and edits the draft (summary, conclusion, a
recommendation per scope item, findings, attachments). Only the lead assessor submits; a
submitted version is locked. A later change is an amendment: a new draft version copying the
summary, conclusion and recommendations (never the findings, which stay in force with the
version that raised them); submitting it supersedes the version it amends.

On submit each nonconformity raised in that version opens with its answer deadline (the
programme's ``nc_answer_deadline_days``) and each observation is noted; the first submit moves
the assessment to ``reported``, and ``assessment_sync_progress`` then completes it when no
nonconformity is left to answer. Until then a finding of a draft has no status (``""``): it is
not in force, nobody has to answer it and the CAB does not see it.

For remote and hybrid assessments (IAF MD 4) the secretariat or the lead assessor records the
ICT used, when it was tested with the CAB and how confidentiality is kept; any working member or
the secretariat records the live sessions.

Each move locks the assessment row first (then the report), so two members acting at once are
serialised and the second one is judged on what the first one left. A refused move raises a
``DomainError`` with a stable code and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import ApplicationScopeItem
from accreditation.services.guards import assign_changes, require_transition
from accreditation.uploads import check_upload
from assessors.choices import (
    ASSESSMENT_TRANSITIONS,
    REPORT_TRANSITIONS,
    AssessmentKind,
    AssessmentStatus,
    FindingGrade,
    FindingKind,
    FindingStatus,
    Recommendation,
    ReportStatus,
)
from assessors.models_reports import AssessmentReport, Finding, ItemRecommendation, ReportAttachment
from assessors.models_teams import Assessment, RemoteSession
from assessors.notifications_reports import notify_report_submitted
from assessors.selectors_reports import is_lead_assessor, is_working_member
from assessors.selectors_teams import item_label
from assessors.services_progress import assessment_sync_progress
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.roles import is_secretariat

REMOTE_KINDS = frozenset({AssessmentKind.REMOTE, AssessmentKind.HYBRID})
#: Recommendations that must say which conditions, or why not.
NEEDS_CONDITIONS = frozenset({Recommendation.RECOMMEND_WITH_CONDITIONS, Recommendation.DO_NOT_RECOMMEND})
REMOTE_DETAIL_FIELDS = ["ict_tools", "ict_tested_on", "ict_security"]
FINDING_FIELDS = ["kind", "grade", "clause", "statement", "evidence", "item"]
_TEXT_LIMITS = {"clause": 100, "statement": 4000, "evidence": 8000}


# --- locks and guards -----------------------------------------------------------------------------


def _locked_assessment(assessment: Assessment | int) -> Assessment:
    pk = assessment if isinstance(assessment, int) else assessment.pk
    return (
        Assessment.objects.select_for_update().select_related("application__cab", "application__programme").get(pk=pk)
    )


def _locked_report(report: AssessmentReport) -> AssessmentReport:
    """The assessment's row first, then the report's: every report move takes the locks in that order."""
    assessment = _locked_assessment(report.assessment_id)
    locked = AssessmentReport.objects.select_for_update().get(pk=report.pk)
    locked.assessment = assessment
    return locked


def _require_member(actor: User, assessment: Assessment) -> None:
    if not is_working_member(actor, assessment):
        raise NotPermitted("not_team_member", _("Only a member of the assessment team may write its report."))


def _require_lead(actor: User, assessment: Assessment) -> None:
    if not is_lead_assessor(actor, assessment):
        raise NotPermitted("not_lead_assessor", _("Only the team's lead assessor may do this."))


def _require_draft(report: AssessmentReport) -> None:
    if report.is_locked:
        raise StateConflict(
            "report_locked",
            _("Version {version} of the report is {status}; it can no longer be changed.").format(
                version=report.version, status=report.get_status_display()
            ),
            detail={"status": report.status},
        )


def _require_remote(assessment: Assessment) -> None:
    if assessment.kind not in REMOTE_KINDS:
        raise StateConflict(
            "not_remote",
            _("Only remote and hybrid assessments record ICT details and remote sessions."),
            detail={"kind": assessment.kind},
        )


def _audit(
    instance: Model,
    assessment: Assessment,
    event_type: str,
    actor: User | None,
    *,
    reason: str = "",
    old_values: dict[str, Any] | None = None,
    new_values: dict[str, Any] | None = None,
) -> None:
    audit_record(
        instance=instance,
        event_type=event_type,
        actor=actor,
        reason=reason,
        old_values=old_values,
        new_values=new_values,
        cab_id=assessment.application.cab_id,
    )


def _scope_item(assessment: Assessment, item: ApplicationScopeItem | None) -> None:
    if item is not None and not assessment.scope_items.filter(pk=item.pk).exists():
        raise DomainError(
            "invalid_scope_item",
            _("Choose a scope item this assessment covers."),
            detail={"item": [item.pk]},
        )


# --- remote and hybrid assessments (IAF MD 4) ------------------------------------------------------


@transaction.atomic
def assessment_remote_details_update(*, assessment: Assessment, actor: User, **values: Any) -> Assessment:
    """The secretariat or the lead assessor records the ICT used, its test with the CAB and its security."""
    assessment = _locked_assessment(assessment)
    if not (is_secretariat(actor) or is_lead_assessor(actor, assessment)):
        raise NotPermitted(
            "not_lead_assessor", _("Only the secretariat or the team's lead assessor may record the ICT details.")
        )
    _require_remote(assessment)
    cleaned = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    tested_on = cleaned.get("ict_tested_on")
    if tested_on is not None and not isinstance(tested_on, dt.date):
        raise DomainError("invalid", _("Some fields are invalid."), detail={"ict_tested_on": [str(tested_on)]})
    old = assign_changes(assessment, cleaned, allowed=REMOTE_DETAIL_FIELDS)
    if not old:
        return assessment
    assessment.save(update_fields=sorted(old))
    _audit(
        assessment,
        assessment,
        "assessment.remote_details_updated",
        actor,
        old_values=old,
        new_values={name: getattr(assessment, name) for name in old},
    )
    return assessment


def _require_session_writer(actor: User, assessment: Assessment) -> None:
    if not (is_secretariat(actor) or is_working_member(actor, assessment)):
        raise NotPermitted(
            "not_team_member", _("Only a member of the assessment team or the secretariat may record sessions.")
        )


# How far from today a session may lie. A date decades away is a typing error, and one before 1901
# has no clean UTC offset here (Shanghai's local mean time, +08:05:43, which the API cannot send).
SESSION_WINDOW = dt.timedelta(days=10 * 366)


@transaction.atomic
def remote_session_add(
    *,
    assessment: Assessment,
    actor: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    topic: str,
    participants: str,
    ict: str = "",
    site: str = "",
    notes: str = "",
) -> RemoteSession:
    """Record one live session of a remote or hybrid assessment: when, what, with which ICT, who took part."""
    assessment = _locked_assessment(assessment)
    _require_session_writer(actor, assessment)
    _require_remote(assessment)
    topic, participants = topic.strip(), participants.strip()
    missing = {
        name: [str(_("This field is required."))]
        for name, v in (("topic", topic), ("participants", participants))
        if not v
    }
    if missing:
        raise DomainError("invalid", _("Some fields are invalid."), detail=missing)
    if ends_at <= starts_at:
        raise DomainError(
            "invalid_period",
            _("The session must end after it starts."),
            detail={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
        )
    now = timezone.now()
    if starts_at < now - SESSION_WINDOW or ends_at > now + SESSION_WINDOW:
        raise DomainError(
            "invalid_period",
            _("A session is recorded within ten years of today."),
            detail={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
        )
    session = RemoteSession.objects.create(
        assessment=assessment,
        starts_at=starts_at,
        ends_at=ends_at,
        topic=topic,
        ict=ict.strip(),
        participants=participants,
        site=site.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    _audit(
        session,
        assessment,
        "remote_session.added",
        actor,
        new_values={"starts_at": starts_at, "ends_at": ends_at, "topic": topic, "ict": session.ict},
    )
    return session


@transaction.atomic
def remote_session_remove(*, session: RemoteSession, actor: User) -> None:
    assessment = _locked_assessment(session.assessment_id)
    session = RemoteSession.objects.select_for_update().get(pk=session.pk)
    _require_session_writer(actor, assessment)
    _require_remote(assessment)
    _audit(
        session,
        assessment,
        "remote_session.removed",
        actor,
        old_values={"starts_at": session.starts_at, "ends_at": session.ends_at, "topic": session.topic},
    )
    session.delete()


# --- the report -----------------------------------------------------------------------------------


@transaction.atomic
def report_start(*, assessment: Assessment, actor: User) -> AssessmentReport:
    """A working member of the confirmed team starts version 1 of the report as a draft."""
    assessment = _locked_assessment(assessment)
    _require_member(actor, assessment)
    if assessment.reports.exists():
        raise StateConflict(
            "report_exists", _("This assessment already has a report; amend its submitted version instead.")
        )
    if assessment.status != AssessmentStatus.TEAM_CONFIRMED:
        raise StateConflict(
            "assessment_not_ready",
            _("The report can be started once the team is confirmed; the assessment is {status}.").format(
                status=assessment.get_status_display()
            ),
            detail={"status": assessment.status},
        )
    report = AssessmentReport.objects.create(assessment=assessment, version=1, created_by=actor)
    _audit(report, assessment, "report.started", actor, new_values={"version": 1, "status": report.status})
    return report


@transaction.atomic
def report_update(*, report: AssessmentReport, actor: User, summary: str, conclusion: str) -> AssessmentReport:
    report = _locked_report(report)
    _require_member(actor, report.assessment)
    _require_draft(report)
    old = assign_changes(
        report, {"summary": summary.strip(), "conclusion": conclusion.strip()}, allowed=["summary", "conclusion"]
    )
    if old:
        report.save(update_fields=sorted(old))
        _audit(
            report,
            report.assessment,
            "report.updated",
            actor,
            old_values=old,
            new_values={name: getattr(report, name) for name in old},
        )
    return report


@transaction.atomic
def report_recommendation_set(
    *, report: AssessmentReport, actor: User, item: ApplicationScopeItem, recommendation: str, conditions: str = ""
) -> ItemRecommendation:
    """The team's recommendation on one scope item; conditions (or the reasons not to) when it is not plain."""
    report = _locked_report(report)
    _require_member(actor, report.assessment)
    _require_draft(report)
    _scope_item(report.assessment, item)
    if recommendation not in Recommendation.values:
        raise DomainError(
            "invalid_recommendation", _("Choose a recommendation."), detail={"recommendation": [recommendation]}
        )
    conditions = conditions.strip()
    if recommendation in NEEDS_CONDITIONS and not conditions:
        raise DomainError(
            "conditions_required",
            _("Say which conditions apply, or why the item is not recommended."),
            detail={"conditions": [str(_("This field is required."))]},
        )
    existing = ItemRecommendation.objects.filter(report=report, item=item).first()
    old = {"recommendation": existing.recommendation, "conditions": existing.conditions} if existing else None
    row, _created = ItemRecommendation.objects.update_or_create(
        report=report, item=item, defaults={"recommendation": recommendation, "conditions": conditions}
    )
    _audit(
        report,
        report.assessment,
        "report.recommendation_set",
        actor,
        old_values=old,
        new_values={"item": item.pk, "recommendation": recommendation, "conditions": conditions},
    )
    return row


def _clean_finding(assessment: Assessment, values: dict[str, Any]) -> dict[str, Any]:
    """Validated finding fields: a nonconformity is graded major or minor, an observation not at all."""
    cleaned: dict[str, Any] = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()
    }
    cleaned["grade"] = cleaned.get("grade") or ""
    errors: dict[str, list[str]] = {}
    if cleaned["kind"] not in FindingKind.values:
        errors["kind"] = [str(_("Choose nonconformity or observation."))]
    elif cleaned["kind"] == FindingKind.NONCONFORMITY and cleaned["grade"] not in FindingGrade.values:
        raise DomainError(
            "grade_required",
            _("Grade the nonconformity: major or minor."),
            detail={"grade": [str(_("This field is required."))]},
        )
    elif cleaned["kind"] == FindingKind.OBSERVATION and cleaned["grade"]:
        raise DomainError(
            "grade_not_applicable",
            _("An observation has no grade."),
            detail={"grade": [str(_("Leave the grade empty for an observation."))]},
        )
    for name, limit in _TEXT_LIMITS.items():
        if not cleaned[name]:
            errors[name] = [str(_("This field is required."))]
        elif len(cleaned[name]) > limit:
            errors[name] = [str(_("At most {limit} characters.").format(limit=limit))]
    if errors:
        raise DomainError("invalid", _("Some fields are invalid."), detail=errors)
    _scope_item(assessment, cleaned.get("item"))
    return cleaned


def _finding_values(finding: Finding) -> dict[str, Any]:
    return {
        "number": finding.number,
        "kind": finding.kind,
        "grade": finding.grade,
        "clause": finding.clause,
        "statement": finding.statement,
        "evidence": finding.evidence,
        "item": finding.item_id,
    }


@transaction.atomic
def finding_add(
    *,
    report: AssessmentReport,
    actor: User,
    kind: str,
    grade: str,
    clause: str,
    statement: str,
    evidence: str,
    item: ApplicationScopeItem | None = None,
) -> Finding:
    """Raise a finding in the draft; it is numbered after every finding of the assessment, in any version."""
    report = _locked_report(report)
    _require_member(actor, report.assessment)
    _require_draft(report)
    cleaned = _clean_finding(
        report.assessment,
        {"kind": kind, "grade": grade, "clause": clause, "statement": statement, "evidence": evidence, "item": item},
    )
    # The assessment's row lock makes the next number safe from a colleague adding at the same moment.
    number = (Finding.objects.filter(assessment=report.assessment).aggregate(last=Max("number"))["last"] or 0) + 1
    finding = Finding.objects.create(
        report=report,
        assessment=report.assessment,
        number=number,
        status=FindingStatus.DRAFT,
        created_by=actor,
        **cleaned,
    )
    _audit(
        finding, report.assessment, "finding.added", actor, new_values={**_finding_values(finding), "report": report.pk}
    )
    return finding


def _locked_draft_finding(finding: Finding, actor: User) -> Finding:
    report = _locked_report(finding.report)
    _require_member(actor, report.assessment)
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    locked.report = report
    locked.assessment = report.assessment
    if report.is_locked:
        raise StateConflict(
            "finding_locked",
            _("{finding} was raised in a submitted version of the report; it can no longer be changed.").format(
                finding=locked
            ),
            detail={"report_status": report.status},
        )
    return locked


@transaction.atomic
def finding_update(*, finding: Finding, actor: User, **values: Any) -> Finding:
    finding = _locked_draft_finding(finding, actor)
    unknown = sorted(set(values) - set(FINDING_FIELDS))
    if unknown:
        raise TypeError(f"Finding fields that cannot be changed here: {unknown}")
    current = {name: getattr(finding, name) for name in FINDING_FIELDS}
    cleaned = _clean_finding(finding.assessment, {**current, **values})
    before = _finding_values(finding)
    old = assign_changes(finding, cleaned, allowed=FINDING_FIELDS)
    if old:
        finding.save(update_fields=sorted(old))
        after = _finding_values(finding)
        _audit(
            finding,
            finding.assessment,
            "finding.updated",
            actor,
            old_values={k: v for k, v in before.items() if after[k] != v},
            new_values={k: v for k, v in after.items() if before[k] != v},
        )
    return finding


@transaction.atomic
def finding_remove(*, finding: Finding, actor: User) -> None:
    finding = _locked_draft_finding(finding, actor)
    _audit(finding, finding.assessment, "finding.removed", actor, old_values=_finding_values(finding))
    finding.delete()


# --- attachments ----------------------------------------------------------------------------------


@transaction.atomic
def report_attachment_add(*, report: AssessmentReport, actor: User, upload: UploadedFile) -> ReportAttachment:
    """Store an uploaded file under a generated name; the uploaded name is kept only as a label.

    The checks are the application documents' ones: allowed types, size limit, content matching
    the extension.
    """
    report = _locked_report(report)
    _require_member(actor, report.assessment)
    _require_draft(report)
    label, extension = check_upload(upload)
    attachment = ReportAttachment(report=report, label=label, size=upload.size or 0, uploaded_by=actor)
    # Only the extension of this name reaches the storage path (``attachment_path``).
    attachment.file.save(f"upload.{extension}", upload, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    _audit(
        report,
        report.assessment,
        "report.attachment_added",
        actor,
        new_values={"attachment": attachment.pk, "label": label, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def report_attachment_remove(*, attachment: ReportAttachment, actor: User) -> None:
    report = _locked_report(attachment.report)
    _require_member(actor, report.assessment)
    _require_draft(report)
    attachment = ReportAttachment.objects.get(pk=attachment.pk, report=report)
    storage, name = attachment.file.storage, attachment.file.name
    old = {"attachment": attachment.pk, "label": attachment.label}
    attachment.delete()
    _audit(report, report.assessment, "report.attachment_removed", actor, old_values=old)
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


# --- submit and amend -----------------------------------------------------------------------------


def missing_recommendations(report: AssessmentReport) -> list[ApplicationScopeItem]:
    """The assessment's scope items this version says nothing about yet."""
    done = report.recommendations.values("item_id")
    return list(report.assessment.scope_items.exclude(pk__in=done).order_by("position", "pk"))


@transaction.atomic
def report_submit(*, report: AssessmentReport, actor: User) -> AssessmentReport:
    """The lead assessor submits the draft: it is locked, its findings come into force, the CAB is told."""
    report = _locked_report(report)
    assessment = report.assessment
    _require_lead(actor, assessment)
    require_transition(REPORT_TRANSITIONS, report.status, ReportStatus.SUBMITTED, ReportStatus)
    missing = missing_recommendations(report)
    if missing:
        shape = assessment.application.programme.scope_shape
        raise DomainError(
            "recommendations_missing",
            _("Give a recommendation on every scope item first: {items}.").format(
                items="; ".join(item_label(item, shape) for item in missing)
            ),
            detail={"items": [{"id": item.pk, "label": item_label(item, shape)} for item in missing]},
        )
    now = timezone.now()
    due = timezone.localdate(now) + dt.timedelta(days=assessment.application.programme.nc_answer_deadline_days)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = now
    report.save(update_fields=["status", "submitted_by", "submitted_at"])
    opened = report.findings.filter(kind=FindingKind.NONCONFORMITY).update(status=FindingStatus.OPEN, answer_due_on=due)
    noted = report.findings.filter(kind=FindingKind.OBSERVATION).update(status=FindingStatus.NOTED)
    superseded: AssessmentReport | None = None
    if report.amends_id is not None:
        superseded = AssessmentReport.objects.select_for_update().get(pk=report.amends_id)
        require_transition(REPORT_TRANSITIONS, superseded.status, ReportStatus.SUPERSEDED, ReportStatus)
        superseded.status = ReportStatus.SUPERSEDED
        superseded.save(update_fields=["status"])
        _audit(
            superseded,
            assessment,
            "report.superseded",
            actor,
            old_values={"status": ReportStatus.SUBMITTED},
            new_values={"status": ReportStatus.SUPERSEDED, "by_version": report.version},
        )
    _audit(
        report,
        assessment,
        "report.submitted",
        actor,
        old_values={"status": ReportStatus.DRAFT},
        new_values={
            "status": ReportStatus.SUBMITTED,
            "version": report.version,
            "nonconformities": opened,
            "observations": noted,
            "answer_due_on": due if opened else None,
        },
    )
    if assessment.status == AssessmentStatus.TEAM_CONFIRMED:
        require_transition(ASSESSMENT_TRANSITIONS, assessment.status, AssessmentStatus.REPORTED, AssessmentStatus)
        assessment.status = AssessmentStatus.REPORTED
        assessment.save(update_fields=["status"])
        _audit(
            assessment,
            assessment,
            "assessment.reported",
            actor,
            old_values={"status": AssessmentStatus.TEAM_CONFIRMED},
            new_values={"status": AssessmentStatus.REPORTED, "report": report.pk},
        )
    assessment_sync_progress(
        assessment=assessment,
        actor=actor,
        reason=str(_("Report version {version} submitted").format(version=report.version)),
    )
    notify_report_submitted(report, actor)
    return report


@transaction.atomic
def report_amend(*, report: AssessmentReport, actor: User, reason: str) -> AssessmentReport:
    """The lead assessor opens a new draft version of a submitted report, with the reason for amending it."""
    report = _locked_report(report)
    assessment = report.assessment
    _require_lead(actor, assessment)
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("Give the reason for the amendment."), detail={"reason": []})
    if report.status != ReportStatus.SUBMITTED:
        raise StateConflict(
            "not_amendable",
            _("Only the submitted version in force can be amended; version {version} is {status}.").format(
                version=report.version, status=report.get_status_display()
            ),
            detail={"status": report.status},
        )
    if assessment.reports.filter(status=ReportStatus.DRAFT).exists():
        raise StateConflict("draft_exists", _("An amendment of this report is already being drafted."))
    if assessment.application.status != ApplicationStatus.ACCEPTED:
        raise StateConflict(
            "application_closed",
            _("The application is {status}; its assessment reports can no longer be amended.").format(
                status=assessment.application.get_status_display().lower()
            ),
            detail={"application_status": assessment.application.status},
        )
    version = (assessment.reports.aggregate(last=Max("version"))["last"] or 0) + 1
    amendment = AssessmentReport.objects.create(
        assessment=assessment,
        version=version,
        summary=report.summary,
        conclusion=report.conclusion,
        amendment_reason=reason,
        amends=report,
        created_by=actor,
    )
    ItemRecommendation.objects.bulk_create(
        ItemRecommendation(
            report=amendment, item_id=row.item_id, recommendation=row.recommendation, conditions=row.conditions
        )
        for row in report.recommendations.all()
    )
    _audit(
        amendment,
        assessment,
        "report.amended",
        actor,
        reason=reason,
        new_values={"version": version, "amends": report.pk, "amends_version": report.version},
    )
    return amendment
