"""Certificate uploads end to end: the file is kept, the task checks every row and applies the valid ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from accreditation.models import Cab
from certification import services_registry, services_uploads
from certification.choices import UploadStatus
from certification.models import CertificateSite, CertificateStatusChange, CertificateUpload, IssuedCertificate
from certification.services_uploads import STALE_AFTER, upload_create, upload_process
from core.errors import DomainError, NotPermitted
from core.models import AuditEvent, User
from tests.accreditation.factories import CabMembershipFactory
from tests.certification.registry_helpers import accredit_for_management_systems
from tests.certification.uploads_helpers import (
    cb_member,
    cert_row,
    csv_bytes,
    new_certification_body,
    run_upload,
    uploaded,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = new_certification_body()
    accredit_for_management_systems(body, secretariat)
    return body


@pytest.fixture
def ming(cb: Cab) -> User:
    """Ming, a member of the certification body ``cb``."""
    return cb_member(cb)


def errors_of(upload: CertificateUpload) -> list[tuple[int, str, str]]:
    return list(upload.row_errors.order_by("row", "pk").values_list("row", "field", "code"))


def test_the_same_file_again_writes_nothing_and_names_the_first_upload_as_the_last_change(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes([cert_row(1), cert_row(2)], "utf-8")
    first = run_upload(cb, ming, data, "一月.csv", capture=django_capture_on_commit_callbacks)
    before = list(IssuedCertificate.objects.order_by("pk").values_list("pk", "updated_at", "last_upload_id"))

    again = run_upload(cb, ming, data, "二月.csv", capture=django_capture_on_commit_callbacks)

    assert (again.status, again.applied_rows) == ("done", 2)
    assert list(IssuedCertificate.objects.order_by("pk").values_list("pk", "updated_at", "last_upload_id")) == before
    assert {last for _pk, _at, last in before} == {first.pk}


def test_a_member_uploads_a_csv_and_every_row_is_applied(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes([cert_row(1, certified_entity_name="深圳市鹏城电子科技有限公司"), cert_row(2)], "gbk")

    upload = run_upload(cb, ming, data, "报告.csv", capture=django_capture_on_commit_callbacks)

    assert (upload.status, upload.format, upload.encoding, upload.original_name) == (
        "done",
        "csv",
        "gb18030",
        "报告.csv",
    )
    assert (upload.total_rows, upload.processed_rows, upload.applied_rows, upload.error_rows) == (2, 2, 2, 0)
    assert upload.file.name.startswith("certificate-uploads/") and "报告" not in upload.file.name
    assert upload.started_at is not None and upload.finished_at is not None
    certificate = IssuedCertificate.objects.get(cb=cb, identity_number="ID-000001")
    assert certificate.entity.name == "深圳市鹏城电子科技有限公司"
    assert certificate.last_upload_id == upload.pk
    events = list(
        AuditEvent.objects.filter(
            aggregate_id=str(upload.pk), aggregate_type="certification.certificateupload"
        ).order_by("id")
    )
    assert [(e.event_type, e.actor_id) for e in events] == [
        ("certificate_upload.created", ming.pk),
        ("certificate_upload.finished", None),
    ]
    assert events[1].new_values == {"status": "done", "total_rows": 2, "applied_rows": 2, "error_rows": 0}


def test_valid_rows_apply_and_invalid_rows_are_reported_with_exactly_which(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [
        cert_row(1),
        cert_row(2, issue_date="2025-02-30", standards="ISO 99999"),
        cert_row(3),
        cert_row(1, certificate_number="again"),
    ]

    upload = run_upload(cb, ming, csv_bytes(rows), capture=django_capture_on_commit_callbacks)

    assert upload.status == UploadStatus.DONE_WITH_ERRORS
    assert (upload.total_rows, upload.processed_rows, upload.applied_rows, upload.error_rows) == (4, 4, 2, 2)
    assert errors_of(upload) == [
        (3, "standards", "standard_unknown"),
        (3, "issue_date", "date_invalid"),
        (5, "certification_identity_number", "duplicate_in_file"),
    ]
    assert sorted(IssuedCertificate.objects.filter(cb=cb).values_list("identity_number", flat=True)) == [
        "ID-000001",
        "ID-000003",
    ]
    assert IssuedCertificate.objects.get(identity_number="ID-000001").certificate_number == "00125Q3000001"


def test_an_xlsx_upload_stores_the_sites(cb: Cab, ming: User, django_capture_on_commit_callbacks: Any) -> None:
    data = xlsx_bytes([cert_row(1)], sites=[("ID-000001", "上海市浦东新区1号", "电子产品组装")])

    upload = run_upload(cb, ming, data, "certificates.xlsx", capture=django_capture_on_commit_callbacks)

    assert (upload.status, upload.format, upload.applied_rows) == ("done", "xlsx", 1)
    assert list(CertificateSite.objects.values_list("address", "scope")) == [("上海市浦东新区1号", "电子产品组装")]


def test_rows_are_applied_in_chunks_and_the_counters_move_after_each(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services_uploads, "CHUNK_ROWS", 2)
    seen: list[tuple[int, int, int]] = []
    real_apply = services_registry.certificates_apply

    def apply(**kwargs: Any) -> int:
        upload = CertificateUpload.objects.get(pk=kwargs["upload"].pk)
        seen.append((upload.total_rows, upload.processed_rows, upload.applied_rows))
        assert upload.status == UploadStatus.APPLYING
        return real_apply(**kwargs)

    monkeypatch.setattr(services_registry, "certificates_apply", apply)
    rows = [cert_row(1), cert_row(2, country="Atlantis"), cert_row(3), cert_row(4), cert_row(5), cert_row(6)]

    upload = run_upload(cb, ming, csv_bytes(rows), capture=django_capture_on_commit_callbacks)

    # The refused row counts as processed once checked; each chunk of 2 valid rows then adds 2.
    assert seen == [(6, 1, 0), (6, 3, 2), (6, 5, 4)]
    assert (upload.processed_rows, upload.applied_rows, upload.error_rows) == (6, 5, 1)
    assert services_uploads.progress_percent(upload) == 100


def test_running_the_task_again_changes_nothing(cb: Cab, ming: User, django_capture_on_commit_callbacks: Any) -> None:
    upload = run_upload(
        cb, ming, csv_bytes([cert_row(1), cert_row(2, city="")]), capture=django_capture_on_commit_callbacks
    )
    before = (
        list(IssuedCertificate.objects.values_list("pk", "updated_at")),
        CertificateStatusChange.objects.count(),
        errors_of(upload),
        AuditEvent.objects.count(),
    )

    assert upload_process(upload_id=upload.pk) is None

    upload.refresh_from_db()
    after = (
        list(IssuedCertificate.objects.values_list("pk", "updated_at")),
        CertificateStatusChange.objects.count(),
        errors_of(upload),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert upload.status == UploadStatus.DONE_WITH_ERRORS


def test_a_task_handed_out_again_mid_way_redoes_the_work_without_doubling_anything(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = run_upload(
        cb, ming, csv_bytes([cert_row(1), cert_row(2, city="")]), capture=django_capture_on_commit_callbacks
    )
    certificates = list(IssuedCertificate.objects.order_by("pk").values_list("pk", "certificate_number", "status"))
    # A worker died while applying, long ago (no heartbeat since): the broker delivers the task again.
    long_ago = timezone.now() - STALE_AFTER - dt.timedelta(seconds=1)
    CertificateUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.APPLYING, applied_rows=1, heartbeat_at=long_ago
    )

    upload_process(upload_id=upload.pk)

    upload.refresh_from_db()
    assert (upload.status, upload.total_rows, upload.applied_rows, upload.error_rows) == ("done_with_errors", 2, 1, 1)
    assert errors_of(upload) == [(3, "city", "required")]
    assert list(IssuedCertificate.objects.order_by("pk").values_list("pk", "certificate_number", "status")) == (
        certificates
    )
    assert CertificateStatusChange.objects.count() == 1


def test_uploading_the_corrected_file_again_is_safe(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    run_upload(cb, ming, csv_bytes([cert_row(1), cert_row(2, city="")]), capture=django_capture_on_commit_callbacks)

    second = run_upload(cb, ming, csv_bytes([cert_row(1), cert_row(2)]), capture=django_capture_on_commit_callbacks)

    assert (second.status, second.applied_rows) == ("done", 2)
    assert IssuedCertificate.objects.filter(cb=cb).count() == 2


def test_an_unexpected_error_fails_the_upload_saying_which_rows_applied(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services_uploads, "CHUNK_ROWS", 2)
    real_apply = services_registry.certificates_apply
    calls: list[int] = []

    def apply(**kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_apply(**kwargs)

    monkeypatch.setattr(services_registry, "certificates_apply", apply)

    upload = run_upload(
        cb, ming, csv_bytes([cert_row(n) for n in range(1, 6)]), capture=django_capture_on_commit_callbacks
    )

    assert upload.status == UploadStatus.FAILED
    assert upload.failure == (
        "An unexpected error stopped the processing (RuntimeError). The valid rows up to row 3 were applied; "
        "no row after it was applied. Uploading the file again is safe."
    )
    assert (upload.applied_rows, upload.processed_rows) == (2, 2)
    assert IssuedCertificate.objects.count() == 2
    assert AuditEvent.objects.filter(event_type="certificate_upload.failed", aggregate_id=str(upload.pk)).count() == 1


def test_a_stored_file_that_can_no_longer_be_read_fails_with_a_clear_message(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        upload = upload_create(cb=cb, actor=ming, file=uploaded(csv_bytes([cert_row(1)])))
    with upload.file.open("wb") as handle:
        handle.write(b"\x00\x01\x02 garbage")

    failed = upload_process(upload_id=upload.pk)

    assert failed is not None and failed.status == UploadStatus.FAILED
    assert failed.failure.startswith("Only CSV files and Excel workbooks")
    assert "No row was applied." in failed.failure


def test_a_member_of_another_cb_may_not_upload_for_this_one(cb: Cab, other_cab_user: User) -> None:
    with pytest.raises(NotPermitted) as caught:
        upload_create(cb=cb, actor=other_cab_user, file=uploaded(csv_bytes([cert_row(1)])))
    assert caught.value.code == "not_cab_member"
    assert CertificateUpload.objects.count() == 0


def test_a_laboratory_cannot_upload_certificates_even_by_its_own_member(cab: Cab, cab_admin: User) -> None:
    with pytest.raises(NotPermitted) as caught:
        upload_create(cb=cab, actor=cab_admin, file=uploaded(csv_bytes([cert_row(1)])))
    assert caught.value.code == "not_certification_body"
    assert (
        CertificateUpload.objects.count() == 0
        and AuditEvent.objects.filter(event_type__startswith="certificate_upload").count() == 0
    )


def test_the_secretariat_may_upload_for_any_certification_body(
    cb: Cab, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    upload = run_upload(cb, secretariat, csv_bytes([cert_row(1)]), capture=django_capture_on_commit_callbacks)
    assert (upload.status, upload.uploaded_by_id) == ("done", secretariat.pk)


def test_a_refused_file_stores_nothing(cb: Cab, ming: User, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(DomainError) as caught:
        upload_create(cb=cb, actor=ming, file=uploaded(csv_bytes([cert_row(1)], header=["colour"])))
    assert caught.value.code == "columns_unknown"
    assert CertificateUpload.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_the_rows_are_checked_in_the_uploaders_language(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    languages: list[str | None] = []
    real_validate = services_uploads.validate_rows

    def validate(rows: Any) -> Any:
        languages.append(translation.get_language())
        return real_validate(rows)

    monkeypatch.setattr(services_uploads, "validate_rows", validate)
    with translation.override("zh-hans"):
        run_upload(cb, ming, csv_bytes([cert_row(1)]), capture=django_capture_on_commit_callbacks)
    with translation.override("en"):
        upload = run_upload(cb, ming, csv_bytes([cert_row(1, city="")]), capture=django_capture_on_commit_callbacks)

    assert languages == ["zh-hans", "en"]
    assert upload.row_errors.get().message == "Row 2: city is missing."


def test_a_member_of_several_bodies_uploads_for_the_one_named(
    ming: User, cb: Cab, django_capture_on_commit_callbacks: Any
) -> None:
    second = new_certification_body("第二认证有限公司")
    CabMembershipFactory.create(cab=second, user=ming)

    upload = run_upload(second, ming, csv_bytes([cert_row(1)]), capture=django_capture_on_commit_callbacks)

    assert upload.cb_id == second.pk
    assert IssuedCertificate.objects.get().cb_id == second.pk


def test_an_xlsx_site_for_no_certificate_makes_the_upload_report_it(
    cb: Cab, ming: User, django_capture_on_commit_callbacks: Any
) -> None:
    data = xlsx_bytes([cert_row(1)], sites=[("ID-404", "广州市天河区9号", "")])

    upload = run_upload(cb, ming, data, "certificates.xlsx", capture=django_capture_on_commit_callbacks)

    assert (upload.status, upload.applied_rows, upload.error_rows, upload.processed_rows) == (
        "done_with_errors",
        1,
        1,
        1,
    )
    assert errors_of(upload) == [(2, "", "site_without_certificate")]
