"""Files the portal hands out for spreadsheets: CSV in UTF-8 with a BOM, with formula injection neutralised.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which Excel
skips before looking for one) would be run as a formula when the file is opened in a
spreadsheet, so ``neutralise`` puts a ``'`` in front of it. Every export of data that users or
CBs typed goes through ``neutralise`` (``csv_response`` does it for each cell).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell as text that a spreadsheet shows as typed, never evaluates."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer`` output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Iterator[bytes]:
    """Each row as an encoded CSV line with every cell neutralised; a UTF-8 BOM first so Excel reads Chinese."""
    writer = csv.writer(_Echo())
    if bom:
        yield codecs.BOM_UTF8
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row]).encode("utf-8")


def csv_response(rows: Iterable[Sequence[Any]], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM, cells neutralised)."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
