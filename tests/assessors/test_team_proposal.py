"""The team proposal: coverage, the lead assessor, conflicts, availability, workload and gaps."""

from __future__ import annotations

import pytest

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentKind, AssessmentStatus, QualificationRole, TeamMemberStatus, TeamRole
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors_teams import propose_team
from core.models import User
from tests.assessors.factories import D, assessor_user, code, competence, profile_for, qualification
from tests.assessors.teams_helpers import FOOD_ITEM, METAL_ITEM, WATER_ITEM, accepted_extension, plan, pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Assessment:
    return plan(accepted_extension(cab, accreditation, cab_user), secretariat)


def test_the_proposal_covers_every_item_with_a_lead_assessor_and_explains_each_choice(
    assessment: Assessment, cab: Cab, secretariat: User
) -> None:
    people = pool(cab, secretariat)

    proposal = propose_team(assessment)

    assert [(m.profile, m.role, m.covers) for m in proposal.members] == [
        (people.wang, TeamRole.LEAD_ASSESSOR, ["CL-01"]),
        (people.li, TeamRole.ASSESSOR, ["CL-06"]),
    ]
    assert [m.explanation for m in proposal.members] == [
        "covers CL-01 食品; lead assessor for CL; 0 assessment days in the last 12 months",
        "covers CL-06 金属材料; 0 assessment days in the last 12 months",
    ]
    items = list(assessment.scope_items.order_by("position"))
    assert proposal.coverage == {items[0].pk: ["CL-01"], items[1].pk: ["CL-06"]}
    assert proposal.warnings == []


def test_a_conflicted_assessor_is_excluded_with_the_reason(assessment: Assessment, cab: Cab, secretariat: User) -> None:
    people = pool(cab, secretariat)

    proposal = propose_team(assessment)

    assert people.zhang not in [m.profile for m in proposal.members]
    assert {
        "assessor_id": people.zhang.pk,
        "name": "张伟",
        "code": "conflict_of_interest",
        "reason": ("conflict of interest: Consultancy with Beijing Precise Testing Co., Ltd. since 2020-01-01"),
    } in proposal.excluded


def test_an_assessor_away_on_a_planned_day_is_excluded(assessment: Assessment, cab: Cab, secretariat: User) -> None:
    people = pool(cab, secretariat)

    proposal = propose_team(assessment)

    assert {
        "assessor_id": people.liu.pk,
        "name": "刘洋",
        "code": "unavailable",
        "reason": "unavailable between 2026-12-07 and 2026-12-09",
    } in proposal.excluded
    assert [e["name"] for e in proposal.excluded] == ["刘洋", "张伟"]


def test_the_assessor_with_fewer_recent_assessment_days_is_chosen_first(
    assessment: Assessment, cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    people = pool(cab, secretariat)
    busy_li = plan(accepted_extension(cab, accreditation, cab_user), secretariat, D(2026, 6, 1), D(2026, 6, 4))
    TeamMember.objects.create(
        assessment=busy_li,
        user=people.li.user,
        role=TeamRole.ASSESSOR,
        status=TeamMemberStatus.ACCEPTED,
        added_by=secretariat,
    )
    zhao = profile_for(assessor_user("zhao", "赵敏"))
    qualification(zhao, role=QualificationRole.ASSESSOR, approved_by=secretariat)
    competence(zhao, code("CL", "CL-06"), approved_by=secretariat)

    proposal = propose_team(assessment)

    assert [(m.profile, m.workload_days) for m in proposal.members] == [(people.wang, 0), (zhao, 0)]
    busy_li.planned_start = D(2025, 12, 6)
    busy_li.planned_end = D(2025, 12, 8)
    busy_li.save()
    TeamMember.objects.create(
        assessment=plan(accepted_extension(cab, accreditation, cab_user), secretariat, D(2026, 3, 2), D(2026, 3, 6)),
        user=zhao.user,
        role=TeamRole.ASSESSOR,
        status=TeamMemberStatus.CONFIRMED,
        added_by=secretariat,
    )
    again = propose_team(assessment)
    assert [(m.profile, m.workload_days) for m in again.members] == [(people.wang, 0), (people.li, 2)]
    assert again.members[1].explanation == "covers CL-06 金属材料; 2 assessment days in the last 12 months"


def test_days_older_than_twelve_months_and_declined_places_do_not_count(
    assessment: Assessment, cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    people = pool(cab, secretariat)
    old = plan(accepted_extension(cab, accreditation, cab_user), secretariat, D(2025, 11, 1), D(2025, 11, 30))
    declined = plan(accepted_extension(cab, accreditation, cab_user), secretariat, D(2026, 10, 1), D(2026, 10, 5))
    TeamMember.objects.create(
        assessment=old,
        user=people.li.user,
        role=TeamRole.ASSESSOR,
        status=TeamMemberStatus.ACCEPTED,
        added_by=secretariat,
    )
    TeamMember.objects.create(
        assessment=declined,
        user=people.li.user,
        role=TeamRole.ASSESSOR,
        status=TeamMemberStatus.DECLINED,
        added_by=secretariat,
    )

    proposal = propose_team(assessment)

    # The twelve months before 2026-12-07 start on 2025-12-07, after November 2025 ended.
    assert [(m.profile, m.workload_days) for m in proposal.members] == [(people.wang, 0), (people.li, 0)]


def test_an_item_nobody_available_covers_is_a_coverage_gap_warning(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    pool(cab, secretariat)
    assessment = plan(accepted_extension(cab, accreditation, cab_user, (FOOD_ITEM, WATER_ITEM)), secretariat)

    proposal = propose_team(assessment)

    water = assessment.scope_items.get(position=1)
    assert [m.profile.user.username for m in proposal.members] == ["wang"]
    assert proposal.coverage[water.pk] == []
    assert proposal.warnings == [
        {
            "code": "coverage_gap",
            "message": "No available assessor covers: 水质 / 生活饮用水 / 浑浊度 / GB/T 5750.4-2023.",
            "items": [water.pk],
        }
    ]


def test_without_a_qualified_lead_assessor_the_proposal_warns(
    assessment: Assessment, cab: Cab, secretariat: User
) -> None:
    li = profile_for(assessor_user("li", "李娜"))
    qualification(li, role=QualificationRole.ASSESSOR, approved_by=secretariat)
    competence(li, code("CL", "CL-06"), approved_by=secretariat)
    competence(li, code("CL", "CL-01"), approved_by=secretariat)

    proposal = propose_team(assessment)

    assert [(m.profile, m.role) for m in proposal.members] == [(li, TeamRole.ASSESSOR)]
    assert [w["code"] for w in proposal.warnings] == ["no_lead_assessor"]


def test_a_lead_qualification_expiring_before_the_last_planned_day_does_not_count(
    assessment: Assessment, cab: Cab, secretariat: User
) -> None:
    wang = profile_for(assessor_user("wang", "王芳"))
    qualification(wang, role=QualificationRole.LEAD_ASSESSOR, valid_until=D(2026, 12, 8), approved_by=secretariat)
    competence(wang, code("CL", "CL-01"), approved_by=secretariat)

    proposal = propose_team(assessment)

    assert proposal.members == []
    assert [w["code"] for w in proposal.warnings] == ["no_lead_assessor", "coverage_gap"]


def test_the_assessment_is_planned_in_the_planning_status(assessment: Assessment) -> None:
    assert (assessment.kind, assessment.status, assessment.days) == (
        AssessmentKind.ON_SITE,
        AssessmentStatus.PLANNING,
        3,
    )
    assert [i.attributes["field"] for i in assessment.scope_items.order_by("position")] == [
        FOOD_ITEM["field"],
        METAL_ITEM["field"],
    ]
