"""The deadline watchdog and the assessor qualification reminders, for day D.

**Deadline watchdog** (``deadline_watchdog``):

- *Acceptance reviews overdue*: applications still submitted after their ``review_due_on``
  (the acceptance review target in working days, ``accreditation.services``). The secretariat is
  told once per application and due date (``application:<id>:review_overdue:<due>``): a returned
  and resubmitted application gets a new due date and so, if late again, a new reminder.
- *Corrective actions overdue*: nonconformities still open (no answer, or a rejected one) after
  their ``answer_due_on`` (``assessors.selectors_findings.overdue_q``). Each is keyed once per
  due date (``finding:<id>:answer_overdue:<due>``); the newly overdue ones of one assessment go
  out as one message to the secretariat (who may close the case after the deadline) and one to
  the CAB's members (whose answers they are).

**Qualification reminders** (``qualification_reminders``): an approved assessor qualification
whose ``valid_until`` is 60 or 30 days away is reminded once per threshold, to the assessor and to
the secretariat (``qualification:<id>:expiry:<valid_until>:<days>``). A threshold crossed while the
job did not run goes out at the next run (only the nearest one).

Nothing here changes a status: the watchdog only tells people, and what was told is recorded in
``ReminderSent``, so a second run the same day sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Application
from accreditation.notifications import cab_members, secretariat_users
from assessors.choices import QualificationStatus
from assessors.models import Qualification
from assessors.models_reports import Finding
from assessors.selectors_findings import overdue_q
from core.notifications import register
from surveillance.jobs import Outgoing, already_sent, remind_once
from surveillance.models import JobRun

#: Days before an assessor qualification ends at which the assessor and the secretariat are reminded.
QUALIFICATION_REMINDER_DAYS = (60, 30)

register(
    "application.review_overdue",
    subject=_("Acceptance review of {reference} is overdue"),
    body=_(
        "The acceptance review of the {type} application {reference} of {cab} was due on {due} "
        "and the application is still waiting."
    ),
)
register(
    "corrective_actions.overdue",
    subject=_("{assessment}: {count} nonconformities past their answer deadline"),
    body=_(
        "{cab} has not given an accepted answer to {count} nonconformities of {assessment} "
        "by their deadline: {findings}. After the deadline the secretariat may close the case."
    ),
)
register(
    "corrective_actions.overdue_cab",
    subject=_("Answers overdue: {count} nonconformities of {assessment}"),
    body=_(
        "The answer deadline of {count} nonconformities of {assessment} has passed: {findings}. "
        "Answer them as soon as possible; the secretariat may close the case without them."
    ),
)
register(
    "qualification.expiry_reminder",
    subject=_("Your qualification as {role} ({programme}) ends on {valid_until}"),
    body=_(
        "Your qualification as {role} under {programme} is valid until {valid_until}, {days} more days. "
        "Ask for its renewal from your assessor profile."
    ),
)
register(
    "qualification.expiry_reminder_staff",
    subject=_("Qualification of {assessor} ({programme}, {role}) ends on {valid_until}"),
    body=_(
        "The qualification of {assessor} as {role} under {programme} is valid until {valid_until}, {days} more days."
    ),
)


# --- deadline watchdog ---------------------------------------------------------------------------


def _overdue_reviews(run: JobRun, day: dt.date) -> None:
    applications = list(
        Application.objects.filter(status=ApplicationStatus.SUBMITTED, review_due_on__lt=day)
        .select_related("cab")
        .order_by("review_due_on", "pk")
    )
    keyed = [
        (application, f"application:{application.pk}:review_overdue:{application.review_due_on}")
        for application in applications
    ]
    sent = already_sent(key for _, key in keyed)
    for application, key in keyed:
        if key in sent:
            continue
        remind_once(
            run,
            "review_reminders",
            keys=[key],
            messages=[
                Outgoing(
                    secretariat_users(),
                    "application.review_overdue",
                    {
                        "reference": application.reference or "",
                        "type": str(application.get_type_display()),
                        "cab": application.cab.name_zh,
                        "due": f"{application.review_due_on:%Y-%m-%d}",
                    },
                    reverse("accreditation:application_detail", args=[application.pk]),
                )
            ],
        )


def _overdue_answers(run: JobRun, day: dt.date) -> None:
    findings = list(
        Finding.objects.filter(overdue_q(day))
        .select_related("assessment__application__cab")
        .order_by("assessment_id", "number")
    )
    keyed = [(finding, f"finding:{finding.pk}:answer_overdue:{finding.answer_due_on}") for finding in findings]
    sent = already_sent(key for _, key in keyed)
    by_assessment: dict[int, list[tuple[Finding, str]]] = defaultdict(list)
    for finding, key in keyed:
        if key not in sent:
            by_assessment[finding.assessment_id].append((finding, key))
    for pairs in by_assessment.values():
        assessment = pairs[0][0].assessment
        cab = assessment.application.cab
        params = {
            "assessment": str(assessment),
            "cab": cab.name_zh,
            "count": len(pairs),
            "findings": ", ".join(f"{finding} ({finding.answer_due_on:%Y-%m-%d})" for finding, _key in pairs),
        }
        remind_once(
            run,
            "answer_reminders",
            keys=[key for _finding, key in pairs],
            messages=[
                Outgoing(
                    secretariat_users(),
                    "corrective_actions.overdue",
                    params,
                    reverse("assessors:finding_list", args=[assessment.pk]),
                ),
                Outgoing(
                    cab_members(cab.pk),
                    "corrective_actions.overdue_cab",
                    params,
                    reverse("assessors:findings_to_answer"),
                ),
            ],
        )


def deadline_watchdog(run: JobRun) -> dict[str, int]:
    """The body of the deadline watchdog (``run_job(JobName.DEADLINE_WATCHDOG)``)."""
    _overdue_reviews(run, run.run_for)
    _overdue_answers(run, run.run_for)
    return {part: int(run.summary.get(part, 0)) for part in ("review_reminders", "answer_reminders")}


# --- qualification reminders ----------------------------------------------------------------------


def qualification_threshold(days_left: int) -> int | None:
    reached = [days for days in QUALIFICATION_REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def qualifications_ending(day: dt.date) -> list[Qualification]:
    """Approved qualifications ending within the reminder window (an assessor holds one per
    programme and role at a time, ``qualification_request``, so a renewal follows the end)."""
    return list(
        Qualification.objects.filter(
            status=QualificationStatus.APPROVED,
            valid_until__gte=day,
            valid_until__lte=day + dt.timedelta(days=max(QUALIFICATION_REMINDER_DAYS)),
        )
        .select_related("assessor__user", "programme")
        .order_by("valid_until", "pk")
    )


def qualification_reminders(run: JobRun) -> dict[str, int]:
    """The body of the qualification reminders (``run_job(JobName.QUALIFICATION_REMINDERS)``)."""
    day = run.run_for
    keyed = []
    for qualification in qualifications_ending(day):
        assert qualification.valid_until is not None
        threshold = qualification_threshold((qualification.valid_until - day).days)
        keyed.append(
            (qualification, f"qualification:{qualification.pk}:expiry:{qualification.valid_until}:{threshold}")
        )
    sent = already_sent(key for _, key in keyed)
    for qualification, key in keyed:
        if key in sent:
            continue
        assert qualification.valid_until is not None
        profile = qualification.assessor
        params = {
            "assessor": str(profile.user),
            "role": str(qualification.get_role_display()),
            "programme": qualification.programme.code,
            "valid_until": f"{qualification.valid_until:%Y-%m-%d}",
            "days": (qualification.valid_until - day).days,
        }
        remind_once(
            run,
            "qualification_reminders",
            keys=[key],
            messages=[
                Outgoing([profile.user], "qualification.expiry_reminder", params, reverse("assessors:my_profile")),
                Outgoing(
                    secretariat_users(),
                    "qualification.expiry_reminder_staff",
                    params,
                    reverse("assessors:assessor_detail", args=[profile.pk]),
                ),
            ],
        )
    return {"qualification_reminders": int(run.summary.get("qualification_reminders", 0))}
