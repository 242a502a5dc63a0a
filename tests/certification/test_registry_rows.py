"""Rows of a certificate report: each field's rule, normalisation and the messages a clerk reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from certification.choices import CertificateStatus, CertificationType
from certification.rows import FIELDS, CertificateRow, RowError, validate_rows
from tests.accreditation.factories import make_credit_code
from tests.certification.registry_helpers import TODAY, row_values

pytestmark = pytest.mark.django_db


def one(**overrides: object) -> tuple[list[CertificateRow], list[RowError]]:
    return validate_rows([(2, row_values(**overrides))], today=TODAY)


def codes(errors: list[RowError]) -> list[tuple[str, str]]:
    return [(error.field, error.code) for error in errors]


def test_fields_are_the_columns_of_the_upload_format_in_order() -> None:
    assert FIELDS[:3] == ("certification_identity_number", "certificate_number", "certification_status")
    assert FIELDS[-5:] == ("street", "city", "province", "postcode", "country")
    assert "sites" not in FIELDS and len(FIELDS) == 20


def test_a_valid_row_is_normalised() -> None:
    valid, errors = one(
        standards="gb/t 19001-2016；ISO  14001:2015",
        technical_sectors="iaf28, IAF 34;IAF28",
        issue_date="20250301",
        expiry_date="2028/02/28",
        country="中国",
        certified_entity_name="  <b>华建</b>  ",
    )
    assert errors == []
    row = valid[0]
    assert row.row == 2
    assert row.standards == ["ISO 9001:2015", "ISO 14001:2015"]
    assert row.sectors == ["IAF 28", "IAF 34"]
    assert row.issue_date == dt.date(2025, 3, 1) and row.expiry_date == dt.date(2028, 2, 28)
    assert row.country == "CN"
    assert row.entity_name == "<b>华建</b>"
    assert row.status == CertificateStatus.ACTIVE
    assert row.certification_type == CertificationType.MANAGEMENT_SYSTEM


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("有效", "active"),
        ("暂停", "suspended"),
        ("撤销", "withdrawn"),
        ("注销", "cancelled"),
        ("过期", "expired"),
        ("Suspended", "suspended"),
        ("DRAFT", "draft"),
    ],
)
def test_status_words_in_chinese_and_english_are_mapped(word: str, status: str) -> None:
    valid, errors = one(certification_status=word)
    assert errors == [] and valid[0].status == status


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("管理体系", "management_system"),
        ("产品", "product"),
        ("服务", "service"),
        ("人员", "persons"),
        ("Product", "product"),
    ],
)
def test_certification_types_in_chinese_and_english_are_mapped(word: str, kind: str) -> None:
    valid, errors = one(certification_type=word, standards="GB/T 19630-2019" if kind == "product" else "ISO 9001:2015")
    assert errors == [] and valid[0].certification_type == kind


def test_an_unknown_status_and_type_are_refused() -> None:
    valid, errors = one(certification_status="valid-ish", certification_type="building")
    assert valid == []
    assert codes(errors) == [("certification_status", "status_unknown"), ("certification_type", "type_unknown")]


@pytest.mark.parametrize("bad", ["2025-13-01", "2025-02-30", "01/03/2025", "next week", "2025031"])
def test_a_bad_date_names_row_field_and_value(bad: str) -> None:
    valid, errors = one(issue_date=bad)
    assert valid == []
    assert codes(errors) == [("issue_date", "date_invalid")]
    assert errors[0].message == f"Row 2: date of issue “{bad}” is not a valid date."


def test_the_message_is_in_chinese_when_chinese_is_active() -> None:
    with translation.override("zh-hans"):
        _valid, errors = one(issue_date="2025-13-01")
    assert "2025-13-01" in errors[0].message and "2" in errors[0].message


def test_an_issue_date_after_today_and_an_expiry_before_issue_are_refused() -> None:
    _valid, errors = one(issue_date="2026-06-02", expiry_date="2026-06-01")
    assert codes(errors) == [("issue_date", "issue_in_future"), ("expiry_date", "expiry_before_issue")]


def test_an_original_issue_date_after_the_issue_date_is_refused() -> None:
    _valid, errors = one(original_issue_date="2025-04-01")
    assert codes(errors) == [("original_issue_date", "original_after_issue")]


def test_an_unknown_standard_is_named_in_the_error() -> None:
    _valid, errors = one(standards="ISO 9001:2015; ISO 99999:2030")
    assert codes(errors) == [("standards", "standard_unknown")]
    assert errors[0].value == "ISO 99999:2030"
    assert errors[0].message == "Row 2: standard “ISO 99999:2030” is not known."


def test_a_bad_credit_code_is_refused_with_the_reason() -> None:
    code = make_credit_code(7)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    _valid, errors = one(certified_entity_credit_code=wrong)
    assert codes(errors) == [("certified_entity_credit_code", "credit_code_invalid")]
    assert "check character" in errors[0].message


def test_a_credit_code_is_required_in_china_only() -> None:
    _valid, errors = one(certified_entity_credit_code="")
    assert codes(errors) == [("certified_entity_credit_code", "required")]
    valid, errors = one(certified_entity_credit_code="", country="Singapore")
    assert errors == [] and valid[0].country == "SG"


def test_an_unknown_country_is_refused() -> None:
    _valid, errors = one(country="Atlantis")
    assert codes(errors) == [("country", "country_unknown")]


def test_every_missing_required_field_is_reported_at_once() -> None:
    _valid, errors = one(
        certificate_number="", certification_scope=" ", street="", city="", certified_entity_name="", issue_date=""
    )
    assert codes(errors) == [
        ("certificate_number", "required"),
        ("certification_scope", "required"),
        ("issue_date", "required"),
        ("certified_entity_name", "required"),
        ("street", "required"),
        ("city", "required"),
    ]


def test_sectors_are_required_for_management_systems_and_must_be_iaf_or_ea_codes() -> None:
    assert codes(one(technical_sectors="")[1]) == [("technical_sectors", "required")]
    assert codes(one(technical_sectors="IAF 28; building")[1]) == [("technical_sectors", "sector_invalid")]
    valid, errors = one(technical_sectors="ea 29a")
    assert errors == [] and valid[0].sectors == ["EA 29a"]
    valid, errors = one(technical_sectors="", certification_type="product", standards="GB/T 20014")
    assert errors == [] and valid[0].sectors == []


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("certification_identity_number", 60),
        ("certificate_number", 60),
        ("certified_entity_unique_id", 45),
        ("certified_entity_name", 300),
        ("certified_entity_trading_name", 500),
    ],
)
def test_a_value_too_long_is_refused(field: str, limit: int) -> None:
    valid, errors = one(**{field: "长" * (limit + 1)})
    assert valid == []
    assert codes(errors) == [(field, "too_long")]
    assert len(errors[0].value) == min(limit + 1, 300)
    assert one(**{field: "长" * limit})[1] == []


def test_a_repeated_identity_number_is_an_error_on_each_later_row() -> None:
    rows = [(2, row_values()), (3, row_values(certificate_number="X")), (4, row_values())]
    valid, errors = validate_rows(rows, today=TODAY)
    assert [row.row for row in valid] == [2]
    assert [(error.row, error.code) for error in errors] == [(3, "duplicate_in_file"), (4, "duplicate_in_file")]
    assert errors[0].message == "Row 3: certification identity number “ID-0001” is already used by row 2."


def test_sites_come_from_a_json_array_or_address_scope_lines() -> None:
    valid, errors = one(sites='[{"address": "天津市滨海新区1号", "scope": "仓储"}, ["上海市2号", "销售"]]')
    assert errors == [] and valid[0].sites == [("天津市滨海新区1号", "仓储"), ("上海市2号", "销售")]
    valid, errors = one(sites="天津市滨海新区1号|仓储\n上海市2号 | 销售\n")
    assert errors == [] and valid[0].sites == [("天津市滨海新区1号", "仓储"), ("上海市2号", "销售")]
    assert codes(one(sites="[not json")[1]) == [("", "sites_invalid")]
    assert codes(one(sites="|仓储")[1]) == [("", "sites_invalid")]


def test_html_is_kept_as_text() -> None:
    valid, errors = one(certified_entity_name="<script>alert(1)</script>公司")
    assert errors == [] and valid[0].entity_name == "<script>alert(1)</script>公司"


def test_non_text_cells_from_a_spreadsheet_are_read() -> None:
    valid, errors = one(issue_date=dt.datetime(2025, 3, 1, 0, 0), expiry_date=dt.date(2028, 2, 28), postcode=100080)
    assert errors == []
    assert valid[0].issue_date == dt.date(2025, 3, 1) and valid[0].postcode == "100080"
