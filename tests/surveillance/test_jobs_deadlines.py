"""The deadline watchdog and the qualification reminders with a moved clock: each overdue item is
reported once per overdue state, to the secretariat and to the CAB whose answers are late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Cab
from assessors.choices import FindingStatus
from core.models import User
from surveillance.choices import JobName
from surveillance.jobs import run_job
from surveillance.models import JobRun
from tests.accreditation.factories import programme
from tests.assessors.factories import SINCE, assessor_user, profile_for, qualification
from tests.assessors.findings_helpers import reported
from tests.surveillance.jobs_helpers import sent

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 1)


def watchdog(day: dt.date) -> JobRun:
    return run_job(JobName.DEADLINE_WATCHDOG, day)


def submitted(cab: Cab, actor: User, *, due: dt.date) -> Application:
    now = timezone.now()
    return Application.objects.create(
        reference=f"APP-{Application.objects.count() + 1}",
        cab=cab,
        programme=programme("CL"),
        type=ApplicationType.INITIAL,
        status=ApplicationStatus.SUBMITTED,
        created_by=actor,
        submitted_at=now,
        first_submitted_at=now,
        review_due_on=due,
    )


def test_an_overdue_acceptance_review_is_reported_to_the_secretariat_once_per_due_date(
    secretariat: User, cab: Cab, cab_admin: User
) -> None:
    late = submitted(cab, cab_admin, due=DAY - dt.timedelta(days=1))
    submitted(cab, cab_admin, due=DAY)  # due today: not late yet

    first, second = watchdog(DAY), watchdog(DAY + dt.timedelta(days=1))

    message, later = sent("application.review_overdue", recipient=secretariat)
    assert (message.params["reference"], message.params["due"]) == (late.reference, f"{DAY - dt.timedelta(days=1)}")
    assert message.link == f"/applications/{late.pk}/"
    assert later.params["due"] == f"{DAY}"
    assert sent("application.review_overdue", recipient=cab_admin) == []
    # The second run finds the first application already reported and the second one late now.
    assert (first.summary["review_reminders"], second.summary["review_reminders"]) == (1, 1)
    # Returned and resubmitted with a new due date, late again: a new overdue state, a new reminder.
    Application.objects.filter(pk=late.pk).update(review_due_on=DAY + dt.timedelta(days=5))
    watchdog(DAY + dt.timedelta(days=6))
    assert len(sent("application.review_overdue", recipient=secretariat)) == 3


def test_overdue_nonconformities_are_reported_once_to_the_secretariat_and_to_the_cab(
    secretariat: User, cab: Cab, cab_admin: User, accreditation: Accreditation, other_cab_user: User
) -> None:
    case = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_admin, due=DAY - dt.timedelta(days=1))

    first, second = watchdog(DAY), watchdog(DAY)

    [to_staff] = sent("corrective_actions.overdue", recipient=secretariat)
    [to_cab] = sent("corrective_actions.overdue_cab", recipient=cab_admin)
    assert to_staff.params["count"] == to_cab.params["count"] == 2
    assert str(case.nc) in to_cab.params["findings"] and str(case.major) in to_cab.params["findings"]
    assert to_cab.link == "/findings/to-answer/"
    assert to_staff.link == f"/assessments/{case.assessment.pk}/findings/"
    assert sent("corrective_actions.overdue_cab", recipient=other_cab_user) == []
    assert (first.rows_changed, second.rows_changed) == (1, 0)


def test_an_answered_nonconformity_is_not_overdue_and_one_late_later_gets_its_own_reminder(
    secretariat: User, cab: Cab, cab_admin: User, accreditation: Accreditation
) -> None:
    case = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_admin, due=DAY - dt.timedelta(days=1))
    case.major.status = FindingStatus.ANSWERED
    case.major.save(update_fields=["status"])

    watchdog(DAY)
    case.major.status = FindingStatus.OPEN  # the answer was rejected
    case.major.save(update_fields=["status"])
    watchdog(DAY + dt.timedelta(days=1))

    counts = [n.params["count"] for n in sent("corrective_actions.overdue_cab", recipient=cab_admin)]
    assert counts == [1, 1]


def test_an_expiring_qualification_is_reminded_at_60_and_30_days_to_the_assessor_and_the_secretariat(
    secretariat: User,
) -> None:
    erin = assessor_user("erin_q")
    ends = DAY + dt.timedelta(days=60)
    qualification(profile_for(erin), valid_from=SINCE, valid_until=ends, approved_by=secretariat)

    for days_left in (61, 60, 59, 31, 30, 29, 0):
        run_job(JobName.QUALIFICATION_REMINDERS, ends - dt.timedelta(days=days_left))

    assert [n.params["days"] for n in sent("qualification.expiry_reminder", recipient=erin)] == [60, 30]
    assert [n.params["days"] for n in sent("qualification.expiry_reminder_staff", recipient=secretariat)] == [60, 30]
    assert sent("qualification.expiry_reminder", recipient=secretariat) == []


def test_a_requested_qualification_is_not_reminded(secretariat: User) -> None:
    erin = assessor_user("erin_q")
    qualification(profile_for(erin), valid_from=SINCE, valid_until=DAY + dt.timedelta(days=10))

    assert run_job(JobName.QUALIFICATION_REMINDERS, DAY).rows_changed == 0
