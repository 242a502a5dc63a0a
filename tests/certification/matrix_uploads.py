"""Permission-matrix entries of the certificate upload pages and API (see ``tests/matrix.py``).

The matrix's CAB is a laboratory, so none of its members may upload certificates (403 on the
form, 403 or 404 on the API); the upload belongs to a certification body of which no persona is
a member: the staff see it, everyone else gets 404. The uploads of a CB's own members are tested
in ``test_uploads_*.py``.
"""

from __future__ import annotations

from typing import Any

from certification.choices import UploadFormat, UploadStatus
from certification.models import CertificateUpload, UploadRowError
from tests.certification.uploads_helpers import new_certification_body
from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, Case, World, api, secretariat_only, signed_in

STAFF_SEE = signed_in(HIDE, secretariat=OK, decision_maker=OK)
# The body is named in the POST: outsiders do not see it (404); a decision maker sees it but may not upload.
API_UPLOAD = signed_in(HIDE, secretariat=REFUSED, decision_maker=DENY)


def build(world: World) -> None:
    secretariat = world.users["secretariat"]
    assert secretariat is not None
    cb = new_certification_body("矩阵认证有限公司", "Matrix Certification Co., Ltd.")
    upload = CertificateUpload.objects.create(
        cb=cb,
        format=UploadFormat.CSV,
        original_name="matrix.csv",
        status=UploadStatus.DONE_WITH_ERRORS,
        total_rows=2,
        processed_rows=2,
        applied_rows=1,
        error_rows=1,
        uploaded_by=secretariat,
    )
    UploadRowError.objects.create(
        upload=upload, row=3, field="city", code="required", message="Row 3: city is missing."
    )
    world.extra.update(upload_cb=cb, certificate_upload=upload)


def _upload(w: World) -> dict[str, Any]:
    return {"pk": w.extra["certificate_upload"].pk}


PAGES: dict[str, list[Case]] = {
    "certification:upload_list": [Case(LISTS)],
    "certification:upload_create": [
        Case(secretariat_only(DENY)),
        # No file: the secretariat's form answers again with the error; nothing is stored.
        Case(secretariat_only(DENY), method="post", data=lambda w: {"cb": w.extra["upload_cb"].pk}),
    ],
    "certification:upload_template": [Case(LISTS, query=lambda w: {"format": "csv"})],
    "certification:upload_detail": [Case(STAFF_SEE, kwargs=_upload)],
    "certification:upload_status": [Case(STAFF_SEE, kwargs=_upload)],
    "certification:upload_errors_download": [Case(STAFF_SEE, kwargs=_upload)],
    # A finished upload is not resumed: the secretariat is sent back to it with the reason.
    "certification:upload_resume": [
        Case(signed_in(HIDE, secretariat=OK, decision_maker=DENY), method="post", kwargs=_upload)
    ],
}

ENDPOINTS: dict[str, list[Case]] = {
    "certification_api:certificate-upload-list": [
        api(LISTS),
        api(API_UPLOAD, method="post", data=lambda w: {"cb": w.extra["upload_cb"].pk}),
    ],
    "certification_api:certificate-upload-detail": [api(STAFF_SEE, kwargs=_upload)],
    "certification_api:certificate-upload-errors": [api(STAFF_SEE, kwargs=_upload)],
    "certification_api:certificate-upload-resume": [
        api(signed_in(HIDE, secretariat=REFUSED, decision_maker=DENY), method="post", kwargs=_upload)
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
