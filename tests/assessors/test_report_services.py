"""The report's moves: who may make each one, what it changes, what it records and whom it tells."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Accreditation, Cab
from assessors.choices import (
    AssessmentKind,
    AssessmentStatus,
    FindingGrade,
    FindingKind,
    FindingStatus,
    Recommendation,
    ReportStatus,
)
from assessors.models_reports import AssessmentReport, Finding, ItemRecommendation
from assessors.models_teams import Assessment
from assessors.services_reports import (
    finding_add,
    finding_remove,
    finding_update,
    report_amend,
    report_recommendation_set,
    report_start,
    report_submit,
    report_update,
)
from core.errors import DomainError
from core.models import AuditEvent, Notification, User
from tests.accreditation.factories import programme
from tests.assessors.reports_helpers import (
    Team,
    nonconformity,
    nothing_changes,
    observation,
    recommend_all,
    submitted_report,
    team_ready,
    today,
)
from tests.assessors.teams_helpers import WATER_ITEM, accepted_extension

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Team:
    return team_ready(cab, accreditation, secretariat, cab_user)


@pytest.fixture
def draft(team: Team) -> AssessmentReport:
    return report_start(assessment=team.assessment, actor=team.member)


def events(*types: str) -> list[str]:
    return list(AuditEvent.objects.filter(event_type__in=types).order_by("id").values_list("event_type", flat=True))


def refused(code: str, call: Any, **kwargs: Any) -> DomainError:
    with nothing_changes(), pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    return caught.value


# --- starting and writing -------------------------------------------------------------------------


def test_a_team_member_starts_version_one_as_a_draft(team: Team) -> None:
    report = report_start(assessment=team.assessment, actor=team.member)

    assert (report.version, report.status, report.created_by) == (1, ReportStatus.DRAFT, team.member)
    event = AuditEvent.objects.get(event_type="report.started")
    assert (event.actor, event.aggregate_id, event.cab_id) == (team.member, str(report.pk), team.application.cab_id)


def test_nobody_off_the_team_starts_the_report(team: Team, secretariat: User, cab_user: User, assessor: User) -> None:
    for outsider in (secretariat, cab_user, assessor):
        refused("not_team_member", report_start, assessment=team.assessment, actor=outsider)


def test_the_report_waits_for_a_confirmed_team_and_is_started_once(team: Team) -> None:
    Assessment.objects.filter(pk=team.assessment.pk).update(status=AssessmentStatus.PLANNING)
    refused("assessment_not_ready", report_start, assessment=team.assessment, actor=team.member)
    Assessment.objects.filter(pk=team.assessment.pk).update(status=AssessmentStatus.TEAM_CONFIRMED)

    report_start(assessment=team.assessment, actor=team.lead)

    refused("report_exists", report_start, assessment=team.assessment, actor=team.member)


def test_a_working_team_member_edits_the_summary_and_the_conclusion(draft: AssessmentReport, team: Team) -> None:
    report_update(report=draft, actor=team.lead, summary=" 体系运行有效。 ", conclusion="建议批准扩项。")

    draft.refresh_from_db()
    assert (draft.summary, draft.conclusion) == ("体系运行有效。", "建议批准扩项。")
    assert AuditEvent.objects.get(event_type="report.updated").new_values == {
        "summary": "体系运行有效。",
        "conclusion": "建议批准扩项。",
    }


def test_a_recommendation_with_conditions_needs_them_written(draft: AssessmentReport, team: Team) -> None:
    item = team.items[0]
    error = refused(
        "conditions_required",
        report_recommendation_set,
        report=draft,
        actor=team.member,
        item=item,
        recommendation=Recommendation.DO_NOT_RECOMMEND,
        conditions="  ",
    )
    assert "conditions" in error.detail

    row = report_recommendation_set(
        report=draft,
        actor=team.member,
        item=item,
        recommendation=Recommendation.RECOMMEND_WITH_CONDITIONS,
        conditions="提交能力验证结果",
    )
    report_recommendation_set(
        report=draft, actor=team.member, item=item, recommendation=Recommendation.RECOMMEND, conditions=""
    )

    row.refresh_from_db()
    assert (row.recommendation, ItemRecommendation.objects.count()) == (Recommendation.RECOMMEND, 1)
    assert events("report.recommendation_set") == ["report.recommendation_set", "report.recommendation_set"]


def test_a_recommendation_is_only_for_a_scope_item_the_assessment_covers(
    draft: AssessmentReport, team: Team, cab: Cab, accreditation: Accreditation, cab_user: User
) -> None:
    foreign = accepted_extension(cab, accreditation, cab_user, items=(WATER_ITEM,)).items.get()
    refused(
        "invalid_scope_item",
        report_recommendation_set,
        report=draft,
        actor=team.member,
        item=foreign,
        recommendation=Recommendation.RECOMMEND,
        conditions="",
    )


# --- findings -------------------------------------------------------------------------------------


def test_findings_are_numbered_per_assessment_and_stay_drafts_until_submitted(
    draft: AssessmentReport, team: Team
) -> None:
    first = nonconformity(draft, team.member, grade=FindingGrade.MAJOR)
    second = observation(draft, team.lead)

    assert [(f.number, f.kind, f.grade, f.status) for f in (first, second)] == [
        (1, FindingKind.NONCONFORMITY, FindingGrade.MAJOR, FindingStatus.DRAFT),
        (2, FindingKind.OBSERVATION, "", FindingStatus.DRAFT),
    ]
    assert AuditEvent.objects.get(event_type="finding.added", aggregate_id=str(first.pk)).new_values["number"] == 1


def test_a_nonconformity_needs_a_grade_and_an_observation_has_none(draft: AssessmentReport, team: Team) -> None:
    base = {"report": draft, "actor": team.member, "clause": "7.7.1", "statement": "问题", "evidence": "记录"}
    refused("grade_required", finding_add, kind=FindingKind.NONCONFORMITY, grade="", **base)
    refused("grade_not_applicable", finding_add, kind=FindingKind.OBSERVATION, grade=FindingGrade.MINOR, **base)
    error = refused(
        "invalid", finding_add, kind=FindingKind.OBSERVATION, grade="", **{**base, "statement": " ", "evidence": ""}
    )
    assert sorted(error.detail) == ["evidence", "statement"]


def test_a_draft_finding_is_edited_and_removed(draft: AssessmentReport, team: Team) -> None:
    finding = nonconformity(draft, team.member)

    finding_update(finding=finding, actor=team.lead, grade=FindingGrade.MAJOR, item=team.items[1])
    finding.refresh_from_db()
    assert (finding.grade, finding.item) == (FindingGrade.MAJOR, team.items[1])
    assert AuditEvent.objects.get(event_type="finding.updated").new_values == {
        "grade": FindingGrade.MAJOR,
        "item": team.items[1].pk,
    }

    finding_remove(finding=finding, actor=team.member)
    assert not Finding.objects.exists()
    assert AuditEvent.objects.get(event_type="finding.removed").old_values["number"] == 1


# --- submitting -----------------------------------------------------------------------------------


def test_only_the_lead_assessor_submits(draft: AssessmentReport, team: Team, secretariat: User) -> None:
    recommend_all(draft, team.member)
    for other in (team.member, secretariat):
        refused("not_lead_assessor", report_submit, report=draft, actor=other)


def test_submitting_needs_a_recommendation_on_every_scope_item(draft: AssessmentReport, team: Team) -> None:
    first, second = team.items
    report_recommendation_set(
        report=draft, actor=team.lead, item=first, recommendation=Recommendation.RECOMMEND, conditions=""
    )

    error = refused("recommendations_missing", report_submit, report=draft, actor=team.lead)

    assert [row["id"] for row in error.detail["items"]] == [second.pk]
    assert "钢材" in error.detail["items"][0]["label"]


def test_submitting_locks_the_report_opens_the_nonconformities_with_their_deadline_and_reports_the_assessment(
    draft: AssessmentReport, team: Team, cab_user: User, cab_admin: User, secretariat: User
) -> None:
    recommend_all(draft, team.member)
    nc = nonconformity(draft, team.member)
    obs = observation(draft, team.member)
    mail.outbox.clear()

    report = report_submit(report=draft, actor=team.lead)

    nc.refresh_from_db()
    obs.refresh_from_db()
    team.assessment.refresh_from_db()
    due = today() + dt.timedelta(days=programme("CL").nc_answer_deadline_days)
    assert (report.status, report.submitted_by, report.is_locked) == (ReportStatus.SUBMITTED, team.lead, True)
    assert (nc.status, nc.answer_due_on) == (FindingStatus.OPEN, due)
    assert (obs.status, obs.answer_due_on) == (FindingStatus.NOTED, None)
    assert team.assessment.status == AssessmentStatus.REPORTED
    assert events("report.submitted", "assessment.reported", "assessment.completed") == [
        "report.submitted",
        "assessment.reported",
    ]
    assert AuditEvent.objects.get(event_type="report.submitted").new_values["answer_due_on"] == str(due)
    to_cab = Notification.objects.filter(kind="report.submitted")
    assert sorted(n.recipient.username for n in to_cab) == sorted([cab_user.username, cab_admin.username])
    assert to_cab[0].params["nonconformities"] == 1 and to_cab[0].params["due"] == str(due)
    staff = Notification.objects.filter(kind="report.submitted_secretariat")
    assert [n.recipient for n in staff] == [secretariat]


def test_the_deadline_follows_the_programme_setting(draft: AssessmentReport, team: Team) -> None:
    cl = programme("CL")
    cl.nc_answer_deadline_days = 30
    cl.save(update_fields=["nc_answer_deadline_days"])
    recommend_all(draft, team.member)
    nc = nonconformity(draft, team.member)

    report_submit(report=draft, actor=team.lead)

    nc.refresh_from_db()
    assert nc.answer_due_on == today() + dt.timedelta(days=30)


def test_a_report_without_nonconformities_completes_the_assessment(team: Team) -> None:
    submitted_report(team, with_nonconformity=False)

    team.assessment.refresh_from_db()
    assert team.assessment.status == AssessmentStatus.COMPLETED
    assert events("assessment.reported", "assessment.completed") == ["assessment.reported", "assessment.completed"]


def test_a_submitted_report_and_its_findings_are_locked(team: Team) -> None:
    report = submitted_report(team)
    finding = report.findings.get()

    refused("report_locked", report_update, report=report, actor=team.lead, summary="改", conclusion="")
    refused(
        "report_locked",
        report_recommendation_set,
        report=report,
        actor=team.lead,
        item=team.items[0],
        recommendation=Recommendation.RECOMMEND,
        conditions="",
    )
    refused("report_locked", nonconformity, report=report, actor=team.lead)
    refused("finding_locked", finding_update, finding=finding, actor=team.lead, clause="8.1")
    refused("finding_locked", finding_remove, finding=finding, actor=team.lead)
    refused("illegal_status_change", report_submit, report=report, actor=team.lead)


# --- amending -------------------------------------------------------------------------------------


def test_an_amendment_is_a_new_draft_copying_the_text_and_recommendations_but_not_the_findings(team: Team) -> None:
    first = submitted_report(team)
    # Written while it was a draft; set directly here, the edit has its own test.
    AssessmentReport.objects.filter(pk=first.pk).update(summary="v1 summary")

    amendment = report_amend(report=first, actor=team.lead, reason="补充能力验证的结论")

    assert (amendment.version, amendment.status, amendment.amends) == (2, ReportStatus.DRAFT, first)
    assert amendment.summary == "v1 summary"
    assert sorted(amendment.recommendations.values_list("item_id", "recommendation")) == sorted(
        first.recommendations.values_list("item_id", "recommendation")
    )
    assert amendment.findings.count() == 0
    event = AuditEvent.objects.get(event_type="report.amended")
    assert (event.reason, event.new_values["amends_version"]) == ("补充能力验证的结论", 1)


def test_only_the_lead_amends_with_a_reason_and_only_once_at_a_time(team: Team) -> None:
    first = submitted_report(team)
    refused("not_lead_assessor", report_amend, report=first, actor=team.member, reason="更正")
    refused("reason_required", report_amend, report=first, actor=team.lead, reason=" ")

    report_amend(report=first, actor=team.lead, reason="更正")

    refused("draft_exists", report_amend, report=first, actor=team.lead, reason="再次更正")


def test_submitting_the_amendment_supersedes_the_old_version_and_a_new_nonconformity_reopens_the_assessment(
    team: Team, cab_user: User
) -> None:
    first = submitted_report(team, with_nonconformity=False)
    team.assessment.refresh_from_db()
    assert team.assessment.status == AssessmentStatus.COMPLETED
    amendment = report_amend(report=first, actor=team.lead, reason="遗漏一项不符合")
    nc = nonconformity(amendment, team.member)

    report_submit(report=amendment, actor=team.lead)

    first.refresh_from_db()
    nc.refresh_from_db()
    team.assessment.refresh_from_db()
    assert first.status == ReportStatus.SUPERSEDED
    assert (nc.number, nc.status) == (1, FindingStatus.OPEN)
    assert team.assessment.status == AssessmentStatus.REPORTED
    assert events("report.superseded", "assessment.reopened") == ["report.superseded", "assessment.reopened"]
    amended = Notification.objects.get(kind="report.amendment_submitted", recipient=cab_user)
    assert (amended.params["version"], amended.params["reason"]) == (2, "遗漏一项不符合")


def test_old_findings_stay_in_force_and_new_ones_continue_the_numbering(team: Team) -> None:
    first = submitted_report(team)
    old = first.findings.get()
    amendment = report_amend(report=first, actor=team.lead, reason="补充观察项")

    new = observation(amendment, team.member)
    report_submit(report=amendment, actor=team.lead)

    old.refresh_from_db()
    assert (old.report, old.status, new.number) == (first, FindingStatus.OPEN, 2)


def test_a_superseded_version_cannot_be_amended(team: Team) -> None:
    first = submitted_report(team)
    amendment = report_amend(report=first, actor=team.lead, reason="更正")
    recommend_all(amendment, team.lead)
    report_submit(report=amendment, actor=team.lead)
    first.refresh_from_db()

    refused("not_amendable", report_amend, report=first, actor=team.lead, reason="再改")


def test_a_report_of_a_decided_application_cannot_be_amended(team: Team) -> None:
    report = submitted_report(team)
    application = team.assessment.application
    application.status = ApplicationStatus.DECIDED
    application.save(update_fields=["status"])

    refused("application_closed", report_amend, report=report, actor=team.lead, reason="决定后更正")
    assert AssessmentReport.objects.filter(assessment=team.assessment).count() == 1


def test_an_on_site_assessment_is_reported_the_same_way(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    team = team_ready(cab, accreditation, secretariat, cab_user, kind=AssessmentKind.ON_SITE)
    report = submitted_report(team)
    assert report.status == ReportStatus.SUBMITTED
