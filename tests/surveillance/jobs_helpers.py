"""What the daily jobs' tests share: certificates made with the ORM, and the notifications a job sent."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from accreditation.choices import CabKind
from accreditation.models import Cab
from certification.choices import CertificateStatus, CertificationType
from certification.models import CertifiedEntity, IssuedCertificate
from core.models import Notification
from tests.accreditation.factories import CabFactory

_numbers = itertools.count(1)


def certification_body() -> Cab:
    return CabFactory.create(kind=CabKind.CERTIFICATION_BODY, name_zh="北京远航认证有限公司")


def issued(cb: Cab, *, expiry: dt.date, status: str = CertificateStatus.ACTIVE, **fields: Any) -> IssuedCertificate:
    n = next(_numbers)
    holder = CertifiedEntity.objects.create(
        cb=cb, unique_id=f"E{n}", name=f"北京华建工程有限公司{n}", street="中关村大街1号", city="北京"
    )
    values: dict[str, Any] = {
        "cb": cb,
        "identity_number": f"ID-{n}",
        "certificate_number": f"00125Q{n:05d}R0M",
        "entity": holder,
        "certification_type": CertificationType.MANAGEMENT_SYSTEM,
        "standards": ["ISO 9001:2015"],
        "scope": "建筑工程施工",
        "status": status,
        "issue_date": expiry - dt.timedelta(days=3 * 365),
        "expiry_date": expiry,
        "is_accredited": True,
    }
    values.update(fields)
    return IssuedCertificate.objects.create(**values)


def sent(kind: str, **recipient: Any) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, **recipient).order_by("pk"))
