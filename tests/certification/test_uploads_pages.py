"""The upload pages: the form, the upload's progress and errors, the error report and the template."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accreditation.models import Cab
from certification.choices import UploadStatus
from certification.models import CertificateUpload, UploadRowError
from certification.upload_files import CHINESE_HEADERS
from certification.views_uploads import ERRORS_ON_PAGE
from core.models import User
from tests.accreditation.factories import CabMembershipFactory
from tests.certification.registry_helpers import accredit_for_management_systems
from tests.certification.uploads_helpers import (
    cb_member,
    cert_row,
    csv_bytes,
    new_certification_body,
    run_upload,
    uploaded,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cb(secretariat: User) -> Cab:
    body = new_certification_body()
    accredit_for_management_systems(body, secretariat)
    return body


@pytest.fixture
def ming(cb: Cab) -> User:
    return cb_member(cb)


def detail(upload: CertificateUpload) -> str:
    return reverse("certification:upload_detail", args=[upload.pk])


def test_a_member_uploads_through_the_form_and_lands_on_the_uploads_page(
    cb: Cab, ming: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(ming)
    form = client.get(reverse("certification:upload_create"))
    assert form.status_code == 200
    # One body only: it is not asked for.
    assert 'type="hidden" name="cb"' in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certification:upload_create"),
            {"cb": cb.pk, "file": uploaded(csv_bytes([cert_row(1), cert_row(2, city="")]))},
        )

    upload = CertificateUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(upload)
    page = client.get(detail(upload)).content.decode()
    assert "Done, some rows refused" in page
    assert 'value="100"' in page
    assert "Row 2: city is missing." not in page and "Row 3: city is missing." in page
    assert reverse("certification:upload_errors_download", args=[upload.pk]) in page


def test_a_member_of_several_bodies_chooses_one(cb: Cab, ming: User, client_for: Any) -> None:
    second = new_certification_body("第二认证有限公司", "Second Certification Co., Ltd.")
    CabMembershipFactory.create(cab=second, user=ming)

    page = client_for(ming).get(reverse("certification:upload_create")).content.decode()

    assert '<select name="cb"' in page
    assert "Second Certification Co., Ltd." in page and "China Test Certification Centre" in page


def test_a_refused_file_is_explained_on_the_form_and_nothing_is_kept(cb: Cab, ming: User, client_for: Any) -> None:
    response = client_for(ming).post(
        reverse("certification:upload_create"),
        {"cb": cb.pk, "file": uploaded(csv_bytes([cert_row(1)], header=["colour"]))},
    )

    assert response.status_code == 200
    assert "These columns are not part of the certificate template: “colour”." in response.content.decode()
    assert CertificateUpload.objects.count() == 0


def test_a_laboratory_member_is_refused_the_form(cab_admin: User, client_for: Any) -> None:
    assert client_for(cab_admin).get(reverse("certification:upload_create")).status_code == 403


def test_another_bodys_member_does_not_see_the_upload(
    cb: Cab, ming: User, other_cab_user: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    upload = run_upload(cb, ming, csv_bytes([cert_row(1)]), capture=django_capture_on_commit_callbacks)
    client = client_for(other_cab_user)

    assert client.get(detail(upload)).status_code == 404
    assert client.get(reverse("certification:upload_status", args=[upload.pk])).status_code == 404
    assert client.get(reverse("certification:upload_errors_download", args=[upload.pk])).status_code == 404
    assert upload.original_name not in client.get(reverse("certification:upload_list")).content.decode()


def test_html_in_values_is_shown_escaped(
    cb: Cab, ming: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    script = "<script>alert(1)</script>"
    upload = run_upload(
        cb, ming, csv_bytes([cert_row(1, standards=script)]), "<b>x</b>.csv", capture=django_capture_on_commit_callbacks
    )

    page = client_for(ming).get(detail(upload)).content.decode()

    assert script not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_status_url_gives_the_progress_counters(cb: Cab, ming: User, client_for: Any) -> None:
    upload = CertificateUpload.objects.create(
        cb=cb,
        format="csv",
        status=UploadStatus.APPLYING,
        total_rows=10_000,
        processed_rows=4_000,
        applied_rows=3_990,
        error_rows=10,
        uploaded_by=ming,
    )

    state = client_for(ming).get(reverse("certification:upload_status", args=[upload.pk])).json()
    page = client_for(ming).get(detail(upload)).content.decode()

    assert state == {
        "id": upload.pk,
        "status": "applying",
        "status_label": "Applying",
        "running": True,
        "total_rows": 10_000,
        "processed_rows": 4_000,
        "applied_rows": 3_990,
        "applied_through_row": 0,
        "error_rows": 10,
        "percent": 40,
        "failure": "",
    }
    # Without JavaScript: the state, and a link to refresh.
    assert 'value="40"' in page and 'data-running="true"' in page and "Refresh" in page
    assert "js/upload_progress.js" in page


def test_the_page_shows_the_first_200_errors_and_the_report_has_all(cb: Cab, ming: User, client_for: Any) -> None:
    upload = CertificateUpload.objects.create(
        cb=cb, format="csv", status=UploadStatus.DONE_WITH_ERRORS, error_rows=250, uploaded_by=ming
    )
    UploadRowError.objects.bulk_create(
        UploadRowError(upload=upload, row=n, field="city", code="required", message=f"Row {n}: city is missing.")
        for n in range(2, 252)
    )
    client = client_for(ming)

    page = client.get(detail(upload)).content.decode()
    report = client.get(reverse("certification:upload_errors_download", args=[upload.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))

    assert page.count("city is missing.") == ERRORS_ON_PAGE
    assert "The first 200 of 250 errors" in page
    assert len(lines) == 251
    assert lines[0] == ["Row", "Certification identity number", "Field", "Value", "Error code", "Message"]
    assert lines[1] == ["2", "", "city", "", "required", "Row 2: city is missing."]


def test_formula_cells_in_the_error_report_are_neutralised(
    cb: Cab, ming: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [
        cert_row(1, standards='=HYPERLINK("http://evil.example")'),
        cert_row(2, technical_sectors="+IAF 99", certification_identity_number="@ID-2"),
        cert_row(3, issue_date="-2025"),
    ]
    upload = run_upload(cb, ming, csv_bytes(rows), capture=django_capture_on_commit_callbacks)

    response = client_for(ming).get(reverse("certification:upload_errors_download", args=[upload.pk]))
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    cells = [cell for line in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in line]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'+IAF 99" in cells and "'@ID-2" in cells and "'-2025" in cells


@pytest.mark.parametrize(
    ("language", "first"),
    [("zh-hans", CHINESE_HEADERS["certification_identity_number"]), ("en", "certification_identity_number")],
)
def test_the_template_downloads_in_the_pages_language(ming: User, client_for: Any, language: str, first: str) -> None:
    client = client_for(ming, language=language)

    csv_response = client.get(reverse("certification:upload_template"), {"format": "csv"})
    xlsx_response = client.get(reverse("certification:upload_template"), {"format": "xlsx"})

    text = b"".join(csv_response.streaming_content)
    assert text.startswith(b"\xef\xbb\xbf")
    header, example = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert header[0] == first and example[0] == "CB-2025-000123"
    workbook = load_workbook(io.BytesIO(xlsx_response.content), read_only=True)
    assert next(workbook.worksheets[0].iter_rows(values_only=True))[0] == first
    assert workbook.sheetnames[1] == "sites"


def test_the_list_shows_the_bodys_uploads(
    cb: Cab, ming: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run_upload(cb, ming, csv_bytes([cert_row(1)]), "三月.csv", capture=django_capture_on_commit_callbacks)

    page = client_for(ming).get(reverse("certification:upload_list")).content.decode()

    assert "三月.csv" in page and "Upload certificates" in page
