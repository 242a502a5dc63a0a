"""The expiry sweep for day D: what expired before D becomes expired; reminders of what expires soon.

1. **Accreditations** whose cycle ended before D (``cycle_end < D``) and that are still held
   (accredited, partially suspended, suspended) expire through the register's own service,
   ``accreditation_expire``, one by one (a handful a day): it checks the move, writes the audit
   event, and its on-commit signal lets the certification app re-evaluate the body's CB-issued
   certificates. The CAB's members and the secretariat are told.
2. **Accreditation certificates** have no "expired" status (``AccreditationCertificateStatus``:
   pending, ready, failed, superseded) and need none: their standing is computed from
   ``valid_until`` and the accreditation's status wherever one is shown or verified
   (``certification.selectors_certificates``), so a certificate is shown expired from the day
   after ``valid_until`` without any write. The sweep changes nothing there; it reminds (4).
3. **CB-issued certificates** (up to ten million rows) reported active or suspended whose
   ``expiry_date`` is before D become expired, set-based. On PostgreSQL one query finds the
   candidates through the (status, expiry_date) index and hands their ids over in batches of
   ``CERTIFICATE_BATCH``; each batch is one ``UPDATE … RETURNING`` that feeds an
   ``INSERT … SELECT`` of the status history, in its own transaction. The history row
   (``CertificateStatusChange``) is effective on ``expiry_date + 1 day``, the first day the
   certificate was no longer valid, whichever day the sweep ran: "was it valid on D?" stays exact
   even after a missed night. An interrupted sweep keeps the batches it committed; the next run
   finds only the rest. The certificates' ``updated_at`` ("last reported") is left alone: the CB
   reported nothing. No audit event per certificate (that would be millions): the run's record
   (``JobRun``: rows, counts) is the trace, and each history row says when and what.
4. **Reminders** to the CAB's members 180, 90 and 30 days before an accreditation's cycle ends
   (and before its accreditation certificate's ``valid_until`` when that differs), and a
   "renewal application due" reminder from ``cycle_end − renewal_notice_months`` (the
   programme's rule; not sent while a renewal application is submitted or accepted). Each is
   sent once (``ReminderSent``); the keys name the cycle's end, so a renewed cycle is reminded
   afresh. A threshold crossed while the job did not run is sent at the next run; when several
   were crossed, only the nearest one goes (a CAB 20 days from expiry hears "30 days", not
   three messages). A renewal reminder due in the same run as an expiry reminder rides in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Programme
from accreditation.notifications import cab_members, secretariat_users
from accreditation.services.accreditations import accreditation_expire
from certification.choices import AccreditationCertificateStatus, CertificateStatus
from certification.models import AccreditationCertificate, CertificateStatusChange, IssuedCertificate
from core.dates import add_months
from core.notifications import notify, register
from surveillance.jobs import Outgoing, already_sent, note, remind_once
from surveillance.models import JobRun

#: Days before the end of a cycle (or of an accreditation certificate) at which the CAB is reminded.
REMINDER_DAYS = (180, 90, 30)
#: Accreditations the sweep expires once their cycle has ended (an applicant has no cycle).
HELD_STATUSES = (
    AccreditationStatus.ACCREDITED,
    AccreditationStatus.PARTIALLY_SUSPENDED,
    AccreditationStatus.SUSPENDED,
)
#: CB-issued certificates that lapse on their expiry date; withdrawn, cancelled... stay as reported.
LAPSING_STATUSES = (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED)
#: Certificates per transaction of the sweep (each commits on its own; a few seconds at most).
CERTIFICATE_BATCH = 50_000
#: A renewal application in one of these is on its way: no "renewal due" reminder.
RENEWAL_UNDER_WAY = (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED)

PARTS = (
    "accreditations_expired",
    "certificates_expired",
    "expiry_reminders",
    "renewal_reminders",
    "certificate_reminders",
)

register(
    "accreditation.expired",
    subject=_("Accreditation {number} has expired"),
    body=_(
        "The accreditation {number} of {cab} under {programme} expired: its cycle ended on {cycle_end} "
        "and no renewal was decided. The body may no longer claim it."
    ),
)
register(
    "accreditation.expiry_reminder",
    subject=_("Accreditation {number} expires on {cycle_end}"),
    body=_(
        "The accreditation {number} of {cab} under {programme} expires on {cycle_end}, in {days} days. "
        "Renewal applications are due {renewal_months} months before expiry, by {renewal_due}."
    ),
)
register(
    "accreditation.renewal_due",
    subject=_("Renewal application for {number} due by {renewal_due}"),
    body=_(
        "The accreditation {number} of {cab} under {programme} expires on {cycle_end}. "
        "The programme asks for the renewal application {renewal_months} months before expiry, by {renewal_due}. "
        "Submit a renewal application from the CAB's page."
    ),
)
register(
    "accreditation_certificate.expiry_reminder",
    subject=_("Accreditation certificate {certificate} valid until {valid_until}"),
    body=_(
        "The accreditation certificate {certificate} of {cab} ({number}) is valid until {valid_until}, "
        "{days} more days."
    ),
)


# --- 1. accreditations ---------------------------------------------------------------------------


def _expire_accreditations(run: JobRun, day: dt.date) -> None:
    due = Accreditation.objects.filter(status__in=HELD_STATUSES, cycle_end__lt=day)
    for pk in list(due.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            accreditation = (
                Accreditation.objects.select_for_update()
                .select_related("cab", "programme")
                .filter(pk=pk, status__in=HELD_STATUSES, cycle_end__lt=day)
                .first()
            )
            if accreditation is None:  # renewed or ended by someone else meanwhile
                continue
            cycle_end = accreditation.cycle_end
            accreditation_expire(
                accreditation=accreditation,
                actor=None,
                reason=gettext("The cycle ended on {date}; expired by the daily expiry sweep.").format(
                    date=f"{cycle_end:%Y-%m-%d}"
                ),
            )
            notify(
                recipients=[*cab_members(accreditation.cab_id), *secretariat_users()],
                kind="accreditation.expired",
                params={
                    "number": accreditation.number or "",
                    "cab": accreditation.cab.name_zh,
                    "programme": accreditation.programme.code,
                    "cycle_end": f"{cycle_end:%Y-%m-%d}",
                },
                link=reverse("accreditation:cab_home_detail", args=[accreditation.cab_id]),
            )
            note(run, "accreditations_expired", 1)


# --- 3. CB-issued certificates ------------------------------------------------------------------

_CERTIFICATES = IssuedCertificate._meta.db_table
_HISTORY = CertificateStatusChange._meta.db_table
_LAPSING = "status IN ('active', 'suspended')"
assert {CertificateStatus.ACTIVE.value, CertificateStatus.SUSPENDED.value} == {"active", "suspended"}

# One batch: the certificates expire and their history rows are written in one statement. The
# condition is checked again, so a certificate a CB re-reported meanwhile is left as reported.
CERTIFICATE_EXPIRE = f"""
    WITH expired AS (
        UPDATE {_CERTIFICATES} SET status = 'expired'
        WHERE id = ANY(%(ids)s) AND {_LAPSING} AND expiry_date < %(day)s
        RETURNING id, expiry_date
    )
    INSERT INTO {_HISTORY} (certificate_id, status, effective_on, upload_id, recorded_at)
    SELECT id, 'expired', expiry_date + 1, NULL, %(now)s FROM expired"""  # noqa: S608


def lapsed_certificate_batches(day: dt.date, size: int = CERTIFICATE_BATCH) -> Iterator[list[int]]:
    """The ids of the certificates to expire, in id order, ``size`` at a time.

    One query finds them through the (status, expiry_date) index, read through a server-side
    cursor (``iterator``; held across the batches' commits), so memory stays bounded even when
    millions lapse at once. Batches of ids, not id ranges: lapsed certificates are spread thinly
    over the table, and a range would make each statement walk every certificate in it.
    """
    ids = (
        IssuedCertificate.objects.filter(status__in=LAPSING_STATUSES, expiry_date__lt=day)
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=size)
    )
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def expire_certificates(ids: list[int], day: dt.date, now: dt.datetime) -> int:
    """Expire those of ``ids`` that still lapse on ``day`` and write their history; how many."""
    with connection.cursor() as cursor:
        cursor.execute(CERTIFICATE_EXPIRE, {"ids": ids, "day": day, "now": now})
        return int(cursor.rowcount)


def _expire_certificates_orm(run: JobRun, day: dt.date, size: int) -> None:
    """SQLite (the embedded default, small data): the same, a batch of ids at a time through the ORM."""
    lapsed = IssuedCertificate.objects.filter(status__in=LAPSING_STATUSES, expiry_date__lt=day).order_by("pk")
    while True:
        with transaction.atomic():
            batch = list(lapsed.values_list("pk", "expiry_date")[:size])
            if not batch:
                return
            now = timezone.now()
            IssuedCertificate.objects.filter(pk__in=[pk for pk, _ in batch]).update(status=CertificateStatus.EXPIRED)
            CertificateStatusChange.objects.bulk_create(
                CertificateStatusChange(
                    certificate_id=pk,
                    status=CertificateStatus.EXPIRED,
                    effective_on=expiry + dt.timedelta(days=1),
                    recorded_at=now,
                )
                for pk, expiry in batch
            )
            note(run, "certificates_expired", len(batch))


def _expire_certificates(run: JobRun, day: dt.date, size: int) -> None:
    if connection.vendor != "postgresql":
        _expire_certificates_orm(run, day, size)
        return
    now = timezone.now()
    for ids in lapsed_certificate_batches(day, size):
        with transaction.atomic():
            note(run, "certificates_expired", expire_certificates(ids, day, now))


# --- 4. reminders ----------------------------------------------------------------------------------


def reminder_threshold(days_left: int) -> int | None:
    """The nearest reminder threshold reached ``days_left`` days ahead (``None``: not yet)."""
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def renewal_due_on(accreditation: Accreditation) -> dt.date:
    assert accreditation.cycle_end is not None
    return add_months(accreditation.cycle_end, -accreditation.programme.renewal_notice_months)


def _params(accreditation: Accreditation, day: dt.date) -> dict[str, Any]:
    assert accreditation.cycle_end is not None
    return {
        "number": accreditation.number or "",
        "cab": accreditation.cab.name_zh,
        "programme": accreditation.programme.code,
        "cycle_end": f"{accreditation.cycle_end:%Y-%m-%d}",
        "days": (accreditation.cycle_end - day).days,
        "renewal_months": accreditation.programme.renewal_notice_months,
        "renewal_due": f"{renewal_due_on(accreditation):%Y-%m-%d}",
    }


def _remind_accreditations(run: JobRun, day: dt.date) -> None:
    longest_notice = Programme.objects.aggregate(months=Max("renewal_notice_months"))["months"] or 0
    horizon = max(day + dt.timedelta(days=max(REMINDER_DAYS)), add_months(day, longest_notice))
    accreditations = list(
        Accreditation.objects.filter(status__in=HELD_STATUSES, cycle_end__gte=day, cycle_end__lte=horizon)
        .select_related("cab", "programme")
        .order_by("cycle_end", "pk")
    )
    renewing = set(
        Application.objects.filter(
            accreditation__in=[a.pk for a in accreditations], type=ApplicationType.RENEWAL, status__in=RENEWAL_UNDER_WAY
        ).values_list("accreditation_id", flat=True)
    )
    wanted: list[tuple[Accreditation, str | None, str | None]] = []
    for accreditation in accreditations:
        assert accreditation.cycle_end is not None
        threshold = reminder_threshold((accreditation.cycle_end - day).days)
        expiry = f"accreditation:{accreditation.pk}:expiry:{accreditation.cycle_end}:{threshold}"
        renewal = f"accreditation:{accreditation.pk}:renewal:{accreditation.cycle_end}"
        renewal_due = day >= renewal_due_on(accreditation) and accreditation.pk not in renewing
        wanted.append((accreditation, expiry if threshold else None, renewal if renewal_due else None))
    sent = already_sent(key for _, *keys in wanted for key in keys if key)
    for accreditation, expiry_wanted, renewal_wanted in wanted:
        expiry_key = expiry_wanted if expiry_wanted not in sent else None
        renewal_key = renewal_wanted if renewal_wanted not in sent else None
        if not (expiry_key or renewal_key):
            continue
        link = reverse("accreditation:cab_home_detail", args=[accreditation.cab_id])
        recipients = cab_members(accreditation.cab_id)
        if expiry_key:
            # The expiry message names the renewal deadline, so a renewal reminder due now rides in it.
            remind_once(
                run,
                "expiry_reminders",
                keys=[key for key in (expiry_key, renewal_key) if key],
                messages=[Outgoing(recipients, "accreditation.expiry_reminder", _params(accreditation, day), link)],
            )
        elif renewal_key:
            remind_once(
                run,
                "renewal_reminders",
                keys=[renewal_key],
                messages=[Outgoing(recipients, "accreditation.renewal_due", _params(accreditation, day), link)],
            )


def _remind_certificates(run: JobRun, day: dt.date) -> None:
    """Accreditation certificates whose validity ends on another day than their accreditation's cycle."""
    certificates = list(
        AccreditationCertificate.objects.filter(
            status=AccreditationCertificateStatus.READY,
            accreditation__status__in=HELD_STATUSES,
            valid_until__gte=day,
            valid_until__lte=day + dt.timedelta(days=max(REMINDER_DAYS)),
        )
        .select_related("accreditation__cab")
        .order_by("valid_until", "pk")
    )
    wanted = []
    for certificate in certificates:
        if certificate.valid_until == certificate.accreditation.cycle_end:
            continue  # the accreditation's reminder says it
        threshold = reminder_threshold((certificate.valid_until - day).days)
        wanted.append((certificate, f"accreditation-certificate:{certificate.pk}:expiry:{threshold}"))
    sent = already_sent(key for _, key in wanted)
    for certificate, key in wanted:
        if key in sent:
            continue
        accreditation = certificate.accreditation
        remind_once(
            run,
            "certificate_reminders",
            keys=[key],
            messages=[
                Outgoing(
                    cab_members(accreditation.cab_id),
                    "accreditation_certificate.expiry_reminder",
                    {
                        "certificate": certificate.number,
                        "cab": accreditation.cab.name_zh,
                        "number": accreditation.number or "",
                        "valid_until": f"{certificate.valid_until:%Y-%m-%d}",
                        "days": (certificate.valid_until - day).days,
                    },
                    reverse("accreditation:cab_home_detail", args=[accreditation.cab_id]),
                )
            ],
        )


# --- the job ------------------------------------------------------------------------------------------


def expiry_sweep(run: JobRun, *, certificate_batch: int = CERTIFICATE_BATCH) -> dict[str, int]:
    """The body of the expiry sweep (``run_job(JobName.EXPIRY_SWEEP)``); the day is ``run.run_for``."""
    day = run.run_for
    _expire_accreditations(run, day)
    _expire_certificates(run, day, certificate_batch)
    _remind_accreditations(run, day)
    _remind_certificates(run, day)
    return {part: int(run.summary.get(part, 0)) for part in PARTS}
