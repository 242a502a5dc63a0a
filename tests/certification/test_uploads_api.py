"""The certificate uploads API: POST a file (202), poll its state, read its errors page by page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accreditation.models import Cab
from certification.models import CertificateUpload, IssuedCertificate
from core.models import User
from tests.certification.registry_helpers import accredit_for_management_systems
from tests.certification.uploads_helpers import cb_member, cert_row, csv_bytes, new_certification_body, uploaded

pytestmark = pytest.mark.django_db

LIST = "certification_api:certificate-upload-list"


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = new_certification_body()
    accredit_for_management_systems(body, secretariat)
    return body


@pytest.fixture
def ming(cb: Cab) -> User:
    return cb_member(cb)


def post(client: Any, cb: Cab, data: bytes, name: str = "certificates.csv") -> Any:
    return client.post(reverse(LIST), {"cb": cb.pk, "file": uploaded(data, name)}, format="multipart")


def test_a_member_posts_a_file_and_gets_202_with_a_status_url(
    cb: Cab, ming: User, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_for(ming)
    rows = [cert_row(1), cert_row(2, issue_date="2025-13-01"), cert_row(3, city="")]

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, cb, csv_bytes(rows, "utf-8-sig"))

    assert response.status_code == 202
    upload = CertificateUpload.objects.get()
    assert response.data["id"] == upload.pk
    assert response.data["status"] == "queued"
    assert response.data["status_url"] == f"http://testserver/api/certificate-uploads/{upload.pk}/"
    state = client.get(response.data["status_url"]).data
    assert {k: state[k] for k in ("status", "encoding", "total_rows", "applied_rows", "error_rows", "percent")} == {
        "status": "done_with_errors",
        "encoding": "utf-8-sig",
        "total_rows": 3,
        "applied_rows": 1,
        "error_rows": 2,
        "percent": 100,
    }
    errors = client.get(state["errors_url"], {"page_size": 1})
    assert errors.data["count"] == 2
    assert errors.data["results"] == [
        {
            "row": 3,
            "identity_number": "ID-000002",
            "field": "issue_date",
            "value": "2025-13-01",
            "code": "date_invalid",
            "message": "Row 3: date of issue “2025-13-01” is not a valid date.",
        }
    ]
    assert errors.data["next"] is not None
    assert IssuedCertificate.objects.count() == 1


def test_a_file_the_portal_cannot_read_answers_400_with_its_code(cb: Cab, ming: User, api_for: Any) -> None:
    response = post(api_for(ming), cb, b"\x00\x01\x02\x03", "certificates.csv")

    assert response.status_code == 400
    assert response.data["code"] == "file_type_not_allowed"
    assert CertificateUpload.objects.count() == 0


def test_another_bodys_member_cannot_see_or_upload(
    cb: Cab, ming: User, other_cab_user: User, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post(api_for(ming), cb, csv_bytes([cert_row(1)]))
    upload = CertificateUpload.objects.get()
    client = api_for(other_cab_user)

    assert client.get(reverse("certification_api:certificate-upload-detail", args=[upload.pk])).status_code == 404
    assert client.get(reverse("certification_api:certificate-upload-errors", args=[upload.pk])).status_code == 404
    assert client.get(reverse(LIST)).data["count"] == 0
    assert post(client, cb, csv_bytes([cert_row(2)])).status_code == 404
    assert CertificateUpload.objects.count() == 1


def test_a_laboratory_member_is_refused(cab: Cab, cab_admin: User, api_for: Any) -> None:
    response = post(api_for(cab_admin), cab, csv_bytes([cert_row(1)]))

    assert response.status_code == 403
    assert response.data["code"] == "not_certification_body"
    assert CertificateUpload.objects.count() == 0
