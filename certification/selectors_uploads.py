"""Who sees which certificate uploads, and for which CBs a user may upload.

The secretariat and decision makers see every upload; a member of a certification body sees
its uploads, nobody else's (404). Uploading is for the members of a CAB of the certification-body
kind, and for the secretariat on any such CAB's behalf.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accreditation.choices import CabKind
from accreditation.models import Cab, CabMembership
from accreditation.selectors import AnyUser
from certification.models import CertificateUpload
from core.roles import is_secretariat, is_staff_reader


def upload_qs_for(user: AnyUser) -> QuerySet[CertificateUpload]:
    uploads = CertificateUpload.objects.select_related("cb", "uploaded_by")
    if not user.is_authenticated:
        return uploads.none()
    if is_staff_reader(user):
        return uploads
    return uploads.filter(cb__in=CabMembership.objects.filter(user=user).values("cab_id"))


def upload_cbs_for(user: AnyUser) -> QuerySet[Cab]:
    """The certification bodies ``user`` may upload certificates for."""
    bodies = Cab.objects.filter(kind=CabKind.CERTIFICATION_BODY).order_by("name_zh", "pk")
    if not user.is_authenticated:
        return bodies.none()
    if is_secretariat(user):
        return bodies
    return bodies.filter(pk__in=CabMembership.objects.filter(user=user).values("cab_id"))


def may_upload_for(user: AnyUser, cb: Cab) -> bool:
    return upload_cbs_for(user).filter(pk=cb.pk).exists()
