"""Helpers for the registry tests: a valid report row, and a CB accredited for management systems."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accreditation.choices import CabKind
from accreditation.models import Accreditation, Cab
from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from certification.rows import CertificateRow, validate_rows
from core.models import User
from tests.accreditation.factories import CabFactory, make_credit_code, programme

TODAY = dt.date(2026, 6, 1)
#: The day the helpers' accreditation was granted and its first scope issued (back-dated).
GRANTED = dt.date(2024, 1, 1)


def row_values(**overrides: Any) -> dict[str, Any]:
    """The fields of one valid management-system certificate row, as a CB would send them."""
    values: dict[str, Any] = {
        "certification_identity_number": "ID-0001",
        "certificate_number": "00125Q30001R0M",
        "certification_status": "active",
        "certification_type": "management system",
        "standards": "ISO 9001:2015",
        "technical_sectors": "IAF 28",
        "certification_scope": "建筑工程施工",
        "original_issue_date": "",
        "issue_date": "2025-03-01",
        "expiry_date": "2028-02-28",
        "certified_entity_unique_id": "C-0001",
        "certified_entity_name": "北京华建工程有限公司",
        "certified_entity_english_name": "Beijing Huajian Engineering Co., Ltd.",
        "certified_entity_trading_name": "",
        "certified_entity_credit_code": make_credit_code(1),
        "street": "海淀区中关村大街1号",
        "city": "北京",
        "province": "北京",
        "postcode": "100080",
        "country": "CN",
    }
    values.update(overrides)
    return values


def make_rows(*rows: dict[str, Any]) -> list[CertificateRow]:
    """Validated rows (the test fails if any is refused)."""
    valid, errors = validate_rows(list(enumerate(rows, start=2)), today=timezone.localdate())
    assert errors == []
    return valid


def certification_body(**fields: Any) -> Cab:
    return CabFactory.create(kind=CabKind.CERTIFICATION_BODY, **fields)


def accredit_for_management_systems(cb: Cab, actor: User, items: list[dict[str, Any]] | None = None) -> Accreditation:
    """``cb`` accredited under MS with a published scope: ISO 9001 for IAF 28 and 34 unless told otherwise."""
    accreditation = accreditation_open(cab=cb, programme=programme("MS"), actor=actor)
    draft = scope_draft_start(accreditation=accreditation, actor=actor)
    for attributes in items or [
        {
            "standard": "GB/T 19001-2016 / ISO 9001:2015",
            "sectors": ["IAF 28", "IAF 34"],
            "certification_type": "初次认证",
        }
    ]:
        scope_item_add(version=draft, actor=actor, attributes=attributes)
    scope_version_publish(version=draft, actor=actor, issued_on=GRANTED)
    return accreditation_grant(accreditation=accreditation, actor=actor, granted_on=GRANTED)
