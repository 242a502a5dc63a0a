"""The surveillance planner, surveillance and special assessments through the workflow, and the cycle page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType, DecisionOutcome, ScopeAction
from accreditation.models import Accreditation, Application, Cab
from accreditation.services.applications import application_create, application_open_by_body
from accreditation.services.decisions import decision_record
from assessors.choices import AssessmentKind, AssessmentStatus
from assessors.models_teams import Assessment, TeamMember
from assessors.services_reports import report_start, report_submit
from assessors.services_teams import team_confirm, team_member_accept, team_propose
from core.dates import add_months
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, User
from surveillance.choices import ComplaintChannel, ComplaintKind, JobName, JobRunStatus
from surveillance.jobs import run_job
from surveillance.jobs_planner import planned_dates
from surveillance.models import Complaint
from surveillance.services_complaints import (
    complaint_acknowledge,
    complaint_open_special_assessment,
    complaint_start_investigation,
    complaint_submit,
    special_assessments_of,
)
from tests.accreditation.service_assertions import register_snapshot
from tests.assessors.reports_helpers import recommend_all
from tests.assessors.teams_helpers import pool
from tests.surveillance.jobs_helpers import sent
from tests.surveillance.statistics_helpers import accreditation as bare_accreditation
from tests.surveillance.statistics_helpers import body


def first_surveillance_due(accreditation: Accreditation) -> dt.date:
    assert accreditation.granted_on is not None
    return add_months(accreditation.granted_on, accreditation.programme.first_surveillance_months)


def plan(day: dt.date) -> int:
    run = run_job(JobName.SURVEILLANCE_PLANNER, day)
    assert run.status == JobRunStatus.SUCCEEDED, run.errors
    return run.rows_changed


def surveillance_of(accreditation: Accreditation) -> list[Application]:
    return list(Application.objects.filter(accreditation=accreditation, type=ApplicationType.SURVEILLANCE))


# --- the planner -----------------------------------------------------------------------------------


def test_the_planner_opens_a_surveillance_assessment_when_the_due_date_enters_the_lead_time(
    accreditation: Accreditation, secretariat: User, cab_admin: User, settings: object
) -> None:
    due = first_surveillance_due(accreditation)
    window_opens = due - dt.timedelta(days=90)

    assert plan(window_opens - dt.timedelta(days=1)) == 0
    assert surveillance_of(accreditation) == []

    assert plan(window_opens) == 1

    [application] = surveillance_of(accreditation)
    assert (application.status, application.created_by, application.reviewed_by) == (
        ApplicationStatus.ACCEPTED,
        None,
        None,
    )
    current = accreditation.current_scope
    assert current is not None
    assert [(item.action, item.key) for item in application.items.all()] == [
        (ScopeAction.KEEP, item.key) for item in current.items.order_by("position", "pk")
    ]
    [assessment] = application.assessments.all()
    assert (assessment.kind, assessment.status, assessment.planned_start, assessment.planned_end) == (
        AssessmentKind.ON_SITE,
        AssessmentStatus.PLANNING,
        due - dt.timedelta(days=15),
        due - dt.timedelta(days=14),
    )
    assert [n.recipient for n in sent("surveillance.planned")] == [cab_admin]
    assert [n.recipient for n in sent("surveillance.planner_summary")] == [secretariat]
    assert AuditEvent.objects.filter(event_type="application.opened_by_body", actor=None).count() == 1
    assert AuditEvent.objects.filter(event_type="assessment.created", actor=None).count() == 1


def test_a_second_run_the_same_day_or_the_next_plans_nothing_more(accreditation: Accreditation) -> None:
    day = first_surveillance_due(accreditation) - dt.timedelta(days=60)
    assert plan(day) == 1

    assert plan(day) == 0
    assert plan(day + dt.timedelta(days=1)) == 0
    assert len(surveillance_of(accreditation)) == 1


def test_an_overdue_surveillance_is_planned_from_two_weeks_after_the_run(accreditation: Accreditation) -> None:
    day = first_surveillance_due(accreditation) + dt.timedelta(days=10)

    assert plan(day) == 1

    [assessment] = Assessment.objects.filter(application__accreditation=accreditation)
    assert (assessment.planned_start, assessment.planned_end) == planned_dates(
        first_surveillance_due(accreditation), day
    )
    assert assessment.planned_start == day + dt.timedelta(days=14)


@pytest.mark.parametrize(
    "status", [AccreditationStatus.SUSPENDED, AccreditationStatus.WITHDRAWN, AccreditationStatus.EXPIRED]
)
def test_the_planner_leaves_suspended_withdrawn_and_expired_accreditations_alone(
    accreditation: Accreditation, status: str
) -> None:
    Accreditation.objects.filter(pk=accreditation.pk).update(status=status)

    assert plan(first_surveillance_due(accreditation)) == 0
    assert surveillance_of(accreditation) == []


def test_the_planner_plans_nothing_when_an_on_site_assessment_is_already_planned(
    accreditation: Accreditation, secretariat: User
) -> None:
    day = first_surveillance_due(accreditation) - dt.timedelta(days=30)
    special = application_open_by_body(accreditation=accreditation, type=ApplicationType.SPECIAL, actor=secretariat)
    Assessment.objects.create(
        application=special,
        kind=AssessmentKind.ON_SITE,
        planned_start=day + dt.timedelta(days=5),
        planned_end=day + dt.timedelta(days=6),
        created_by=secretariat,
    )

    assert plan(day) == 0
    assert surveillance_of(accreditation) == []


def test_the_planner_does_not_plan_a_reassessment(secretariat: User) -> None:
    # The cycle ends before any surveillance is due: that on-site visit is the renewal's reassessment.
    granted = dt.date(2026, 1, 10)
    held = bare_accreditation(body("杭州检测技术有限公司"), "CL", granted_on=granted, cycle_end=dt.date(2026, 9, 1))

    assert plan(dt.date(2026, 8, 20)) == 0
    assert surveillance_of(held) == []


def test_a_planner_failure_on_one_accreditation_is_recorded_and_plans_the_others(
    accreditation: Accreditation,
) -> None:
    # A held accreditation with no published scope cannot be assessed: the run says so.
    bare = bare_accreditation(body("苏州检测有限公司"), "CL", granted_on=accreditation.granted_on)

    run = run_job(JobName.SURVEILLANCE_PLANNER, first_surveillance_due(accreditation))

    assert run.status == JobRunStatus.FAILED
    assert "no_current_scope" in run.errors
    assert surveillance_of(bare) == []


# --- a surveillance application through the workflow ---------------------------------------------


def test_a_surveillance_runs_through_team_report_and_a_maintained_decision_that_changes_nothing(
    accreditation: Accreditation, secretariat: User, decision_maker: User, cab: Cab
) -> None:
    plan(first_surveillance_due(accreditation) - dt.timedelta(days=30))
    [application] = surveillance_of(accreditation)
    [assessment] = application.assessments.all()
    pool(cab, secretariat)
    team_propose(assessment=assessment, actor=secretariat)
    assessment = team_confirm(assessment=assessment, actor=secretariat)
    members = list(TeamMember.objects.filter(assessment=assessment).select_related("user"))
    for member in members:
        team_member_accept(member=member, actor=member.user)
    lead = next(m.user for m in members if m.role == "lead_assessor")
    report = report_start(assessment=assessment, actor=lead)
    recommend_all(report, lead)
    report_submit(report=report, actor=lead)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    before = register_snapshot()

    with pytest.raises(DomainError) as refused:
        decision_record(application=application, actor=decision_maker, reasons="监督评审符合要求", outcome="defer")
    assert refused.value.code == "invalid_outcome"
    decision = decision_record(
        application=application,
        actor=decision_maker,
        reasons="监督评审符合要求，维持认可",
        outcome=DecisionOutcome.GRANT,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED
    assert (decision.outcome, decision.accreditation, decision.scope_version, decision.register_changes) == (
        DecisionOutcome.GRANT,
        None,
        None,
        {},
    )
    after = register_snapshot()
    # The decision, the application's status and their audit events are written; nothing in the register.
    written = ("Application", "Decision", "AuditEvent", "Notification")
    unchanged = [label for label in before if not any(word in label for word in written)]
    assert "accreditation.Accreditation" in unchanged and "accreditation.ScopeItem" in unchanged
    assert {label: after[label] for label in unchanged} == {label: before[label] for label in unchanged}
    # Held now: the next surveillance is counted from this visit, so the planner plans nothing.
    assert plan(first_surveillance_due(accreditation)) == 0


def test_a_surveillance_without_a_completed_assessment_cannot_be_decided(
    accreditation: Accreditation, secretariat: User, decision_maker: User
) -> None:
    application = application_open_by_body(
        accreditation=accreditation, type=ApplicationType.SURVEILLANCE, actor=secretariat
    )

    with pytest.raises(StateConflict) as refused:
        decision_record(application=application, actor=decision_maker, reasons="维持", outcome=DecisionOutcome.GRANT)

    assert refused.value.code == "not_ready_for_decision"


def test_a_cab_cannot_apply_for_a_surveillance_and_only_the_secretariat_opens_one(
    accreditation: Accreditation, cab: Cab, cab_admin: User
) -> None:
    with pytest.raises(DomainError) as refused:
        application_create(
            cab=cab, programme=accreditation.programme, type=ApplicationType.SURVEILLANCE, actor=cab_admin
        )
    assert refused.value.code == "body_initiated_type"
    with pytest.raises(NotPermitted):
        application_open_by_body(accreditation=accreditation, type=ApplicationType.SURVEILLANCE, actor=cab_admin)


# --- a special assessment from a complaint -------------------------------------------------------


def investigated_complaint(cab: Cab, secretariat: User) -> Complaint:
    complaint = complaint_submit(
        kind=ComplaintKind.AGAINST_CAB,
        channel=ComplaintChannel.STAFF,
        actor=secretariat,
        cab=cab,
        subject="检测报告数据疑似篡改",
        description="报告编号2026-001的原始记录与报告不一致。",
        complainant_name="张三",
    )
    complaint_acknowledge(complaint=complaint, actor=secretariat)
    return complaint_start_investigation(complaint=complaint, actor=secretariat)


def test_an_investigation_opens_a_special_assessment_linked_to_the_complaint(
    accreditation: Accreditation, cab: Cab, secretariat: User
) -> None:
    complaint = investigated_complaint(cab, secretariat)
    start = dt.date(2027, 1, 11)

    assessment = complaint_open_special_assessment(
        complaint=complaint,
        actor=secretariat,
        planned_start=start,
        planned_end=start + dt.timedelta(days=1),
        note="核查原始记录",
    )

    application = assessment.application
    assert (application.type, application.status, application.accreditation_id) == (
        ApplicationType.SPECIAL,
        ApplicationStatus.ACCEPTED,
        accreditation.pk,
    )
    assert application.note == f"[{complaint.tracking_number}] 核查原始记录"
    assert list(special_assessments_of(complaint)) == [application]
    event = AuditEvent.objects.get(event_type="complaint.special_assessment_opened")
    assert (event.actor, event.new_values["application"]) == (secretariat, application.pk)

    with pytest.raises(StateConflict) as refused:
        complaint_open_special_assessment(
            complaint=complaint, actor=secretariat, planned_start=start, planned_end=start
        )
    assert refused.value.code == "special_assessment_open"


def test_a_special_assessment_needs_a_complaint_under_investigation(
    accreditation: Accreditation, cab: Cab, secretariat: User
) -> None:
    complaint = investigated_complaint(cab, secretariat)
    Complaint.objects.filter(pk=complaint.pk).update(status="acknowledged")

    with pytest.raises(StateConflict) as refused:
        complaint_open_special_assessment(
            complaint=complaint, actor=secretariat, planned_start=dt.date(2027, 1, 11), planned_end=dt.date(2027, 1, 12)
        )

    assert refused.value.code == "complaint_not_investigating"
    assert Application.objects.filter(type=ApplicationType.SPECIAL).count() == 0


def test_the_special_assessment_page_and_api_open_one(
    accreditation: Accreditation, cab: Cab, secretariat: User, client: Client
) -> None:
    complaint = investigated_complaint(cab, secretariat)
    client.force_login(secretariat)

    detail = client.get(reverse("surveillance:complaint_detail", args=[complaint.pk]))
    assert reverse("surveillance:complaint_special_assessment", args=[complaint.pk]) in detail.content.decode()
    response = client.post(
        reverse("surveillance:complaint_special_assessment", args=[complaint.pk]),
        {
            "accreditation": accreditation.pk,
            "kind": "on_site",
            "planned_start": "2027-01-11",
            "planned_end": "2027-01-12",
        },
    )
    assessment = Assessment.objects.get(application__type=ApplicationType.SPECIAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessors:assessment_detail", args=[assessment.pk])

    again = client.post(
        reverse("surveillance_api:complaint-special-assessment", args=[complaint.pk]),
        {"planned_start": "2027-02-01", "planned_end": "2027-02-02"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "special_assessment_open"


# --- the cycle page ------------------------------------------------------------------------------


def test_the_cycle_page_lists_what_is_due_with_its_planned_assessment(
    accreditation: Accreditation, secretariat: User, client: Client
) -> None:
    due = first_surveillance_due(accreditation)
    plan(due - dt.timedelta(days=90))
    overdue = bare_accreditation(body("南京检测有限公司"), "CL", granted_on=dt.date(2020, 3, 1))
    assessment = Assessment.objects.get(application__accreditation=accreditation)
    client.force_login(secretariat)

    response = client.get(reverse("surveillance:cycle"), {"days": "730"})

    rows = response.context["rows"]
    assert [(row.accreditation.pk, row.overdue, row.planned) for row in rows] == [
        (overdue.pk, True, None),
        (accreditation.pk, False, assessment),
    ]
    assert reverse("assessors:assessment_detail", args=[assessment.pk]) in response.content.decode()
    only_overdue = client.get(reverse("surveillance:cycle"), {"days": "730", "due_status": "overdue"})
    assert [row.accreditation.pk for row in only_overdue.context["rows"]] == [overdue.pk]

    api = client.get(reverse("surveillance_api:cycle"), {"days": "730", "due_status": "due_soon"})
    assert [(row["accreditation"], row["due_on"], row["planned_assessment"]["id"]) for row in api.json()] == [
        (accreditation.pk, due.isoformat(), assessment.pk)
    ]


def test_the_application_and_decision_pages_show_a_planned_surveillance(
    accreditation: Accreditation, secretariat: User, decision_maker: User, client: Client
) -> None:
    plan(first_surveillance_due(accreditation) - dt.timedelta(days=30))
    [application] = surveillance_of(accreditation)
    [assessment] = application.assessments.all()
    client.force_login(secretariat)

    assert client.get(reverse("accreditation:application_detail", args=[application.pk])).status_code == 200
    page = client.get(reverse("assessors:assessment_detail", args=[assessment.pk]))
    assert page.status_code == 200
    client.force_login(decision_maker)
    assert client.get(reverse("accreditation:application_decide", args=[application.pk])).status_code == 200
