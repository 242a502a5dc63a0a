"""Certified entities and certificates for the lookup tests, made with the ORM (no upload service)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from accreditation.models import Cab
from accreditation.validators import credit_code_check_character
from certification.choices import CertificateStatus, CertificationType
from certification.models import CertificateSite, CertificateStatusChange, CertifiedEntity, IssuedCertificate

_numbers = itertools.count(1)


def make_credit_code(n: int) -> str:
    first17 = f"91110108{n:09d}"
    return first17 + credit_code_check_character(first17)


def entity(cab: Cab, name: str, **fields: Any) -> CertifiedEntity:
    n = next(_numbers)
    values: dict[str, Any] = {
        "cb": cab,
        "unique_id": f"E{n}",
        "name": name,
        "credit_code": make_credit_code(n + 500),
        "street": "中关村大街1号",
        "city": "北京",
        "province": "北京市",
    }
    values.update(fields)
    return CertifiedEntity.objects.create(**values)


def certificate(holder: CertifiedEntity, **fields: Any) -> IssuedCertificate:
    n = next(_numbers)
    values: dict[str, Any] = {
        "cb": holder.cb,
        "identity_number": f"ID-{n}",
        "certificate_number": f"00124Q{n:05d}R0M",
        "entity": holder,
        "certification_type": CertificationType.MANAGEMENT_SYSTEM,
        "standards": ["ISO 9001:2015"],
        "scope": "计算机软件的设计和开发",
        "status": CertificateStatus.ACTIVE,
        "issue_date": dt.date(2025, 3, 1),
        "expiry_date": dt.date(2028, 2, 28),
        "is_accredited": True,
    }
    values.update(fields)
    return IssuedCertificate.objects.create(**values)


ENTITY_FIELDS = {"english_name", "credit_code", "province", "city"}


def certified(cab: Cab, name: str, **fields: Any) -> IssuedCertificate:
    """An organisation named ``name`` with one certificate from ``cab`` (entity fields go to the entity)."""
    holder = entity(cab, name, **{k: v for k, v in fields.items() if k in ENTITY_FIELDS})
    return certificate(holder, **{k: v for k, v in fields.items() if k not in ENTITY_FIELDS})


def with_history(certificate: IssuedCertificate) -> IssuedCertificate:
    """A site and two reported statuses: valid from issue, suspended later."""
    CertificateSite.objects.create(certificate=certificate, address="上海市浦东新区张江路88号", scope="软件测试")
    CertificateStatusChange.objects.create(
        certificate=certificate, status=CertificateStatus.ACTIVE, effective_on=certificate.issue_date
    )
    CertificateStatusChange.objects.create(
        certificate=certificate, status=CertificateStatus.SUSPENDED, effective_on=dt.date(2026, 1, 15)
    )
    return certificate
