"""Reading the certificate spreadsheets CBs upload: CSV (UTF-8 with or without BOM, GBK, GB18030) and XLSX.

``inspect_upload`` checks a file as it arrives (size, type by content, encoding, header row) and
refuses it with a ``DomainError`` naming the problem, so nothing is stored for a file the portal
cannot read. ``open_table`` reads a stored file again in the background task; its ``rows()``
yields ``(row number, {field: text})`` with row numbers as the user sees them in Excel (the
header is row 1), blank rows skipped. An XLSX may carry a second sheet named ``sites`` keyed by
``certification_identity_number`` with ``address`` and ``scope``; its sites arrive in each row's
``"sites"`` entry as ``(address, scope)`` pairs, which ``certification.rows.validate_rows`` checks.

Column names are matched case- and space-insensitively against the English field names
(``certification.rows.FIELDS``) and the Chinese headers of the portal's template
(``CHINESE_HEADERS``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from certification.choices import UploadFormat
from certification.rows import FIELDS, REQUIRED, RowError
from core.errors import DomainError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SITES_SHEET = "sites"
SITE_FIELDS: tuple[str, ...] = ("certification_identity_number", "address", "scope")

#: The template's Chinese header of each column, in ``FIELDS`` order.
CHINESE_HEADERS: dict[str, str] = {
    "certification_identity_number": "认证标识号",
    "certificate_number": "证书编号",
    "certification_status": "证书状态",
    "certification_type": "认证类型",
    "standards": "认证依据标准",
    "technical_sectors": "技术领域代码",
    "certification_scope": "认证范围",
    "original_issue_date": "初次颁证日期",
    "issue_date": "颁证日期",
    "expiry_date": "证书到期日期",
    "certified_entity_unique_id": "获证组织编号",
    "certified_entity_name": "获证组织名称",
    "certified_entity_english_name": "获证组织英文名称",
    "certified_entity_trading_name": "获证组织商号",
    "certified_entity_credit_code": "统一社会信用代码",
    "street": "街道地址",
    "city": "城市",
    "province": "省份",
    "postcode": "邮政编码",
    "country": "国家或地区",
}
CHINESE_SITE_HEADERS: dict[str, str] = {
    "certification_identity_number": "认证标识号",
    "address": "场所地址",
    "scope": "场所认证范围",
}

_SEPARATORS = re.compile(r"[\s_\-]+")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
# Bytes a text file never holds: NUL and the C0 controls other than tab, newline, carriage return.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", "\t", ";")


def header_key(text: str) -> str:
    """How a header cell is compared: width-folded, casefolded, spaces, dashes and underscores dropped."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)).casefold()


def _lookup(chinese: dict[str, str]) -> dict[str, str]:
    names = {header_key(name): name for name in chinese}
    names.update({header_key(header): name for name, header in chinese.items()})
    return names


_COLUMN_NAMES = _lookup(CHINESE_HEADERS)
_SITE_COLUMN_NAMES = _lookup(CHINESE_SITE_HEADERS)


def cell_text(value: Any) -> str:
    """A cell as the text a clerk typed: dates as ``YYYY-MM-DD``, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _malformed(detail: str = "") -> DomainError:
    return DomainError(
        "file_malformed",
        _("The file could not be read: it is damaged or not really a CSV or Excel file. Save it again and retry."),
        detail={"reason": detail} if detail else None,
    )


def _type_not_allowed() -> DomainError:
    return DomainError(
        "file_type_not_allowed",
        _("Only CSV files and Excel workbooks (.xlsx) may be uploaded; an older .xls must be saved as .xlsx first."),
        detail={"allowed": ["csv", "xlsx"]},
    )


@dataclass
class Header:
    """Which field each column holds (``None``: a blank header cell, ignored)."""

    columns: list[str | None]

    @classmethod
    def read(cls, cells: Sequence[Any], names: dict[str, str], required: Sequence[str], *, sheet: str = "") -> Header:
        """The header's fields; unknown, repeated or missing required columns raise one ``DomainError`` each."""
        columns: list[str | None] = []
        unknown: list[str] = []
        repeated: list[str] = []
        for cell in cells:
            text = cell_text(cell)
            if not header_key(text):
                columns.append(None)
                continue
            name = names.get(header_key(text))
            if name is None:
                unknown.append(text)
            elif name in columns:
                repeated.append(text)
            columns.append(name)
        where = {"sheet": sheet} if sheet else {}
        if unknown:
            raise DomainError(
                "columns_unknown",
                _("These columns are not part of the certificate template: {columns}. Rename or remove them.").format(
                    columns=", ".join(f"“{text}”" for text in unknown)
                ),
                detail={"columns": unknown, **where},
            )
        if repeated:
            raise DomainError(
                "columns_repeated",
                _("These columns appear more than once: {columns}.").format(
                    columns=", ".join(f"“{text}”" for text in repeated)
                ),
                detail={"columns": repeated, **where},
            )
        missing = [name for name in required if name not in columns]
        if missing:
            raise DomainError(
                "columns_missing",
                _("These required columns are missing: {columns}.").format(columns=", ".join(missing)),
                detail={"columns": missing, **where},
            )
        return cls(columns)

    def values(self, cells: Sequence[Any], fields: Sequence[str]) -> dict[str, Any] | None:
        """The row as ``{field: text}`` with every field present, or None when the row is blank."""
        # The hot loop of a 100,000-row file: CSV cells are already text, so most skip ``cell_text``.
        values = dict.fromkeys(fields, "")
        blank = True
        for name, cell in zip(self.columns, cells, strict=False):
            if name is None:
                continue
            text = cell.strip() if type(cell) is str else cell_text(cell)
            if text:
                values[name] = text
                blank = False
        return None if blank else values


@dataclass
class UploadTable:
    """A readable certificate file: its format, encoding and header, and a way to read its rows."""

    format: str
    encoding: str
    _rows: Any = field(repr=False)
    #: Problems found outside the certificate rows (a site for no certificate), once ``rows()`` is read.
    problems: list[RowError] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(row number, {field: text})`` for each non-blank data row; the header is row 1."""
        self.problems = []
        yield from self._rows(self.problems)


# --- CSV ------------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding: UTF-8 (with or without BOM) if it decodes strictly, else GB18030 (⊃ GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            raise _encoding_unknown() from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise _encoding_unknown() from None


def _encoding_unknown() -> DomainError:
    return DomainError(
        "encoding_unknown",
        _(
            "The CSV file is neither UTF-8 nor GBK/GB18030 text. In Excel choose “Save as” and "
            "“CSV UTF-8 (comma delimited)”, or upload the .xlsx workbook."
        ),
    )


def _delimiter(first_line: str) -> str:
    return max(_DELIMITERS, key=first_line.count)


def _csv_table(data: bytes) -> UploadTable:
    if _BINARY.search(data[:65536]):
        raise _type_not_allowed()
    text, encoding = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)

    def records() -> Iterator[list[str]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            yield from reader
        except csv.Error as error:
            raise _malformed(str(error)) from error

    header_record = next(records(), None)
    if header_record is None:
        raise DomainError("no_rows", _("The file is empty: it has no header row and no certificates."))
    header = Header.read(header_record, _COLUMN_NAMES, _required())

    def rows(problems: list[RowError]) -> Iterator[tuple[int, dict[str, Any]]]:
        iterator = records()
        next(iterator, None)
        # Excel numbers records, not lines: a quoted cell with line breaks is still one row.
        for number, record in enumerate(iterator, start=2):
            values = header.values(record, FIELDS)
            if values is not None:
                yield number, values

    return UploadTable(format=UploadFormat.CSV, encoding=encoding, _rows=rows)


# --- XLSX -----------------------------------------------------------------------------------------------


def _workbook(data: bytes) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _malformed(str(error)) from error
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise _type_not_allowed()
    try:
        # data_only: a formula cell gives the value Excel computed, never the formula.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise _malformed(str(error)) from error


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # read-only sheets yield an empty tuple for a missing row, so the count stays the row number.
    try:
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError) as error:
        raise _malformed(str(error)) from error


def _read_sites(sheet: Any) -> dict[str, list[tuple[int, str, str]]]:
    """The sites by identity number, each as ``(row in the sites sheet, address, scope)``."""
    sites: dict[str, list[tuple[int, str, str]]] = {}
    iterator = _sheet_rows(sheet)
    first = next(iterator, None)
    if first is None:
        return sites
    header = Header.read(first[1], _SITE_COLUMN_NAMES, SITE_FIELDS[:2], sheet=SITES_SHEET)
    for number, cells in iterator:
        values = header.values(cells, SITE_FIELDS)
        if values is None:
            continue
        sites.setdefault(values["certification_identity_number"], []).append(
            (number, values["address"], values["scope"])
        )
    return sites


def _orphan_site(number: int, identity: str) -> RowError:
    return RowError(
        row=number,
        identity_number=identity[:60],
        field="",
        value=identity[:300],
        code="site_without_certificate",
        message=str(
            _("Sites sheet, row {row}: no certificate with identity number “{identity}” in the first sheet.").format(
                row=number, identity=identity
            )
        ),
    )


def _xlsx_table(data: bytes) -> UploadTable:
    workbook = _workbook(data)
    if not workbook.worksheets:
        raise DomainError("no_rows", _("The workbook has no sheet."))
    sheet = workbook.worksheets[0]
    sites_sheet = next(
        (other for other in workbook.worksheets[1:] if other.title.strip().casefold() == SITES_SHEET), None
    )
    first = next(_sheet_rows(sheet), None)
    if first is None:
        raise DomainError("no_rows", _("The file is empty: it has no header row and no certificates."))
    header = Header.read(first[1], _COLUMN_NAMES, _required())
    if sites_sheet is not None:
        # Checked now so a bad sites sheet is refused at upload, not found later.
        first_site = next(_sheet_rows(sites_sheet), None)
        if first_site is not None:
            Header.read(first_site[1], _SITE_COLUMN_NAMES, SITE_FIELDS[:2], sheet=SITES_SHEET)

    def rows(problems: list[RowError]) -> Iterator[tuple[int, dict[str, Any]]]:
        sites = _read_sites(sites_sheet) if sites_sheet is not None else None
        used: set[str] = set()
        iterator = _sheet_rows(sheet)
        next(iterator, None)
        for number, cells in iterator:
            values = header.values(cells, FIELDS)
            if values is None:
                continue
            if sites is not None:
                identity = values["certification_identity_number"]
                used.add(identity)
                values["sites"] = [(address, scope) for _row, address, scope in sites.get(identity, [])]
            yield number, values
        # A site keyed by an identity number the first sheet does not have would be lost: say so.
        for identity, entries in (sites or {}).items():
            if identity not in used:
                problems.extend(_orphan_site(number, identity) for number, _address, _scope in entries)

    return UploadTable(format=UploadFormat.XLSX, encoding="", _rows=rows)


# --- entry points ---------------------------------------------------------------------------------------


def _required() -> list[str]:
    return [name for name in FIELDS if name in REQUIRED]


def read_table(data: bytes, *, extension: str) -> UploadTable:
    """The table in ``data``; the type is judged by the content, and must agree with the extension."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(
            "file_too_large",
            _("The file is larger than the limit of {limit} MB.").format(limit=MAX_UPLOAD_BYTES // (1024 * 1024)),
            detail={"size": len(data), "limit": MAX_UPLOAD_BYTES},
        )
    if not data.strip():
        raise DomainError("no_rows", _("The file is empty: it has no header row and no certificates."))
    if data.startswith(_OLE2_MAGIC):
        raise _type_not_allowed()
    if data.startswith(_ZIP_MAGIC):
        if extension != UploadFormat.XLSX:
            raise _type_not_allowed()
        return _xlsx_table(data)
    if extension != UploadFormat.CSV:
        raise _type_not_allowed() if extension != UploadFormat.XLSX else _malformed("not a zip package")
    return _csv_table(data)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def inspect_upload(file: IO[bytes], *, name: str, size: int | None = None) -> UploadTable:
    """Check an arriving file and return its table; a file the portal cannot read raises ``DomainError``.

    The size is checked before anything is read, so a huge file is refused without loading it.
    """
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise DomainError(
            "file_too_large",
            _("The file is larger than the limit of {limit} MB.").format(limit=MAX_UPLOAD_BYTES // (1024 * 1024)),
            detail={"size": size, "limit": MAX_UPLOAD_BYTES},
        )
    extension = extension_of(name)
    if extension not in (UploadFormat.CSV, UploadFormat.XLSX):
        raise _type_not_allowed()
    file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    file.seek(0)
    table = read_table(data, extension=extension)
    if next(table.rows(), None) is None:
        raise DomainError("no_rows", _("The file has a header row but no certificates."))
    return table


# --- the template CBs download ------------------------------------------------------------------------

_EXAMPLE_CREDIT_BODY = "91110108MA01ABCD1"
#: One example certificate, in each language's words for the status and the type.
_EXAMPLE: dict[str, dict[str, str]] = {
    "zh-hans": {"certification_status": "有效", "certification_type": "管理体系", "country": "中国"},
    "en": {"certification_status": "active", "certification_type": "management system", "country": "CN"},
}


def _example_row(language: str) -> dict[str, str]:
    from accreditation.validators import credit_code_check_character

    words = _EXAMPLE["zh-hans" if language.startswith("zh") else "en"]
    return {
        "certification_identity_number": "CB-2025-000123",
        "certificate_number": "00125Q30123R0M",
        "certification_status": words["certification_status"],
        "certification_type": words["certification_type"],
        "standards": "ISO 9001:2015; ISO 14001:2015",
        "technical_sectors": "IAF 28; IAF 34",
        "certification_scope": "建筑工程施工及相关管理活动",
        "original_issue_date": "2019-03-01",
        "issue_date": "2025-03-01",
        "expiry_date": "2028-02-28",
        "certified_entity_unique_id": "C-000123",
        "certified_entity_name": "北京华建工程有限公司",
        "certified_entity_english_name": "Beijing Huajian Engineering Co., Ltd.",
        "certified_entity_trading_name": "华建工程",
        "certified_entity_credit_code": _EXAMPLE_CREDIT_BODY + credit_code_check_character(_EXAMPLE_CREDIT_BODY),
        "street": "海淀区中关村大街1号",
        "city": "北京",
        "province": "北京",
        "postcode": "100080",
        "country": words["country"],
    }


def template_sheets(language: str) -> list[tuple[str, list[list[str]]]]:
    """The template's sheets as ``(title, rows)``: header row in ``language``, then one example row."""
    chinese = language.startswith("zh")
    example = _example_row(language)
    certificates = [
        [CHINESE_HEADERS[name] if chinese else name for name in FIELDS],
        [example[name] for name in FIELDS],
    ]
    sites = [
        [CHINESE_SITE_HEADERS[name] if chinese else name for name in SITE_FIELDS],
        [example["certification_identity_number"], "北京市丰台区科技园8号", "建筑工程施工"],
    ]
    return [("证书" if chinese else "certificates", certificates), (SITES_SHEET, sites)]


def template_xlsx(language: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in template_sheets(language):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
