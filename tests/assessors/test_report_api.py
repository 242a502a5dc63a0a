"""The reports API: a round trip from starting the report to the amendment, and its refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentStatus, FindingStatus
from assessors.models_reports import AssessmentReport, Finding, ReportAttachment
from assessors.models_teams import RemoteSession
from assessors.services_reports import report_amend
from core.models import User
from tests.accreditation.factories import programme
from tests.assessors.reports_helpers import PDF, PNG, Team, nothing_changes, submitted_report, team_ready, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Team:
    return team_ready(cab, accreditation, secretariat, cab_user)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_team_files_and_submits_a_report_through_the_api(team: Team, api_for: Any, media: Path) -> None:
    member, lead = api_for(team.member), api_for(team.lead)

    started = member.post("/api/reports/", {"assessment": team.assessment.pk}, format="json")
    assert started.status_code == 201, started.json()
    report_id = started.json()["id"]
    assert (started.json()["version"], started.json()["status"]) == (1, "draft")

    edited = member.patch(f"/api/reports/{report_id}/", {"summary": "体系运行有效。"}, format="json")
    assert edited.json()["summary"] == "体系运行有效。"
    for item in team.items:
        answer = member.post(
            f"/api/reports/{report_id}/recommendations/",
            {"item": item.pk, "recommendation": "recommend_with_conditions", "conditions": "提交能力验证结果"},
            format="json",
        )
        assert answer.status_code == 200 and answer.json()["item"] == item.pk
    finding = member.post(
        "/api/report-findings/",
        {
            "report": report_id,
            "kind": "nonconformity",
            "grade": "major",
            "clause": "7.7.1",
            "statement": "未按计划开展期间核查。",
            "evidence": "记录缺失。",
        },
        format="json",
    )
    assert finding.status_code == 201, finding.json()
    assert (finding.json()["number"], finding.json()["status"]) == (1, "draft")
    patched = member.patch(f"/api/report-findings/{finding.json()['id']}/", {"grade": "minor"}, format="json")
    assert patched.json()["grade"] == "minor"
    upload = member.post(
        f"/api/reports/{report_id}/attachments/", {"file": SimpleUploadedFile("记录.pdf", PDF)}, format="multipart"
    )
    assert upload.status_code == 201 and upload.json()["label"] == "记录.pdf"
    download = member.get(upload.json()["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    submitted = lead.post(f"/api/reports/{report_id}/submit/")

    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    nc = Finding.objects.get()
    assert (nc.status, nc.answer_due_on) == (
        FindingStatus.OPEN,
        today() + dt.timedelta(days=programme("CL").nc_answer_deadline_days),
    )
    team.assessment.refresh_from_db()
    assert team.assessment.status == AssessmentStatus.REPORTED

    amended = lead.post(f"/api/reports/{report_id}/amend/", {"reason": "更正结论"}, format="json")
    assert amended.status_code == 201
    assert (amended.json()["version"], amended.json()["amends"], len(amended.json()["recommendations"])) == (
        2,
        report_id,
        2,
    )


def test_a_non_lead_submit_and_missing_recommendations_are_refused_with_codes(team: Team, api_for: Any) -> None:
    report = api_for(team.member).post("/api/reports/", {"assessment": team.assessment.pk}, format="json").json()

    with nothing_changes():
        by_member = api_for(team.member).post(f"/api/reports/{report['id']}/submit/")
        by_lead = api_for(team.lead).post(f"/api/reports/{report['id']}/submit/")

    assert (by_member.status_code, by_member.json()["code"]) == (403, "not_lead_assessor")
    assert (by_lead.status_code, by_lead.json()["code"]) == (400, "recommendations_missing")
    assert [row["id"] for row in by_lead.json()["detail"]["items"]] == [item.pk for item in team.items]


def test_editing_a_submitted_report_or_its_findings_answers_409(team: Team, api_for: Any) -> None:
    report = submitted_report(team)
    finding = report.findings.get()
    lead = api_for(team.lead)

    with nothing_changes():
        edit = lead.patch(f"/api/reports/{report.pk}/", {"summary": "改"}, format="json")
        patch = lead.patch(f"/api/report-findings/{finding.pk}/", {"clause": "8.1"}, format="json")
        delete = lead.delete(f"/api/report-findings/{finding.pk}/")

    assert [(r.status_code, r.json()["code"]) for r in (edit, patch, delete)] == [
        (409, "report_locked"),
        (409, "finding_locked"),
        (409, "finding_locked"),
    ]


def test_the_cab_reads_only_submitted_versions_and_another_cab_nothing(
    team: Team, api_for: Any, cab_user: User, other_cab_user: User
) -> None:
    first = submitted_report(team)
    api_for(team.lead).post(f"/api/reports/{first.pk}/amend/", {"reason": "更正"}, format="json")
    draft = AssessmentReport.objects.get(version=2)

    listed = api_for(cab_user).get("/api/reports/").json()["results"]
    assert [row["version"] for row in listed] == [1]
    assert api_for(cab_user).get(f"/api/reports/{draft.pk}/").status_code == 404
    assert api_for(other_cab_user).get(f"/api/reports/{first.pk}/").status_code == 404
    assert api_for(other_cab_user).get("/api/report-findings/").json()["results"] == []


def test_an_attachment_of_the_wrong_type_is_refused(team: Team, api_for: Any, media: Path) -> None:
    report = api_for(team.member).post("/api/reports/", {"assessment": team.assessment.pk}, format="json").json()

    response = api_for(team.member).post(
        f"/api/reports/{report['id']}/attachments/", {"file": SimpleUploadedFile("x.pdf", PNG)}, format="multipart"
    )

    assert (response.status_code, response.json()["code"]) == (400, "file_content_mismatch")
    assert not ReportAttachment.objects.exists()


def test_remote_sessions_and_ict_details_through_the_api(team: Team, api_for: Any, secretariat: User) -> None:
    details = api_for(team.lead).post(
        "/api/remote-sessions/details/",
        {"assessment": team.assessment.pk, "ict_tools": "腾讯会议", "ict_tested_on": "2026-12-01"},
        format="json",
    )
    assert details.status_code == 200, details.json()
    assert (details.json()["ict_tools"], details.json()["ict_tested_on"]) == ("腾讯会议", "2026-12-01")
    refused = api_for(team.member).post(
        "/api/remote-sessions/details/", {"assessment": team.assessment.pk, "ict_tools": "Zoom"}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_lead_assessor")

    created = api_for(team.member).post(
        "/api/remote-sessions/",
        {
            "assessment": team.assessment.pk,
            "starts_at": "2026-12-07T09:00:00+08:00",
            "ends_at": "2026-12-07T11:00:00+08:00",
            "topic": "见证检测",
            "participants": "王芳, 评审组长",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    bad = api_for(team.member).post(
        "/api/remote-sessions/",
        {
            "assessment": team.assessment.pk,
            "starts_at": "2026-12-07T11:00:00+08:00",
            "ends_at": "2026-12-07T09:00:00+08:00",
            "topic": "见证检测",
            "participants": "王芳",
        },
        format="json",
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_period")
    assert api_for(secretariat).delete(f"/api/remote-sessions/{created.json()['id']}/").status_code == 204
    assert not RemoteSession.objects.exists()


def test_the_report_list_asks_the_same_number_of_queries_for_more_reports(
    team: Team, api_for: Any, secretariat: User
) -> None:
    submitted_report(team)
    client = api_for(secretariat)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/reports/").json()["results"]) == 1
    first = AssessmentReport.objects.get()
    report_amend(report=first, actor=team.lead, reason="更正")

    with CaptureQueriesContext(connection) as two:
        assert len(client.get("/api/reports/").json()["results"]) == 2

    assert len(two.captured_queries) == len(one.captured_queries)
