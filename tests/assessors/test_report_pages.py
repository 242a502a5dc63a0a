"""The report in the browser: the team starts, writes and the lead submits and amends it; others are kept out."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentStatus, FindingStatus, ReportStatus
from assessors.models_reports import AssessmentReport, Finding
from assessors.services_reports import report_start
from core.models import User
from tests.assessors.reports_helpers import Team, nonconformity, recommend_all, submitted_report, team_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Team:
    return team_ready(cab, accreditation, secretariat, cab_user)


def detail(report: AssessmentReport) -> str:
    return reverse("assessors:report_detail", args=[report.pk])


def test_the_whole_report_is_filed_in_the_browser(team: Team, client_for: Any) -> None:
    member, lead = client_for(team.member), client_for(team.lead)
    assessment_page = reverse("assessors:assessment_detail", args=[team.assessment.pk])
    start = reverse("assessors:report_start", args=[team.assessment.pk])
    assert start in member.get(assessment_page).content.decode()

    response = member.post(start)
    report = AssessmentReport.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(report)

    member.post(
        reverse("assessors:report_edit", args=[report.pk]), {"summary": "体系运行有效。", "conclusion": "建议批准。"}
    )
    for item in team.items:
        member.post(
            reverse("assessors:report_recommendation", args=[report.pk, item.pk]),
            {"recommendation": "recommend", "conditions": ""},
        )
    added = member.post(
        reverse("assessors:finding_add", args=[report.pk]),
        {
            "kind": "nonconformity",
            "grade": "minor",
            "clause": "ISO/IEC 17025:2017 7.7.1",
            "statement": "未按计划开展期间核查。",
            "evidence": "天平期间核查记录缺失。",
            "item": team.items[0].pk,
        },
    )
    assert added.status_code == 302
    page = lead.get(detail(report)).content.decode()
    assert "体系运行有效。" in page and "NC-1" in page and "ISO/IEC 17025:2017 7.7.1" in page
    assert reverse("assessors:report_submit", args=[report.pk]) in page

    submitted = lead.post(reverse("assessors:report_submit", args=[report.pk]))

    assert submitted.status_code == 302
    report.refresh_from_db()
    team.assessment.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert Finding.objects.get().status == FindingStatus.OPEN
    assert team.assessment.status == AssessmentStatus.REPORTED
    after = lead.get(detail(report)).content.decode()
    assert reverse("assessors:report_amend", args=[report.pk]) in after
    assert reverse("assessors:finding_add", args=[report.pk]) not in after
    overview = lead.get(assessment_page).content.decode()
    assert detail(report) in overview and start not in overview
    try:
        findings = reverse("assessors:finding_list", args=[team.assessment.pk])
    except NoReverseMatch:  # the corrective actions' pages are not there yet
        findings = ""
    assert findings in overview


def test_a_finding_without_a_grade_is_explained_on_the_form(team: Team, client_for: Any) -> None:
    report = report_start(assessment=team.assessment, actor=team.member)

    response = client_for(team.member).post(
        reverse("assessors:finding_add", args=[report.pk]),
        {"kind": "nonconformity", "grade": "", "clause": "7.7.1", "statement": "问题", "evidence": "记录"},
    )

    assert response.status_code == 200
    assert "Grade the nonconformity: major or minor." in response.content.decode()
    assert not Finding.objects.exists()


def test_the_submit_page_lists_what_is_missing(team: Team, client_for: Any) -> None:
    report = report_start(assessment=team.assessment, actor=team.member)

    response = client_for(team.lead).post(reverse("assessors:report_submit", args=[report.pk]))

    assert response.status_code == 200
    assert "Give a recommendation on every scope item first" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_team_member_who_is_not_the_lead_is_refused_the_submit_page(team: Team, client_for: Any) -> None:
    report = report_start(assessment=team.assessment, actor=team.member)
    recommend_all(report, team.member)

    assert client_for(team.member).post(reverse("assessors:report_submit", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_editing_a_submitted_report_is_refused_with_its_reason(team: Team, client_for: Any) -> None:
    report = submitted_report(team)

    response = client_for(team.lead).post(
        reverse("assessors:report_edit", args=[report.pk]), {"summary": "改写", "conclusion": ""}
    )

    assert response.status_code == 200
    assert "it can no longer be changed" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == ""


def test_the_lead_amends_in_the_browser_and_the_versions_are_listed(team: Team, client_for: Any) -> None:
    first = submitted_report(team)
    lead = client_for(team.lead)

    response = lead.post(reverse("assessors:report_amend", args=[first.pk]), {"reason": "补充能力验证结论"})

    second = AssessmentReport.objects.get(version=2)
    assert response["Location"] == detail(second)
    page = lead.get(detail(second)).content.decode()
    assert "补充能力验证结论" in page and detail(first) in page
    assessment_page = lead.get(reverse("assessors:assessment_detail", args=[team.assessment.pk])).content.decode()
    assert detail(first) in assessment_page and detail(second) in assessment_page


def test_a_finding_of_a_draft_is_edited_and_removed_in_the_browser(team: Team, client_for: Any) -> None:
    report = report_start(assessment=team.assessment, actor=team.member)
    finding = nonconformity(report, team.member)
    member = client_for(team.member)

    member.post(
        reverse("assessors:finding_edit", args=[finding.pk]),
        {"kind": "observation", "grade": "", "clause": "6.4", "statement": "可改进", "evidence": "现场"},
    )
    finding.refresh_from_db()
    assert (finding.kind, finding.grade, finding.clause) == ("observation", "", "6.4")

    assert member.post(reverse("assessors:finding_remove", args=[finding.pk])).status_code == 302
    assert not Finding.objects.exists()


def test_an_assessor_off_the_team_and_another_cab_get_404(
    team: Team, client_for: Any, assessor: User, other_cab_user: User
) -> None:
    report = submitted_report(team)
    for outsider in (assessor, other_cab_user):
        client = client_for(outsider)
        assert client.get(detail(report)).status_code == 404
        assert client.post(reverse("assessors:report_amend", args=[report.pk]), {"reason": "x"}).status_code == 404
        assert client.post(reverse("assessors:report_start", args=[team.assessment.pk])).status_code == 404
