"""The moves of an assessment and its team: who may make each, what each grants, and refusals changing nothing."""

from __future__ import annotations

import pytest

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Accreditation, Application, Cab
from assessors.choices import AssessmentKind, AssessmentStatus, QualificationRole, TeamMemberStatus, TeamRole
from assessors.models_teams import Assessment, TeamMember
from assessors.services_teams import (
    assessment_create,
    team_confirm,
    team_member_accept,
    team_member_add,
    team_member_decline,
    team_member_object,
    team_member_remove,
    team_objection_rule,
    team_propose,
)
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, User
from tests.assessors.factories import D, assessor_user, profile_for, qualification
from tests.assessors.teams_helpers import END, START, Pool, accepted_extension, nothing_changes, plan, pool

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


def member_of(assessment: Assessment, profile_user: User) -> TeamMember:
    return TeamMember.objects.get(assessment=assessment, user=profile_user)


# --- planning -------------------------------------------------------------------------------------


def test_the_secretariat_plans_an_assessment_of_an_accepted_application(
    application: Application, secretariat: User
) -> None:
    assessment = assessment_create(
        application=application,
        actor=secretariat,
        kind=AssessmentKind.REMOTE,
        planned_start=START,
        planned_end=END,
        sites=" 北京市海淀区 ",
    )

    assert (assessment.kind, assessment.status, assessment.sites, assessment.created_by) == (
        AssessmentKind.REMOTE,
        AssessmentStatus.PLANNING,
        "北京市海淀区",
        secretariat,
    )
    assert assessment.scope_items.count() == 2
    event = AuditEvent.objects.get(event_type="assessment.created")
    assert (event.cab_id, event.actor) == (application.cab_id, secretariat)


def test_an_application_not_yet_accepted_cannot_be_assessed(application: Application, secretariat: User) -> None:
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        plan(application, secretariat)

    assert error.value.code == "application_not_accepted"


def test_a_plan_ending_before_it_starts_is_refused(application: Application, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        plan(application, secretariat, start=END, end=START)

    assert error.value.code == "invalid_period"


def test_only_the_secretariat_plans_an_assessment(application: Application, decision_maker: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as error:
        plan(application, decision_maker)

    assert error.value.code == "not_secretariat"


# --- the proposal and manual edits ----------------------------------------------------------------


def test_proposing_stores_the_members_warnings_and_excluded_assessors(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    team_propose(assessment=assessment, actor=secretariat)

    members = list(assessment.members.order_by("pk").values_list("user__username", "role", "status", "covers"))
    assert members == [
        ("wang", TeamRole.LEAD_ASSESSOR, TeamMemberStatus.PROPOSED, ["CL-01"]),
        ("li", TeamRole.ASSESSOR, TeamMemberStatus.PROPOSED, ["CL-06"]),
    ]
    assessment.refresh_from_db()
    assert [e["code"] for e in assessment.proposal_excluded] == ["unavailable", "conflict_of_interest"]
    assert assessment.proposal_warnings == []


def test_proposing_again_replaces_the_proposed_members_and_keeps_manual_picks(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    zhou = profile_for(assessor_user("zhou", "周杰"))
    qualification(zhou, role=QualificationRole.TRAINEE, approved_by=secretariat)
    team_propose(assessment=assessment, actor=secretariat)
    team_member_add(assessment=assessment, actor=secretariat, user=zhou.user, role=TeamRole.TRAINEE)

    team_propose(assessment=assessment, actor=secretariat)

    assert sorted(assessment.members.values_list("user__username", "is_manual")) == [
        ("li", False),
        ("wang", False),
        ("zhou", True),
    ]


def test_a_manual_pick_with_a_conflict_of_interest_is_refused(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        team_member_add(assessment=assessment, actor=secretariat, user=people.zhang.user, role=TeamRole.ASSESSOR)

    assert error.value.code == "conflict_of_interest"
    assert str(error.value.message) == (
        "张伟 may not assess Beijing Precise Testing Co., Ltd.: "
        "Consultancy with Beijing Precise Testing Co., Ltd. since 2020-01-01"
    )


def test_a_manual_pick_of_an_unavailable_assessor_is_refused(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        team_member_add(assessment=assessment, actor=secretariat, user=people.liu.user, role=TeamRole.ASSESSOR)

    assert error.value.code == "unavailable"


def test_a_manual_pick_without_the_qualification_for_the_role_is_refused(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        team_member_add(assessment=assessment, actor=secretariat, user=people.li.user, role=TeamRole.LEAD_ASSESSOR)

    assert error.value.code == "not_qualified"


def test_the_same_assessor_cannot_be_added_twice(assessment: Assessment, people: Pool, secretariat: User) -> None:
    team_member_add(assessment=assessment, actor=secretariat, user=people.li.user, role=TeamRole.ASSESSOR)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        team_member_add(assessment=assessment, actor=secretariat, user=people.li.user, role=TeamRole.ASSESSOR)

    assert error.value.code == "already_member"


def test_a_manual_pick_is_explained_with_the_workload(assessment: Assessment, people: Pool, secretariat: User) -> None:
    member = team_member_add(assessment=assessment, actor=secretariat, user=people.li.user, role=TeamRole.ASSESSOR)

    assert (member.status, member.is_manual, member.explanation, member.workload_days) == (
        TeamMemberStatus.PROPOSED,
        True,
        "picked by the secretariat; 0 assessment days in the last 12 months",
        0,
    )


def test_the_secretariat_removes_a_proposed_member(assessment: Assessment, people: Pool, secretariat: User) -> None:
    team_propose(assessment=assessment, actor=secretariat)

    team_member_remove(member=member_of(assessment, people.li.user), actor=secretariat)

    assert list(assessment.members.values_list("user__username", flat=True)) == ["wang"]
    assert AuditEvent.objects.filter(event_type="assessment.member_removed").count() == 1


def test_a_confirmed_member_cannot_be_removed_by_hand(confirmed: Assessment, people: Pool, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as error:
        team_member_remove(member=member_of(confirmed, people.li.user), actor=secretariat)

    assert error.value.code == "team_already_confirmed"


# --- confirmation and grants ----------------------------------------------------------------------


def test_confirming_the_team_grants_each_member_the_assessment_and_the_cab(
    confirmed: Assessment, people: Pool, cab: Cab
) -> None:
    assert confirmed.status == AssessmentStatus.TEAM_CONFIRMED
    assert set(confirmed.members.values_list("status", flat=True)) == {TeamMemberStatus.CONFIRMED}
    for user in (people.wang.user, people.li.user):
        user = User.objects.get(pk=user.pk)
        assert user.has_perm("assessors.view_assessment", confirmed)
        assert user.has_perm("accreditation.view_cab", cab)


def test_a_team_without_a_lead_assessor_cannot_be_confirmed(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    team_member_add(assessment=assessment, actor=secretariat, user=people.li.user, role=TeamRole.ASSESSOR)

    with nothing_changes(), pytest.raises(DomainError) as error:
        team_confirm(assessment=assessment, actor=secretariat)

    assert error.value.code == "no_lead_assessor"


def test_a_confirmed_team_cannot_be_confirmed_again_or_proposed_anew(confirmed: Assessment, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as again:
        team_confirm(assessment=confirmed, actor=secretariat)
    with nothing_changes(), pytest.raises(StateConflict) as propose:
        team_propose(assessment=confirmed, actor=secretariat)

    assert (again.value.code, propose.value.code) == ("illegal_status_change", "team_already_confirmed")


def test_only_the_secretariat_confirms_a_team(assessment: Assessment, people: Pool, secretariat: User) -> None:
    team_propose(assessment=assessment, actor=secretariat)

    with nothing_changes(), pytest.raises(NotPermitted) as error:
        team_confirm(assessment=assessment, actor=people.wang.user)

    assert error.value.code == "not_secretariat"


# --- the assessor answers -------------------------------------------------------------------------


def test_an_assessor_accepts_their_place(confirmed: Assessment, people: Pool) -> None:
    member = team_member_accept(member=member_of(confirmed, people.li.user), actor=people.li.user)

    assert member.status == TeamMemberStatus.ACCEPTED
    assert AuditEvent.objects.get(event_type="assessment.member_accepted").cab_id == confirmed.application.cab_id


def test_declining_takes_back_the_grants(confirmed: Assessment, people: Pool, cab: Cab) -> None:
    member = team_member_decline(member=member_of(confirmed, people.li.user), actor=people.li.user, reason="出差")

    li = User.objects.get(pk=people.li.user_id)
    assert member.status == TeamMemberStatus.DECLINED
    assert not li.has_perm("assessors.view_assessment", confirmed)
    assert not li.has_perm("accreditation.view_cab", cab)


def test_nobody_else_answers_for_an_assessor(confirmed: Assessment, people: Pool, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as error:
        team_member_accept(member=member_of(confirmed, people.li.user), actor=people.wang.user)

    assert error.value.code == "not_own_assignment"


def test_a_proposed_place_cannot_be_accepted_before_the_team_is_confirmed(
    assessment: Assessment, people: Pool, secretariat: User
) -> None:
    team_propose(assessment=assessment, actor=secretariat)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        team_member_accept(member=member_of(assessment, people.li.user), actor=people.li.user)

    assert error.value.code == "illegal_status_change"


# --- objections -----------------------------------------------------------------------------------


def test_the_cab_objects_and_the_secretariat_upholds_removing_the_member(
    confirmed: Assessment, people: Pool, cab_user: User, secretariat: User, cab: Cab
) -> None:
    objected = team_member_object(
        member=member_of(confirmed, people.li.user), actor=cab_user, reason="曾为本机构提供培训"
    )
    assert (objected.status, objected.objection_reason, objected.objected_by) == (
        TeamMemberStatus.OBJECTED,
        "曾为本机构提供培训",
        cab_user,
    )

    upheld = team_objection_rule(member=objected, actor=secretariat, uphold=True, reason="属实")

    li = User.objects.get(pk=people.li.user_id)
    assert (upheld.status, upheld.ruling_reason) == (TeamMemberStatus.UPHELD, "属实")
    assert not li.has_perm("assessors.view_assessment", confirmed)
    assert not li.has_perm("accreditation.view_cab", cab)
    assert AuditEvent.objects.get(event_type="assessment.objection_upheld").cab_id == cab.pk


def test_a_dismissed_objection_keeps_the_member_on_the_team(
    confirmed: Assessment, people: Pool, cab_user: User, secretariat: User
) -> None:
    objected = team_member_object(member=member_of(confirmed, people.li.user), actor=cab_user, reason="不熟悉")

    dismissed = team_objection_rule(member=objected, actor=secretariat, uphold=False, reason="无依据")

    assert dismissed.status == TeamMemberStatus.DISMISSED
    assert User.objects.get(pk=people.li.user_id).has_perm("assessors.view_assessment", confirmed)
    assert team_member_accept(member=dismissed, actor=people.li.user).status == TeamMemberStatus.ACCEPTED


def test_an_objection_needs_a_reason(confirmed: Assessment, people: Pool, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        team_member_object(member=member_of(confirmed, people.li.user), actor=cab_user, reason="  ")

    assert error.value.code == "reason_required"


def test_only_a_member_of_the_assessed_cab_may_object(
    confirmed: Assessment, people: Pool, other_cab_user: User
) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as error:
        team_member_object(member=member_of(confirmed, people.li.user), actor=other_cab_user, reason="不熟悉")

    assert error.value.code == "not_cab_member"


def test_only_an_open_objection_can_be_ruled_on(confirmed: Assessment, people: Pool, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as error:
        team_objection_rule(member=member_of(confirmed, people.li.user), actor=secretariat, uphold=True)

    assert error.value.code == "illegal_status_change"


def test_the_cab_grant_stays_while_the_assessor_is_on_another_team_of_that_cab(
    confirmed: Assessment,
    people: Pool,
    cab: Cab,
    accreditation: Accreditation,
    cab_user: User,
    secretariat: User,
) -> None:
    second = plan(accepted_extension(cab, accreditation, cab_user), secretariat, D(2027, 1, 4), D(2027, 1, 5))
    team_member_add(assessment=second, actor=secretariat, user=people.wang.user, role=TeamRole.LEAD_ASSESSOR)
    team_member_add(assessment=second, actor=secretariat, user=people.li.user, role=TeamRole.ASSESSOR)
    team_confirm(assessment=second, actor=secretariat)

    team_member_decline(member=member_of(confirmed, people.li.user), actor=people.li.user)

    li = User.objects.get(pk=people.li.user_id)
    assert not li.has_perm("assessors.view_assessment", confirmed)
    assert li.has_perm("assessors.view_assessment", second)
    assert li.has_perm("accreditation.view_cab", cab)
