"""Applying validated rows: set-based, idempotent, with status history, sites and the verdict.

Every test runs twice on PostgreSQL: through the staged COPY statements and through the ORM path
the other databases take, so the two cannot drift apart. On SQLite only the ORM path exists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accreditation.models import Cab
from accreditation.services.accreditations import accreditation_suspend
from certification.choices import NotAccreditedReason
from certification.models import CertificateSite, CertificateStatusChange, CertifiedEntity, IssuedCertificate
from certification.services_registry import certificates_apply, certificates_reevaluate
from core.models import User
from tests.accreditation.factories import make_credit_code
from tests.certification.registry_helpers import (
    accredit_for_management_systems,
    certification_body,
    make_rows,
    row_values,
)

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


@pytest.fixture(autouse=True, params=["staged", "orm"])
def apply_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    from certification import services_registry

    if request.param == "staged" and not services_registry.copy_supported():
        pytest.skip("the staged path needs PostgreSQL")
    if request.param == "orm":
        monkeypatch.setattr(services_registry, "copy_supported", lambda: False)
    return str(request.param)


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = certification_body(name_zh="中国质量认证测试中心")
    accredit_for_management_systems(body, secretariat)
    return body


def snapshot(cb: Cab) -> list[tuple[object, ...]]:
    return list(
        IssuedCertificate.objects.filter(cb=cb)
        .order_by("identity_number")
        .values_list("identity_number", "status", "is_accredited", "updated_at", "entity__updated_at")
    )


def test_rows_create_entities_certificates_sites_and_a_first_history_entry(cb: Cab) -> None:
    rows = make_rows(
        row_values(sites="天津市滨海新区1号|仓储"),
        row_values(
            certification_identity_number="ID-0002",
            standards="ISO 14001:2015",
            certified_entity_unique_id="C-0002",
            certified_entity_name="上海环宇科技有限公司",
            certified_entity_credit_code=make_credit_code(2),
        ),
    )
    assert certificates_apply(cb=cb, rows=rows) == 2
    first = IssuedCertificate.objects.get(cb=cb, identity_number="ID-0001")
    second = IssuedCertificate.objects.get(cb=cb, identity_number="ID-0002")
    assert (first.is_accredited, first.accreditation is not None) == (True, True)
    assert (second.is_accredited, second.not_accredited_reason) == (False, NotAccreditedReason.OUTSIDE_SCOPE)
    assert first.entity.name == "北京华建工程有限公司" and first.entity.credit_code == make_credit_code(1)
    assert list(first.sites.values_list("address", "scope")) == [("天津市滨海新区1号", "仓储")]
    assert list(first.status_changes.values_list("status", "effective_on")) == [("active", dt.date(2025, 3, 1))]
    assert CertifiedEntity.objects.filter(cb=cb).count() == 2


def test_applying_the_same_rows_twice_changes_nothing(cb: Cab) -> None:
    rows = make_rows(row_values(sites="天津市滨海新区1号|仓储"))
    certificates_apply(cb=cb, rows=rows)
    before = snapshot(cb)
    site_ids = list(CertificateSite.objects.values_list("pk", flat=True))
    certificates_apply(cb=cb, rows=make_rows(row_values(sites="天津市滨海新区1号|仓储")))
    assert snapshot(cb) == before
    assert list(CertificateSite.objects.values_list("pk", flat=True)) == site_ids
    assert IssuedCertificate.objects.count() == 1 and CertificateStatusChange.objects.count() == 1


def test_a_status_change_adds_one_history_entry_effective_today(cb: Cab) -> None:
    certificates_apply(cb=cb, rows=make_rows(row_values()))
    certificates_apply(cb=cb, rows=make_rows(row_values(certification_status="暂停")))
    certificates_apply(cb=cb, rows=make_rows(row_values(certification_status="暂停")))
    certificate = IssuedCertificate.objects.get(cb=cb)
    assert certificate.status == "suspended"
    assert list(certificate.status_changes.values_list("status", "effective_on")) == [
        ("active", dt.date(2025, 3, 1)),
        ("suspended", timezone.localdate()),
    ]


def test_the_history_answers_whether_it_was_valid_on_a_day(cb: Cab) -> None:
    certificates_apply(cb=cb, rows=make_rows(row_values()))
    certificates_apply(cb=cb, rows=make_rows(row_values(certification_status="withdrawn")))
    certificate = IssuedCertificate.objects.get(cb=cb)

    def status_on(day: dt.date) -> str | None:
        change = certificate.status_changes.filter(effective_on__lte=day).order_by("effective_on", "pk").last()
        return change.status if change else None

    assert status_on(dt.date(2025, 2, 28)) is None
    assert status_on(dt.date(2025, 6, 1)) == "active"
    assert status_on(timezone.localdate()) == "withdrawn"


def test_changed_details_and_sites_are_updated_in_place(cb: Cab) -> None:
    certificates_apply(cb=cb, rows=make_rows(row_values(sites="A|1\nB|2")))
    certificates_apply(
        cb=cb,
        rows=make_rows(
            row_values(certification_scope="新范围", certified_entity_name="北京华建集团有限公司", sites="C|3")
        ),
    )
    certificate = IssuedCertificate.objects.get(cb=cb)
    assert certificate.scope == "新范围" and certificate.entity.name == "北京华建集团有限公司"
    assert list(certificate.sites.values_list("address", "scope")) == [("C", "3")]
    assert CertifiedEntity.objects.count() == 1


def test_rows_without_sites_keep_the_sites_on_record_and_an_empty_list_removes_them(cb: Cab) -> None:
    certificates_apply(cb=cb, rows=make_rows(row_values(sites="A|1")))
    without = {key: value for key, value in row_values(certification_scope="新范围").items() if key != "sites"}
    certificates_apply(cb=cb, rows=make_rows(without))
    certificate = IssuedCertificate.objects.get(cb=cb)
    assert certificate.scope == "新范围"
    assert list(certificate.sites.values_list("address", "scope")) == [("A", "1")]

    certificates_apply(cb=cb, rows=make_rows(row_values(sites="")))
    assert not certificate.sites.exists()


def test_the_same_identity_number_at_another_body_is_another_certificate(cb: Cab, secretariat: User) -> None:
    other = certification_body(name_zh="另一认证公司")
    certificates_apply(cb=cb, rows=make_rows(row_values()))
    certificates_apply(cb=other, rows=make_rows(row_values()))
    assert IssuedCertificate.objects.filter(identity_number="ID-0001").count() == 2
    assert IssuedCertificate.objects.get(cb=other).is_accredited is False


def test_reevaluation_after_a_suspension_flags_certificates_issued_during_it(cb: Cab, secretariat: User) -> None:
    today = timezone.localdate()
    rows = make_rows(
        row_values(),
        row_values(certification_identity_number="ID-0002", issue_date=today.isoformat(), expiry_date="2029-12-31"),
    )
    certificates_apply(cb=cb, rows=rows)
    assert set(IssuedCertificate.objects.values_list("is_accredited", flat=True)) == {True}
    accreditation_suspend(accreditation=cb.accreditations.get(), actor=secretariat, reason="暂停")
    assert certificates_reevaluate(cb=cb) == 1
    flagged = IssuedCertificate.objects.get(identity_number="ID-0002")
    assert (flagged.is_accredited, flagged.not_accredited_reason) == (False, NotAccreditedReason.DURING_SUSPENSION)
    assert IssuedCertificate.objects.get(identity_number="ID-0001").is_accredited is True
    assert certificates_reevaluate(cb=cb) == 0


def test_the_receivers_enqueue_a_reevaluation_when_the_accreditation_changes(
    cb: Cab, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    import certification.receivers_registry  # noqa: F401  (connects the receivers, as the app's ready will)

    today = timezone.localdate()
    certificates_apply(cb=cb, rows=make_rows(row_values(issue_date=today.isoformat(), expiry_date="2029-12-31")))
    assert IssuedCertificate.objects.get(cb=cb).is_accredited is True
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_suspend(accreditation=cb.accreditations.get(), actor=secretariat, reason="暂停")
    certificate = IssuedCertificate.objects.get(cb=cb)
    assert (certificate.is_accredited, certificate.not_accredited_reason) == (
        False,
        NotAccreditedReason.DURING_SUSPENSION,
    )


def test_applying_is_set_based_the_query_count_does_not_grow_with_the_rows(cb: Cab) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("SQLite splits a multi-row INSERT at its variable limit")

    def batch(count: int, offset: int) -> list:
        return make_rows(
            *(
                row_values(
                    certification_identity_number=f"ID-{offset + n}",
                    certified_entity_unique_id=f"C-{offset + n}",
                    sites=f"地址{n}|范围",
                )
                for n in range(count)
            )
        )

    small, large = batch(3, 0), batch(60, 100)
    with CaptureQueriesContext(connection) as few:
        certificates_apply(cb=cb, rows=small)
    with CaptureQueriesContext(connection) as many:
        certificates_apply(cb=cb, rows=large)
    assert len(many) == len(few)
    assert IssuedCertificate.objects.filter(cb=cb).count() == 63


def test_a_status_change_with_new_sites_then_the_same_again(cb: Cab) -> None:
    certificates_apply(cb=cb, rows=make_rows(row_values(sites="A|1")))
    certificates_apply(cb=cb, rows=make_rows(row_values(certification_status="暂停", sites="B|2")))
    certificates_apply(cb=cb, rows=make_rows(row_values(certification_status="暂停", sites="B|2")))
    certificate = IssuedCertificate.objects.get(cb=cb)
    assert (certificate.status, certificate.is_accredited) == ("suspended", True)
    assert list(certificate.status_changes.values_list("status", flat=True)) == ["active", "suspended"]
    assert list(certificate.sites.values_list("address", "scope")) == [("B", "2")]
    assert CertifiedEntity.objects.count() == 1
