"""Demonstration certificates on top of ``seed_demo``, made through the services.

- The accreditations of the demo logins' two bodies get their accreditation certificate (signed,
  rendered by the task), so the verification page and its QR code can be tried at once.
- The certification body of ``cb-admin`` reports sixty management-system certificates it issued:
  most within its accredited scope, a few for a standard or sector outside it (stored as not
  accredited, with the reason), a few suspended or expired. The public lookup finds them by a
  two-character fragment such as 科技.

Idempotent: an accreditation that has a certificate and a body that reported certificates are
left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accreditation.choices import AccreditationStatus, CabKind
from accreditation.models import Accreditation, Cab, CabMembership
from accreditation.validators import credit_code_check_character
from certification.choices import IssueReason
from certification.models import AccreditationCertificate, IssuedCertificate
from certification.rows import standard_key, standard_lookup, validate_rows
from certification.services_certificates import accreditation_certificate_issue
from certification.services_registry import certificates_apply
from core.models import User

DEMO_LOGINS = ("lab-admin", "cb-admin")
RANDOM_SEED = 20261121

PLACES = ("北京", "上海", "苏州", "杭州", "深圳", "成都", "武汉", "西安", "南京", "青岛")
WORDS = ("华信", "中科", "恒通", "瑞丰", "博远", "天成", "新锐", "卓越", "安达", "润泽", "宏图", "金盛")
TRADES = ("科技", "电子", "建设工程", "食品", "机械制造", "物流", "软件", "环保科技", "医疗器械", "新材料")
FORMS = ("有限公司", "股份有限公司")
SCOPES = {
    "科技": "计算机软件的开发及相关技术服务",
    "电子": "电子元器件的生产和销售",
    "建设工程": "建筑工程施工总承包",
    "食品": "预包装食品的生产",
    "机械制造": "通用机械设备的设计和制造",
    "物流": "道路货物运输及仓储服务",
    "软件": "应用软件的开发和运维服务",
    "环保科技": "污水处理设备的设计、生产和安装",
    "医疗器械": "一类医疗器械的生产",
    "新材料": "复合材料的研发和生产",
}


@dataclass
class CertificatesReport:
    accreditation_certificates: int = 0
    issued_certificates: int = 0


def _credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = (
        "91"
        + f"{rng.choice(['110', '310', '320', '330', '440', '510'])}{rng.randrange(100, 999)}"
        + "".join(rng.choice(alphabet) for _ in range(9))
    )
    return first17 + credit_code_check_character(first17)


def scope_pairs(accreditation: Accreditation) -> list[tuple[str, list[str]]]:
    scope = accreditation.current_scope
    if scope is None:
        return []
    known = standard_lookup()
    pairs = []
    for item in scope.items.all():
        for spelling in str(item.attributes.get("standard", "")).split(" / "):
            code = known.get(standard_key(spelling))
            sectors = [str(s) for s in item.attributes.get("sectors", []) if str(s).startswith("IAF")]
            if code and sectors:
                pairs.append((code, sectors))
                break
    return pairs


def _rows(accreditation: Accreditation, today: dt.date) -> list[tuple[int, dict[str, Any]]]:
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - demo data, not secrets
    pairs = scope_pairs(accreditation) or [("ISO 9001:2015", ["IAF 28"])]
    rows: list[tuple[int, dict[str, Any]]] = []
    for number in range(1, 61):
        trade = rng.choice(TRADES)
        name = f"{rng.choice(PLACES)}{rng.choice(WORDS)}{trade}{rng.choice(FORMS)}"
        standard, sectors = pairs[number % len(pairs)]
        sector = sectors[0] if sectors else "IAF 28"
        if number % 12 == 0:  # outside the accredited scope: a standard the body does not hold
            standard, sector = "ISO 50001:2018", "IAF 19"
        issued = today - dt.timedelta(days=30 + number * 11)
        status = "suspended" if number % 15 == 0 else ("expired" if number % 20 == 0 else "active")
        rows.append(
            (
                number + 1,
                {
                    "certification_identity_number": f"DEMO-{number:04d}",
                    "certificate_number": f"0{number:04d}Q{issued:%y}R0M",
                    "certification_status": status,
                    "certification_type": "management system",
                    "standards": standard,
                    "technical_sectors": sector,
                    "certification_scope": SCOPES[trade],
                    "original_issue_date": "",
                    "issue_date": f"{issued:%Y-%m-%d}",
                    "expiry_date": f"{issued + dt.timedelta(days=3 * 365 - 1):%Y-%m-%d}",
                    "certified_entity_unique_id": f"CLIENT-{number:04d}",
                    "certified_entity_name": name,
                    "certified_entity_english_name": "",
                    "certified_entity_trading_name": "",
                    "certified_entity_credit_code": _credit_code(rng),
                    "street": f"{rng.choice(('高新区', '经济开发区', '工业园区'))}{rng.randrange(1, 300)}号",
                    "city": name[:2],
                    "province": "",
                    "postcode": "",
                    "country": "CN",
                },
            )
        )
    return rows


@transaction.atomic
def seed_demo_certificates(*, today: dt.date | None = None) -> CertificatesReport:
    today = today or timezone.localdate()
    report = CertificatesReport()
    secretariat = User.objects.get(username="secretariat")
    cabs = Cab.objects.filter(memberships__user__username__in=DEMO_LOGINS, memberships__is_admin=True).distinct()
    live = Accreditation.objects.filter(
        cab__in=cabs, status__in=[AccreditationStatus.ACCREDITED, AccreditationStatus.PARTIALLY_SUSPENDED]
    ).order_by("pk")
    for accreditation in live:
        if not AccreditationCertificate.objects.filter(accreditation=accreditation).exists():
            accreditation_certificate_issue(
                accreditation=accreditation, reason=IssueReason.GRANT, actor=secretariat, note="演示数据"
            )
            report.accreditation_certificates += 1

    membership = CabMembership.objects.filter(user__username="cb-admin", is_admin=True).select_related("cab").first()
    if membership is None or membership.cab.kind != CabKind.CERTIFICATION_BODY:
        return report
    cb = membership.cab
    management = live.filter(cab=cb, programme__code="MS").first()
    if management is None or IssuedCertificate.objects.filter(cb=cb).exists():
        return report
    valid, errors = validate_rows(_rows(management, today), today=today)
    if errors:
        raise ValueError(f"The demo certificates do not validate: {errors[:3]}")
    report.issued_certificates = certificates_apply(cb=cb, rows=valid)
    return report
