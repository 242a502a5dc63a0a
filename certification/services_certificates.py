"""Accreditation certificates: issue, render, retry (``pending → ready | failed``, ``ready → superseded``).

A decision that granted, changed or renewed an accreditation issues a new certificate through
the register's ``decision_recorded`` hook (``certification.apps``); the secretariat may also
reissue one by hand. Issuing numbers the certificate ``<accreditation number>-<sequence:02d>``,
signs its data (``signing``), supersedes the certificate in force, and enqueues the rendering
of its PDF after commit. Rendering (``certification.tasks``) builds the bilingual PDF with its
scope annex and a QR code to the public verification page; a failure leaves the certificate
``failed`` with the reason, for the secretariat to retry.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus, ScopeItemStatus
from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation, Decision, ScopeItem, ScopeVersion
from accreditation.scope_shapes import fields_of
from accreditation.services.guards import require_secretariat, require_transition
from certification.choices import ACCREDITATION_CERTIFICATE_TRANSITIONS, AccreditationCertificateStatus, IssueReason
from certification.models import AccreditationCertificate
from core import signing
from core.audit import audit_record
from core.errors import DomainError, StateConflict
from core.models import User

logger = logging.getLogger(__name__)

_S = AccreditationCertificateStatus

#: Why a decision issues a certificate, by the type of the application it decided.
REASON_BY_APPLICATION_TYPE: dict[str, str] = {
    ApplicationType.INITIAL: IssueReason.GRANT,
    ApplicationType.EXTENSION: IssueReason.SCOPE_CHANGE,
    ApplicationType.REDUCTION: IssueReason.SCOPE_CHANGE,
    ApplicationType.RENEWAL: IssueReason.RENEWAL,
    ApplicationType.CHANGE: IssueReason.REGISTER_CHANGE,
}
#: An accreditation in one of these statuses holds a certificate; an ended one gets no new issue.
CERTIFIABLE_STATUSES = frozenset(
    {AccreditationStatus.ACCREDITED, AccreditationStatus.PARTIALLY_SUSPENDED, AccreditationStatus.SUSPENDED}
)
#: Kept short in the database and on the page; the full traceback goes to the log.
FAILURE_MAX_LENGTH = 2000


# --- The signed data ----------------------------------------------------------------------------


def scope_items_of(version: ScopeVersion | None) -> list[ScopeItem]:
    if version is None:
        return []
    return list(version.items.order_by("position", "pk"))


def scope_digest(items: list[ScopeItem]) -> str:
    """SHA-256 of the canonical JSON of the scope items: key, status and fields, in order."""
    data = [{"key": str(item.key), "status": item.status, "attributes": item.attributes} for item in items]
    return signing.sha256_hex(signing.canonical_json(data))


def certificate_payload(
    *, number: str, accreditation: Accreditation, scope_version: ScopeVersion | None, issued_on: dt.date
) -> dict[str, object]:
    """The facts a certificate states, as they are signed; kept unchanged on the row once issued."""
    cab, programme = accreditation.cab, accreditation.programme
    assert accreditation.cycle_end is not None, "only a granted accreditation is certified"
    return {
        "certificate_number": number,
        "accreditation_number": accreditation.number,
        "cab_name_zh": cab.name_zh,
        "cab_name_en": cab.name_en,
        "cab_credit_code": cab.credit_code,
        "programme_code": programme.code,
        "programme_standard": programme.standard,
        "issued_on": issued_on.isoformat(),
        "valid_until": accreditation.cycle_end.isoformat(),
        "scope_issue_number": scope_version.issue_number if scope_version else None,
        "scope_sha256": scope_digest(scope_items_of(scope_version)),
        "accreditation_status": accreditation.status,
    }


# --- Issuing ------------------------------------------------------------------------------------


def _enqueue_render(certificate_id: int) -> None:
    from certification.tasks import render_accreditation_certificate

    transaction.on_commit(lambda: render_accreditation_certificate.delay(certificate_id))


def _supersede(old: AccreditationCertificate, new: AccreditationCertificate, actor: User | None, reason: str) -> None:
    require_transition(ACCREDITATION_CERTIFICATE_TRANSITIONS, old.status, _S.SUPERSEDED, _S)
    old.status = _S.SUPERSEDED
    old.superseded_by = new
    old.save(update_fields=["status", "superseded_by"])
    audit_record(
        instance=old,
        event_type="accreditation_certificate.superseded",
        actor=actor,
        reason=reason,
        old_values={"status": _S.READY},
        new_values={"status": old.status, "superseded_by": new.number},
        cab_id=new.accreditation.cab_id,
    )


@transaction.atomic
def accreditation_certificate_issue(
    *,
    accreditation: Accreditation,
    reason: str,
    decision: Decision | None = None,
    actor: User | None = None,
    note: str = "",
) -> AccreditationCertificate:
    """Issue the next certificate of ``accreditation``, signed, to be rendered after commit.

    With a ``decision`` the certificate is issued on the decision maker's authority (the hook);
    without one only the secretariat (or a scheduled job, ``actor=None``) issues it.
    """
    if decision is None:
        require_secretariat(actor)
    if reason not in IssueReason.values:
        raise DomainError(
            "invalid_issue_reason", _("Unknown reason for issuing a certificate."), detail={"reason": reason}
        )
    accreditation = (
        Accreditation.objects.select_for_update(of=("self",))
        .select_related("cab", "programme")
        .get(pk=accreditation.pk)
    )
    if accreditation.status not in CERTIFIABLE_STATUSES or not accreditation.number or not accreditation.cycle_end:
        raise StateConflict(
            "accreditation_not_certifiable",
            _(
                "Accreditation {accreditation} is {status}; only a granted, current accreditation has a certificate."
            ).format(accreditation=accreditation, status=accreditation.get_status_display()),
            detail={"status": accreditation.status},
        )
    previous = list(
        AccreditationCertificate.objects.select_for_update().filter(accreditation=accreditation, status=_S.READY)
    )
    last = AccreditationCertificate.objects.filter(accreditation=accreditation).order_by("-sequence").first()
    sequence = (last.sequence if last else 0) + 1
    number = f"{accreditation.number}-{sequence:02d}"
    scope_version = accreditation.current_scope
    issued_on = timezone.localdate()
    payload = certificate_payload(
        number=number, accreditation=accreditation, scope_version=scope_version, issued_on=issued_on
    )
    signature, key_id = signing.sign(payload)
    certificate = AccreditationCertificate.objects.create(
        accreditation=accreditation,
        number=number,
        sequence=sequence,
        reason=reason,
        decision=decision,
        scope_version=scope_version,
        issued_on=issued_on,
        valid_until=accreditation.cycle_end,
        status=_S.PENDING,
        payload=payload,
        signature=signature,
        key_id=key_id,
    )
    audit_reason = note or (
        str(
            _("Decision {sequence} on {reference}").format(
                sequence=decision.sequence, reference=decision.application.reference
            )
        )
        if decision is not None
        else ""
    )
    audit_record(
        instance=certificate,
        event_type="accreditation_certificate.issued",
        actor=actor,
        reason=audit_reason,
        new_values={
            "number": number,
            "reason": reason,
            "decision": decision.pk if decision else None,
            "scope_issue": payload["scope_issue_number"],
            "valid_until": accreditation.cycle_end,
            "key_id": key_id,
        },
        cab_id=accreditation.cab_id,
    )
    for old in previous:
        _supersede(old, certificate, actor, audit_reason)
    _enqueue_render(certificate.pk)
    return certificate


def accreditation_certificate_issue_for_decision(
    *, decision_id: int, accreditation_id: int, application_type: str
) -> AccreditationCertificate | None:
    """What the ``decision_recorded`` hook does: one certificate for the decision, or none.

    Runs after the decision committed, so a refusal cannot undo it: an accreditation that has no
    certificate to hold (a change decision on an ended accreditation) is logged and skipped.
    Idempotent: a decision that already issued its certificate issues no second one.
    """
    decision = Decision.objects.select_related("decided_by", "application").filter(pk=decision_id).first()
    accreditation = Accreditation.objects.filter(pk=accreditation_id).first()
    if decision is None or accreditation is None:
        return None
    existing = AccreditationCertificate.objects.filter(decision=decision, accreditation=accreditation).first()
    if existing is not None:
        return existing
    reason = REASON_BY_APPLICATION_TYPE.get(application_type, IssueReason.REISSUE)
    try:
        return accreditation_certificate_issue(
            accreditation=accreditation, reason=reason, decision=decision, actor=decision.decided_by
        )
    except StateConflict as refusal:
        logger.warning("No certificate issued for decision %s: %s", decision_id, refusal.message)
        return None
    except ImproperlyConfigured:
        # The decision is committed; a missing signing key must not turn its response into an
        # error. The deployment check warns of it, and the secretariat reissues once it is set.
        logger.exception("No certificate issued for decision %s: the signing key is not configured", decision_id)
        return None


# --- Rendering ----------------------------------------------------------------------------------


def verification_url(certificate: AccreditationCertificate) -> str:
    """The absolute address of the public verification page, which the QR code holds."""
    return settings.SITE_URL + reverse("certification:verify", kwargs={"number": certificate.number})


def _bilingual(label: object) -> tuple[str, str]:
    """``(Chinese, English)`` of a translatable label; equal while the catalogue lacks it."""
    with translation.override("zh-hans"):
        zh = str(label)
    with translation.override("en"):
        en = str(label)
    return zh, en


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def certificate_pdf(certificate: AccreditationCertificate) -> bytes:
    """The bilingual PDF of ``certificate``: the certificate page and its scope annex."""
    import segno
    from weasyprint import HTML

    accreditation = certificate.accreditation
    shape = accreditation.programme.scope_shape
    columns = [_bilingual(field.label) for field in fields_of(shape)]
    items = scope_items_of(certificate.scope_version)
    rows = [
        {
            "cells": [_cell(item.attributes.get(field.name)) for field in fields_of(shape)],
            "status": item.status,
            "status_label": " / ".join(dict.fromkeys(_bilingual(ScopeItemStatus(item.status).label))),
        }
        for item in items
    ]
    url = verification_url(certificate)
    context = {
        "certificate": certificate,
        "accreditation": accreditation,
        "cab": accreditation.cab,
        "programme": accreditation.programme,
        "payload": certificate.payload,
        "columns": columns,
        "rows": rows,
        "reason": _bilingual(IssueReason(certificate.reason).label),
        "verification_url": url,
        "qr_code": segno.make(url, error="m").svg_data_uri(scale=3),
    }
    # The document carries both languages at once; the Chinese text is part of the template.
    with translation.override("zh-hans"):
        html = render_to_string("certification/pdf/accreditation_certificate.html", context)
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


def _newer_than(certificate: AccreditationCertificate) -> AccreditationCertificate | None:
    return (
        AccreditationCertificate.objects.filter(
            accreditation_id=certificate.accreditation_id, sequence__gt=certificate.sequence
        )
        .order_by("sequence")
        .first()
    )


@transaction.atomic
def _mark_ready(certificate_id: int, pdf: bytes) -> AccreditationCertificate:
    # Lock order: the accreditation, then its certificates, as issuing does. Two certificates of
    # one accreditation finishing at once take their turns on the accreditation instead of each
    # holding one certificate row and wanting the other's (the older one is superseded by the newer
    # as it finishes). (``no_key``: foreign-key checks still pass.)
    accreditation_id = AccreditationCertificate.objects.values_list("accreditation_id", flat=True).get(
        pk=certificate_id
    )
    Accreditation.objects.select_for_update(no_key=True).only("pk").get(pk=accreditation_id)
    certificate = (
        AccreditationCertificate.objects.select_for_update(of=("self",))
        .select_related("accreditation")
        .get(pk=certificate_id)
    )
    if certificate.status != _S.PENDING:
        return certificate  # another worker got there first
    require_transition(ACCREDITATION_CERTIFICATE_TRANSITIONS, certificate.status, _S.READY, _S)
    content_hash = signing.sha256_hex(pdf)
    certificate.pdf.save(f"{certificate.pk}.pdf", ContentFile(pdf), save=False)
    certificate.content_hash = content_hash
    certificate.rendered_at = timezone.now()
    certificate.failure = ""
    certificate.status = _S.READY
    certificate.save(update_fields=["pdf", "content_hash", "rendered_at", "failure", "status"])
    audit_record(
        instance=certificate,
        event_type="accreditation_certificate.rendered",
        actor=None,
        old_values={"status": _S.PENDING},
        new_values={"status": certificate.status, "content_hash": content_hash},
        cab_id=certificate.accreditation.cab_id,
    )
    # A newer certificate issued while this one was still rendering replaces it at once.
    newer = _newer_than(certificate)
    if newer is not None:
        _supersede(certificate, newer, None, "")
    return certificate


@transaction.atomic
def _mark_failed(certificate_id: int, failure: str) -> AccreditationCertificate:
    certificate = (
        AccreditationCertificate.objects.select_for_update(of=("self",))
        .select_related("accreditation")
        .get(pk=certificate_id)
    )
    if certificate.status != _S.PENDING:
        return certificate
    require_transition(ACCREDITATION_CERTIFICATE_TRANSITIONS, certificate.status, _S.FAILED, _S)
    certificate.status = _S.FAILED
    certificate.failure = failure[:FAILURE_MAX_LENGTH]
    certificate.save(update_fields=["status", "failure"])
    audit_record(
        instance=certificate,
        event_type="accreditation_certificate.render_failed",
        actor=None,
        reason=certificate.failure,
        old_values={"status": _S.PENDING},
        new_values={"status": certificate.status},
        cab_id=certificate.accreditation.cab_id,
    )
    return certificate


def accreditation_certificate_render(*, certificate_id: int) -> AccreditationCertificate | None:
    """Render a pending certificate's PDF and store it (``ready``), or record why it failed.

    Does nothing to a certificate that is not pending (already rendered, or failed and not yet
    retried), so running it twice is safe. The PDF is built outside the row lock: it takes a
    second or more, and only the final write needs the lock.
    """
    certificate = (
        AccreditationCertificate.objects.select_related(
            "accreditation__cab", "accreditation__programme", "scope_version"
        )
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or certificate.status != _S.PENDING:
        return certificate
    try:
        pdf = certificate_pdf(certificate)
    except Exception as exc:  # any rendering error is recorded on the certificate
        logger.exception("Rendering accreditation certificate %s failed", certificate.number)
        return _mark_failed(certificate.pk, f"{type(exc).__name__}: {exc}")
    return _mark_ready(certificate.pk, pdf)


# --- Retrying -----------------------------------------------------------------------------------


@transaction.atomic
def accreditation_certificate_retry(*, certificate: AccreditationCertificate, actor: User) -> AccreditationCertificate:
    """Send a failed certificate back to be rendered again (secretariat)."""
    require_secretariat(actor)
    certificate = (
        AccreditationCertificate.objects.select_for_update(of=("self",))
        .select_related("accreditation")
        .get(pk=certificate.pk)
    )
    require_transition(ACCREDITATION_CERTIFICATE_TRANSITIONS, certificate.status, _S.PENDING, _S)
    newer = _newer_than(certificate)
    if newer is not None:
        raise StateConflict(
            "certificate_replaced",
            _("Certificate {number} was replaced by {newer}; render that one instead.").format(
                number=certificate.number, newer=newer.number
            ),
            detail={"newer": newer.number},
        )
    old_failure = certificate.failure
    certificate.status = _S.PENDING
    certificate.failure = ""
    certificate.save(update_fields=["status", "failure"])
    audit_record(
        instance=certificate,
        event_type="accreditation_certificate.retried",
        actor=actor,
        old_values={"status": _S.FAILED, "failure": old_failure},
        new_values={"status": certificate.status},
        cab_id=certificate.accreditation.cab_id,
    )
    _enqueue_render(certificate.pk)
    return certificate
