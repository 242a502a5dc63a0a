"""Permission-matrix entries of the registry of CB-issued certificates (see ``tests/matrix.py``).

One not-accredited certificate reported by ``cab``. ``cab`` is a laboratory, so nobody may report
certificates for it (403 on the form; 400 ``not_certification_body`` from the API), while its
members and the staff still see what was stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from certification.models import CertifiedEntity, IssuedCertificate
from tests.certification.registry_helpers import row_values
from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, Case, World, api, secretariat_only, signed_in

SEES_LIST = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=DENY, cab_admin=OK, cab_member=OK)
SEES_CERTIFICATE = signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK)
# Everyone who sees the body is refused: it is a laboratory.
REPORT_PAGE = signed_in(
    HIDE, secretariat=DENY, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
)
EDIT_PAGE = signed_in(HIDE, secretariat=DENY, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)
BATCH = signed_in(
    HIDE, secretariat=REFUSED, decision_maker=DENY, assigned_assessor=DENY, cab_admin=REFUSED, cab_member=REFUSED
)


def build(world: World) -> None:
    entity = CertifiedEntity.objects.create(
        cb=world.cab, unique_id="M-1", name="矩阵测试有限公司", street="中关村大街1号", city="北京"
    )
    world.extra["issued_certificate"] = IssuedCertificate.objects.create(
        cb=world.cab,
        identity_number="M-1",
        certificate_number="M-0001",
        entity=entity,
        certification_type="management_system",
        standards=["ISO 9001:2015"],
        sectors=["IAF 28"],
        scope="测试",
        status="active",
        issue_date=dt.date(2025, 1, 1),
        expiry_date=dt.date(2028, 1, 1),
        is_accredited=False,
        not_accredited_reason="no_accreditation",
    )


def _certificate(w: World) -> dict[str, Any]:
    return {"pk": w.extra["issued_certificate"].pk}


def _cb(w: World) -> dict[str, Any]:
    return {"cb": w.cab.pk}


def _form(w: World) -> dict[str, Any]:
    return {**row_values(), "certification_type": "management_system"}


PAGES: dict[str, list[Case]] = {
    "certification:registry_list": [Case(SEES_LIST, kwargs=_cb)],
    "certification:registry_detail": [Case(SEES_CERTIFICATE, kwargs=_certificate)],
    "certification:registry_create": [
        Case(REPORT_PAGE, kwargs=_cb),
        Case(REPORT_PAGE, method="post", kwargs=_cb, data=_form),
    ],
    "certification:registry_edit": [
        Case(EDIT_PAGE, kwargs=_certificate),
        Case(EDIT_PAGE, method="post", kwargs=_certificate, data=_form),
    ],
    "certification:not_accredited_queue": [Case(secretariat_only())],
}

ENDPOINTS: dict[str, list[Case]] = {
    "certification_api:issued-certificate-list": [api(LISTS)],
    "certification_api:issued-certificate-detail": [api(SEES_CERTIFICATE, kwargs=_certificate)],
    "certification_api:issued-certificate-batch": [
        api(BATCH, method="post", data=lambda w: {"cb": w.cab.pk, "certificates": [row_values()]})
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
