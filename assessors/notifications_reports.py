"""Notification messages of assessment reports and who receives them (see ``core.notifications``).

When the lead assessor submits a report (or an amendment), the assessed CAB's members learn how
many nonconformities they must answer and by when, and the secretariat learns the report is in.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.notifications import cab_members, secretariat_users
from assessors.choices import FindingKind
from assessors.models_reports import AssessmentReport
from core.models import User
from core.notifications import notify, register

register(
    "report.submitted",
    subject=_("Assessment report on {reference} submitted"),
    body=_(
        "The assessment team submitted its report (version {version}) on the {kind} of application {reference}.\n"
        "Nonconformities to answer: {nonconformities}; answers are due by {due}.\n"
        "Observations: {observations}."
    ),
)
register(
    "report.submitted_secretariat",
    subject=_("Assessment report on {reference} ({cab}) submitted"),
    body=_(
        "The lead assessor submitted the report (version {version}) on the {kind} of {cab}, application "
        "{reference}: {nonconformities} nonconformities (answers due by {due}), {observations} observations."
    ),
)
register(
    "report.amendment_submitted",
    subject=_("Amended assessment report on {reference}"),
    body=_(
        "The assessment team amended its report on the {kind} of application {reference} (version {version}): "
        "{reason}\nNew nonconformities to answer: {nonconformities}; answers are due by {due}.\n"
        "New observations: {observations}. Earlier findings stay in force."
    ),
)
register(
    "report.amendment_submitted_secretariat",
    subject=_("Amended assessment report on {reference} ({cab})"),
    body=_(
        "The lead assessor submitted version {version} of the report on the {kind} of {cab}, application "
        "{reference}: {reason}\nNew nonconformities: {nonconformities} (answers due by {due}); "
        "new observations: {observations}."
    ),
)


def _params(report: AssessmentReport) -> dict[str, Any]:
    assessment = report.assessment
    findings = list(report.findings.values_list("kind", "answer_due_on"))
    dues = sorted(due for kind, due in findings if kind == FindingKind.NONCONFORMITY and due is not None)
    return {
        "reference": assessment.application.reference or "",
        "cab": assessment.application.cab.name_zh,
        "kind": str(assessment.get_kind_display()),
        "version": report.version,
        "nonconformities": sum(1 for kind, _due in findings if kind == FindingKind.NONCONFORMITY),
        "observations": sum(1 for kind, _due in findings if kind == FindingKind.OBSERVATION),
        "due": str(dues[0]) if dues else "—",
        "reason": report.amendment_reason,
    }


def notify_report_submitted(report: AssessmentReport, actor: User) -> None:
    """Tell the CAB what it must answer and by when, and the secretariat that the report is in."""
    kind = "report.amendment_submitted" if report.amends_id else "report.submitted"
    params = _params(report)
    link = reverse("assessors:report_detail", args=[report.pk])
    notify(
        recipients=cab_members(report.assessment.application.cab_id),
        kind=kind,
        params=params,
        link=link,
        exclude=actor,
    )
    notify(recipients=secretariat_users(), kind=f"{kind}_secretariat", params=params, link=link, exclude=actor)
