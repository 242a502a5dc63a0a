"""The secretariat's statistics: each figure a table built from one or two aggregate queries.

Every selector returns ``Table``s, the one shape the dashboard (chart and figures), the CSV and
XLSX exports and the API all read, so the three can never disagree. Labels are resolved in the
language active when the table is built (the request's).

What is counted, and at what cost at national scale (20,000 CABs, 10 million CB-issued
certificates):

- **Bodies by programme and status**: distinct CABs per programme and accreditation status
  (a CAB that left a programme and came back counts under both statuses). One GROUP BY over
  accreditations.
- **Accredited bodies by province**: CABs holding an accreditation (accredited, partially
  suspended or suspended) per province and programme, and per province across programmes (a
  CAB under two programmes counts once there). Two GROUP BYs.
- **Sanctions by reason**: sanctions decided in the year by reason and kind, and by reason over
  the five years up to it. One GROUP BY over sanctions (a few thousand rows a year).
- **Complaint outcomes**: complaints received in the year by kind, status and outcome; and, for
  every complaint still open whatever its year, how many are past their acknowledgement or
  resolution date (the complaints list's own definition). Two GROUP BYs.
- **Surveillance due**: for each held accreditation, the date its next on-site assessment is due
  (``surveillance.cycle``) from one GROUP BY that finds its last on-site assessment held; the
  dates are then counted in Python (a few tens of thousands of tuples).
- **Certificate uploads per CB**: from ``CertificateUpload`` rows only (uploads, rows applied,
  rows refused, last upload in the year), top ``TOP_UPLOADERS`` by rows applied, with totals over
  every CB. Not from ``IssuedCertificate``: counting 10 million certificates per CB is a full
  scan (measured on the 10-million-row bench database: 1.7 s for all CBs, 1.6 s for just twenty
  of them, one of which holds a million rows), too slow for a page; its only index on ``cb`` is
  unique on ``(cb, identity_number)`` or ``(cb, is_accredited)``, which does not make a count cheap.

The programme filter applies to the register figures (bodies, sanctions, surveillance); it does
not apply to complaints (a complaint names a CAB, not a programme) or uploads (a CB's
certificates span its programmes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accreditation.choices import LIVE_ACCREDITATION_STATUSES, AccreditationStatus, Province
from accreditation.models import Accreditation, Programme
from accreditation.selectors import AnyUser
from certification.models import CertificateUpload
from core.roles import is_staff_reader
from surveillance.choices import ComplaintKind, ComplaintOutcome, ComplaintStatus, SanctionKind
from surveillance.cycle import (
    CycleFacts,
    CycleRules,
    DueRule,
    next_onsite_due,
)
from surveillance.models import Complaint, Sanction
from surveillance.selectors_complaints import acknowledgement_overdue_q, resolution_overdue_q
from surveillance.selectors_onsite import last_onsite_end

#: Accreditation statuses of a body that holds an accreditation (granted and not ended).
HOLDING_STATUSES = frozenset(LIVE_ACCREDITATION_STATUSES - {AccreditationStatus.APPLICANT})
#: "Due soon": the next on-site assessment falls within this many days.
DUE_SOON_DAYS = 90
#: How many certification bodies the uploads table lists (the totals cover all of them).
TOP_UPLOADERS = 20
#: How many years the sanctions-by-year table spans, ending with the selected year.
SANCTION_YEARS = 5
#: The earliest year the filter offers.
FIRST_YEAR = 2000

Value = int | str | dt.date | None


def count(value: Value) -> int:
    """A cell as a number for sums and bars (dates and labels count as nothing)."""
    return value if isinstance(value, int) else 0


def may_read_statistics(user: AnyUser) -> bool:
    """The accreditation body's staff (secretariat and decision makers) read the statistics; nobody else."""
    return is_staff_reader(user)


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: dict[str, Value]

    def cells(self, columns: Sequence[Column]) -> list[Value]:
        return [self.values.get(column.key) for column in columns]


@dataclass
class Table:
    """One figure: rows × columns of counts, with an optional totals row and the series its chart stacks."""

    key: str
    title: str
    description: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    totals: dict[str, Value] | None = None
    totals_label: str = ""
    #: Columns whose values are the parts of each row's bar in the chart (empty: no chart).
    chart_columns: list[str] = field(default_factory=list)

    def total_cells(self) -> list[Value]:
        totals = self.totals or {}
        return [totals.get(column.key) for column in self.columns]


@dataclass(frozen=True)
class StatisticsFilters:
    """The figures' filters: the year (sanctions, complaints, uploads) and a programme (register figures)."""

    year: int
    programme: Programme | None = None
    #: The day "due" and "overdue" are counted from.
    today: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def default(cls) -> StatisticsFilters:
        return cls(year=timezone.localdate().year)


def _text(label: str | Promise) -> str:
    return str(label)


def _bilingual(chinese: str, english: str) -> str:
    """The English text on an English page when there is one, else the Chinese."""
    if (get_language() or "zh-hans").startswith("en") and english:
        return english
    return chinese or english


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year as a half-open range of aware datetimes in the portal's time zone (index-friendly)."""
    return (
        timezone.make_aware(dt.datetime(year, 1, 1)),
        timezone.make_aware(dt.datetime(year + 1, 1, 1)),
    )


def programmes() -> list[Programme]:
    return list(Programme.objects.order_by("code"))


def _programme_filter(filters: StatisticsFilters, queryset: QuerySet[Any], path: str = "programme") -> QuerySet[Any]:
    if filters.programme is None:
        return queryset
    return queryset.filter(**{path: filters.programme})


def _shown_programmes(filters: StatisticsFilters, all_programmes: Sequence[Programme]) -> list[Programme]:
    if filters.programme is None:
        return list(all_programmes)
    return [programme for programme in all_programmes if programme.pk == filters.programme.pk]


def _sum_columns(rows: Iterable[Row], keys: Iterable[str]) -> dict[str, Value]:
    totals: dict[str, Value] = {}
    rows = list(rows)
    for key in keys:
        totals[key] = sum(count(row.values.get(key)) for row in rows)
    return totals


# --- Bodies -------------------------------------------------------------------------------------


def bodies_by_programme_and_status(filters: StatisticsFilters, all_programmes: Sequence[Programme]) -> Table:
    counts = (
        _programme_filter(filters, Accreditation.objects.all())
        .values("programme_id", "status")
        .annotate(bodies=Count("cab_id", distinct=True))
        .order_by()
    )
    by_programme: dict[int, dict[str, int]] = defaultdict(dict)
    for entry in counts:
        by_programme[entry["programme_id"]][entry["status"]] = entry["bodies"]
    statuses = list(AccreditationStatus)
    columns = [Column(status.value, _text(status.label)) for status in statuses]
    columns.append(Column("total", _text(_("All statuses"))))
    rows = []
    for programme in _shown_programmes(filters, all_programmes):
        cells: dict[str, Value] = {status.value: by_programme[programme.pk].get(status.value, 0) for status in statuses}
        cells["total"] = sum(count(value) for value in cells.values())
        rows.append(Row(programme.code, programme.name, cells))
    return Table(
        key="bodies_by_status",
        title=_text(_("Bodies by programme and status")),
        description=_text(
            _(
                "Conformity assessment bodies per programme and accreditation status, today. A body that "
                "left a programme and came back counts under both statuses."
            )
        ),
        row_header=_text(_("Programme")),
        columns=columns,
        rows=rows,
        totals=_sum_columns(rows, [column.key for column in columns]),
        totals_label=_text(_("All programmes")),
        chart_columns=[status.value for status in statuses],
    )


def bodies_by_province(filters: StatisticsFilters, all_programmes: Sequence[Programme]) -> Table:
    holding = _programme_filter(filters, Accreditation.objects.filter(status__in=sorted(HOLDING_STATUSES)))
    per_programme = (
        holding.values("cab__province", "programme_id").annotate(bodies=Count("cab_id", distinct=True)).order_by()
    )
    per_province = holding.values("cab__province").annotate(bodies=Count("cab_id", distinct=True)).order_by()
    cells: dict[str, dict[str, Value]] = defaultdict(dict)
    codes = {programme.pk: programme.code for programme in all_programmes}
    for entry in per_programme:
        cells[entry["cab__province"]][codes[entry["programme_id"]]] = entry["bodies"]
    for entry in per_province:
        cells[entry["cab__province"]]["all"] = entry["bodies"]
    shown = _shown_programmes(filters, all_programmes)
    columns = [Column(programme.code, programme.name) for programme in shown]
    columns.append(Column("all", _text(_("All programmes"))))
    rows = [
        Row(
            province.value,
            _text(province.label),
            {column.key: cells[province.value].get(column.key, 0) for column in columns},
        )
        for province in Province
        if province.value in cells
    ]
    return Table(
        key="bodies_by_province",
        title=_text(_("Accredited bodies by province")),
        description=_text(
            _(
                "Bodies holding an accreditation (accredited, partially suspended or suspended) by the "
                "province of their registered address. A body under two programmes counts once in the last column."
            )
        ),
        row_header=_text(_("Province")),
        columns=columns,
        rows=rows,
        chart_columns=["all"],
    )


# --- Sanctions ----------------------------------------------------------------------------------


def sanctions_by_reason(filters: StatisticsFilters) -> tuple[Table, Table]:
    """Sanctions decided in the year by reason and kind, and by reason over the five years up to it."""
    first_year = filters.year - SANCTION_YEARS + 1
    start, _unused = _year_bounds(first_year)
    _unused, end = _year_bounds(filters.year)
    counts = (
        _programme_filter(
            filters,
            Sanction.objects.filter(decided_at__gte=start, decided_at__lt=end),
            "accreditation__programme",
        )
        .annotate(year=ExtractYear("decided_at"))
        .values("reason_id", "reason__code", "reason__label_zh", "reason__label_en", "reason__position", "year", "kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    reasons: dict[str, tuple[tuple[int, str], str]] = {}
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_year: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in counts:
        if entry["reason_id"] is None:
            key = "none"
            reasons[key] = ((1 << 30, ""), _text(_("No listed reason (at the CAB's request)")))
        else:
            key = entry["reason__code"]
            reasons[key] = (
                (entry["reason__position"], key),
                _bilingual(entry["reason__label_zh"], entry["reason__label_en"]),
            )
        by_year[key][str(entry["year"])] += entry["count"]
        if entry["year"] == filters.year:
            by_kind[key][entry["kind"]] += entry["count"]
    ordered = sorted(reasons, key=lambda key: reasons[key][0])

    kinds = list(SanctionKind)
    kind_columns = [Column("total", _text(_("All kinds")))] + [Column(kind.value, _text(kind.label)) for kind in kinds]
    kind_rows = []
    for key in ordered:
        if key not in by_kind:
            continue
        values: dict[str, Value] = {kind.value: by_kind[key].get(kind.value, 0) for kind in kinds}
        values["total"] = sum(by_kind[key].values())
        kind_rows.append(Row(key, reasons[key][1], values))
    this_year = Table(
        key="sanctions_by_reason",
        title=_text(_("Sanctions by reason, {year}")).format(year=filters.year),
        description=_text(_("Sanctions decided in the year, whatever has become of them since, by reason and kind.")),
        row_header=_text(_("Reason")),
        columns=kind_columns,
        rows=kind_rows,
        totals=_sum_columns(kind_rows, [column.key for column in kind_columns]),
        totals_label=_text(_("All reasons")),
        chart_columns=[kind.value for kind in kinds],
    )

    years = [str(year) for year in range(first_year, filters.year + 1)]
    year_columns = [Column(year, year) for year in years] + [Column("total", _text(_("All years")))]
    year_rows = []
    for key in ordered:
        values = {year: by_year[key].get(year, 0) for year in years}
        values["total"] = sum(by_year[key].values())
        year_rows.append(Row(key, reasons[key][1], values))
    over_years = Table(
        key="sanctions_by_year",
        title=_text(_("Sanctions by reason and year, {first}–{last}")).format(first=first_year, last=filters.year),
        description=_text(_("Sanctions decided in each of the five years up to the selected one, by reason.")),
        row_header=_text(_("Reason")),
        columns=year_columns,
        rows=year_rows,
        totals=_sum_columns(year_rows, [column.key for column in year_columns]),
        totals_label=_text(_("All reasons")),
        chart_columns=years,
    )
    return this_year, over_years


# --- Complaints ---------------------------------------------------------------------------------


def complaint_outcomes(filters: StatisticsFilters) -> Table:
    start, end = _year_bounds(filters.year)
    received = (
        Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
        .values("kind", "status", "outcome")
        .annotate(count=Count("pk"))
        .order_by()
    )
    late = (
        Complaint.objects.exclude(status=ComplaintStatus.RESOLVED)
        .values("kind")
        .annotate(
            acknowledgement=Count("pk", filter=acknowledgement_overdue_q()),
            resolution=Count("pk", filter=resolution_overdue_q()),
        )
        .order_by()
    )
    cells: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in received:
        row = cells[entry["kind"]]
        row["received"] += entry["count"]
        row[f"status:{entry['status']}"] += entry["count"]
        if entry["status"] == ComplaintStatus.RESOLVED and entry["outcome"]:
            row[f"outcome:{entry['outcome']}"] += entry["count"]
    for entry in late:
        cells[entry["kind"]]["overdue_acknowledgement"] = entry["acknowledgement"]
        cells[entry["kind"]]["overdue_resolution"] = entry["resolution"]

    open_statuses = [status for status in ComplaintStatus if status != ComplaintStatus.RESOLVED]
    columns = [Column("received", _text(_("Received in the year")))]
    columns += [
        Column(f"status:{status.value}", _text(_("Now: {status}")).format(status=status.label))
        for status in ComplaintStatus
    ]
    columns += [Column(f"outcome:{outcome.value}", _text(outcome.label)) for outcome in ComplaintOutcome]
    columns += [
        Column("overdue_acknowledgement", _text(_("Acknowledgement overdue (open, any year)"))),
        Column("overdue_resolution", _text(_("Resolution overdue (open, any year)"))),
    ]
    rows = [
        Row(kind.value, _text(kind.label), {column.key: cells[kind.value].get(column.key, 0) for column in columns})
        for kind in ComplaintKind
    ]
    return Table(
        key="complaint_outcomes",
        title=_text(_("Complaint outcomes, {year}")).format(year=filters.year),
        description=_text(
            _(
                "Complaints received in the year by what they are about: where each stands now and how the "
                "resolved ones ended. The overdue columns count every complaint still open, whatever year "
                "it came in, as of today."
            )
        ),
        row_header=_text(_("About")),
        columns=columns,
        rows=rows,
        totals=_sum_columns(rows, [column.key for column in columns]),
        totals_label=_text(_("All complaints")),
        chart_columns=[f"status:{status.value}" for status in open_statuses]
        + [f"outcome:{outcome.value}" for outcome in ComplaintOutcome],
    )


# --- Surveillance due ---------------------------------------------------------------------------


def surveillance_due(filters: StatisticsFilters, all_programmes: Sequence[Programme]) -> tuple[Table, Table]:
    """Held accreditations whose next on-site assessment is overdue, due within ``DUE_SOON_DAYS``, or later."""
    facts = (
        _programme_filter(
            filters, Accreditation.objects.filter(status__in=sorted(HOLDING_STATUSES), granted_on__isnull=False)
        )
        .values_list("pk", "programme_id", "granted_on", "cycle_start", "cycle_end")
        .annotate(last_onsite=last_onsite_end())
        .order_by()
    )
    rules = {programme.pk: CycleRules.of(programme) for programme in all_programmes}
    soon = filters.today + dt.timedelta(days=DUE_SOON_DAYS)
    by_programme: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_rule: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _pk, programme_id, granted_on, cycle_start, cycle_end, last_onsite in facts:
        due = next_onsite_due(
            CycleFacts(
                rules=rules[programme_id],
                granted_on=granted_on,
                cycle_start=cycle_start,
                cycle_end=cycle_end,
                last_onsite_on=last_onsite,
            )
        )
        when = "overdue" if due.due_on < filters.today else "due_soon" if due.due_on <= soon else "later"
        by_programme[programme_id][when] += 1
        by_programme[programme_id]["accreditations"] += 1
        by_rule[due.rule][when] += 1
        by_rule[due.rule]["accreditations"] += 1

    columns = [
        Column("accreditations", _text(_("Accreditations held"))),
        Column("overdue", _text(_("Overdue"))),
        Column("due_soon", _text(_("Due within {days} days")).format(days=DUE_SOON_DAYS)),
        Column("later", _text(_("Due later"))),
    ]
    chart = ["overdue", "due_soon", "later"]
    rows = [
        Row(programme.code, programme.name, {c.key: by_programme[programme.pk].get(c.key, 0) for c in columns})
        for programme in _shown_programmes(filters, all_programmes)
        if programme.pk in by_programme
    ]
    per_programme = Table(
        key="surveillance_due",
        title=_text(_("On-site assessments due")),
        description=_text(
            _(
                "For each accreditation held, the date by which its next on-site assessment (surveillance or "
                "reassessment) must be held, from the programme's cycle rules and the last on-site or hybrid "
                "assessment whose report was submitted; counted as of {today}."
            )
        ).format(today=filters.today.isoformat()),
        row_header=_text(_("Programme")),
        columns=columns,
        rows=rows,
        totals=_sum_columns(rows, [column.key for column in columns]),
        totals_label=_text(_("All programmes")),
        chart_columns=chart,
    )
    rule_rows = [
        Row(rule.value, _text(rule.label), {c.key: by_rule[rule.value].get(c.key, 0) for c in columns})
        for rule in DueRule
    ]
    per_rule = Table(
        key="surveillance_due_by_rule",
        title=_text(_("On-site assessments due, by the rule that sets the date")),
        description=_text(
            _(
                "The earliest of: the first surveillance after the initial grant, the maximum interval since "
                "the last on-site assessment, and the reassessment before the cycle ends."
            )
        ),
        row_header=_text(_("Rule")),
        columns=columns,
        rows=rule_rows,
        totals=_sum_columns(rule_rows, [column.key for column in columns]),
        totals_label=_text(_("All rules")),
        chart_columns=chart,
    )
    return per_programme, per_rule


# --- Certificate uploads ------------------------------------------------------------------------


def certificate_uploads_per_cb(filters: StatisticsFilters, *, top: int = TOP_UPLOADERS) -> Table:
    start, end = _year_bounds(filters.year)
    uploads = CertificateUpload.objects.filter(created_at__gte=start, created_at__lt=end)
    leaders = (
        uploads.values("cb_id", "cb__name_zh", "cb__name_en")
        .annotate(
            uploads=Count("pk"),
            applied=Sum("applied_rows"),
            refused=Sum("error_rows"),
            last=Max("created_at"),
        )
        .order_by("-applied", "-uploads", "cb__name_zh", "cb_id")[:top]
    )
    totals = uploads.aggregate(
        uploads=Count("pk"),
        applied=Sum("applied_rows"),
        refused=Sum("error_rows"),
        last=Max("created_at"),
        bodies=Count("cb_id", distinct=True),
    )
    columns = [
        Column("uploads", _text(_("Uploads"))),
        Column("rows_applied", _text(_("Rows applied"))),
        Column("rows_refused", _text(_("Rows refused"))),
        Column("last_upload", _text(_("Last upload"))),
    ]
    rows = [
        Row(
            str(entry["cb_id"]),
            _bilingual(entry["cb__name_zh"], entry["cb__name_en"]),
            {
                "uploads": entry["uploads"],
                "rows_applied": entry["applied"] or 0,
                "rows_refused": entry["refused"] or 0,
                "last_upload": timezone.localdate(entry["last"]),
            },
        )
        for entry in leaders
    ]
    return Table(
        key="uploads_per_cb",
        title=_text(_("Certificate uploads per certification body, {year}")).format(year=filters.year),
        description=_text(
            _(
                "The {top} bodies that applied the most certificate rows in the year (files, API batches and "
                "form entries), from the upload records; the totals cover every body. The number of "
                "certificates each body holds is not shown: counting ten million certificates per body is "
                "too slow for this page."
            )
        ).format(top=top),
        row_header=_text(_("Certification body")),
        columns=columns,
        rows=rows,
        totals={
            "uploads": totals["uploads"],
            "rows_applied": totals["applied"] or 0,
            "rows_refused": totals["refused"] or 0,
            "last_upload": timezone.localdate(totals["last"]) if totals["last"] else None,
        },
        totals_label=_text(_("All {count} bodies")).format(count=totals["bodies"]),
        chart_columns=["rows_applied"],
    )


# --- Everything ---------------------------------------------------------------------------------


_BUILDERS: dict[str, Callable[[StatisticsFilters, Sequence[Programme]], Table]] = {
    "bodies_by_status": bodies_by_programme_and_status,
    "bodies_by_province": bodies_by_province,
    "sanctions_by_reason": lambda filters, _programmes: sanctions_by_reason(filters)[0],
    "sanctions_by_year": lambda filters, _programmes: sanctions_by_reason(filters)[1],
    "complaint_outcomes": lambda filters, _programmes: complaint_outcomes(filters),
    "surveillance_due": lambda filters, all_programmes: surveillance_due(filters, all_programmes)[0],
    "surveillance_due_by_rule": lambda filters, all_programmes: surveillance_due(filters, all_programmes)[1],
    "uploads_per_cb": lambda filters, _programmes: certificate_uploads_per_cb(filters),
}
TABLE_KEYS = tuple(_BUILDERS)


def statistics(filters: StatisticsFilters) -> list[Table]:
    """Every figure, in the dashboard's order (``TABLE_KEYS``); a fixed number of queries, whatever the data."""
    all_programmes = programmes()
    sanctions_year, sanctions_years = sanctions_by_reason(filters)
    due, due_by_rule = surveillance_due(filters, all_programmes)
    return [
        bodies_by_programme_and_status(filters, all_programmes),
        bodies_by_province(filters, all_programmes),
        sanctions_year,
        sanctions_years,
        complaint_outcomes(filters),
        due,
        due_by_rule,
        certificate_uploads_per_cb(filters),
    ]


def statistics_table(filters: StatisticsFilters, key: str) -> Table | None:
    """One figure by its key, computing only that one (``None``: no such figure)."""
    builder = _BUILDERS.get(key)
    return None if builder is None else builder(filters, programmes())
