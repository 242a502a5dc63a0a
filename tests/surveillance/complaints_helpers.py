"""Complaints made through the service, and files to attach, for the supervision tests."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import User
from surveillance.choices import ComplaintChannel, ComplaintKind
from surveillance.models import Complaint
from surveillance.services_complaints import complaint_acknowledge, complaint_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def public_complaint(**fields: Any) -> Complaint:
    """A complaint from the public about a suspected fake certificate, unless ``fields`` say otherwise."""
    values: dict[str, Any] = {
        "channel": ComplaintChannel.PUBLIC,
        "kind": ComplaintKind.FAKE_CERTIFICATE,
        "subject": "证书疑似伪造",
        "description": "供应商出示的证书在查询系统中找不到。",
        "certificate_number": "00124Q99999R0M",
        "complainant_name": "王芳",
        "complainant_email": "wang.fang@example.cn",
        "complainant_phone": "13800000000",
        "language": "zh-hans",
    }
    values.update(fields)
    return complaint_submit(**values)


def acknowledged(secretariat: User, **fields: Any) -> Complaint:
    return complaint_acknowledge(complaint=public_complaint(**fields), actor=secretariat)
