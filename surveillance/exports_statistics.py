"""The statistics as files: each table as CSV, one table or all of them as an XLSX workbook.

CSV goes through ``certification.exports.csv_response`` (UTF-8 with a BOM so Excel in Chinese
reads it, every cell neutralised). In the workbook, numbers and dates stay numbers and dates;
every text cell (a CAB's name, a sanction reason, a label) goes through
``certification.exports.neutralise``, so ``=HYPERLINK(...)`` arrives as text, never as a formula,
and loses the control characters a workbook cannot hold.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from certification.exports import csv_response, neutralise
from surveillance.selectors_statistics import StatisticsFilters, Table, Value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_rows(table: Table) -> list[list[Value]]:
    """The table as a sheet: a header row, a row per line, then the totals when it has them."""
    rows: list[list[Value]] = [[table.row_header, *(column.label for column in table.columns)]]
    rows.extend([row.label, *row.cells(table.columns)] for row in table.rows)
    if table.totals is not None:
        rows.append([table.totals_label, *table.total_cells()])
    return rows


def filename(filters: StatisticsFilters, key: str, extension: str) -> str:
    """``statistics-<table>-<year>[-<programme>]-<today>.<extension>``; every part is ASCII and safe in a header."""
    parts = ["statistics", key.replace("_", "-"), str(filters.year)]
    if filters.programme is not None:
        parts.append(filters.programme.code)
    parts.append(filters.today.isoformat())
    return "-".join(parts) + f".{extension}"


def csv_download(table: Table, filters: StatisticsFilters) -> StreamingHttpResponse:
    return csv_response(table_rows(table), filename=filename(filters, table.key, "csv"))


def _xlsx_cell(value: Value) -> int | dt.date | str | None:
    if value is None or isinstance(value, int | dt.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table, named by the table's key (ASCII, under Excel's 31 characters)."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = workbook.create_sheet(table.key[:31])
        for row in table_rows(table):
            sheet.append([_xlsx_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.column_dimensions["A"].width = 40
        for index in range(2, len(table.columns) + 2):
            sheet.column_dimensions[get_column_letter(index)].width = 16
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(tables: Sequence[Table], filters: StatisticsFilters, key: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(tables), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(filters, key, "xlsx")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
