"""Reads of the registry of CB-issued certificates: who may see which, and the secretariat's queue."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from accreditation.choices import CabKind
from accreditation.models import Cab
from accreditation.selectors import AnyUser
from certification.models import CertificateStatusChange, IssuedCertificate
from core.roles import is_secretariat, is_staff_reader


def issued_certificate_qs_for(user: AnyUser) -> QuerySet[IssuedCertificate]:
    """Staff see every body's certificates; a body's members see the body's own; nobody else any."""
    certificates = IssuedCertificate.objects.select_related("entity", "cb")
    if not user.is_authenticated:
        return certificates.none()
    if is_secretariat(user) or is_staff_reader(user):
        return certificates
    return certificates.filter(cb__memberships__user=user)


def reporting_cbs_for(user: AnyUser) -> QuerySet[Cab]:
    """The certification bodies whose certificates ``user`` may report (members; the secretariat: all)."""
    bodies = Cab.objects.filter(kind=CabKind.CERTIFICATION_BODY)
    if not user.is_authenticated:
        return bodies.none()
    if is_secretariat(user):
        return bodies
    return bodies.filter(memberships__user=user).distinct()


def status_history(certificate: IssuedCertificate) -> QuerySet[CertificateStatusChange]:
    return certificate.status_changes.order_by("effective_on", "pk")


def not_accredited_counts(user: AnyUser) -> list[dict[str, object]]:
    """Per body and reason, how many of its certificates are not accredited (the secretariat's queue)."""
    return list(
        issued_certificate_qs_for(user)
        .filter(is_accredited=False)
        .values("cb_id", "cb__name_zh", "cb__name_en", "not_accredited_reason")
        .annotate(count=Count("pk"))
        .order_by("cb__name_zh", "not_accredited_reason")
    )
