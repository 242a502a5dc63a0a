"""The assessments and teams API, and who sees which assessment (the visibility selector)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import Accreditation, Application, Cab
from assessors.choices import AssessmentStatus, TeamMemberStatus, TeamRole
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors_teams import assessment_qs_for, my_assignments, team_member_qs_for
from assessors.services_teams import team_confirm, team_propose
from core.models import User
from tests.assessors.teams_helpers import Pool, accepted_extension, nothing_changes, plan, pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(cab: Cab, accreditation: Accreditation, cab_user: User) -> Application:
    return accepted_extension(cab, accreditation, cab_user)


@pytest.fixture
def people(cab: Cab, secretariat: User) -> Pool:
    return pool(cab, secretariat)


@pytest.fixture
def assessment(application: Application, secretariat: User) -> Assessment:
    return plan(application, secretariat)


@pytest.fixture
def confirmed(assessment: Assessment, people: Pool, secretariat: User) -> Assessment:
    team_propose(assessment=assessment, actor=secretariat)
    return team_confirm(assessment=assessment, actor=secretariat)


def li_member(assessment: Assessment, people: Pool) -> TeamMember:
    return TeamMember.objects.get(assessment=assessment, user=people.li.user)


# --- visibility -----------------------------------------------------------------------------------


def test_staff_see_every_assessment(confirmed: Assessment, secretariat: User, decision_maker: User) -> None:
    assert list(assessment_qs_for(secretariat)) == [confirmed]
    assert list(assessment_qs_for(decision_maker)) == [confirmed]


def test_an_assessor_sees_the_assessments_they_are_on_once_the_team_is_confirmed(
    assessment: Assessment, people: Pool, secretariat: User, assessor: User
) -> None:
    team_propose(assessment=assessment, actor=secretariat)
    assert list(assessment_qs_for(people.li.user)) == []

    team_confirm(assessment=assessment, actor=secretariat)

    assert list(assessment_qs_for(people.li.user)) == [assessment]
    assert list(my_assignments(people.li.user)) == [li_member(assessment, people)]
    assert list(assessment_qs_for(assessor)) == []
    assert list(assessment_qs_for(people.zhang.user)) == []


def test_the_cab_sees_its_assessments_and_the_confirmed_team_only(
    assessment: Assessment, people: Pool, secretariat: User, cab_user: User, other_cab_user: User
) -> None:
    team_propose(assessment=assessment, actor=secretariat)
    assert list(assessment_qs_for(cab_user)) == [assessment]
    assert list(team_member_qs_for(cab_user)) == []

    team_confirm(assessment=assessment, actor=secretariat)

    assert sorted(m.user.username for m in team_member_qs_for(cab_user)) == ["li", "wang"]
    assert list(assessment_qs_for(other_cab_user)) == []
    assert list(assessment_qs_for(AnonymousUser())) == []


# --- the API --------------------------------------------------------------------------------------


def test_the_secretariat_plans_an_assessment_through_the_api(
    api_for, application: Application, secretariat: User
) -> None:
    item = application.items.order_by("position").first()
    assert item is not None

    response = api_for(secretariat).post(
        "/api/assessments/",
        {
            "application": application.pk,
            "kind": "remote",
            "planned_start": "2026-12-07",
            "planned_end": "2026-12-08",
            "sites": "北京",
            "scope_items": [item.pk],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assessment = Assessment.objects.get()
    assert response.json() == {
        "id": assessment.pk,
        "application": application.pk,
        "kind": "remote",
        "planned_start": "2026-12-07",
        "planned_end": "2026-12-08",
        "sites": "北京",
        "scope_items": [item.pk],
        "status": "planning",
        "proposal_warnings": [],
        "proposal_excluded": [],
        "created_at": response.json()["created_at"],
    }


def test_a_cab_user_cannot_plan_an_assessment(api_for, application: Application, cab_user: User) -> None:
    with nothing_changes():
        response = api_for(cab_user).post(
            "/api/assessments/",
            {
                "application": application.pk,
                "kind": "remote",
                "planned_start": "2026-12-07",
                "planned_end": "2026-12-08",
            },
            format="json",
        )
    assert response.status_code == 403
    assert response.json()["code"] == "not_secretariat"


def test_propose_and_confirm_through_the_api(api_for, assessment: Assessment, people: Pool, secretariat: User) -> None:
    client = api_for(secretariat)

    proposed = client.post(f"/api/assessments/{assessment.pk}/propose-team/")
    confirmed = client.post(f"/api/assessments/{assessment.pk}/confirm-team/")

    assert proposed.status_code == 200
    assert [e["code"] for e in proposed.json()["proposal_excluded"]] == ["unavailable", "conflict_of_interest"]
    assert confirmed.json()["status"] == AssessmentStatus.TEAM_CONFIRMED
    members = client.get("/api/team-members/", {"page_size": 50}).json()["results"]
    assert [(m["user_name"], m["role"], m["status"]) for m in members] == [
        ("李娜", TeamRole.ASSESSOR, TeamMemberStatus.CONFIRMED),
        ("王芳", TeamRole.LEAD_ASSESSOR, TeamMemberStatus.CONFIRMED),
    ]


def test_confirming_twice_answers_409_and_changes_nothing(api_for, confirmed: Assessment, secretariat: User) -> None:
    with nothing_changes():
        response = api_for(secretariat).post(f"/api/assessments/{confirmed.pk}/confirm-team/")
    assert (response.status_code, response.json()["code"]) == (409, "illegal_status_change")


def test_a_manual_pick_with_a_conflict_answers_400_with_the_code(
    api_for, assessment: Assessment, people: Pool, secretariat: User
) -> None:
    with nothing_changes():
        response = api_for(secretariat).post(
            "/api/team-members/",
            {"assessment": assessment.pk, "user": people.zhang.user_id, "role": "assessor"},
            format="json",
        )
    assert (response.status_code, response.json()["code"]) == (400, "conflict_of_interest")


def test_the_secretariat_adds_and_removes_a_member_through_the_api(
    api_for, assessment: Assessment, people: Pool, secretariat: User
) -> None:
    client = api_for(secretariat)
    added = client.post(
        "/api/team-members/",
        {"assessment": assessment.pk, "user": people.wang.user_id, "role": "lead_assessor"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    assert added.json()["is_manual"] is True

    removed = client.delete(f"/api/team-members/{added.json()['id']}/")

    assert removed.status_code == 204
    assert TeamMember.objects.count() == 0


def test_the_assessor_accepts_and_declines_through_the_api(api_for, confirmed: Assessment, people: Pool) -> None:
    wang = TeamMember.objects.get(assessment=confirmed, user=people.wang.user)
    li = li_member(confirmed, people)

    accepted = api_for(people.wang.user).post(f"/api/team-members/{wang.pk}/accept/")
    declined = api_for(people.li.user).post(f"/api/team-members/{li.pk}/decline/", {"reason": "出差"}, format="json")

    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")
    assert (declined.status_code, declined.json()["status"]) == (200, "declined")


def test_another_team_member_cannot_answer_for_a_colleague(api_for, confirmed: Assessment, people: Pool) -> None:
    li = li_member(confirmed, people)
    with nothing_changes():
        response = api_for(people.wang.user).post(f"/api/team-members/{li.pk}/accept/")
    assert (response.status_code, response.json()["code"]) == (403, "not_own_assignment")


def test_the_cab_objects_and_the_secretariat_rules_through_the_api(
    api_for, confirmed: Assessment, people: Pool, cab_user: User, secretariat: User
) -> None:
    li = li_member(confirmed, people)

    objected = api_for(cab_user).post(f"/api/team-members/{li.pk}/object/", {"reason": "曾为本机构咨询"}, format="json")
    ruled = api_for(secretariat).post(
        f"/api/team-members/{li.pk}/rule/", {"uphold": True, "reason": "属实"}, format="json"
    )

    assert (objected.status_code, objected.json()["objection_reason"]) == (200, "曾为本机构咨询")
    assert (ruled.status_code, ruled.json()["status"]) == (200, "upheld")


def test_another_cab_cannot_see_the_team_member(
    api_for, confirmed: Assessment, people: Pool, other_cab_user: User
) -> None:
    li = li_member(confirmed, people)
    with nothing_changes():
        response = api_for(other_cab_user).post(f"/api/team-members/{li.pk}/object/", {"reason": "x"}, format="json")
    assert response.status_code == 404


def test_the_cab_does_not_see_why_assessors_were_excluded(api_for, confirmed: Assessment, cab_user: User) -> None:
    body = api_for(cab_user).get(f"/api/assessments/{confirmed.pk}/").json()
    assert (body["status"], body["proposal_excluded"]) == ("team_confirmed", [])


def test_the_assessment_list_takes_a_fixed_number_of_queries(
    api_for, application: Application, secretariat: User
) -> None:
    for _ in range(4):
        plan(application, secretariat)
    client = api_for(secretariat)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/assessments/")
    assert response.json()["count"] == 4
    assert len(queries) == 3  # the count, the page, the scope items (staff roles come with the user)
