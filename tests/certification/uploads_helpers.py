"""Helpers for the upload tests: spreadsheets in every encoding, a CB with a member, running an upload."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accreditation.models import Cab
from certification.models import CertificateUpload
from certification.rows import FIELDS
from certification.services_uploads import upload_create
from core.models import User
from tests.accreditation.factories import CabMembershipFactory, UserFactory, make_credit_code
from tests.certification.registry_helpers import certification_body, row_values


def cert_row(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid row whose identity number, client id and credit code are derived from ``n``."""
    derived = {
        "certification_identity_number": f"ID-{n:06d}",
        "certificate_number": f"00125Q3{n:06d}",
        "certified_entity_unique_id": f"C-{n:06d}",
        "certified_entity_credit_code": make_credit_code(n + 500),
    }
    return row_values(**{**derived, **overrides})


def csv_text(rows: Sequence[dict[str, Any]], header: Sequence[str] = FIELDS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in FIELDS])
    return buffer.getvalue()


def csv_bytes(rows: Sequence[dict[str, Any]], encoding: str = "utf-8", header: Sequence[str] = FIELDS) -> bytes:
    return csv_text(rows, header).encode(encoding)


def xlsx_bytes(
    rows: Sequence[dict[str, Any]],
    sites: Sequence[tuple[str, str, str]] | None = None,
    header: Sequence[str] = FIELDS,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "certificates"
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(name, "") for name in FIELDS])
    if sites is not None:
        site_sheet = workbook.create_sheet("sites")
        site_sheet.append(["certification_identity_number", "address", "scope"])
        for site in sites:
            site_sheet.append(list(site))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uploaded(data: bytes, name: str = "certificates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def cb_member(cb: Cab, username: str = "ming") -> User:
    return CabMembershipFactory.create(cab=cb, user=UserFactory.create(username=username)).user


def new_certification_body(name: str = "中国质量认证中心测试", name_en: str = "China Test Certification Centre") -> Cab:
    return certification_body(name_zh=name, name_en=name_en)


def run_upload(cb: Cab, actor: User, data: bytes, name: str = "certificates.csv", *, capture: Any) -> CertificateUpload:
    """Upload ``data`` and run the task (in-process, after commit) as the worker would."""
    with capture(execute=True):
        upload = upload_create(cb=cb, actor=actor, file=uploaded(data, name))
    upload.refresh_from_db()
    return upload
