"""The secretariat's statistics count exactly what they say, on a small register written for each table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from accreditation.choices import AccreditationStatus, CabKind
from accreditation.models import Cab
from assessors.choices import AssessmentKind, AssessmentStatus
from certification.choices import UploadStatus
from core.models import User
from surveillance.choices import ComplaintKind, ComplaintOutcome, ComplaintStatus, SanctionKind
from surveillance.selectors_statistics import (
    StatisticsFilters,
    Table,
    bodies_by_programme_and_status,
    bodies_by_province,
    certificate_uploads_per_cb,
    complaint_outcomes,
    programmes,
    sanctions_by_reason,
    statistics,
    statistics_table,
    surveillance_due,
)
from tests.accreditation.factories import programme
from tests.surveillance.statistics_helpers import (
    accreditation,
    assessment,
    at,
    body,
    complaint,
    reason,
    sanction,
    upload,
)

D = dt.date
S = AccreditationStatus
pytestmark = pytest.mark.django_db


def rows(table: Table, *keys: str) -> dict[str, dict[str, Any]]:
    """The table's rows by key, each with only the columns named (all of them when none are)."""
    return {row.key: {key: row.values[key] for key in keys} if keys else dict(row.values) for row in table.rows}


def nonzero(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value}


@pytest.fixture
def register(secretariat: User) -> dict[str, Any]:
    """Five bodies in three provinces.

    - 北京甲 (Beijing): CL accredited, IB suspended.
    - 上海乙 (Shanghai): CL accredited.
    - 上海丙 (Shanghai): CL withdrawn, and a new CL application.
    - 广东丁 (Guangdong): MS partially suspended.
    - 北京戊 (Beijing): CL expired.
    """
    a, b, c = body("北京甲检测有限公司", "11"), body("上海乙检测有限公司", "31"), body("上海丙检测有限公司", "31")
    d = body("广东丁认证有限公司", "44", kind=CabKind.CERTIFICATION_BODY)
    e = body("北京戊检测有限公司", "11")
    return {
        "a_cl": accreditation(a, "CL", granted_on=D(2025, 8, 1)),
        "a_ib": accreditation(a, "IB", S.SUSPENDED, granted_on=D(2020, 1, 10), cycle_end=D(2026, 1, 9)),
        "b_cl": accreditation(b, "CL", granted_on=D(2024, 1, 15), cycle_end=D(2030, 1, 14)),
        "c_cl_old": accreditation(c, "CL", S.WITHDRAWN, granted_on=D(2019, 3, 1)),
        "c_cl_new": accreditation(c, "CL", S.APPLICANT),
        "d_ms": accreditation(d, "MS", S.PARTIALLY_SUSPENDED, granted_on=D(2019, 7, 1), cycle_end=D(2025, 6, 30)),
        "e_cl": accreditation(e, "CL", S.EXPIRED, granted_on=D(2014, 5, 5)),
        "cabs": (a, b, c, d, e),
    }


# --- Bodies -------------------------------------------------------------------------------------


def test_bodies_are_counted_per_programme_and_status(register: dict[str, Any]) -> None:
    table = bodies_by_programme_and_status(StatisticsFilters(year=2025), programmes())

    assert {key: nonzero(values) for key, values in rows(table).items() if nonzero(values)} == {
        "CL": {"accredited": 2, "withdrawn": 1, "applicant": 1, "expired": 1, "total": 5},
        "IB": {"suspended": 1, "total": 1},
        "MS": {"partially_suspended": 1, "total": 1},
    }
    assert [row.key for row in table.rows] == [p.code for p in programmes()]  # every programme, zeros too
    assert nonzero(table.totals or {}) == {
        "accredited": 2,
        "suspended": 1,
        "partially_suspended": 1,
        "withdrawn": 1,
        "applicant": 1,
        "expired": 1,
        "total": 7,
    }


def test_accredited_bodies_are_counted_per_province_once_across_programmes(register: dict[str, Any]) -> None:
    table = bodies_by_province(StatisticsFilters(year=2025), programmes())

    # 北京甲 holds CL and IB (once in "all"); the withdrawn, expired and applicant rows are not held.
    assert {key: nonzero(values) for key, values in rows(table).items()} == {
        "11": {"CL": 1, "IB": 1, "all": 1},
        "31": {"CL": 1, "all": 1},
        "44": {"MS": 1, "all": 1},
    }
    assert [row.label for row in table.rows] == ["Beijing", "Shanghai", "Guangdong"]


def test_the_programme_filter_narrows_the_register_figures(register: dict[str, Any]) -> None:
    filters = StatisticsFilters(year=2025, programme=programme("CL"))

    by_status = bodies_by_programme_and_status(filters, programmes())
    by_province = bodies_by_province(filters, programmes())

    assert [row.key for row in by_status.rows] == ["CL"]
    assert [column.key for column in by_province.columns] == ["CL", "all"]
    assert rows(by_province) == {"11": {"CL": 1, "all": 1}, "31": {"CL": 1, "all": 1}}


# --- Sanctions ----------------------------------------------------------------------------------


@pytest.fixture
def sanctions(register: dict[str, Any], secretariat: User) -> None:
    mark = reason("stat-mark-beyond-scope", "超范围使用认可标识", "Accreditation mark used beyond scope", 1)
    data = reason("stat-data-altered", "数据篡改或不可追溯", "Data altered or untraceable", 2)
    a_cl, a_ib, b_cl = register["a_cl"], register["a_ib"], register["b_cl"]
    # 00:10 on New Year's Day in Beijing is still 2024 in UTC: it belongs to 2025.
    sanction(a_cl, secretariat, kind=SanctionKind.WARNING, decided_at=at(2025, 1, 1, 0, 10), why=mark)
    sanction(a_ib, secretariat, kind=SanctionKind.WARNING, decided_at=at(2025, 4, 2), why=mark)
    sanction(a_cl, secretariat, kind=SanctionKind.SUSPENSION, decided_at=at(2025, 9, 9), why=mark)
    sanction(b_cl, secretariat, kind=SanctionKind.WARNING, decided_at=at(2023, 6, 1), why=mark)
    sanction(register["c_cl_old"], secretariat, kind=SanctionKind.WITHDRAWAL, decided_at=at(2025, 3, 3), why=data)
    sanction(register["c_cl_old"], secretariat, kind=SanctionKind.WARNING, decided_at=at(2020, 3, 3), why=data)
    sanction(register["d_ms"], secretariat, kind=SanctionKind.VOLUNTARY_SUSPENSION, decided_at=at(2025, 5, 5), why=None)
    # 00:30 on New Year's Day 2026 in Beijing (still 2025 in UTC): not 2025.
    sanction(b_cl, secretariat, kind=SanctionKind.WARNING, decided_at=at(2026, 1, 1, 0, 30), why=data)


def test_sanctions_are_counted_by_reason_and_kind_for_the_year(sanctions: None) -> None:
    this_year, _years = sanctions_by_reason(StatisticsFilters(year=2025))

    assert [(row.key, row.label) for row in this_year.rows] == [
        ("stat-mark-beyond-scope", "Accreditation mark used beyond scope"),
        ("stat-data-altered", "Data altered or untraceable"),
        ("none", "No listed reason (at the CAB's request)"),
    ]
    assert {key: nonzero(values) for key, values in rows(this_year).items()} == {
        "stat-mark-beyond-scope": {"total": 3, "warning": 2, "suspension": 1},
        "stat-data-altered": {"total": 1, "withdrawal": 1},
        "none": {"total": 1, "voluntary_suspension": 1},
    }
    assert nonzero(this_year.totals or {}) == {
        "total": 5,
        "warning": 2,
        "suspension": 1,
        "withdrawal": 1,
        "voluntary_suspension": 1,
    }


def test_sanctions_are_counted_by_reason_over_the_five_years_up_to_the_year(sanctions: None) -> None:
    _this_year, years = sanctions_by_reason(StatisticsFilters(year=2025))

    assert [column.key for column in years.columns] == ["2021", "2022", "2023", "2024", "2025", "total"]
    assert {key: nonzero(values) for key, values in rows(years).items()} == {
        "stat-mark-beyond-scope": {"2023": 1, "2025": 3, "total": 4},
        "stat-data-altered": {"2025": 1, "total": 1},  # the 2020 warning is before the window
        "none": {"2025": 1, "total": 1},
    }
    next_year, _years = sanctions_by_reason(StatisticsFilters(year=2026))
    assert rows(next_year, "total", "warning") == {"stat-data-altered": {"total": 1, "warning": 1}}


def test_the_programme_filter_counts_the_sanctions_of_that_programme_only(sanctions: None) -> None:
    this_year, years = sanctions_by_reason(StatisticsFilters(year=2025, programme=programme("CL")))

    assert rows(this_year, "total") == {"stat-mark-beyond-scope": {"total": 2}, "stat-data-altered": {"total": 1}}
    assert rows(years, "2023", "total") == {
        "stat-mark-beyond-scope": {"2023": 1, "total": 3},
        "stat-data-altered": {"2023": 0, "total": 1},
    }


def test_a_year_without_sanctions_has_an_empty_table_with_zero_totals(db: None) -> None:
    this_year, years = sanctions_by_reason(StatisticsFilters(year=2025))

    assert this_year.rows == [] and years.rows == []
    assert this_year.totals == dict.fromkeys(["total", *SanctionKind.values], 0)


# --- Complaints ---------------------------------------------------------------------------------


def test_complaint_outcomes_count_the_year_and_every_open_complaint_that_is_late(db: None) -> None:
    today = timezone.localdate()
    year_start = at(today.year, 1, 1, 0, 1)
    last_year = at(today.year - 1, 6, 1)
    yesterday = today - dt.timedelta(days=1)
    complaint(ComplaintKind.AGAINST_CAB, received_at=year_start, acknowledge_due_on=yesterday)
    complaint(ComplaintKind.AGAINST_CAB, ComplaintStatus.RESOLVED, received_at=year_start, outcome="warning")
    complaint(ComplaintKind.AGAINST_CAB, ComplaintStatus.RESOLVED, received_at=year_start, outcome="not_supported")
    complaint(
        ComplaintKind.FAKE_CERTIFICATE,
        ComplaintStatus.INVESTIGATING,
        received_at=year_start,
        resolution_due_on=yesterday,
    )
    # Last year's: one still open and late (counted as late only), one resolved (not counted at all).
    complaint(
        ComplaintKind.FAKE_CERTIFICATE, ComplaintStatus.ACKNOWLEDGED, received_at=last_year, resolution_due_on=yesterday
    )
    complaint(ComplaintKind.FALSE_CLAIM, ComplaintStatus.RESOLVED, received_at=last_year, outcome="withdrawal")

    table = complaint_outcomes(StatisticsFilters(year=today.year))

    assert [row.key for row in table.rows] == ComplaintKind.values
    assert {key: nonzero(values) for key, values in rows(table).items()} == {
        "against_cab": {
            "received": 3,
            "status:received": 1,
            "status:resolved": 2,
            f"outcome:{ComplaintOutcome.WARNING}": 1,
            f"outcome:{ComplaintOutcome.NOT_SUPPORTED}": 1,
            "overdue_acknowledgement": 1,
        },
        "against_accreditation_body": {},
        "fake_certificate": {"received": 1, "status:investigating": 1, "overdue_resolution": 2},
        "false_claim": {},
    }
    assert nonzero(table.totals or {})["received"] == 4
    assert nonzero(complaint_outcomes(StatisticsFilters(year=today.year - 1)).totals or {}) == {
        "received": 2,
        "status:acknowledged": 1,
        "status:resolved": 1,
        "outcome:withdrawal": 1,
        "overdue_acknowledgement": 1,
        "overdue_resolution": 2,
    }


# --- Surveillance due ---------------------------------------------------------------------------


@pytest.fixture
def assessments(register: dict[str, Any], secretariat: User) -> None:
    assessment(register["a_ib"], secretariat, ended_on=D(2023, 5, 20))
    assessment(register["a_ib"], secretariat, ended_on=D(2022, 5, 20))
    assessment(register["b_cl"], secretariat, ended_on=D(2025, 3, 1), kind=AssessmentKind.HYBRID, status="reported")
    # Neither counts as an on-site assessment held: a remote one, and one still being planned.
    assessment(register["b_cl"], secretariat, ended_on=D(2026, 1, 1), kind=AssessmentKind.REMOTE)
    assessment(register["a_cl"], secretariat, ended_on=D(2026, 5, 1), status=AssessmentStatus.PLANNING)
    assessment(register["d_ms"], secretariat, ended_on=D(2024, 9, 1))


def test_on_site_assessments_due_are_counted_per_programme_as_of_today(assessments: None) -> None:
    # 北京甲 CL: first surveillance 2026-08-01, within 90 days. 北京甲 IB: 24 months after 2023-05-20,
    # overdue. 上海乙 CL: 24 months after its hybrid assessment, 2027-03-01. 广东丁 MS: its cycle ended
    # 2025-06-30 before the interval ran out: reassessment overdue. Withdrawn, expired, applicant: none.
    per_programme, per_rule = surveillance_due(StatisticsFilters(year=2026, today=D(2026, 6, 1)), programmes())

    assert rows(per_programme) == {
        "CL": {"accreditations": 2, "overdue": 0, "due_soon": 1, "later": 1},
        "IB": {"accreditations": 1, "overdue": 1, "due_soon": 0, "later": 0},
        "MS": {"accreditations": 1, "overdue": 1, "due_soon": 0, "later": 0},
    }
    assert per_programme.totals == {"accreditations": 4, "overdue": 2, "due_soon": 1, "later": 1}
    assert rows(per_rule) == {
        "first_surveillance": {"accreditations": 1, "overdue": 0, "due_soon": 1, "later": 0},
        "onsite_interval": {"accreditations": 2, "overdue": 1, "due_soon": 0, "later": 1},
        "reassessment": {"accreditations": 1, "overdue": 1, "due_soon": 0, "later": 0},
    }


def test_due_soon_ends_ninety_days_ahead_and_the_programme_filter_applies(assessments: None) -> None:
    # 北京甲 CL is due 2026-08-01: 90 days after 2026-05-03 it is due soon, from 2026-05-02 it is later.
    laboratories = programme("CL")
    on_the_edge, _rules = surveillance_due(StatisticsFilters(2026, laboratories, today=D(2026, 5, 3)), programmes())
    a_day_before, _rules = surveillance_due(StatisticsFilters(2026, laboratories, today=D(2026, 5, 2)), programmes())

    assert rows(on_the_edge) == {"CL": {"accreditations": 2, "overdue": 0, "due_soon": 1, "later": 1}}
    assert rows(a_day_before) == {"CL": {"accreditations": 2, "overdue": 0, "due_soon": 0, "later": 2}}


# --- Certificate uploads ------------------------------------------------------------------------


@pytest.fixture
def uploads(secretariat: User) -> tuple[Cab, Cab]:
    first = body("华北质量认证中心", "11", kind=CabKind.CERTIFICATION_BODY, name_en="North China Certification")
    second = body("华南质量认证中心", "44", kind=CabKind.CERTIFICATION_BODY)
    upload(first, secretariat, at_time=at(2025, 2, 1), applied=100)
    upload(first, secretariat, at_time=at(2025, 11, 2, 10), applied=50, refused=5, status=UploadStatus.DONE_WITH_ERRORS)
    upload(first, secretariat, at_time=at(2025, 3, 1), applied=0, status=UploadStatus.FAILED)
    upload(second, secretariat, at_time=at(2025, 12, 31, 23, 50), applied=500, refused=1)
    upload(second, secretariat, at_time=at(2024, 12, 31, 23, 50), applied=9999)
    return first, second


def test_uploads_per_cb_list_the_bodies_that_applied_most_rows_in_the_year(uploads: tuple[Cab, Cab]) -> None:
    first, second = uploads

    table = certificate_uploads_per_cb(StatisticsFilters(year=2025))

    assert [(row.key, row.label) for row in table.rows] == [
        (str(second.pk), "华南质量认证中心"),
        (str(first.pk), "North China Certification"),  # the English name on an English page
    ]
    assert rows(table) == {
        str(second.pk): {"uploads": 1, "rows_applied": 500, "rows_refused": 1, "last_upload": D(2025, 12, 31)},
        str(first.pk): {"uploads": 3, "rows_applied": 150, "rows_refused": 5, "last_upload": D(2025, 11, 2)},
    }
    assert table.totals == {"uploads": 4, "rows_applied": 650, "rows_refused": 6, "last_upload": D(2025, 12, 31)}
    assert table.totals_label == "All 2 bodies"


def test_the_uploads_table_keeps_the_totals_of_every_body_when_it_lists_fewer(uploads: tuple[Cab, Cab]) -> None:
    table = certificate_uploads_per_cb(StatisticsFilters(year=2025), top=1)

    assert [row.label for row in table.rows] == ["华南质量认证中心"]
    assert table.totals is not None and table.totals["rows_applied"] == 650
    assert rows(certificate_uploads_per_cb(StatisticsFilters(year=2024))) == {
        str(uploads[1].pk): {"uploads": 1, "rows_applied": 9999, "rows_refused": 0, "last_upload": D(2024, 12, 31)}
    }


# --- Everything ---------------------------------------------------------------------------------


def test_every_table_comes_in_the_dashboard_order_and_one_can_be_built_alone(register: dict[str, Any]) -> None:
    filters = StatisticsFilters(year=2025)
    tables = statistics(filters)

    assert [table.key for table in tables] == [
        "bodies_by_status",
        "bodies_by_province",
        "sanctions_by_reason",
        "sanctions_by_year",
        "complaint_outcomes",
        "surveillance_due",
        "surveillance_due_by_rule",
        "uploads_per_cb",
    ]
    for table in tables:
        alone = statistics_table(filters, table.key)
        assert alone is not None and alone.rows == table.rows and alone.totals == table.totals
    assert statistics_table(filters, "nothing") is None


def test_the_labels_follow_the_language(register: dict[str, Any]) -> None:
    with translation.override("zh-hans"):
        table = bodies_by_province(StatisticsFilters(year=2025), programmes())

    assert table.rows[0].label == "北京"
    assert {column.key: column.label for column in table.columns}["CL"] == "检测和校准实验室认可"
