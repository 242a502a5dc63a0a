"""Issuing accreditation certificates: one per decision through the hook, by hand, numbering, superseding,
rendering (idempotent), failure and retry.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
and Chen member of ``cab``. Rendering is replaced by fixed bytes here (``fake_pdf``); the real
PDF has its own tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from accreditation.choices_applications import ApplicationType, ChangeKind
from accreditation.models import Accreditation, Cab
from accreditation.services.accreditations import accreditation_open
from accreditation.services.decisions import decision_record
from certification.choices import AccreditationCertificateStatus, IssueReason
from certification.models import AccreditationCertificate
from certification.services_certificates import (
    accreditation_certificate_issue_for_decision,
    accreditation_certificate_render,
    accreditation_certificate_retry,
)
from certification.tasks import render_accreditation_certificate
from core.errors import NotPermitted, StateConflict
from core.models import AuditEvent, User
from tests.accreditation.decisions_helpers import accepted_application, all_items, assessed
from tests.accreditation.factories import programme
from tests.accreditation.service_assertions import event_summary, new_events
from tests.certification.certificates_helpers import (  # noqa: F401 - fixtures
    FAKE_PDF,
    broken_pdf,
    certificates_env,
    extend_by_decision,
    fake_pdf,
    fresh,
    grant_by_decision,
    reissue,
    rendered_numbers,
    today,
)

pytestmark = pytest.mark.usefixtures("certificates_env", "fake_pdf")

_S = AccreditationCertificateStatus


def _rows(accreditation: Accreditation) -> list[tuple[str, str, str, str | None]]:
    return [
        (c.number, c.reason, c.status, c.superseded_by.number if c.superseded_by else None)
        for c in AccreditationCertificate.objects.filter(accreditation=accreditation).order_by("sequence")
    ]


@pytest.fixture
def granted(
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> Accreditation:
    """``cab`` granted by a decision: its first certificate is issued and rendered."""
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    return accreditation


@pytest.fixture
def failed_certificate(
    request: pytest.FixtureRequest,
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> AccreditationCertificate:
    """``cab`` granted by a decision whose certificate failed to render (the PDF renderer raises)."""
    request.getfixturevalue("broken_pdf")
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    return AccreditationCertificate.objects.get(accreditation=accreditation)


# --- The hook ---------------------------------------------------------------------------------


def test_a_granting_decision_issues_one_signed_certificate_rendered_after_commit(
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with new_events() as events:
        decision, accreditation = grant_by_decision(
            cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
        )

    certificate = fresh(AccreditationCertificate.objects.get())
    number = f"{accreditation.number}-01"
    assert (certificate.number, certificate.sequence, certificate.reason, certificate.decision_id) == (
        number,
        1,
        IssueReason.GRANT,
        decision.pk,
    )
    assert (certificate.issued_on, certificate.valid_until) == (today(), accreditation.cycle_end)
    assert certificate.scope_version == accreditation.current_scope
    assert certificate.status == _S.READY
    assert certificate.pdf.read() == FAKE_PDF
    assert rendered_numbers() == [number]
    assert certificate.signature != "" and len(certificate.key_id) == 16
    issued = [event_summary(e) for e in events if e.event_type.startswith("accreditation_certificate.")]
    assert issued == [
        {
            "event_type": "accreditation_certificate.issued",
            "actor": "dmitri",
            "aggregate": f"certification.accreditationcertificate:{certificate.pk}",
            "cab_id": cab.pk,
            "reason": f"Decision 1 on {decision.application.reference}",
            "old_values": {},
            "new_values": {
                "number": number,
                "reason": "grant",
                "decision": decision.pk,
                "scope_issue": 1,
                "valid_until": certificate.valid_until.isoformat(),
                "key_id": certificate.key_id,
            },
        },
        {
            "event_type": "accreditation_certificate.rendered",
            "actor": "system",
            "aggregate": f"certification.accreditationcertificate:{certificate.pk}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {"status": "pending"},
            "new_values": {"status": "ready", "content_hash": certificate.content_hash},
        },
    ]


def test_a_scope_extension_issues_the_next_number_and_supersedes_the_certificate_in_force(
    granted: Accreditation,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    decision = extend_by_decision(granted, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks)

    number = granted.number
    assert _rows(granted) == [
        (f"{number}-01", "grant", "superseded", f"{number}-02"),
        (f"{number}-02", "scope_change", "ready", None),
    ]
    second = AccreditationCertificate.objects.get(sequence=2)
    assert second.decision == decision
    assert second.scope_version is not None and second.scope_version.issue_number == 2
    superseded = AuditEvent.objects.get(event_type="accreditation_certificate.superseded")
    assert (superseded.old_values, superseded.new_values) == (
        {"status": "ready"},
        {"status": "superseded", "superseded_by": f"{number}-02"},
    )


def test_a_decision_that_grants_nothing_issues_no_certificate(
    granted: Accreditation,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.accreditation.decisions_helpers import METAL_ITEM

    application = accepted_application(
        granted.cab, granted.programme, cab_admin, ApplicationType.EXTENSION, accreditation=granted, add=[METAL_ITEM]
    )
    assessed(application, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(
            application=application,
            actor=decision_maker,
            reasons="不予认可",
            items=all_items(application, "refuse", "能力验证结果不满意"),
        )

    assert _rows(granted) == [(f"{granted.number}-01", "grant", "ready", None)]


def test_an_approved_change_of_name_issues_a_certificate_with_the_new_name(
    granted: Accreditation,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    new_name = {"name_zh": "北京精准检测认证有限公司", "name_en": "Beijing Precise Testing & Certification"}
    application = accepted_application(
        granted.cab,
        granted.programme,
        cab_admin,
        ApplicationType.CHANGE,
        accreditation=granted,
        change_kinds=[ChangeKind.NAME],
        proposed_changes={ChangeKind.NAME: new_name},
    )
    assessed(application, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(application=application, actor=decision_maker, reasons="同意更名", outcome="grant")

    certificate = AccreditationCertificate.objects.get(sequence=2)
    assert certificate.reason == IssueReason.REGISTER_CHANGE
    assert (certificate.payload["cab_name_zh"], certificate.payload["cab_name_en"]) == (
        new_name["name_zh"],
        new_name["name_en"],
    )


def test_the_hook_delivered_twice_for_one_decision_issues_one_certificate(granted: Accreditation) -> None:
    certificate = AccreditationCertificate.objects.get()
    assert certificate.decision is not None

    again = accreditation_certificate_issue_for_decision(
        decision_id=certificate.decision.pk, accreditation_id=granted.pk, application_type=ApplicationType.INITIAL
    )

    assert again == certificate
    assert AccreditationCertificate.objects.count() == 1


# --- Reissuing by hand --------------------------------------------------------------------------


def test_the_secretariat_reissues_a_certificate_with_the_next_number(
    granted: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    with new_events() as events:
        certificate = reissue(granted, secretariat, django_capture_on_commit_callbacks)

    number = granted.number
    assert _rows(granted) == [
        (f"{number}-01", "grant", "superseded", f"{number}-02"),
        (f"{number}-02", "reissue", "ready", None),
    ]
    assert certificate.decision is None
    assert rendered_numbers() == [f"{number}-01", f"{number}-02"]
    assert [(e.event_type, e.actor_label, e.reason) for e in events] == [
        ("accreditation_certificate.issued", "alice", "重新颁发"),
        ("accreditation_certificate.superseded", "alice", "重新颁发"),
        ("accreditation_certificate.rendered", "system", ""),
    ]


def test_numbers_follow_on_per_accreditation(
    granted: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(3):
        reissue(granted, secretariat, django_capture_on_commit_callbacks)

    number = granted.number
    assert [row[0] for row in _rows(granted)] == [f"{number}-0{n}" for n in range(1, 5)]
    assert [row[2] for row in _rows(granted)] == ["superseded", "superseded", "superseded", "ready"]
    assert [row[3] for row in _rows(granted)] == [f"{number}-02", f"{number}-03", f"{number}-04", None]


@pytest.mark.parametrize("persona", ["decision_maker", "cab_admin", "cab_user"])
def test_only_the_secretariat_reissues_by_hand(
    request: pytest.FixtureRequest, persona: str, granted: Accreditation, django_capture_on_commit_callbacks: Any
) -> None:
    user = request.getfixturevalue(persona)
    before = _rows(granted)

    with pytest.raises(NotPermitted) as refused:
        reissue(granted, user, django_capture_on_commit_callbacks)

    assert refused.value.code == "not_secretariat"
    assert _rows(granted) == before


def test_an_accreditation_not_granted_yet_has_no_certificate(
    cab: Cab, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    applicant = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)

    with pytest.raises(StateConflict) as refused:
        reissue(applicant, secretariat, django_capture_on_commit_callbacks)

    assert refused.value.code == "accreditation_not_certifiable"
    assert AccreditationCertificate.objects.count() == 0


# --- Rendering, failure and retry ---------------------------------------------------------------


def test_rendering_a_ready_certificate_again_does_nothing(granted: Accreditation) -> None:
    certificate = AccreditationCertificate.objects.get()
    before = (certificate.pdf.name, certificate.content_hash, certificate.rendered_at)

    render_accreditation_certificate.delay(certificate.pk)
    render_accreditation_certificate.delay(certificate.pk)

    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.content_hash, certificate.rendered_at) == before
    assert len(rendered_numbers()) == 1
    assert AuditEvent.objects.filter(event_type="accreditation_certificate.rendered").count() == 1


def test_a_certificate_rendered_after_a_newer_one_was_issued_is_superseded_at_once(
    granted: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    older = reissue(granted, secretariat, django_capture_on_commit_callbacks, execute=False)
    newer = reissue(granted, secretariat, django_capture_on_commit_callbacks, execute=False)

    accreditation_certificate_render(certificate_id=older.pk)
    accreditation_certificate_render(certificate_id=newer.pk)

    number = granted.number
    assert _rows(granted) == [
        (f"{number}-01", "grant", "superseded", f"{number}-02"),
        (f"{number}-02", "reissue", "superseded", f"{number}-03"),
        (f"{number}-03", "reissue", "ready", None),
    ]


def test_a_rendering_error_leaves_the_certificate_failed_with_the_reason(
    failed_certificate: AccreditationCertificate, secretariat: User, cab_admin: User
) -> None:

    certificate = failed_certificate
    assert (certificate.status, certificate.failure) == (_S.FAILED, "OSError: font cache is not writable")
    assert not certificate.pdf and certificate.content_hash == ""
    failed = AuditEvent.objects.get(event_type="accreditation_certificate.render_failed")
    assert (failed.old_values, failed.new_values, failed.reason) == (
        {"status": "pending"},
        {"status": "failed"},
        "OSError: font cache is not writable",
    )


def test_the_secretariat_retries_a_failed_certificate_and_it_renders(
    failed_certificate: AccreditationCertificate,
    secretariat: User,
    cab_admin: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    certificate = failed_certificate
    from certification import services_certificates

    monkeypatch.setattr(services_certificates, "certificate_pdf", lambda c: FAKE_PDF)

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_certificate_retry(certificate=certificate, actor=secretariat)

    certificate.refresh_from_db()
    assert (certificate.status, certificate.failure) == (_S.READY, "")
    assert certificate.pdf.read() == FAKE_PDF
    assert [
        e.event_type
        for e in AuditEvent.objects.filter(
            aggregate_type="certification.accreditationcertificate", aggregate_id=str(certificate.pk)
        ).order_by("id")
    ] == [
        "accreditation_certificate.issued",
        "accreditation_certificate.render_failed",
        "accreditation_certificate.retried",
        "accreditation_certificate.rendered",
    ]


def test_a_retry_puts_the_certificate_back_to_pending_until_the_task_runs(
    failed_certificate: AccreditationCertificate,
    secretariat: User,
    cab_admin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    certificate = failed_certificate

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        accreditation_certificate_retry(certificate=certificate, actor=secretariat)

    certificate.refresh_from_db()
    assert (certificate.status, certificate.failure, len(callbacks)) == (_S.PENDING, "", 1)


def test_a_ready_certificate_cannot_be_retried(granted: Accreditation, secretariat: User) -> None:
    certificate = AccreditationCertificate.objects.get()

    with pytest.raises(StateConflict) as refused:
        accreditation_certificate_retry(certificate=certificate, actor=secretariat)

    assert refused.value.code == "illegal_status_change"
    assert fresh(certificate).status == _S.READY


def test_only_the_secretariat_retries(
    failed_certificate: AccreditationCertificate, secretariat: User, cab_admin: User
) -> None:
    certificate = failed_certificate

    with pytest.raises(NotPermitted) as refused:
        accreditation_certificate_retry(certificate=certificate, actor=cab_admin)

    assert refused.value.code == "not_secretariat"
    assert fresh(certificate).status == _S.FAILED


def test_a_failed_certificate_replaced_by_a_newer_one_is_not_retried(
    failed_certificate: AccreditationCertificate,
    secretariat: User,
    cab_admin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    failed = failed_certificate
    accreditation = failed.accreditation
    reissue(accreditation, secretariat, django_capture_on_commit_callbacks)

    with pytest.raises(StateConflict) as refused:
        accreditation_certificate_retry(certificate=failed, actor=secretariat)

    assert refused.value.code == "certificate_replaced"
    assert refused.value.detail == {"newer": f"{accreditation.number}-02"}
    assert fresh(failed).status == _S.FAILED


def test_an_unknown_reason_is_refused(granted: Accreditation, secretariat: User) -> None:
    from certification.services_certificates import accreditation_certificate_issue
    from core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        accreditation_certificate_issue(accreditation=granted, reason="whim", actor=secretariat)

    assert (refused.value.code, refused.value.detail) == ("invalid_issue_reason", {"reason": "whim"})
    assert AccreditationCertificate.objects.count() == 1
