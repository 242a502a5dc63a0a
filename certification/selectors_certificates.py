"""Queries of accreditation certificates. ``accreditation_certificate_qs_for`` decides who may list them.

- Staff (the secretariat and decision makers) read every certificate.
- A CAB's members read their CAB's certificates.
- Everybody else reads none through the staff pages and API.

The public verifies one certificate at a time by its number (``public_certificate``): a
certificate is a public document, and the verification answers only what it states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accreditation.choices import LIVE_ACCREDITATION_STATUSES, AccreditationStatus
from accreditation.models import Accreditation
from accreditation.selectors import AnyUser, user_cabs
from certification.choices import AccreditationCertificateStatus
from certification.models import AccreditationCertificate
from core import signing
from core.roles import is_staff_reader

_S = AccreditationCertificateStatus


def accreditation_certificate_qs_for(user: AnyUser) -> QuerySet[AccreditationCertificate]:
    certificates = AccreditationCertificate.objects.select_related(
        "accreditation__cab", "accreditation__programme", "scope_version", "superseded_by", "decision__application"
    )
    if not user.is_authenticated:
        return certificates.none()
    if is_staff_reader(user):
        return certificates
    return certificates.filter(accreditation__cab__in=user_cabs(user))


def certified_accreditation_qs_for(user: AnyUser) -> QuerySet[Accreditation]:
    """Accreditations whose certificates the user may list (the same people as above)."""
    accreditations = Accreditation.objects.select_related("cab", "programme")
    if not user.is_authenticated:
        return accreditations.none()
    if is_staff_reader(user):
        return accreditations
    return accreditations.filter(cab__in=user_cabs(user))


def certificates_of(accreditation: Accreditation, user: AnyUser) -> QuerySet[AccreditationCertificate]:
    """One accreditation's certificates the user may read, newest first."""
    return accreditation_certificate_qs_for(user).filter(accreditation=accreditation).order_by("-sequence")


def current_certificate(accreditation: Accreditation | int) -> AccreditationCertificate | None:
    """The accreditation's latest certificate: the one in force, or the one being prepared to be."""
    accreditation_id = accreditation if isinstance(accreditation, int) else accreditation.pk
    return (
        AccreditationCertificate.objects.filter(accreditation_id=accreditation_id)
        .exclude(status=_S.SUPERSEDED)
        .order_by("-sequence")
        .first()
    )


def public_certificate(number: str) -> AccreditationCertificate | None:
    return (
        AccreditationCertificate.objects.select_related(
            "accreditation__cab", "accreditation__programme", "scope_version", "superseded_by"
        )
        .filter(number=number.strip())
        .first()
    )


class Standing:
    """What a certificate is worth today, as the verification page and API say it."""

    VALID = "valid"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    NOT_IN_FORCE = "accreditation_not_in_force"
    SUSPENDED = "accreditation_suspended"
    PENDING = "pending"

    LABELS: dict[str, Promise] = {
        VALID: _("Valid"),
        SUPERSEDED: _("Superseded by a newer certificate"),
        EXPIRED: _("Expired"),
        NOT_IN_FORCE: _("The accreditation is no longer in force"),
        SUSPENDED: _("The accreditation is suspended"),
        PENDING: _("Being prepared"),
    }


@dataclass(frozen=True)
class Verification:
    """The answer to "is this certificate genuine and in force?"."""

    certificate: AccreditationCertificate
    signature_valid: bool
    key_id: str
    standing: str
    current: AccreditationCertificate | None
    accreditation_status: str

    @property
    def standing_label(self) -> str:
        return str(Standing.LABELS[self.standing])

    @property
    def downloadable(self) -> bool:
        return has_pdf(self.certificate)


def has_pdf(certificate: AccreditationCertificate) -> bool:
    return bool(certificate.pdf) and certificate.status in (_S.READY, _S.SUPERSEDED)


def _standing(certificate: AccreditationCertificate, today: dt.date) -> str:
    if certificate.status == _S.SUPERSEDED:
        return Standing.SUPERSEDED
    if certificate.status in (_S.PENDING, _S.FAILED):
        return Standing.PENDING
    if certificate.accreditation.status not in LIVE_ACCREDITATION_STATUSES:
        return Standing.NOT_IN_FORCE
    # A suspended body may not claim its accreditation: the certificate does not attest it meanwhile.
    if certificate.accreditation.status == AccreditationStatus.SUSPENDED:
        return Standing.SUSPENDED
    if certificate.valid_until < today:
        return Standing.EXPIRED
    return Standing.VALID


def certificate_verification(certificate: AccreditationCertificate, *, today: dt.date | None = None) -> Verification:
    """Check the stored signature with the published key and say where the certificate stands."""
    key = signing.public_key()
    current = current_certificate(certificate.accreditation_id) if certificate.status == _S.SUPERSEDED else None
    return Verification(
        certificate=certificate,
        signature_valid=signing.verify(certificate.payload, certificate.signature, key),
        key_id=signing.key_id_of(key),
        standing=_standing(certificate, today or timezone.localdate()),
        current=current,
        accreditation_status=certificate.accreditation.status,
    )
