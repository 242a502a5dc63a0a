"""The expiry sweep with a moved clock: accreditations and CB-issued certificates expire on the day,
history rows are written, the CAB is reminded 180, 90 and 30 days ahead, each exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application
from certification.choices import AccreditationCertificateStatus, CertificateStatus, IssueReason
from certification.models import AccreditationCertificate, CertificateStatusChange, IssuedCertificate
from core.dates import add_months
from core.models import AuditEvent, Notification, User
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import run_job
from surveillance.jobs_expiry import expiry_sweep, renewal_due_on
from surveillance.models import JobRun, ReminderSent
from tests.surveillance.jobs_helpers import certification_body, issued, sent

pytestmark = pytest.mark.django_db

DAY = dt.date(2030, 3, 1)


def sweep(day: dt.date, batch: int = 50_000) -> JobRun:
    return run_job(JobName.EXPIRY_SWEEP, day, body=lambda run: expiry_sweep(run, certificate_batch=batch))


# --- accreditations --------------------------------------------------------------------------------


def test_an_accreditation_is_kept_on_the_last_day_of_its_cycle_and_expires_the_day_after(
    accreditation: Accreditation, cab_admin: User, secretariat: User
) -> None:
    assert accreditation.cycle_end is not None
    sweep(accreditation.cycle_end)
    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.ACCREDITED

    run = sweep(accreditation.cycle_end + dt.timedelta(days=1))

    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.EXPIRED
    assert run.summary["accreditations_expired"] == 1
    event = AuditEvent.objects.get(event_type="accreditation.expired", aggregate_id=str(accreditation.pk))
    assert (event.actor_id, event.actor_label) == (None, "system")
    assert event.reason == f"The cycle ended on {accreditation.cycle_end:%Y-%m-%d}; expired by the daily expiry sweep."
    assert {n.recipient_id for n in sent("accreditation.expired")} == {cab_admin.pk, secretariat.pk}


def test_a_suspended_accreditation_expires_too_and_a_second_run_the_same_day_changes_nothing(
    accreditation: Accreditation,
) -> None:
    Accreditation.objects.filter(pk=accreditation.pk).update(status=AccreditationStatus.SUSPENDED)
    assert accreditation.cycle_end is not None
    day = accreditation.cycle_end + dt.timedelta(days=3)

    first, second = sweep(day), sweep(day)

    assert Accreditation.objects.get(pk=accreditation.pk).status == AccreditationStatus.EXPIRED
    assert (first.rows_changed, second.rows_changed) == (1, 0)
    assert AuditEvent.objects.filter(event_type="accreditation.expired").count() == 1


# --- CB-issued certificates ------------------------------------------------------------------------


def test_certificates_past_their_expiry_date_expire_with_a_history_row_from_the_day_after(
    accreditation: Accreditation,
) -> None:
    cb = certification_body()
    active = issued(cb, expiry=DAY - dt.timedelta(days=1))
    suspended = issued(cb, expiry=DAY - dt.timedelta(days=40), status=CertificateStatus.SUSPENDED)
    last_day = issued(cb, expiry=DAY)
    withdrawn = issued(cb, expiry=DAY - dt.timedelta(days=5), status=CertificateStatus.WITHDRAWN)
    reported_expired = issued(cb, expiry=DAY - dt.timedelta(days=9), status=CertificateStatus.EXPIRED)
    audit_events = AuditEvent.objects.count()

    run = sweep(DAY, batch=1)

    statuses = dict(IssuedCertificate.objects.values_list("pk", "status"))
    assert statuses == {
        active.pk: CertificateStatus.EXPIRED,
        suspended.pk: CertificateStatus.EXPIRED,
        last_day.pk: CertificateStatus.ACTIVE,
        withdrawn.pk: CertificateStatus.WITHDRAWN,
        reported_expired.pk: CertificateStatus.EXPIRED,
    }
    history = set(CertificateStatusChange.objects.values_list("certificate_id", "status", "effective_on", "upload_id"))
    assert history == {
        (active.pk, CertificateStatus.EXPIRED, DAY, None),
        (suspended.pk, CertificateStatus.EXPIRED, DAY - dt.timedelta(days=39), None),
    }
    assert run.summary["certificates_expired"] == 2
    # The run is the trace: no audit event per certificate.
    assert AuditEvent.objects.count() == audit_events


def test_a_second_sweep_the_same_day_expires_nothing_and_writes_no_history() -> None:
    cb = certification_body()
    for days in (1, 2, 3):
        issued(cb, expiry=DAY - dt.timedelta(days=days))

    first, second = sweep(DAY, batch=2), sweep(DAY, batch=2)

    assert (first.summary["certificates_expired"], second.rows_changed) == (3, 0)
    assert second.status == JobRunStatus.SUCCEEDED
    assert CertificateStatusChange.objects.count() == 3


# --- reminders -------------------------------------------------------------------------------------


def expiry_reminders(user: User) -> list[int]:
    return [n.params["days"] for n in sent("accreditation.expiry_reminder", recipient=user)]


def test_the_cab_is_reminded_180_90_and_30_days_before_its_cycle_ends_each_exactly_once(
    accreditation: Accreditation, cab_admin: User, cab_user: User, other_cab_user: User
) -> None:
    assert accreditation.cycle_end is not None
    end = accreditation.cycle_end
    for days_left in range(200, -1, -1):
        sweep(end - dt.timedelta(days=days_left))

    assert expiry_reminders(cab_admin) == [180, 90, 30]
    assert expiry_reminders(cab_user) == [180, 90, 30]
    assert expiry_reminders(other_cab_user) == []
    reminder = sent("accreditation.expiry_reminder", recipient=cab_admin)[0]
    assert reminder.params["cycle_end"] == f"{end:%Y-%m-%d}"
    assert reminder.link == f"/cab/{accreditation.cab_id}/"
    keys = set(ReminderSent.objects.filter(key__contains=":expiry:").values_list("key", "sent_on"))
    prefix = f"accreditation:{accreditation.pk}:expiry:{end}"
    assert keys == {(f"{prefix}:{days}", end - dt.timedelta(days=days)) for days in (180, 90, 30)}


def test_the_renewal_reminder_goes_out_once_when_the_programme_says_the_application_is_due(
    accreditation: Accreditation, cab_admin: User
) -> None:
    assert accreditation.cycle_end is not None
    due = renewal_due_on(accreditation)
    assert due == add_months(accreditation.cycle_end, -6)

    sweep(due - dt.timedelta(days=1))
    assert sent("accreditation.renewal_due") == []
    sweep(due)
    sweep(due + dt.timedelta(days=1))

    [reminder] = sent("accreditation.renewal_due", recipient=cab_admin)
    assert reminder.params["renewal_due"] == f"{due:%Y-%m-%d}"


def test_a_renewal_application_under_way_silences_the_renewal_reminder_but_not_the_expiry_ones(
    accreditation: Accreditation, cab_admin: User
) -> None:
    Application.objects.create(
        reference="REN-1",
        cab=accreditation.cab,
        programme=accreditation.programme,
        accreditation=accreditation,
        type=ApplicationType.RENEWAL,
        status=ApplicationStatus.SUBMITTED,
        created_by=cab_admin,
    )
    assert accreditation.cycle_end is not None

    sweep(renewal_due_on(accreditation))
    sweep(accreditation.cycle_end - dt.timedelta(days=180))

    assert sent("accreditation.renewal_due") == []
    assert expiry_reminders(cab_admin) == [180]


def test_thresholds_crossed_while_the_job_did_not_run_give_one_reminder_at_the_next_run(
    accreditation: Accreditation, cab_admin: User
) -> None:
    assert accreditation.cycle_end is not None
    # The server was down from 200 days before the end until 85 days before it.
    run = sweep(accreditation.cycle_end - dt.timedelta(days=85))
    sweep(accreditation.cycle_end - dt.timedelta(days=84))

    assert expiry_reminders(cab_admin) == [85]
    # The renewal deadline passed too: the expiry reminder names it, and no second message follows.
    assert sent("accreditation.renewal_due") == []
    renewal_key = f"accreditation:{accreditation.pk}:renewal:{accreditation.cycle_end}"
    assert ReminderSent.objects.filter(key=renewal_key).exists()
    assert run.summary["expiry_reminders"] == 1


def test_an_accreditation_certificate_ending_on_another_day_than_the_cycle_is_reminded_on_its_own(
    accreditation: Accreditation, cab_admin: User
) -> None:
    assert accreditation.cycle_end is not None
    valid_until = accreditation.cycle_end - dt.timedelta(days=100)
    certificate = AccreditationCertificate.objects.create(
        accreditation=accreditation,
        number=f"{accreditation.number}-01",
        sequence=1,
        reason=IssueReason.GRANT,
        issued_on=accreditation.granted_on or DAY,
        valid_until=valid_until,
        status=AccreditationCertificateStatus.READY,
    )

    for days_left in (181, 180, 91, 90, 31, 30, 29):
        sweep(valid_until - dt.timedelta(days=days_left))

    reminders = sent("accreditation_certificate.expiry_reminder", recipient=cab_admin)
    assert [(n.params["certificate"], n.params["days"]) for n in reminders] == [
        (certificate.number, 180),
        (certificate.number, 90),
        (certificate.number, 30),
    ]
    # Its status stays "ready": an accreditation certificate is shown expired from its valid_until.
    certificate.refresh_from_db()
    assert certificate.status == AccreditationCertificateStatus.READY


def test_reminders_reach_nobody_outside_the_cab(accreditation: Accreditation, secretariat: User) -> None:
    assert accreditation.cycle_end is not None
    sweep(accreditation.cycle_end - dt.timedelta(days=30))
    assert Notification.objects.filter(recipient=secretariat).count() == 0
