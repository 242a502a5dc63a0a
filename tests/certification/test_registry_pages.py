"""Pages of the registry: a body's list, one certificate, the form, and the secretariat's queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Cab
from certification.models import CertificateUpload, IssuedCertificate
from certification.services_registry import certificates_apply
from core.models import User
from tests.accreditation.factories import CabMembershipFactory, UserFactory, make_credit_code
from tests.certification.registry_helpers import (
    accredit_for_management_systems,
    certification_body,
    make_rows,
    row_values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = certification_body(name_zh="中国质量认证测试中心")
    accredit_for_management_systems(body, secretariat)
    return body


@pytest.fixture
def clerk(cb: Cab) -> User:
    return CabMembershipFactory.create(cab=cb, user=UserFactory.create(username="lin")).user


@pytest.fixture
def reported(cb: Cab) -> None:
    certificates_apply(
        cb=cb,
        rows=make_rows(
            row_values(certified_entity_name="<script>alert(1)</script>华建", sites="天津|仓储"),
            row_values(
                certification_identity_number="ID-0002",
                certificate_number="00225E0002",
                standards="ISO 14001:2015",
                certification_status="暂停",
                certified_entity_unique_id="C-2",
                certified_entity_credit_code=make_credit_code(2),
            ),
        ),
    )


def form_data(**overrides: str) -> dict[str, str]:
    data = {key: str(value) for key, value in row_values().items()}
    data["certification_status"] = "active"
    data["certification_type"] = "management_system"
    data.update(overrides)
    return data


def test_a_member_lists_the_bodys_certificates_with_filters(client_for, cb: Cab, clerk: User, reported: None) -> None:
    url = reverse("certification:registry_list", args=[cb.pk])
    page = client_for(clerk).get(url)
    assert page.status_code == 200
    assert [c.identity_number for c in page.context["certificates"]] == ["ID-0001", "ID-0002"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;华建" in page.content.decode()
    filtered = client_for(clerk).get(url, {"accredited": "no"})
    assert [c.identity_number for c in filtered.context["certificates"]] == ["ID-0002"]
    assert [c.identity_number for c in client_for(clerk).get(url, {"status": "suspended"}).context["certificates"]] == [
        "ID-0002"
    ]
    by_standard = client_for(clerk).get(url, {"standard": "ISO 9001:2015"})
    assert [c.identity_number for c in by_standard.context["certificates"]] == ["ID-0001"]


def test_another_bodys_user_sees_neither_list_nor_certificate(
    client_for, cb: Cab, other_cab_user: User, reported: None
) -> None:
    certificate = IssuedCertificate.objects.get(identity_number="ID-0001")
    assert client_for(other_cab_user).get(reverse("certification:registry_list", args=[cb.pk])).status_code == 404
    detail = reverse("certification:registry_detail", args=[certificate.pk])
    assert client_for(other_cab_user).get(detail).status_code == 404
    assert (
        client_for(other_cab_user).get(reverse("certification:registry_edit", args=[certificate.pk])).status_code == 404
    )


def test_the_certificate_page_shows_entity_sites_history_and_verdict(client_for, clerk: User, reported: None) -> None:
    certificate = IssuedCertificate.objects.get(identity_number="ID-0002")
    page = client_for(clerk).get(reverse("certification:registry_detail", args=[certificate.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Issued outside the accredited scope" in text
    assert "ISO 14001:2015 was not in the scope of accreditation" in text
    assert [change.status for change in page.context["history"]] == ["suspended"]


def test_a_member_reports_a_certificate_through_the_form(client_for, cb: Cab, clerk: User) -> None:
    response = client_for(clerk).post(
        reverse("certification:registry_create", args=[cb.pk]), form_data(sites="天津|仓储")
    )
    certificate = IssuedCertificate.objects.get(cb=cb, identity_number="ID-0001")
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:registry_detail", args=[certificate.pk])
    assert certificate.is_accredited is True
    assert list(certificate.sites.values_list("address", "scope")) == [("天津", "仓储")]
    assert CertificateUpload.objects.get(cb=cb).format == "form"


def test_the_form_shows_each_rule_beside_its_field_and_saves_nothing(client_for, cb: Cab, clerk: User) -> None:
    response = client_for(clerk).post(
        reverse("certification:registry_create", args=[cb.pk]),
        form_data(issue_date="2025-13-01", standards="ISO 99999", certified_entity_credit_code="123"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["issue_date"] == ["Row 1: date of issue “2025-13-01” is not a valid date."]
    assert errors["standards"] == ["Row 1: standard “ISO 99999” is not known."]
    assert errors["certified_entity_credit_code"][0].startswith("Row 1: credit code “123”")
    assert not IssuedCertificate.objects.exists()


def test_the_edit_form_corrects_a_certificate_and_keeps_its_identity(
    client_for, cb: Cab, clerk: User, reported: None
) -> None:
    certificate = IssuedCertificate.objects.get(identity_number="ID-0001")
    url = reverse("certification:registry_edit", args=[certificate.pk])
    assert client_for(clerk).get(url).context["form"].initial["sites"] == "天津|仓储"
    response = client_for(clerk).post(
        url, form_data(certification_identity_number="HACK", certification_scope="新范围")
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.scope == "新范围"
    assert not IssuedCertificate.objects.filter(identity_number="HACK").exists()


def test_a_laboratory_may_not_report_certificates(client_for, cab: Cab, cab_admin: User) -> None:
    url = reverse("certification:registry_create", args=[cab.pk])
    assert client_for(cab_admin).get(url).status_code == 403
    assert client_for(cab_admin).post(url, form_data()).status_code == 403
    assert not IssuedCertificate.objects.exists()


def test_a_decision_maker_reads_but_does_not_report(client_for, cb: Cab, decision_maker: User, reported: None) -> None:
    assert client_for(decision_maker).get(reverse("certification:registry_list", args=[cb.pk])).status_code == 200
    assert client_for(decision_maker).get(reverse("certification:registry_create", args=[cb.pk])).status_code == 403


def test_the_queue_counts_not_accredited_certificates_per_body_and_reason(
    client_for, cb: Cab, secretariat: User, clerk: User, reported: None
) -> None:
    url = reverse("certification:not_accredited_queue")
    page = client_for(secretariat).get(url)
    assert page.status_code == 200
    assert [(row["cb_id"], row["not_accredited_reason"], row["count"]) for row in page.context["counts"]] == [
        (cb.pk, "outside_scope", 1)
    ]
    assert [c.identity_number for c in page.context["certificates"]] == ["ID-0002"]
    assert client_for(clerk).get(url).status_code == 403
