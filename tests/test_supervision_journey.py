"""Supervision from the demo data, with the clock moved forward: the issue's "done when", as its users see it.

The demo register (``seed_demo``, ``seed_demo_assessors``, ``seed_demo_certificates``,
``seed_demo_supervision``) is seeded once for the module; each test works in its own savepoint
on top of it. The daily jobs run through ``manage.py run_supervision_jobs --day``, on days
computed from the demo data (never hard-coded: the demo data is dated from today). The planner
opens the surveillance assessments falling due, once; the expiry sweep expires the CB's lapsed
certificates and reminds a CAB 180, 90 and 30 days before its cycle ends; a suspension past its
maximum becomes a withdrawal proposal; a public complaint leads to a suspension that is on the
notice feeds and makes a certificate the CB issues afterwards "not accredited"; a double-random
draw is reproduced from its recorded seed and published.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation, Application, Cab
from assessors.choices import AssessmentKind
from assessors.models_teams import Assessment
from certification.choices import CertificateStatus, NotAccreditedReason
from certification.demo import scope_pairs
from certification.models import CertificateStatusChange, IssuedCertificate
from core.api.throttling import PortalScopedRateThrottle
from core.audit import seal_pending_events, verify_chain
from core.models import Notification, User
from surveillance import abuse
from surveillance.choices import JobName, JobRunStatus, SanctionKind
from surveillance.cycle import DueRule
from surveillance.jobs_expiry import REMINDER_DAYS
from surveillance.models import Complaint, JobRun, ReminderSent, Sanction, SanctionReason, WithdrawalProposal
from surveillance.selectors_cycle import PLANNED_STATUSES, due_facts
from surveillance.services_draws import draw_publish, draw_reproduce, draw_run
from surveillance.services_sanctions import sanction_decide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

DEMO = {"DEBUG": True, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
ATOM = "{http://www.w3.org/2005/Atom}"
BATCH = "/api/issued-certificates/batch/"
PUBLIC_COMPLAINTS = "/api/public/complaints/"
REASON = "data_altered_or_untraceable"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The demo register, seeded once; rolled back after the module."""
    media: Path = tmp_path_factory.mktemp("supervision-demo-media")
    with django_db_blocker.unblock(), override_settings(**DEMO, MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            for command in (
                "seed_demo",
                "seed_demo_assessors",
                "seed_demo_certificates",
                "seed_demo_supervision",
            ):
                call_command(command, stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def fresh_rate_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """No public submission or request counted by the tests run before (the shared cache would carry them)."""
    monkeypatch.setattr(abuse, "cache", LocMemCache(f"journey-complaints-{uuid.uuid4()}", {}))
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"journey-throttle-{uuid.uuid4()}", {}))


def login(username: str) -> User:
    return User.objects.get(username=username)


def jobs(job: str, day: dt.date) -> str:
    """``manage.py run_supervision_jobs --job JOB --day DAY``; its output (it raises when the job failed)."""
    out = StringIO()
    call_command("run_supervision_jobs", "--job", job, "--day", day.isoformat(), stdout=out, no_color=True)
    return out.getvalue()


def last_run(job: str) -> JobRun:
    run = JobRun.objects.filter(job=job).latest("pk")
    assert run.status == JobRunStatus.SUCCEEDED, run.errors
    return run


def ok(response: Any) -> Any:
    """A page move succeeded: it redirected (a form shown again means it was refused)."""
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def certification_body() -> Cab:
    return Cab.objects.get(memberships__user__username="cb-admin", memberships__is_admin=True)


def management_accreditation(cb: Cab) -> Accreditation:
    return Accreditation.objects.get(cab=cb, programme__code="MS", status=AccreditationStatus.ACCREDITED)


def inbox(client: Any) -> str:
    return str(client.get(reverse("inbox")).content.decode())


# --- the surveillance planner ----------------------------------------------------------------------------------


def test_the_demo_cycle_shows_a_few_bodies_overdue_some_due_soon_and_most_due_later(client_for: Any) -> None:
    today = timezone.localdate()
    lead = dt.timedelta(days=settings.SURVEILLANCE_LEAD_DAYS)
    dues = [fact.due.due_on for fact in due_facts()]  # every held accreditation, as the cycle page lists them
    overdue = sum(due < today for due in dues)
    soon = sum(today <= due <= today + lead for due in dues)
    assert 0 < overdue < soon < len(dues) - overdue - soon, (overdue, soon, len(dues))

    page = client_for(login("secretariat")).get(reverse("surveillance:cycle"), {"due_status": "overdue"})
    assert page.content.decode().count('class="tag tag-overdue"') == overdue


def test_the_planner_opens_the_surveillance_falling_due_once(client_for: Any) -> None:
    today = timezone.localdate()
    due = sorted(
        (fact.due.due_on, fact.accreditation_id)
        for fact in due_facts(statuses=PLANNED_STATUSES)
        if not fact.covered and fact.due.rule != DueRule.REASSESSMENT
    )
    lead = dt.timedelta(days=settings.SURVEILLANCE_LEAD_DAYS)
    assert due, "the demo register has no surveillance falling due"
    # The last surveillance to fall due: the planner opens it on the day its due date comes within
    # the lead time, not the day before (when it opens those due earlier).
    due_on, accreditation_id = due[-1]
    day = due_on - lead
    earlier = [pk for on, pk in due if on < due_on]
    last = len(due) - len(earlier)

    jobs(JobName.SURVEILLANCE_PLANNER, day - dt.timedelta(days=1))

    assert last_run(JobName.SURVEILLANCE_PLANNER).rows_changed == len(earlier)
    opened = Application.objects.filter(type=ApplicationType.SURVEILLANCE)
    assert sorted(opened.values_list("accreditation_id", flat=True)) == sorted(earlier)

    first = jobs(JobName.SURVEILLANCE_PLANNER, day)

    run = last_run(JobName.SURVEILLANCE_PLANNER)
    assert run.run_for == day and run.rows_changed == last, first
    application = opened.get(accreditation_id=accreditation_id)
    assessment = Assessment.objects.get(application=application)
    assert assessment.kind == AssessmentKind.ON_SITE
    assert day < assessment.planned_start <= assessment.planned_end < due_on

    # The secretariat hears of the run and finds the planned assessment on the cycle page.
    office = client_for(login("secretariat"))
    assert f"Surveillance planner: {last} assessment(s) planned" in inbox(office)
    accreditation = Accreditation.objects.get(pk=accreditation_id)
    cycle = office.get(reverse("surveillance:cycle"), {"days": max(0, (due_on - today).days)}).content.decode()
    assert str(accreditation.number) in cycle
    assert reverse("assessors:assessment_detail", args=[assessment.pk]) in cycle

    # A second run on the same day plans nothing more.
    again = jobs(JobName.SURVEILLANCE_PLANNER, day)
    assert last_run(JobName.SURVEILLANCE_PLANNER).rows_changed == 0, again
    assert opened.count() == len(due)
    seal_pending_events()  # as after the commits (the test's transaction never commits)
    assert verify_chain().ok


# --- the expiry sweep ----------------------------------------------------------------------------------------


def test_the_expiry_sweep_expires_the_lapsed_certificates_with_their_history(client_for: Any) -> None:
    cb = certification_body()
    live = IssuedCertificate.objects.filter(cb=cb, status__in=[CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED])
    first_expiry = min(live.values_list("expiry_date", flat=True))
    day = first_expiry + dt.timedelta(days=1)
    assert day > timezone.localdate()
    lapsing = dict(live.filter(expiry_date__lt=day).values_list("pk", "expiry_date"))
    staying = set(live.filter(expiry_date__gte=day).values_list("pk", flat=True))
    assert lapsing and staying

    jobs(JobName.EXPIRY_SWEEP, day)

    assert last_run(JobName.EXPIRY_SWEEP).summary.get("certificates_expired") == len(lapsing)
    assert set(IssuedCertificate.objects.filter(pk__in=lapsing).values_list("status", flat=True)) == {"expired"}
    assert set(IssuedCertificate.objects.filter(pk__in=staying).values_list("status", flat=True)) <= {
        CertificateStatus.ACTIVE,
        CertificateStatus.SUSPENDED,
    }
    history = CertificateStatusChange.objects.filter(certificate_id__in=lapsing, status=CertificateStatus.EXPIRED)
    assert {(c.certificate_id, c.effective_on) for c in history} == {
        (pk, expiry + dt.timedelta(days=1)) for pk, expiry in lapsing.items()
    }
    # The public sees it expired.
    pk = next(iter(lapsing))
    page = client_for(None).get(reverse("certification:lookup_certificate", args=[pk])).content.decode()
    assert "Expired" in page

    # A second sweep that day changes nothing.
    jobs(JobName.EXPIRY_SWEEP, day)
    assert last_run(JobName.EXPIRY_SWEEP).rows_changed == 0


def test_the_expiry_sweep_reminds_the_cab_at_180_90_and_30_days(client_for: Any) -> None:
    today = timezone.localdate()
    cab = Cab.objects.get(memberships__user__username="lab-admin", memberships__is_admin=True)
    accreditation = (
        Accreditation.objects.filter(
            cab=cab,
            status=AccreditationStatus.ACCREDITED,
            cycle_end__gt=today + dt.timedelta(days=max(REMINDER_DAYS)),
        )
        .order_by("cycle_end", "pk")
        .first()
    )
    assert accreditation is not None and accreditation.cycle_end is not None
    cab_admin = login("lab-admin")
    lab = client_for(cab_admin)

    for days in REMINDER_DAYS:
        day = accreditation.cycle_end - dt.timedelta(days=days)
        jobs(JobName.EXPIRY_SWEEP, day)

        key = f"accreditation:{accreditation.pk}:expiry:{accreditation.cycle_end}:{days}"
        assert ReminderSent.objects.filter(key=key).count() == 1
        reminders = Notification.objects.filter(recipient=cab_admin, kind="accreditation.expiry_reminder")
        assert reminders.count() == REMINDER_DAYS.index(days) + 1
        assert reminders.latest("pk").params["days"] == days
        assert str(accreditation.number) in inbox(lab)

        # Run again the same day: the reminder is not sent twice.
        jobs(JobName.EXPIRY_SWEEP, day)
        assert ReminderSent.objects.filter(key=key).count() == 1
        assert reminders.count() == REMINDER_DAYS.index(days) + 1


# --- the suspension watchdog -----------------------------------------------------------------------------------


def test_a_suspension_past_its_maximum_becomes_one_withdrawal_proposal(client_for: Any) -> None:
    secretariat = login("secretariat")
    accreditation = management_accreditation(certification_body())
    sanction = sanction_decide(
        accreditation=accreditation,
        kind=SanctionKind.SUSPENSION,
        reason=SanctionReason.objects.get(code=REASON),
        details="监督抽查发现审核记录不可追溯。",
        actor=secretariat,
    )
    assert sanction.suspended_until is not None
    heard_before = Notification.objects.filter(recipient=secretariat, kind="withdrawal_proposal.opened").count()

    jobs(JobName.SUSPENSION_WATCHDOG, sanction.suspended_until)  # the last day of the suspension: not yet
    assert not WithdrawalProposal.objects.filter(sanction=sanction).exists()

    day = sanction.suspended_until + dt.timedelta(days=1)
    jobs(JobName.SUSPENSION_WATCHDOG, day)
    jobs(JobName.SUSPENSION_WATCHDOG, day)  # a second run opens no second proposal

    proposal = WithdrawalProposal.objects.get(sanction=sanction)
    assert proposal.proposed_on == day and proposal.status == "open"
    heard = Notification.objects.filter(recipient=secretariat, kind="withdrawal_proposal.opened").count()
    assert heard == heard_before + 1
    page = client_for(secretariat).get(reverse("surveillance:withdrawal_proposal_list")).content.decode()
    assert str(accreditation.number) in page


# --- a public complaint leads to a suspension ------------------------------------------------------------------


def test_a_public_complaint_leads_to_a_suspension_on_the_feeds_and_the_certificates(
    client_for: Any, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    cb = certification_body()
    accreditation = management_accreditation(cb)
    accredited_before = set(IssuedCertificate.objects.filter(cb=cb, is_accredited=True).values_list("pk", flat=True))
    assert accredited_before

    # Anyone complains about the certification body through the public API.
    response = api_for(None).post(
        PUBLIC_COMPLAINTS,
        {
            "kind": "against_cab",
            "cab": cb.pk,
            "subject": "审核未到现场",
            "description": "该机构的审核员未到我公司现场即出具了认证证书。",
            "complainant_email": "li.lei@example.cn",
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    tracking = response.json()["tracking_number"]
    complaint = Complaint.objects.get(tracking_number=tracking)
    assert complaint.cab_id == cb.pk

    # The secretariat acknowledges it, investigates, and decides a suspension on the pages.
    secretariat = login("secretariat")
    office = client_for(secretariat)
    assert tracking in office.get(reverse("surveillance:complaint_list")).content.decode()
    ok(office.post(reverse("surveillance:complaint_acknowledge", args=[complaint.pk]), {"note": "已受理。"}))
    ok(office.post(reverse("surveillance:complaint_investigate", args=[complaint.pk]), {"note": "安排专项核查。"}))
    reason = SanctionReason.objects.get(code=REASON)
    form = office.get(reverse("surveillance:sanction_decide", args=[accreditation.pk])).content.decode()
    assert f'value="{reason.pk}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        ok(
            office.post(
                reverse("surveillance:sanction_decide", args=[accreditation.pk]),
                {
                    "kind": "suspension",
                    "reason": reason.pk,
                    "details": "核查确认审核记录不可追溯。",
                    "complaint": tracking,
                },
            )
        )
    sanction = Sanction.objects.get(accreditation=accreditation)
    assert (sanction.kind, sanction.complaint_id, sanction.effective_on) == ("suspension", complaint.pk, today)
    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.SUSPENDED

    # The public notice feeds carry it.
    atom = ET.fromstring(client_for(None).get(reverse("surveillance:notice_feed_atom")).content)  # noqa: S314
    titles = [entry.findtext(f"{ATOM}title") or "" for entry in atom.iter(f"{ATOM}entry")]
    assert any(str(accreditation.number) in title or cb.name_zh in title for title in titles), titles
    feed = json.loads(client_for(None).get(reverse("surveillance:notice_feed_json")).content)
    assert any(str(accreditation.number) in json.dumps(item, ensure_ascii=False) for item in feed["items"]), feed[
        "items"
    ][:3]

    # What the CB issued before the suspension stays accredited ...
    still = IssuedCertificate.objects.filter(pk__in=accredited_before, is_accredited=True)
    assert still.count() == len(accredited_before)

    # ... and a certificate it issues today, during the suspension, is stored "not accredited".
    model = IssuedCertificate.objects.filter(pk__in=accredited_before).select_related("entity").first()
    assert model is not None
    standard, sectors = scope_pairs(accreditation)[0]
    row = {
        "certification_identity_number": "DEMO-SUSPENDED-1",
        "certificate_number": f"09999Q{today:%y}R0M",
        "certification_status": "active",
        "certification_type": "management system",
        "standards": standard,
        "technical_sectors": sectors[0],
        "certification_scope": model.scope,
        "original_issue_date": "",
        "issue_date": today.isoformat(),
        "expiry_date": (today + dt.timedelta(days=3 * 365 - 1)).isoformat(),
        "certified_entity_unique_id": model.entity.unique_id,
        "certified_entity_name": model.entity.name,
        "certified_entity_english_name": "",
        "certified_entity_trading_name": "",
        "certified_entity_credit_code": model.entity.credit_code,
        "street": model.entity.street,
        "city": model.entity.city,
        "province": "",
        "postcode": "",
        "country": "CN",
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = api_for(login("cb-admin")).post(BATCH, {"cb": cb.pk, "certificates": [row]}, format="json")
    assert answer.status_code == 200, answer.content.decode()
    assert answer.json()["applied"] == 1, answer.json()
    issued = IssuedCertificate.objects.get(cb=cb, identity_number="DEMO-SUSPENDED-1")
    assert (issued.is_accredited, issued.not_accredited_reason) == (False, NotAccreditedReason.DURING_SUSPENSION)
    page = client_for(None).get(reverse("certification:lookup_certificate", args=[issued.pk])).content.decode()
    assert "Issued during suspension" in page
    seal_pending_events()  # as after the commits (the test's transaction never commits)
    assert verify_chain().ok


# --- the double-random draw ------------------------------------------------------------------------------------


def test_a_double_random_draw_is_reproduced_from_its_seed_and_published(client_for: Any) -> None:
    secretariat = login("secretariat")

    draw = draw_run(actor=secretariat, body_count=3, random_share=50, seed=20_261_121)

    assert draw.result and len(draw.result) <= 3
    assert draw_reproduce(draw) == draw.result
    again = draw_run(actor=secretariat, body_count=3, random_share=50, seed=20_261_121)
    assert again.result == draw.result
    public = client_for(None)
    assert draw.reference not in public.get(reverse("surveillance:draw_public_list")).content.decode()

    draw_publish(draw=draw, actor=secretariat)

    listing = public.get(reverse("surveillance:draw_public_list")).content.decode()
    assert draw.reference in listing and again.reference not in listing
    detail = public.get(reverse("surveillance:draw_public_detail", args=[draw.pk])).content.decode()
    assert str(draw.seed) in detail
