"""Check and normalise the rows of a certificate report (``CERTIFICATE-UPLOAD.md``), whatever carried them.

A spreadsheet, an API batch and the web form all hand their rows here as ``(row number, {field:
text})``. ``validate_rows`` returns the rows that are valid, normalised (statuses and types as
choices, standards as ``Standard.code``, sectors as ``IAF 28``, dates as dates, countries as ISO
codes), and every problem of every other row at once, each as a short translated sentence that
names the row, the field and the value.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accreditation.validators import credit_code_problem, normalise_credit_code
from certification.choices import CHINESE_STATUS_WORDS, CertificateStatus, CertificationType

FIELDS: tuple[str, ...] = (
    "certification_identity_number",
    "certificate_number",
    "certification_status",
    "certification_type",
    "standards",
    "technical_sectors",
    "certification_scope",
    "original_issue_date",
    "issue_date",
    "expiry_date",
    "certified_entity_unique_id",
    "certified_entity_name",
    "certified_entity_english_name",
    "certified_entity_trading_name",
    "certified_entity_credit_code",
    "street",
    "city",
    "province",
    "postcode",
    "country",
)

#: What each field is called in messages and templates.
FIELD_LABELS: dict[str, Promise] = {
    "certification_identity_number": _("certification identity number"),
    "certificate_number": _("certificate number"),
    "certification_status": _("status"),
    "certification_type": _("certification type"),
    "standards": _("standards"),
    "technical_sectors": _("technical sectors"),
    "certification_scope": _("certification scope"),
    "original_issue_date": _("original issue date"),
    "issue_date": _("date of issue"),
    "expiry_date": _("expiry date"),
    "certified_entity_unique_id": _("client id"),
    "certified_entity_name": _("entity name"),
    "certified_entity_english_name": _("English name"),
    "certified_entity_trading_name": _("trading name"),
    "certified_entity_credit_code": _("credit code"),
    "street": _("street"),
    "city": _("city"),
    "province": _("province"),
    "postcode": _("postcode"),
    "country": _("country"),
    "": _("sites"),
}

REQUIRED: frozenset[str] = frozenset(
    {
        "certification_identity_number",
        "certificate_number",
        "certification_status",
        "certification_type",
        "standards",
        "certification_scope",
        "issue_date",
        "expiry_date",
        "certified_entity_unique_id",
        "certified_entity_name",
        "street",
        "city",
        "country",
    }
)

#: The longest value each field takes (the columns of ``CertifiedEntity`` and ``IssuedCertificate``).
MAX_LENGTHS: dict[str, int] = {
    "certification_identity_number": 60,
    "certificate_number": 60,
    "certification_scope": 10000,
    "certified_entity_unique_id": 45,
    "certified_entity_name": 300,
    "certified_entity_english_name": 300,
    "certified_entity_trading_name": 500,
    "street": 300,
    "city": 100,
    "province": 100,
    "postcode": 20,
}
SITE_ADDRESS_MAX = 500
SITE_SCOPE_MAX = 4000
VALUE_MAX = 300

_TYPE_WORDS: dict[str, str] = {
    "managementsystem": CertificationType.MANAGEMENT_SYSTEM,
    "managementsystems": CertificationType.MANAGEMENT_SYSTEM,
    "ms": CertificationType.MANAGEMENT_SYSTEM,
    "管理体系": CertificationType.MANAGEMENT_SYSTEM,
    "管理体系认证": CertificationType.MANAGEMENT_SYSTEM,
    "体系": CertificationType.MANAGEMENT_SYSTEM,
    "product": CertificationType.PRODUCT,
    "products": CertificationType.PRODUCT,
    "产品": CertificationType.PRODUCT,
    "产品认证": CertificationType.PRODUCT,
    "service": CertificationType.SERVICE,
    "services": CertificationType.SERVICE,
    "服务": CertificationType.SERVICE,
    "服务认证": CertificationType.SERVICE,
    "persons": CertificationType.PERSONS,
    "person": CertificationType.PERSONS,
    "personnel": CertificationType.PERSONS,
    "人员": CertificationType.PERSONS,
    "人员认证": CertificationType.PERSONS,
}

_STATUS_WORDS: dict[str, str] = {
    **{status.value: status.value for status in CertificateStatus},
    "valid": CertificateStatus.ACTIVE,
    **{word: str(status) for word, status in CHINESE_STATUS_WORDS.items()},
}

#: ISO 3166-1 alpha-2, every code assigned.
_ISO_COUNTRY_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
    BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM
    FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN
    MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT
    PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL
    TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"""
ISO_COUNTRY_CODES: frozenset[str] = frozenset(_ISO_COUNTRY_CODES.split())

#: The names CBs write for the countries their clients are in, by the casefolded name.
COUNTRY_NAMES: dict[str, str] = {
    "中国": "CN",
    "中华人民共和国": "CN",
    "china": "CN",
    "people's republic of china": "CN",
    "p.r. china": "CN",
    "p.r.china": "CN",
    "prc": "CN",
    "chn": "CN",
    "中国香港": "HK",
    "香港": "HK",
    "hong kong": "HK",
    "中国澳门": "MO",
    "澳门": "MO",
    "macao": "MO",
    "macau": "MO",
    "中国台湾": "TW",
    "台湾": "TW",
    "taiwan": "TW",
    "美国": "US",
    "united states": "US",
    "usa": "US",
    "united states of america": "US",
    "英国": "GB",
    "united kingdom": "GB",
    "uk": "GB",
    "德国": "DE",
    "germany": "DE",
    "法国": "FR",
    "france": "FR",
    "日本": "JP",
    "japan": "JP",
    "韩国": "KR",
    "korea": "KR",
    "south korea": "KR",
    "新加坡": "SG",
    "singapore": "SG",
    "马来西亚": "MY",
    "malaysia": "MY",
    "泰国": "TH",
    "thailand": "TH",
    "越南": "VN",
    "vietnam": "VN",
    "viet nam": "VN",
    "印度尼西亚": "ID",
    "indonesia": "ID",
    "印度": "IN",
    "india": "IN",
    "澳大利亚": "AU",
    "australia": "AU",
    "加拿大": "CA",
    "canada": "CA",
    "意大利": "IT",
    "italy": "IT",
    "俄罗斯": "RU",
    "russia": "RU",
    "巴西": "BR",
    "brazil": "BR",
}

_SECTOR = re.compile(r"^(IAF|EA)\s*[-:]?\s*0*(\d{1,2})(\.\d{1,2})?\s*([A-Za-z])?$", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_LIST_SPLIT = re.compile(r"[;；,，、\n]")


@dataclass(frozen=True)
class RowError:
    """One problem with one field of one row, as a sentence in the active language."""

    row: int
    identity_number: str
    field: str
    value: str
    code: str
    message: str


@dataclass
class CertificateRow:
    """One valid row, normalised."""

    row: int
    identity_number: str
    certificate_number: str
    status: str
    certification_type: str
    standards: list[str]
    sectors: list[str]
    scope: str
    original_issue_date: dt.date | None
    issue_date: dt.date
    expiry_date: dt.date
    entity_unique_id: str
    entity_name: str
    entity_english_name: str
    entity_trading_name: str
    credit_code: str
    street: str
    city: str
    province: str
    postcode: str
    country: str
    #: The further sites, or ``None`` when the input did not carry sites at all (a CSV file has no
    #: sites column): then the sites already on record are kept rather than removed.
    sites: list[tuple[str, str]] | None = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def standard_key(value: str) -> str:
    """How a standard's spelling is compared: width-folded, casefolded, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).casefold()


def standard_lookup() -> dict[str, str]:
    """Every code and alias of the active standards, by ``standard_key``, to the standard's code."""
    from certification.models import Standard

    lookup: dict[str, str] = {}
    for code, aliases in Standard.objects.filter(is_active=True).values_list("code", "aliases"):
        for spelling in [code, *(aliases or [])]:
            lookup.setdefault(standard_key(str(spelling)), code)
    return lookup


def normalise_sector(value: str) -> str | None:
    """``iaf28`` → ``IAF 28``, ``EA 29a`` → ``EA 29a``; None when it is not an IAF/EA code."""
    match = _SECTOR.match(unicodedata.normalize("NFKC", value).strip())
    if not match:
        return None
    prefix, number, sub, letter = match.groups()
    if not 1 <= int(number) <= 39:
        return None
    return f"{prefix.upper()} {int(number)}{sub or ''}{(letter or '').lower()}"


def parse_date(value: str) -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY/MM/DD`` or ``YYYYMMDD`` (a time of day after it is ignored); None if not a date."""
    text = unicodedata.normalize("NFKC", value).strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def normalise_country(value: str) -> str | None:
    text = unicodedata.normalize("NFKC", value).strip()
    if text.upper() in ISO_COUNTRY_CODES:
        return text.upper()
    return COUNTRY_NAMES.get(re.sub(r"\s+", " ", text).casefold())


def _text(value: Any) -> str:
    if type(value) is str:  # nearly every cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _clip(value: str) -> str:
    return value[:VALUE_MAX]


class _RowChecker:
    """Collects the errors of one row while its fields are parsed."""

    def __init__(self, row: int, identity_number: str) -> None:
        self.row = row
        self.identity_number = identity_number
        self.errors: list[RowError] = []

    def add(self, field_name: str, value: str, code: str, message: Promise, **params: Any) -> None:
        label = FIELD_LABELS.get(field_name, field_name)
        sentence = str(message).format(row=self.row, field=label, value=_clip(value), **params)
        self.errors.append(
            RowError(
                row=self.row,
                identity_number=self.identity_number[:60],
                field=field_name,
                value=_clip(value),
                code=code,
                message=sentence,
            )
        )


def _parse_sites(raw: Any, check: _RowChecker) -> list[tuple[str, str]]:
    """Sites as a JSON array (objects with address and scope, or pairs) or ``address|scope`` lines."""
    if raw is None or raw == "" or raw == []:
        return []
    items: list[Any]
    if isinstance(raw, list):
        items = raw
    else:
        text = str(raw).strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                check.add("", text, "sites_invalid", _("Row {row}: the sites are not a valid JSON array."))
                return []
            items = loaded if isinstance(loaded, list) else []
        else:
            items = [line for line in text.splitlines() if line.strip()]
    sites: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, Mapping):
            address, scope = _text(item.get("address")), _text(item.get("scope"))
        elif isinstance(item, (list, tuple)) and item:
            address, scope = _text(item[0]), _text(item[1]) if len(item) > 1 else ""
        elif isinstance(item, str):
            address, _sep, scope = (part.strip() for part in item.partition("|"))
        else:
            check.add("", _text(item), "sites_invalid", _("Row {row}: a site needs an address and a scope."))
            continue
        if not address:
            check.add("", scope, "sites_invalid", _("Row {row}: a site has no address."))
        elif len(address) > SITE_ADDRESS_MAX:
            check.add(
                "",
                address,
                "too_long",
                _("Row {row}: a site address is longer than {limit} characters."),
                limit=SITE_ADDRESS_MAX,
            )
        elif len(scope) > SITE_SCOPE_MAX:
            check.add(
                "",
                scope,
                "too_long",
                _("Row {row}: a site scope is longer than {limit} characters."),
                limit=SITE_SCOPE_MAX,
            )
        else:
            sites.append((address, scope))
    return sites


def _validate_one(
    row: int, raw: Mapping[str, Any], today: dt.date, standards_by_key: Mapping[str, str]
) -> tuple[CertificateRow | None, list[RowError]]:
    values = {name: _text(raw.get(name)) for name in FIELDS}
    identity = values["certification_identity_number"]
    check = _RowChecker(row, identity)

    for name in FIELDS:
        value = values[name]
        if name in REQUIRED and not value:
            check.add(name, value, "required", _("Row {row}: {field} is missing."))
        elif name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            check.add(
                name,
                value,
                "too_long",
                _("Row {row}: {field} is longer than {limit} characters ({count})."),
                limit=MAX_LENGTHS[name],
                count=len(value),
            )

    status = ""
    if values["certification_status"]:
        status = _STATUS_WORDS.get(values["certification_status"].casefold(), "")
        if not status:
            check.add(
                "certification_status",
                values["certification_status"],
                "status_unknown",
                _(
                    "Row {row}: status “{value}” is not one of active, suspended, withdrawn, expired, cancelled, "
                    "inactive, draft (or 有效, 暂停, 撤销, 注销, 过期)."
                ),
            )

    certification_type = ""
    if values["certification_type"]:
        key = re.sub(r"[\s_\-]+", "", values["certification_type"]).casefold()
        certification_type = _TYPE_WORDS.get(key, "")
        if not certification_type:
            check.add(
                "certification_type",
                values["certification_type"],
                "type_unknown",
                _(
                    "Row {row}: certification type “{value}” is not one of "
                    "management system, product, service, persons."
                ),
            )

    standards: list[str] = []
    for spelling in (part.strip() for part in _LIST_SPLIT.split(values["standards"])):
        if not spelling:
            continue
        code = standards_by_key.get(standard_key(spelling))
        if code is None:
            check.add("standards", spelling, "standard_unknown", _("Row {row}: standard “{value}” is not known."))
        elif code not in standards:
            standards.append(code)

    sectors: list[str] = []
    for spelling in (part.strip() for part in _LIST_SPLIT.split(values["technical_sectors"])):
        if not spelling:
            continue
        sector = normalise_sector(spelling)
        if sector is None and certification_type != CertificationType.MANAGEMENT_SYSTEM:
            sector = spelling
        if sector is None:
            check.add(
                "technical_sectors",
                spelling,
                "sector_invalid",
                _("Row {row}: technical sector “{value}” is not an IAF or EA code such as IAF 28."),
            )
        elif sector not in sectors:
            sectors.append(sector)
    if certification_type == CertificationType.MANAGEMENT_SYSTEM and not values["technical_sectors"]:
        check.add(
            "technical_sectors",
            "",
            "required",
            _("Row {row}: {field} is missing; a management system certificate names its IAF/EA sectors."),
        )

    dates: dict[str, dt.date | None] = {}
    for name in ("original_issue_date", "issue_date", "expiry_date"):
        dates[name] = None
        if values[name]:
            dates[name] = parse_date(values[name])
            if dates[name] is None:
                check.add(name, values[name], "date_invalid", _("Row {row}: {field} “{value}” is not a valid date."))
    issue, expiry, original = dates["issue_date"], dates["expiry_date"], dates["original_issue_date"]
    if issue and issue > today:
        check.add(
            "issue_date", values["issue_date"], "issue_in_future", _("Row {row}: {field} “{value}” is after today.")
        )
    if issue and expiry and expiry <= issue:
        check.add(
            "expiry_date",
            values["expiry_date"],
            "expiry_before_issue",
            _("Row {row}: {field} “{value}” is not after the issue date."),
        )
    if issue and original and original > issue:
        check.add(
            "original_issue_date",
            values["original_issue_date"],
            "original_after_issue",
            _("Row {row}: {field} “{value}” is after the issue date."),
        )

    country = ""
    if values["country"]:
        country = normalise_country(values["country"]) or ""
        if not country:
            check.add(
                "country",
                values["country"],
                "country_unknown",
                _("Row {row}: country “{value}” is not an ISO 3166 code or a country name we know."),
            )

    credit_code = normalise_credit_code(values["certified_entity_credit_code"])
    if credit_code:
        problem = credit_code_problem(credit_code)
        if problem:
            check.add(
                "certified_entity_credit_code",
                values["certified_entity_credit_code"],
                "credit_code_invalid",
                _("Row {row}: credit code “{value}”: {problem}"),
                problem=problem,
            )
    elif country == "CN":
        check.add(
            "certified_entity_credit_code",
            "",
            "required",
            _("Row {row}: {field} is missing; an entity in China has a unified social credit code."),
        )

    sites = _parse_sites(raw["sites"], check) if "sites" in raw else None

    if check.errors:
        return None, check.errors
    assert issue is not None and expiry is not None
    return (
        CertificateRow(
            row=row,
            identity_number=identity,
            certificate_number=values["certificate_number"],
            status=status,
            certification_type=certification_type,
            standards=standards,
            sectors=sectors,
            scope=values["certification_scope"],
            original_issue_date=original,
            issue_date=issue,
            expiry_date=expiry,
            entity_unique_id=values["certified_entity_unique_id"],
            entity_name=values["certified_entity_name"],
            entity_english_name=values["certified_entity_english_name"],
            entity_trading_name=values["certified_entity_trading_name"],
            credit_code=credit_code,
            street=values["street"],
            city=values["city"],
            province=values["province"],
            postcode=values["postcode"],
            country=country,
            sites=sites,
        ),
        [],
    )


def validate_rows(
    rows: Iterable[tuple[int, Mapping[str, Any]]], *, today: dt.date | None = None
) -> tuple[list[CertificateRow], list[RowError]]:
    """Every error of every row at once; a row with any error is not in the first list.

    Also flags an identity number repeated inside the batch (every occurrence after the first).
    The standards are read from the database once per call.
    """
    today = today or timezone.localdate()
    standards_by_key = standard_lookup()
    valid: list[CertificateRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row, raw in rows:
        parsed, row_errors = _validate_one(row, raw, today, standards_by_key)
        identity = _text(raw.get("certification_identity_number"))
        if identity:
            if identity in seen:
                check = _RowChecker(row, identity)
                check.add(
                    "certification_identity_number",
                    identity,
                    "duplicate_in_file",
                    _("Row {row}: {field} “{value}” is already used by row {first}."),
                    first=seen[identity],
                )
                row_errors = [*row_errors, *check.errors]
                parsed = None
            else:
                seen[identity] = row
        errors.extend(row_errors)
        if parsed is not None:
            valid.append(parsed)
    return valid, errors
