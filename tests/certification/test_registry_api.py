"""The registry API: listing what one may see, and the idempotent batch report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Cab
from certification.models import CertificateStatusChange, CertificateUpload, IssuedCertificate, UploadRowError
from core.models import User
from tests.accreditation.factories import CabMembershipFactory, UserFactory
from tests.certification.registry_helpers import accredit_for_management_systems, certification_body, row_values

pytestmark = pytest.mark.django_db
BATCH = "/api/issued-certificates/batch/"


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = certification_body(name_zh="中国质量认证测试中心")
    accredit_for_management_systems(body, secretariat)
    return body


@pytest.fixture
def clerk(cb: Cab) -> User:
    return CabMembershipFactory.create(cab=cb, user=UserFactory.create(username="lin")).user


def test_the_batch_route_is_where_the_documentation_says() -> None:
    assert reverse("certification_api:issued-certificate-batch") == BATCH


def test_a_batch_applies_valid_rows_and_answers_errors_per_row(api_for, cb: Cab, clerk: User) -> None:
    body = {
        "cb": cb.pk,
        "certificates": [
            {**row_values(), "sites": [{"address": "天津", "scope": "仓储"}]},
            row_values(certification_identity_number="ID-0002", issue_date="2025-13-01"),
        ],
    }
    response = api_for(clerk).post(BATCH, body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["applied"], data["refused"]) == (1, 1)
    assert data["rows"][0] == {"row": 1, "identity_number": "ID-0001", "applied": True, "errors": []}
    assert data["rows"][1]["applied"] is False
    assert [(e["field"], e["code"], e["value"]) for e in data["rows"][1]["errors"]] == [
        ("issue_date", "date_invalid", "2025-13-01")
    ]
    upload = CertificateUpload.objects.get(pk=data["upload"])
    assert (upload.format, upload.total_rows, upload.applied_rows, upload.error_rows) == ("api", 2, 1, 1)
    assert list(UploadRowError.objects.values_list("row", "code")) == [(2, "date_invalid")]
    certificate = IssuedCertificate.objects.get(cb=cb, identity_number="ID-0001")
    assert list(certificate.sites.values_list("address", "scope")) == [("天津", "仓储")]


def test_sending_the_same_batch_twice_changes_nothing(api_for, cb: Cab, clerk: User) -> None:
    body = {"cb": cb.pk, "certificates": [row_values()]}
    api_for(clerk).post(BATCH, body, format="json")
    first = list(IssuedCertificate.objects.values_list("pk", "status", "is_accredited", "entity_id"))
    api_for(clerk).post(BATCH, body, format="json")
    assert list(IssuedCertificate.objects.values_list("pk", "status", "is_accredited", "entity_id")) == first
    assert CertificateStatusChange.objects.count() == 1


def test_a_batch_of_more_than_1000_is_refused_whole(api_for, cb: Cab, clerk: User) -> None:
    rows = [row_values(certification_identity_number=f"ID-{n}") for n in range(1001)]
    response = api_for(clerk).post(BATCH, {"cb": cb.pk, "certificates": rows}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    assert not IssuedCertificate.objects.exists() and not CertificateUpload.objects.exists()


def test_another_body_is_hidden_and_a_laboratory_is_refused(
    api_for, cb: Cab, other_cab_user: User, cab: Cab, cab_admin: User
) -> None:
    body = {"cb": cb.pk, "certificates": [row_values()]}
    assert api_for(other_cab_user).post(BATCH, body, format="json").status_code == 404
    lab = api_for(cab_admin).post(BATCH, {"cb": cab.pk, "certificates": [row_values()]}, format="json")
    assert (lab.status_code, lab.json()["code"]) == (400, "not_certification_body")
    assert not IssuedCertificate.objects.exists()


def test_a_decision_maker_may_not_report(api_for, cb: Cab, decision_maker: User) -> None:
    response = api_for(decision_maker).post(BATCH, {"cb": cb.pk, "certificates": [row_values()]}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "outside_cab")


def test_members_list_only_their_bodys_certificates(
    api_for, cb: Cab, clerk: User, secretariat: User, other_cab_user: User
) -> None:
    api_for(clerk).post(BATCH, {"cb": cb.pk, "certificates": [row_values()]}, format="json")
    listed = api_for(clerk).get("/api/issued-certificates/").json()["results"]
    assert [(c["identity_number"], c["is_accredited"], c["standards"]) for c in listed] == [
        ("ID-0001", True, ["ISO 9001:2015"])
    ]
    assert api_for(other_cab_user).get("/api/issued-certificates/").json()["results"] == []
    pk = listed[0]["id"]
    assert api_for(other_cab_user).get(f"/api/issued-certificates/{pk}/").status_code == 404
    detail = api_for(secretariat).get(f"/api/issued-certificates/{pk}/").json()
    assert detail["status_history"][0]["status"] == "active"
    assert detail["entity"]["unique_id"] == "C-0001"
