"""The secretariat moves an assessment not yet held to new dates; the CAB and the team are told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Accreditation, Application, Cab
from assessors.choices import AssessmentStatus, TeamMemberStatus, TeamRole
from assessors.models_teams import Assessment, TeamMember
from assessors.services_teams import assessment_reschedule
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, Notification, User
from tests.assessors.teams_helpers import accepted_extension, nothing_changes, plan, pool

pytestmark = pytest.mark.django_db


def soon(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def planned(cab: Cab, accreditation: Accreditation, cab_admin: User, secretariat: User) -> Assessment:
    return plan(accepted_extension(cab, accreditation, cab_admin), secretariat, start=soon(20), end=soon(22))


def move(assessment: Assessment, actor: User, start: dt.date, end: dt.date, reason: str = "与机构商定") -> Assessment:
    return assessment_reschedule(
        assessment=assessment, actor=actor, planned_start=start, planned_end=end, reason=reason
    )


def test_the_secretariat_moves_a_planned_assessment_and_the_move_is_audited_with_the_old_dates(
    planned: Assessment, secretariat: User
) -> None:
    old_start, old_end = planned.planned_start, planned.planned_end
    moved = move(planned, secretariat, soon(40), soon(41), reason="机构申请推迟")

    planned.refresh_from_db()
    assert (
        (planned.planned_start, planned.planned_end)
        == (moved.planned_start, moved.planned_end)
        == (
            soon(40),
            soon(41),
        )
    )
    event = AuditEvent.objects.get(event_type="assessment.rescheduled")
    assert event.reason == "机构申请推迟"
    assert event.old_values == {"planned_start": old_start.isoformat(), "planned_end": old_end.isoformat()}
    assert event.new_values == {"planned_start": soon(40).isoformat(), "planned_end": soon(41).isoformat()}


def test_the_cab_and_the_confirmed_team_hear_of_the_move_but_not_a_member_who_declined(
    cab: Cab, planned: Assessment, secretariat: User, cab_admin: User
) -> None:
    team = pool(cab, secretariat)
    TeamMember.objects.create(
        assessment=planned, user=team.wang.user, role=TeamRole.LEAD_ASSESSOR, added_by=secretariat
    )
    TeamMember.objects.create(
        assessment=planned,
        user=team.li.user,
        role=TeamRole.ASSESSOR,
        status=TeamMemberStatus.DECLINED,
        added_by=secretariat,
    )
    Assessment.objects.filter(pk=planned.pk).update(status=AssessmentStatus.TEAM_CONFIRMED)

    move(planned, secretariat, soon(30), soon(31))

    told = set(Notification.objects.filter(kind="assessment.rescheduled").values_list("recipient__username", flat=True))
    assert cab_admin.username in told and team.wang.user.username in told
    assert team.li.user.username not in told
    assert secretariat.username not in told


@pytest.mark.parametrize(
    ("days", "code"),
    [
        ((30, 29), "invalid_period"),
        ((-1, 2), "start_in_past"),
        ((20, 22), "dates_unchanged"),
    ],
)
def test_bad_dates_are_refused_with_their_reason_and_change_nothing(
    planned: Assessment, secretariat: User, days: tuple[int, int], code: str
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        move(planned, secretariat, soon(days[0]), soon(days[1]))
    assert refused.value.code == code


def test_a_move_without_a_reason_is_refused(planned: Assessment, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        move(planned, secretariat, soon(30), soon(31), reason="  ")
    assert refused.value.code == "reason_required"


def test_an_assessment_already_held_keeps_its_dates(planned: Assessment, secretariat: User) -> None:
    Assessment.objects.filter(pk=planned.pk).update(status=AssessmentStatus.REPORTED)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        move(planned, secretariat, soon(30), soon(31))
    assert refused.value.code == "assessment_held"


def test_an_assessment_of_a_closed_application_is_not_moved(planned: Assessment, secretariat: User) -> None:
    Application.objects.filter(pk=planned.application_id).update(status=ApplicationStatus.WITHDRAWN)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        move(planned, secretariat, soon(30), soon(31))
    assert refused.value.code == "application_closed"


def test_only_the_secretariat_moves_an_assessment(planned: Assessment, decision_maker: User, cab_admin: User) -> None:
    for someone in (decision_maker, cab_admin):
        with nothing_changes(), pytest.raises(NotPermitted):
            move(planned, someone, soon(30), soon(31))


def test_the_secretariat_moves_the_dates_on_the_page_and_sees_them(
    planned: Assessment, secretariat: User, client_for: Any
) -> None:
    client = client_for(secretariat)
    detail = client.get(reverse("assessors:assessment_detail", args=[planned.pk])).content.decode()
    assert reverse("assessors:reschedule", args=[planned.pk]) in detail

    form = client.get(reverse("assessors:reschedule", args=[planned.pk])).content.decode()
    assert f'value="{soon(20).isoformat()}"' in form

    response = client.post(
        reverse("assessors:reschedule", args=[planned.pk]),
        {"planned_start": soon(50).isoformat(), "planned_end": soon(51).isoformat(), "reason": "专家时间冲突"},
        follow=True,
    )
    assert f"The assessment is moved to {soon(50):%Y-%m-%d} – {soon(51):%Y-%m-%d}." in response.content.decode()


def test_a_refused_move_on_the_page_shows_why_and_keeps_the_input(
    planned: Assessment, secretariat: User, client_for: Any
) -> None:
    response = client_for(secretariat).post(
        reverse("assessors:reschedule", args=[planned.pk]),
        {"planned_start": soon(20).isoformat(), "planned_end": soon(22).isoformat(), "reason": "无变化"},
    )
    assert response.status_code == 200
    assert "These are the dates already planned." in response.content.decode()
    assert "无变化" in response.content.decode()


def test_the_decision_maker_is_not_offered_the_move(planned: Assessment, decision_maker: User, client_for: Any) -> None:
    detail = client_for(decision_maker).get(reverse("assessors:assessment_detail", args=[planned.pk]))
    assert reverse("assessors:reschedule", args=[planned.pk]) not in detail.content.decode()


def test_the_api_moves_the_dates_and_refuses_a_held_assessment(
    planned: Assessment, secretariat: User, api_for: Any
) -> None:
    client = api_for(secretariat)
    url = reverse("assessors_api:assessment-reschedule", args=[planned.pk])
    moved = client.post(
        url, {"planned_start": soon(60).isoformat(), "planned_end": soon(61).isoformat(), "reason": "x"}, format="json"
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["planned_start"], moved.json()["planned_end"]) == (soon(60).isoformat(), soon(61).isoformat())

    Assessment.objects.filter(pk=planned.pk).update(status=AssessmentStatus.COMPLETED)
    refused = client.post(
        url, {"planned_start": soon(70).isoformat(), "planned_end": soon(71).isoformat(), "reason": "x"}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "assessment_held")
