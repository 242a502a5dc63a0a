"""The statistics dashboard and its downloads, for the accreditation body's staff (read-only).

Secretariat and decision makers only (``may_read_statistics``): anyone else signed in gets 403,
the public is sent to log in. The charts are inline SVG drawn on the server (no script, no
CDN): one horizontal bar per row, its parts the table's ``chart_columns``; each chart is
followed by its figures as a table, and every table downloads as CSV or XLSX with the same
filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404, HttpRequest, HttpResponseBadRequest, HttpResponseBase
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from accreditation.choices import AccreditationStatus
from surveillance.exports_statistics import csv_download, xlsx_download
from surveillance.forms_statistics import StatisticsFilterForm
from surveillance.selectors_statistics import (
    TABLE_KEYS,
    StatisticsFilters,
    Table,
    Value,
    count,
    may_read_statistics,
    statistics,
    statistics_table,
)

#: The SVG's width in user units; bars are drawn in whole units, so no decimal separator is involved.
CHART_WIDTH = 1000
#: Distinct fills the stylesheet defines (``stat-fill-0`` …); series past it reuse them.
PALETTE_SIZE = 8
#: Fills that carry a meaning (green held, amber suspended, vermilion withdrawn or overdue), by column key;
#: a chart whose columns are all here uses them, any other chart takes the palette in order.
TONES: dict[str, int] = {
    AccreditationStatus.APPLICANT: 0,
    AccreditationStatus.ACCREDITED: 2,
    AccreditationStatus.PARTIALLY_SUSPENDED: 7,
    AccreditationStatus.SUSPENDED: 1,
    AccreditationStatus.WITHDRAWN: 5,
    AccreditationStatus.CANCELLED: 6,
    AccreditationStatus.EXPIRED: 3,
    "overdue": 5,
    "due_soon": 1,
    "later": 2,
}
EXPORT_FORMATS = ("csv", "xlsx")
#: The export name that downloads every table in one workbook.
ALL_TABLES = "all"


class StatisticsReaderRequiredMixin(UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return may_read_statistics(self.request.user)


@dataclass(frozen=True)
class Segment:
    series: int
    label: str
    value: int
    x: int
    width: int


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Chart:
    legend: list[tuple[int, str]]
    bars: list[Bar]


def chart_of(table: Table) -> Chart | None:
    """The table's bars, scaled so that the longest fills the width (``None``: the table has no chart)."""
    if not table.chart_columns or not table.rows:
        return None
    labels = {column.key: column.label for column in table.columns}
    if all(key in TONES for key in table.chart_columns):
        series = {key: TONES[key] for key in table.chart_columns}
    else:
        series = {key: index % PALETTE_SIZE for index, key in enumerate(table.chart_columns)}
    totals = [sum(count(row.values.get(key)) for key in table.chart_columns) for row in table.rows]
    longest = max(totals) or 1
    bars = []
    for row, total in zip(table.rows, totals, strict=True):
        segments, running = [], 0
        for key in table.chart_columns:
            value = count(row.values.get(key))
            if value:
                start = running * CHART_WIDTH // longest
                end = (running + value) * CHART_WIDTH // longest
                segments.append(Segment(series[key], labels[key], value, start, max(end - start, 1)))
            running += value
        bars.append(Bar(row.label, total, segments))
    legend = [(series[key], labels[key]) for key in table.chart_columns] if len(table.chart_columns) > 1 else []
    return Chart(legend=legend, bars=bars)


def cell_text(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _query(filters: StatisticsFilters) -> str:
    query: dict[str, Any] = {"year": filters.year}
    if filters.programme is not None:
        query["programme"] = filters.programme.code
    return urlencode(query)


def export_url(filters: StatisticsFilters, key: str, file_format: str) -> str:
    path = reverse("surveillance:statistics_export", kwargs={"table": key, "file_format": file_format})
    return f"{path}?{_query(filters)}"


def section(table: Table, filters: StatisticsFilters) -> dict[str, Any]:
    """What the template needs of one table: its chart, its cells as text, its downloads."""
    return {
        "table": table,
        "chart": chart_of(table),
        "rows": [(row.label, [cell_text(value) for value in row.cells(table.columns)]) for row in table.rows],
        "totals": [cell_text(value) for value in table.total_cells()] if table.totals is not None else None,
        "csv_url": export_url(filters, table.key, "csv"),
        "xlsx_url": export_url(filters, table.key, "xlsx"),
    }


class StatisticsView(LoginRequiredMixin, StatisticsReaderRequiredMixin, TemplateView):
    template_name = "surveillance/statistics/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = StatisticsFilterForm(self.request.GET or None)
        filters = form.filters()
        return super().get_context_data(
            form=form,
            filters=filters,
            sections=[section(table, filters) for table in statistics(filters)],
            workbook_url=export_url(filters, ALL_TABLES, "xlsx"),
            **kwargs,
        )


class StatisticsExportView(LoginRequiredMixin, StatisticsReaderRequiredMixin, View):
    """``<table>.csv`` or ``<table>.xlsx``, or ``all.xlsx`` (one sheet per table), with the page's filters."""

    def get(self, request: HttpRequest, table: str, file_format: str) -> HttpResponseBase:
        if file_format not in EXPORT_FORMATS or (table not in TABLE_KEYS and table != ALL_TABLES):
            raise Http404
        if table == ALL_TABLES and file_format != "xlsx":
            raise Http404
        form = StatisticsFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain; charset=utf-8")
        filters = form.filters()
        if table == ALL_TABLES:
            return xlsx_download(statistics(filters), filters, table)
        found = statistics_table(filters, table)
        if found is None:  # pragma: no cover - TABLE_KEYS was checked above
            raise Http404
        if file_format == "csv":
            return csv_download(found, filters)
        return xlsx_download([found], filters, table)
