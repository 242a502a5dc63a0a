"""Reading uploaded spreadsheets: encodings, XLSX with sites, columns, and files the portal refuses."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from certification.exports import csv_lines, neutralise
from certification.rows import FIELDS, validate_rows
from certification.upload_files import (
    CHINESE_HEADERS,
    MAX_UPLOAD_BYTES,
    UploadTable,
    inspect_upload,
    template_sheets,
    template_xlsx,
)
from core.errors import DomainError
from tests.certification.uploads_helpers import cert_row, csv_bytes, csv_text, xlsx_bytes

pytestmark = pytest.mark.django_db

CHINESE_NAME = "深圳市鹏城电子科技有限公司"


def inspect(data: bytes, name: str = "certificates.csv") -> UploadTable:
    return inspect_upload(io.BytesIO(data), name=name, size=len(data))


def refusal(data: bytes, name: str = "certificates.csv") -> DomainError:
    with pytest.raises(DomainError) as caught:
        inspect(data, name)
    return caught.value


@pytest.mark.parametrize(
    ("encoding", "recorded"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_a_csv_with_chinese_text_decodes_in_each_encoding_excel_writes(encoding: str, recorded: str) -> None:
    data = csv_bytes([cert_row(1, certified_entity_name=CHINESE_NAME, certification_status="有效")], encoding)

    table = inspect(data)

    assert (table.format, table.encoding) == ("csv", recorded)
    [(number, values)] = list(table.rows())
    assert number == 2
    assert values["certified_entity_name"] == CHINESE_NAME
    assert values["certification_status"] == "有效"
    assert values["certification_scope"] == "建筑工程施工"


def test_a_gb18030_only_character_survives() -> None:
    # 𠀀 is outside GBK: only GB18030 encodes it (four bytes).
    data = csv_bytes([cert_row(1, certified_entity_name="𠀀科技有限公司")], "gb18030")

    [(_number, values)] = list(inspect(data).rows())

    assert values["certified_entity_name"] == "𠀀科技有限公司"


def test_rows_are_numbered_as_excel_shows_them_skipping_blank_rows() -> None:
    text = csv_text([cert_row(1)]) + ",,,\r\n" + csv_text([cert_row(2)]).split("\r\n", 1)[1]
    numbers = [number for number, _values in inspect(text.encode()).rows()]
    assert numbers == [2, 4]


def test_a_quoted_cell_with_a_line_break_stays_one_row() -> None:
    data = csv_bytes([cert_row(1, certification_scope="第一行\n第二行"), cert_row(2)])

    rows = list(inspect(data).rows())

    assert [number for number, _values in rows] == [2, 3]
    assert rows[0][1]["certification_scope"] == "第一行\n第二行"


def test_a_semicolon_separated_csv_is_read() -> None:
    header = ";".join(FIELDS)
    values = cert_row(1, standards="ISO 9001:2015")
    data = (header + "\r\n" + ";".join(f'"{values[name]}"' for name in FIELDS) + "\r\n").encode()

    [(_number, row)] = list(inspect(data).rows())

    assert row["certificate_number"] == "00125Q3000001"


def test_headers_match_case_and_space_insensitively_and_in_chinese() -> None:
    header = [CHINESE_HEADERS[name] if i % 2 else name.upper().replace("_", " ") for i, name in enumerate(FIELDS)]
    data = csv_bytes([cert_row(7)], header=header)

    [(_number, values)] = list(inspect(data).rows())

    assert values["certification_identity_number"] == "ID-000007"
    assert values["certificate_number"] == "00125Q3000007"


def test_an_xlsx_with_a_sites_sheet_gives_each_row_its_sites() -> None:
    data = xlsx_bytes(
        [cert_row(1), cert_row(2)],
        sites=[("ID-000001", "上海市浦东新区1号", "电子产品组装"), ("ID-000001", "苏州市工业园区2号", "")],
    )

    table = inspect(data, "certificates.xlsx")

    assert (table.format, table.encoding) == ("xlsx", "")
    rows = dict(table.rows())
    assert rows[2]["sites"] == [("上海市浦东新区1号", "电子产品组装"), ("苏州市工业园区2号", "")]
    assert rows[3]["sites"] == []
    valid, errors = validate_rows(list(rows.items()))
    assert errors == []
    assert valid[0].sites == [("上海市浦东新区1号", "电子产品组装"), ("苏州市工业园区2号", "")]


def test_xlsx_dates_and_numbers_are_read_as_typed() -> None:
    import datetime as dt

    data = xlsx_bytes([cert_row(1, issue_date=dt.datetime(2025, 3, 1), postcode=100080)])

    [(_number, values)] = list(inspect(data, "certificates.xlsx").rows())

    assert (values["issue_date"], values["postcode"]) == ("2025-03-01", "100080")


def test_unknown_columns_are_refused_naming_them() -> None:
    error = refusal(csv_bytes([cert_row(1)], header=[*FIELDS, "备注", "colour"]))

    assert error.code == "columns_unknown"
    assert error.detail == {"columns": ["备注", "colour"]}
    assert "“备注”, “colour”" in str(error.message)


def test_missing_required_columns_are_refused_naming_them() -> None:
    header = [name for name in FIELDS if name not in ("issue_date", "city")]
    error = refusal(csv_bytes([], header=header) + b"x," * 17 + b"x\r\n")

    assert error.code == "columns_missing"
    assert error.detail == {"columns": ["issue_date", "city"]}


def test_a_repeated_column_is_refused() -> None:
    assert refusal(csv_bytes([cert_row(1)], header=[*FIELDS, "城市"])).code == "columns_repeated"


def test_a_file_over_20_mb_is_refused_before_it_is_read() -> None:
    data = csv_bytes([cert_row(1)])
    with pytest.raises(DomainError) as caught:
        inspect_upload(io.BytesIO(data), name="big.csv", size=MAX_UPLOAD_BYTES + 1)
    assert caught.value.code == "file_too_large"
    big = data + b"\r\n" * (MAX_UPLOAD_BYTES - len(data) + 1)
    assert refusal(big).code == "file_too_large"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (bytes(range(256)) * 40, "certificates.csv", "file_type_not_allowed"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "certificates.csv", "file_type_not_allowed"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "certificates.xlsx", "file_type_not_allowed"),
        (b"PK\x03\x04 this is no zip at all", "certificates.xlsx", "file_malformed"),
        (b"certification_identity_number\n1", "certificates.xlsx", "file_malformed"),
        (b"certificates", "certificates.pdf", "file_type_not_allowed"),
        (b"", "certificates.csv", "no_rows"),
        (",".join(FIELDS).encode(), "certificates.csv", "no_rows"),
        # Valid as neither UTF-8 nor GB18030: 0x80 and 0xFF never start a GB18030 character.
        (",".join(FIELDS).encode() + b"\r\n\x80\xff\x80\xff", "certificates.csv", "encoding_unknown"),
    ],
    ids=["binary", "pdf", "old-xls", "bad-zip", "csv-named-xlsx", "pdf-name", "empty", "header-only", "encoding"],
)
def test_files_the_portal_cannot_read_are_refused_with_a_clear_code(data: bytes, name: str, code: str) -> None:
    error = refusal(data, name)
    assert error.code == code
    assert str(error.message)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(buffer.getvalue(), "certificates.xlsx").code == "file_type_not_allowed"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_template_in_each_language_round_trips_through_the_parser(language: str) -> None:
    [(_title, rows), (sites_title, site_rows)] = template_sheets(language)
    assert sites_title == "sites"
    expected_header = [CHINESE_HEADERS[name] for name in FIELDS] if language == "zh-hans" else list(FIELDS)
    assert rows[0] == expected_header

    table = inspect(template_xlsx(language), "template.xlsx")
    parsed = list(table.rows())
    valid, errors = validate_rows(parsed)

    assert errors == []
    assert [row.identity_number for row in valid] == ["CB-2025-000123"]
    assert valid[0].status == "active" and valid[0].certification_type == "management_system"
    assert valid[0].sites == [(site_rows[1][1], site_rows[1][2])]
    csv_data = b"".join(csv_lines(rows))
    assert csv_data.startswith(b"\xef\xbb\xbf")
    assert validate_rows(list(inspect(csv_data).rows()))[1] == []


def test_the_xlsx_template_has_a_sites_sheet_with_headers_in_the_language() -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx("zh-hans")), read_only=True)
    assert workbook.sheetnames == ["证书", "sites"]
    assert next(workbook["sites"].iter_rows(values_only=True)) == ("认证标识号", "场所地址", "场所认证范围")


def test_chinese_headers_name_every_field_in_order() -> None:
    assert tuple(CHINESE_HEADERS) == FIELDS


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+86 10 1234", "'+86 10 1234"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("北京 = 首都", "北京 = 首都"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value: object, shown: str) -> None:
    assert neutralise(value) == shown


def test_a_site_for_no_certificate_is_reported_not_lost() -> None:
    data = xlsx_bytes(
        [cert_row(1)], sites=[("ID-000001", "上海市浦东新区1号", ""), ("ID-999999", "广州市天河区9号", "")]
    )
    table = inspect(data, "certificates.xlsx")

    rows = list(table.rows())

    assert rows[0][1]["sites"] == [("上海市浦东新区1号", "")]
    assert [(p.row, p.code, p.identity_number) for p in table.problems] == [
        (3, "site_without_certificate", "ID-999999")
    ]
    assert table.problems[0].message == (
        "Sites sheet, row 3: no certificate with identity number “ID-999999” in the first sheet."
    )


def test_a_sites_sheet_with_an_unknown_column_is_refused() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(FIELDS))
    sheet.append([cert_row(1)[name] for name in FIELDS])
    workbook.create_sheet("Sites").append(["certification_identity_number", "address", "floor"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    error = refusal(buffer.getvalue(), "certificates.xlsx")

    assert (error.code, error.detail) == ("columns_unknown", {"columns": ["floor"], "sheet": "sites"})
