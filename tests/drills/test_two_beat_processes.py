"""Drill: two beat processes run the daily jobs at the same moment (a second beat started by mistake).

Two real OS processes run ``manage.py run_supervision_jobs --day D`` (every job, in the beat's
order) on PostgreSQL, released together: each waits, once Django is set up, until both are ready.
The register holds work for the night: an accreditation whose cycle ended, one 20 days from its
end (a reminder), one whose surveillance falls due, and 2,000 lapsed CB-issued certificates. Each
job's work must be done exactly once: of each job's two runs, one did the work and the other was
skipped (it found the lock taken) or changed nothing (the lock was free again, the work done), and
no reminder, notification, expiry or surveillance assessment exists twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from django.db.models import Count

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation, Application
from assessors.models_teams import Assessment
from certification.choices import CertificateStatus, CertificationType
from certification.models import CertificateStatusChange, CertifiedEntity, IssuedCertificate
from core.audit import verify_chain
from core.dates import add_months
from core.models import AuditEvent, Notification
from surveillance.choices import JobName, JobRunStatus
from surveillance.jobs import registered_jobs, run_jobs
from surveillance.models import JobRun, ReminderSent
from tests.accreditation.factories import CabMembershipFactory, UserFactory
from tests.drills.harness import ON_POSTGRES, kill, process_env, python
from tests.surveillance.jobs_helpers import certification_body
from tests.surveillance.statistics_helpers import accreditation as bare_accreditation
from tests.surveillance.statistics_helpers import body

pytestmark = ON_POSTGRES

LAPSED = 2_000
#: ``run_supervision_jobs`` in a process that, once Django is set up, marks itself ready and waits for the other.
BEAT_MAIN = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
barrier, me, day = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
(barrier / me).touch()
deadline = time.monotonic() + 60
while len(list(barrier.iterdir())) < 2 and time.monotonic() < deadline:
    time.sleep(0.005)
call_command("run_supervision_jobs", "--day", day)
"""


def _lapsed_certificates(day: dt.date) -> None:
    cb = certification_body()
    entities = CertifiedEntity.objects.bulk_create(
        CertifiedEntity(cb=cb, unique_id=f"E{n}", name=f"北京华建工程有限公司{n}", street="中关村大街1号", city="北京")
        for n in range(LAPSED)
    )
    IssuedCertificate.objects.bulk_create(
        IssuedCertificate(
            cb=cb,
            identity_number=f"ID-{n}",
            certificate_number=f"00125Q{n:05d}R0M",
            entity=entity,
            certification_type=CertificationType.MANAGEMENT_SYSTEM,
            standards=["ISO 9001:2015"],
            scope="建筑工程施工",
            status=CertificateStatus.ACTIVE,
            issue_date=day - dt.timedelta(days=3 * 365),
            expiry_date=day - dt.timedelta(days=1 + n % 30),
            is_accredited=True,
        )
        for n, entity in enumerate(entities)
    )


def _with_member(accreditation: Accreditation) -> Accreditation:
    CabMembershipFactory.create(cab=accreditation.cab, user=UserFactory.create())
    return accreditation


def test_two_processes_running_the_daily_jobs_at_once_do_each_jobs_work_exactly_once(
    accreditation: Accreditation, tmp_path: Path
) -> None:
    # Given a night's work: a surveillance falling due, a cycle that ended, one ending in 20 days, lapsed certificates.
    assert accreditation.granted_on is not None
    day = add_months(accreditation.granted_on, accreditation.programme.first_surveillance_months) - dt.timedelta(30)
    # Granted a month before: their next on-site assessment is the reassessment, which the planner leaves alone.
    granted = day - dt.timedelta(days=30)
    ended = _with_member(
        bare_accreditation(body("天津港检测有限公司"), "CL", granted_on=granted, cycle_end=day - dt.timedelta(days=1))
    )
    ending = _with_member(
        bare_accreditation(
            body("重庆山城检测有限公司"), "CL", granted_on=granted, cycle_end=day + dt.timedelta(days=20)
        )
    )
    _lapsed_certificates(day)

    # When two processes run every job for that day at the same moment.
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    logs = [tmp_path / "beat-1.log", tmp_path / "beat-2.log"]
    beats = [
        python("-c", BEAT_MAIN, str(barrier), str(n), day.isoformat(), env=process_env(), log=log)
        for n, log in enumerate(logs)
    ]
    try:
        exits = [beat.wait(timeout=300) for beat in beats]
    finally:
        for beat in beats:
            kill(beat)
    assert exits == [0, 0], "\n".join(log.read_text() for log in logs)

    # Then of each job's two runs, one did the work and the other was skipped or changed nothing.
    for job in registered_jobs():
        runs = sorted(JobRun.objects.filter(job=job, run_for=day), key=lambda run: -run.rows_changed)
        assert len(runs) == 2, job
        assert runs[0].status == JobRunStatus.SUCCEEDED, (job, runs[0].errors)
        assert (runs[1].status, runs[1].rows_changed) in {(JobRunStatus.SKIPPED, 0), (JobRunStatus.SUCCEEDED, 0)}, job
    sweep = JobRun.objects.filter(job=JobName.EXPIRY_SWEEP, run_for=day).order_by("-rows_changed").first()
    assert sweep is not None
    assert {
        part: sweep.summary[part] for part in ("accreditations_expired", "certificates_expired", "expiry_reminders")
    } == {
        "accreditations_expired": 1,
        "certificates_expired": LAPSED,
        "expiry_reminders": 1,
    }
    planner = JobRun.objects.filter(job=JobName.SURVEILLANCE_PLANNER, run_for=day).order_by("-rows_changed").first()
    assert planner is not None and planner.summary["surveillance_planned"] >= 1

    # And nothing exists twice: expiries, history rows, reminders, notifications, surveillance assessments.
    assert Accreditation.objects.get(pk=ended.pk).status == AccreditationStatus.EXPIRED
    assert AuditEvent.objects.filter(event_type="accreditation.expired").count() == 1
    assert CertificateStatusChange.objects.filter(status=CertificateStatus.EXPIRED).count() == LAPSED
    assert ReminderSent.objects.filter(key__startswith=f"accreditation:{ending.pk}:expiry:").count() == 1
    sent = Counter((n.recipient_id, n.kind, json.dumps(n.params, sort_keys=True)) for n in Notification.objects.all())
    assert sent and max(sent.values()) == 1
    surveillances = Application.objects.filter(type=ApplicationType.SURVEILLANCE)
    assert surveillances.count() == planner.summary["surveillance_planned"]
    assert not surveillances.values("accreditation").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert Assessment.objects.filter(application__in=surveillances).count() == surveillances.count()
    assert verify_chain().ok

    # And a third run that night finds nothing left to do.
    assert [run.rows_changed for run in run_jobs(day=day)] == [0] * len(registered_jobs())
