"""The assessment and team pages: planning from the application, the proposal with reasons, and each move."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accreditation.models import Accreditation, Application, Cab
from assessors.choices import AssessmentStatus, TeamMemberStatus
from assessors.models_teams import Assessment, TeamMember
from assessors.services_teams import team_confirm, team_member_object, team_propose
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


def detail(assessment: Assessment) -> str:
    return reverse("assessors:assessment_detail", args=[assessment.pk])


def test_the_application_page_offers_the_secretariat_to_plan_the_assessment(
    client_for, application: Application, secretariat: User, cab_user: User
) -> None:
    url = reverse("accreditation:application_detail", args=[application.pk])
    plan_url = reverse("assessors:assessment_create", args=[application.pk])

    assert plan_url in client_for(secretariat).get(url).content.decode()
    assert plan_url not in client_for(cab_user).get(url).content.decode()


def test_the_secretariat_plans_the_assessment_in_the_browser(
    client_for, application: Application, secretariat: User
) -> None:
    items = list(application.items.order_by("position"))
    response = client_for(secretariat).post(
        reverse("assessors:assessment_create", args=[application.pk]),
        {
            "kind": "hybrid",
            "planned_start": "2026-12-07",
            "planned_end": "2026-12-09",
            "sites": "北京市海淀区",
            "scope_items": [items[0].pk],
        },
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(assessment)
    assert (assessment.kind, list(assessment.scope_items.all())) == ("hybrid", [items[0]])


def test_a_plan_ending_before_it_starts_shows_the_message(
    client_for, application: Application, secretariat: User
) -> None:
    with nothing_changes():
        response = client_for(secretariat).post(
            reverse("assessors:assessment_create", args=[application.pk]),
            {
                "kind": "on_site",
                "planned_start": "2026-12-09",
                "planned_end": "2026-12-07",
                "scope_items": [i.pk for i in application.items.all()],
            },
        )
    assert response.status_code == 200
    assert "The end date (2026-12-07) is before the start date (2026-12-09)." in response.content.decode()


def test_the_proposal_page_shows_each_explanation_the_excluded_and_the_coverage(
    client_for, assessment: Assessment, people: Pool, secretariat: User
) -> None:
    client = client_for(secretariat)
    response = client.post(reverse("assessors:team_propose", args=[assessment.pk]))
    assert response.status_code == 302

    page = client.get(detail(assessment)).content.decode()

    assert "covers CL-01 食品; lead assessor for CL; 0 assessment days in the last 12 months" in page
    assert "covers CL-06 金属材料; 0 assessment days in the last 12 months" in page
    assert "<strong>张伟</strong>: conflict of interest: Consultancy with Beijing Precise Testing Co., Ltd." in page
    assert "<strong>刘洋</strong>: unavailable between 2026-12-07 and 2026-12-09" in page
    assert "Not covered" not in page
    assert reverse("assessors:team_confirm", args=[assessment.pk]) in page


def test_a_manual_pick_with_a_conflict_shows_the_refusal(
    client_for, assessment: Assessment, people: Pool, secretariat: User
) -> None:
    with nothing_changes():
        response = client_for(secretariat).post(
            reverse("assessors:team_member_add", args=[assessment.pk]),
            {"user": people.zhang.user_id, "role": "assessor"},
        )
    assert response.status_code == 200
    assert "张伟 may not assess Beijing Precise Testing Co., Ltd." in response.content.decode()


def test_the_secretariat_adds_removes_and_confirms_in_the_browser(
    client_for, assessment: Assessment, people: Pool, secretariat: User
) -> None:
    client = client_for(secretariat)
    client.post(
        reverse("assessors:team_member_add", args=[assessment.pk]),
        {"user": people.wang.user_id, "role": "lead_assessor"},
    )
    client.post(
        reverse("assessors:team_member_add", args=[assessment.pk]), {"user": people.li.user_id, "role": "assessor"}
    )
    li = TeamMember.objects.get(user=people.li.user)
    client.post(reverse("assessors:team_member_remove", args=[li.pk]))

    response = client.post(reverse("assessors:team_confirm", args=[assessment.pk]))

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert assessment.status == AssessmentStatus.TEAM_CONFIRMED
    assert list(assessment.members.values_list("user__username", "status")) == [("wang", "confirmed")]


def test_the_assessor_accepts_from_my_assignments(client_for, confirmed: Assessment, people: Pool) -> None:
    client = client_for(people.li.user)
    member = TeamMember.objects.get(assessment=confirmed, user=people.li.user)
    page = client.get(reverse("assessors:my_assignments")).content.decode()
    assert reverse("assessors:team_member_accept", args=[member.pk]) in page

    response = client.post(reverse("assessors:team_member_accept", args=[member.pk]))

    member.refresh_from_db()
    assert response["Location"] == reverse("assessors:my_assignments")
    assert member.status == TeamMemberStatus.ACCEPTED


def test_the_cab_sees_the_team_without_the_reasons_and_objects_to_a_member(
    client_for, confirmed: Assessment, people: Pool, cab_user: User
) -> None:
    client = client_for(cab_user)
    member = TeamMember.objects.get(assessment=confirmed, user=people.li.user)
    page = client.get(detail(confirmed)).content.decode()
    assert "李娜" in page
    assert "张伟" not in page
    assert "assessment days" not in page

    response = client.post(reverse("assessors:team_member_object", args=[member.pk]), {"reason": "曾为本机构提供培训"})

    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.status, member.objection_reason) == (TeamMemberStatus.OBJECTED, "曾为本机构提供培训")


def test_the_secretariat_upholds_an_objection_in_the_browser(
    client_for, confirmed: Assessment, people: Pool, cab_user: User, secretariat: User
) -> None:
    member = TeamMember.objects.get(assessment=confirmed, user=people.li.user)
    team_member_object(member=member, actor=cab_user, reason="曾为本机构提供培训")
    client = client_for(secretariat)
    assert reverse("assessors:objection_rule", args=[member.pk]) in client.get(detail(confirmed)).content.decode()

    client.post(reverse("assessors:objection_rule", args=[member.pk]), {"uphold": "1", "reason": "属实"})

    member.refresh_from_db()
    assert (member.status, member.ruling_reason) == (TeamMemberStatus.UPHELD, "属实")


def test_the_assessment_page_shows_in_chinese(client_for, confirmed: Assessment, secretariat: User) -> None:
    page = client_for(secretariat, language="zh-hans").get(detail(confirmed)).content.decode()
    assert 'lang="zh-hans"' in page
    assert "王芳" in page
