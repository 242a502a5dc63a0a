"""The complaint services: receipt through each channel, the secretariat's moves, refusals that change nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accreditation.models import Cab, Holiday
from core.audit import seal_pending_events, verify_chain
from core.audit_labels import known_event_types
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, Notification, User
from surveillance import services_complaints
from surveillance.choices import ComplaintChannel, ComplaintKind, ComplaintOutcome, ComplaintStatus
from surveillance.models import Complaint, ComplaintAttachment
from surveillance.services_complaints import (
    TRACKING_ALPHABET,
    complaint_acknowledge,
    complaint_resolve,
    complaint_start_investigation,
    complaint_submit,
    new_tracking_number,
)
from tests.surveillance.complaints_helpers import PDF, PNG, acknowledged, pdf, public_complaint

pytestmark = pytest.mark.django_db

TRACKING = re.compile(r"^TS-\d{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$")


def _snapshot(media: Path) -> dict[str, Any]:
    return {
        "complaints": list(Complaint.objects.order_by("pk").values()),
        "attachments": list(ComplaintAttachment.objects.order_by("pk").values()),
        "events": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "files": sorted(str(p) for p in media.rglob("*") if p.is_file()),
    }


@contextmanager
def unchanged(settings: Any) -> Iterator[None]:
    """Wrap a refused call: no complaint, file, event or notification was written or changed."""
    media = Path(settings.MEDIA_ROOT)
    before = _snapshot(media)
    yield
    assert _snapshot(media) == before


def _events(complaint: Complaint) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    return [
        (e.event_type, e.old_values, e.new_values)
        for e in AuditEvent.objects.filter(
            aggregate_type="surveillance.complaint", aggregate_id=str(complaint.pk)
        ).order_by("id")
    ]


# --- Receipt --------------------------------------------------------------------------------------


def test_a_public_complaint_gets_a_tracking_number_due_dates_and_an_event_without_personal_data(
    secretariat: User, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Holiday.objects.create(date=dt.date(2026, 10, 1), name="国庆节")
    thursday = timezone.make_aware(dt.datetime(2026, 9, 24, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: thursday)

    with django_capture_on_commit_callbacks(execute=True):
        complaint = public_complaint()

    assert TRACKING.match(complaint.tracking_number)
    assert complaint.tracking_number.startswith("TS-2026-")
    # Fri 25, Mon 28, Tue 29, Wed 30, (Thu 1 Oct is a holiday), Fri 2 Oct; 60 calendar days on.
    assert (complaint.status, complaint.channel, complaint.received_at) == ("received", "public", thursday)
    assert (complaint.acknowledge_due_on, complaint.resolution_due_on) == (dt.date(2026, 10, 2), dt.date(2026, 11, 23))
    assert complaint.submitted_by is None
    assert _events(complaint) == [
        (
            "complaint.received",
            {},
            {
                "tracking_number": complaint.tracking_number,
                "kind": "fake_certificate",
                "channel": "public",
                "status": "received",
                "certificate_number": "00124Q99999R0M",
                "cab": None,
                "attachments": 0,
            },
        )
    ]
    event = AuditEvent.objects.get(event_type="complaint.received")
    assert "王芳" not in str(event.new_values) and "wang.fang" not in str(event.new_values)
    assert event.actor_label == "public"
    # The secretariat is told in the portal; the complainant by e-mail, with the number.
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("alice", "complaint.received")]
    complainant_mail = [m for m in mail.outbox if m.to == ["wang.fang@example.cn"]]
    assert len(complainant_mail) == 1
    assert complaint.tracking_number in complainant_mail[0].subject
    assert f"/complaints/status/{complaint.tracking_number}/" in complainant_mail[0].body
    assert "供应商出示的证书" not in complainant_mail[0].body
    seal_pending_events()  # as after the commit (the test's transaction never commits)
    assert verify_chain().ok


def test_the_working_days_and_the_resolution_target_come_from_the_settings(settings: Any, monkeypatch: Any) -> None:
    settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS = 2
    settings.COMPLAINT_RESOLUTION_DAYS = 30
    friday = timezone.make_aware(dt.datetime(2026, 9, 25, 16, 0))
    monkeypatch.setattr(timezone, "now", lambda: friday)

    complaint = public_complaint()

    assert (complaint.acknowledge_due_on, complaint.resolution_due_on) == (dt.date(2026, 9, 29), dt.date(2026, 10, 25))


def test_tracking_numbers_use_the_unambiguous_alphabet_and_are_not_a_sequence() -> None:
    numbers = [new_tracking_number(dt.date(2026, 3, 1)) for _ in range(200)]

    assert all(TRACKING.match(n) and n.startswith("TS-2026-") for n in numbers)
    assert len(set(numbers)) == 200
    used = {symbol for n in numbers for symbol in n[8:]}
    assert used <= set(TRACKING_ALPHABET) and not used & set("01ILO")
    # 1,600 random symbols over 31 letters: each appears; a counter would use a handful.
    assert len(used) == len(TRACKING_ALPHABET)


def test_a_tracking_number_already_taken_is_drawn_again(monkeypatch: Any) -> None:
    first = public_complaint()
    drawn = iter([first.tracking_number, "TS-2026-ABCDEFGH"])
    monkeypatch.setattr(services_complaints, "new_tracking_number", lambda today=None: next(drawn))

    second = public_complaint()

    assert second.tracking_number == "TS-2026-ABCDEFGH"


def test_a_public_complaint_needs_an_e_mail_or_a_telephone_number(settings: Any) -> None:
    with unchanged(settings), pytest.raises(DomainError) as refused:
        public_complaint(complainant_email="", complainant_phone="")

    assert refused.value.code == "invalid"
    assert list(refused.value.detail) == ["complainant_email"]
    assert public_complaint(complainant_email="", complainant_phone="010-12345678").complainant_phone == "010-12345678"


def test_a_fake_certificate_report_needs_the_number_and_a_complaint_against_a_cab_names_it(settings: Any) -> None:
    with unchanged(settings), pytest.raises(DomainError) as no_number:
        public_complaint(certificate_number="  ")
    with unchanged(settings), pytest.raises(DomainError) as no_body:
        public_complaint(kind=ComplaintKind.AGAINST_CAB, certificate_number="")

    assert no_number.value.detail == {"certificate_number": ["Give the number of the certificate you believe is fake."]}
    assert no_body.value.detail == {"cab_name_given": ["Name the body the complaint is about."]}


def test_a_typed_name_that_is_exactly_one_cab_in_the_register_is_resolved(cab: Cab) -> None:
    complaint = public_complaint(kind=ComplaintKind.AGAINST_CAB, cab_name_given=" 北京精准检测技术有限公司 ")
    unknown = public_complaint(kind=ComplaintKind.FALSE_CLAIM, cab_name_given="某某检测公司")

    assert (complaint.cab, complaint.cab_name_given) == (cab, "北京精准检测技术有限公司")
    assert (unknown.cab, unknown.cab_name_given) == (None, "某某检测公司")


def test_a_complaint_against_the_accreditation_body_keeps_no_cab(cab: Cab) -> None:
    complaint = public_complaint(
        kind=ComplaintKind.AGAINST_ACCREDITATION_BODY, cab=cab, cab_name_given="x", certificate_number=""
    )

    assert (complaint.cab, complaint.cab_name_given) == (None, "")


def test_attachments_are_stored_under_generated_names_with_the_uploaded_name_as_label() -> None:
    complaint = public_complaint(attachments=[pdf("../../etc/证书 照片.pdf"), SimpleUploadedFile("photo.png", PNG)])

    stored = list(complaint.attachments.order_by("pk"))
    assert [(a.original_name, a.size) for a in stored] == [("证书 照片.pdf", len(PDF)), ("photo.png", len(PNG))]
    assert all(re.match(r"^complaints/[0-9a-f]{32}\.(pdf|png)$", a.file.name) for a in stored)
    assert _events(complaint)[0][2]["attachments"] == 2


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "file_type_not_allowed"),
        (SimpleUploadedFile("scan.pdf", PNG), "file_content_mismatch"),
        (SimpleUploadedFile("empty.pdf", b""), "empty_file"),
    ],
)
def test_a_refused_file_refuses_the_whole_complaint(settings: Any, upload: Any, code: str) -> None:
    with unchanged(settings), pytest.raises(DomainError) as refused:
        public_complaint(attachments=[pdf(), upload])

    assert refused.value.code == code
    assert str(refused.value.message).startswith(f"{upload.name}: ")


def test_more_than_five_files_are_refused(settings: Any) -> None:
    with unchanged(settings), pytest.raises(DomainError) as refused:
        public_complaint(attachments=[pdf(f"{n}.pdf") for n in range(6)])

    assert refused.value.code == "too_many_attachments"


def test_the_admit_hook_runs_after_validation_and_its_refusal_stores_nothing(settings: Any) -> None:
    calls: list[str] = []

    def refuse() -> None:
        calls.append("admit")
        raise DomainError("too_many_complaints", "slow down", http_status=429)

    with unchanged(settings), pytest.raises(DomainError):
        public_complaint(complainant_email="", complainant_phone="", admit=refuse)
    assert calls == []  # an invalid submission is not counted

    with unchanged(settings), pytest.raises(DomainError) as refused:
        public_complaint(attachments=[pdf()], admit=refuse)
    assert (calls, refused.value.http_status) == (["admit"], 429)


def test_a_cab_user_submits_with_their_account_and_others_may_not_use_that_channel(
    cab_user: User, assessor: User, settings: Any
) -> None:
    complaint = complaint_submit(
        channel=ComplaintChannel.CAB_USER,
        actor=cab_user,
        kind=ComplaintKind.AGAINST_ACCREDITATION_BODY,
        subject="评审安排",
        description="评审组长多次更改日期。",
    )
    with unchanged(settings), pytest.raises(NotPermitted) as refused:
        complaint_submit(
            channel=ComplaintChannel.CAB_USER,
            actor=assessor,
            kind=ComplaintKind.AGAINST_ACCREDITATION_BODY,
            subject="x",
            description="y",
        )

    assert (complaint.channel, complaint.submitted_by) == ("cab_user", cab_user)
    assert refused.value.code == "not_cab_user"


def test_the_secretariat_records_a_letter_from_its_day_of_receipt_without_a_contact(
    secretariat: User, cab_user: User, cab: Cab, settings: Any
) -> None:
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday() + 7)

    complaint = complaint_submit(
        channel=ComplaintChannel.STAFF,
        actor=secretariat,
        kind=ComplaintKind.AGAINST_CAB,
        cab=cab,
        subject="匿名来信",
        description="来信称该机构出具虚假报告。",
        received_on=monday,
    )
    with unchanged(settings), pytest.raises(NotPermitted):
        complaint_submit(
            channel=ComplaintChannel.STAFF,
            actor=cab_user,
            kind=ComplaintKind.AGAINST_CAB,
            cab=cab,
            subject="x",
            description="y",
        )
    with unchanged(settings), pytest.raises(DomainError) as future:
        complaint_submit(
            channel=ComplaintChannel.STAFF,
            actor=secretariat,
            kind=ComplaintKind.AGAINST_CAB,
            cab=cab,
            subject="x",
            description="y",
            received_on=timezone.localdate() + dt.timedelta(days=1),
        )

    assert (complaint.channel, complaint.cab, complaint.submitted_by) == ("staff", cab, secretariat)
    assert timezone.localdate(complaint.received_at) == monday
    assert complaint.acknowledge_due_on == monday + dt.timedelta(days=7)  # five weekdays: the next Monday
    assert complaint.is_acknowledgement_overdue is (timezone.localdate() > monday + dt.timedelta(days=7))
    assert AuditEvent.objects.get(event_type="complaint.received").cab_id == cab.pk
    assert future.value.detail == {"received_on": ["The day of receipt cannot be in the future."]}


def test_a_field_longer_than_its_column_is_refused(settings: Any) -> None:
    with unchanged(settings), pytest.raises(DomainError) as refused:
        public_complaint(subject="长" * 201)

    assert refused.value.code == "invalid"
    assert "subject" in refused.value.detail


# --- The secretariat's moves --------------------------------------------------------------------------


def test_acknowledging_takes_the_complaint_on_and_e_mails_the_complainant(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = public_complaint()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = complaint_acknowledge(complaint=complaint, actor=secretariat, note="已转监督处")

    assert (done.status, done.handler, done.acknowledged_at is not None) == ("acknowledged", secretariat, True)
    assert _events(done)[-1] == (
        "complaint.acknowledged",
        {"status": "received"},
        {"status": "acknowledged", "handler": secretariat.pk},
    )
    assert AuditEvent.objects.order_by("-id").first().reason == "已转监督处"  # type: ignore[union-attr]
    assert [m.to for m in mail.outbox] == [["wang.fang@example.cn"]]
    assert complaint.tracking_number in mail.outbox[0].subject


def test_the_whole_way_to_resolution_tells_the_complainant_the_outcome(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    complaint = acknowledged(secretariat)
    investigating = complaint_start_investigation(complaint=complaint, actor=secretariat)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        resolved = complaint_resolve(
            complaint=investigating,
            actor=secretariat,
            outcome=ComplaintOutcome.WARNING,
            outcome_summary="认证机构已被告诫。",
        )

    assert (resolved.status, resolved.outcome, resolved.outcome_summary) == (
        "resolved",
        "warning",
        "认证机构已被告诫。",
    )
    assert [e[0] for e in _events(resolved)] == [
        "complaint.received",
        "complaint.acknowledged",
        "complaint.investigation_started",
        "complaint.resolved",
    ]
    assert _events(resolved)[-1][1:] == (
        {"status": "investigating", "outcome": ""},
        {"status": "resolved", "outcome": "warning"},
    )
    assert len(mail.outbox) == 1 and "认证机构已被告诫。" in mail.outbox[0].body


def test_an_acknowledged_complaint_may_be_resolved_without_an_investigation(secretariat: User) -> None:
    resolved = complaint_resolve(
        complaint=acknowledged(secretariat),
        actor=secretariat,
        outcome=ComplaintOutcome.NOT_SUPPORTED,
        outcome_summary="经核实，投诉不成立。",
    )

    assert resolved.status == ComplaintStatus.RESOLVED


def test_no_e_mail_goes_to_a_complainant_who_gave_none(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint = public_complaint(complainant_email="")
        complaint_acknowledge(complaint=complaint, actor=secretariat)

    assert [m.to for m in mail.outbox if m.to != [secretariat.email]] == []


@pytest.mark.parametrize(
    ("move", "code"),
    [
        (lambda c, u: complaint_start_investigation(complaint=c, actor=u), "illegal_status_change"),
        (
            lambda c, u: complaint_resolve(complaint=c, actor=u, outcome="warning", outcome_summary="x"),
            "illegal_status_change",
        ),
    ],
)
def test_a_received_complaint_must_be_acknowledged_first(
    secretariat: User, settings: Any, move: Any, code: str
) -> None:
    complaint = public_complaint()

    with unchanged(settings), pytest.raises(StateConflict) as refused:
        move(complaint, secretariat)

    assert refused.value.code == code


def test_the_same_move_twice_says_it_is_already_done(secretariat: User, settings: Any) -> None:
    complaint = acknowledged(secretariat)
    stale = Complaint.objects.get(pk=complaint.pk)

    with unchanged(settings), pytest.raises(StateConflict) as twice:
        complaint_acknowledge(complaint=stale, actor=secretariat)
    resolved = complaint_resolve(complaint=complaint, actor=secretariat, outcome="warning", outcome_summary="告诫")
    with unchanged(settings), pytest.raises(StateConflict) as again:
        complaint_resolve(complaint=resolved, actor=secretariat, outcome="suspension", outcome_summary="暂停")
    with unchanged(settings), pytest.raises(StateConflict) as late:
        complaint_start_investigation(complaint=resolved, actor=secretariat)

    assert (twice.value.code, str(twice.value.message)) == (
        "already_acknowledged",
        "This complaint is already acknowledged.",
    )
    assert again.value.code == "already_resolved"
    assert late.value.code == "illegal_status_change"


def test_only_the_secretariat_handles_complaints(
    decision_maker: User, cab_admin: User, secretariat: User, settings: Any
) -> None:
    complaint = public_complaint()

    for outsider in (decision_maker, cab_admin):
        with unchanged(settings), pytest.raises(NotPermitted) as refused:
            complaint_acknowledge(complaint=complaint, actor=outsider)
        assert refused.value.code == "not_secretariat"
    taken_on = acknowledged(secretariat)
    with unchanged(settings), pytest.raises(NotPermitted):
        complaint_resolve(complaint=taken_on, actor=decision_maker, outcome="warning", outcome_summary="x")


def test_resolving_needs_a_known_outcome_and_a_summary(secretariat: User, settings: Any) -> None:
    complaint = acknowledged(secretariat)

    with unchanged(settings), pytest.raises(DomainError) as refused:
        complaint_resolve(complaint=complaint, actor=secretariat, outcome="sanction", outcome_summary="  ")

    assert refused.value.code == "invalid"
    assert sorted(refused.value.detail) == ["outcome", "outcome_summary"]


def test_every_event_type_the_complaint_services_write_has_a_label() -> None:
    written = {
        "complaint.received",
        "complaint.acknowledged",
        "complaint.investigation_started",
        "complaint.resolved",
        "complaint.special_assessment_opened",
    }
    source = Path(services_complaints.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'"(complaint\.[a-z_]+)"', source)) == written
    assert written <= known_event_types()
