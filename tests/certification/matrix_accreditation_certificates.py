"""Permission-matrix entries of the accreditation certificates' pages and API (see ``tests/matrix.py``).

``accreditation`` gets two certificates issued by the secretariat: the first, rendered (with a
stand-in PDF), is superseded by the second, whose rendering failed, so the retry has something
to retry and the public pages a document to show. The public verification, download and key
answer everyone; the list is for the staff and the CAB's members; reissue and retry are the
secretariat's.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from certification.choices import AccreditationCertificateStatus, IssueReason
from certification.models import AccreditationCertificate
from certification.services_certificates import accreditation_certificate_issue
from tests.certification.certificates_helpers import FAKE_PDF
from tests.matrix import DENY, HIDE, LISTS, OK, Case, World, api, everyone, secretariat_only, signed_in

#: One stand-in PDF shared by every run, so the matrix does not fill the media folder.
MATRIX_PDF = "accreditation-certificates/permission-matrix.pdf"

SEES_CERTIFICATES = signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK)
SEES_ACCREDITATION = signed_in(
    HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK
)
SECRETARIAT_MOVE_API = signed_in(HIDE, secretariat=OK, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)


def build(world: World) -> None:
    secretariat = world.users["secretariat"]
    assert secretariat is not None
    rendered = accreditation_certificate_issue(
        accreditation=world.accreditation, reason=IssueReason.GRANT, actor=secretariat
    )
    if not default_storage.exists(MATRIX_PDF):
        default_storage.save(MATRIX_PDF, ContentFile(FAKE_PDF))
    AccreditationCertificate.objects.filter(pk=rendered.pk).update(
        status=AccreditationCertificateStatus.READY, pdf=MATRIX_PDF, rendered_at=timezone.now()
    )
    failed = accreditation_certificate_issue(
        accreditation=world.accreditation, reason=IssueReason.REISSUE, actor=secretariat
    )
    AccreditationCertificate.objects.filter(pk=failed.pk).update(
        status=AccreditationCertificateStatus.FAILED, failure="OSError: disk full"
    )
    world.extra.update(rendered_certificate=rendered, failed_certificate=failed)


def _number(name: str) -> Any:
    return lambda w: {"number": w.extra[name].number}


def _pk(name: str) -> Any:
    return lambda w: {"pk": w.extra[name].pk}


ACC = lambda w: {"pk": w.accreditation.pk}  # noqa: E731

PAGES: dict[str, list[Case]] = {
    "certification:verify": [Case(everyone(OK), kwargs=_number("rendered_certificate"))],
    "certification:download": [Case(everyone(OK), kwargs=_number("rendered_certificate"))],
    "certification:public_key": [Case(everyone(OK))],
    "certification:public_key_pem": [Case(everyone(OK))],
    "certification:accreditation_certificates": [Case(SEES_CERTIFICATES, kwargs=ACC)],
    "certification:current_certificate": [Case(SEES_ACCREDITATION, kwargs=ACC)],
    "certification:certificate_reissue": [
        Case(secretariat_only(), kwargs=ACC),
        Case(secretariat_only(), method="post", kwargs=ACC, data=lambda w: {"reason": "证书遗失"}),
    ],
    "certification:certificate_retry": [
        Case(secretariat_only(), kwargs=_pk("failed_certificate")),
        Case(secretariat_only(), method="post", kwargs=_pk("failed_certificate")),
    ],
}

ENDPOINTS: dict[str, list[Case]] = {
    "certification_api:accreditation-certificate-list": [api(LISTS)],
    "certification_api:accreditation-certificate-detail": [api(SEES_CERTIFICATES, kwargs=_pk("rendered_certificate"))],
    "certification_api:accreditation-certificate-reissue": [
        api(SECRETARIAT_MOVE_API, method="post", data=lambda w: {"accreditation": w.accreditation.pk})
    ],
    "certification_api:accreditation-certificate-retry": [
        api(SECRETARIAT_MOVE_API, method="post", kwargs=_pk("failed_certificate"))
    ],
    "certification_api:public-accreditation-certificate-detail": [
        api(everyone(OK), kwargs=_number("rendered_certificate"))
    ],
    "certification_api:public-certificate-key": [api(everyone(OK))],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
