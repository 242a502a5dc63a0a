"""The assessors' services: each move, who may make it, and each refusal changing nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accreditation.models import Cab
from assessors import services
from assessors.choices import CompetenceStatus, ConflictKind, QualificationRole, QualificationStatus
from assessors.models import AssessorProfile, Competence, Qualification, TrainingRecord, Unavailability
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, User
from tests.accreditation.factories import UserFactory, programme
from tests.assessors.factories import (
    D,
    assessor_user,
    code,
    competence,
    conflict,
    nothing_changes,
    profile_for,
    qualification,
    training,
    unavailable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin_profile(assessor: User) -> AssessorProfile:
    return profile_for(assessor)


@pytest.fixture
def frank(db: None) -> User:
    return assessor_user("frank", "李秀英")


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()  # type: ignore[return-value]


# --- profile -------------------------------------------------------------------------------------


def test_an_assessors_first_visit_creates_their_empty_profile_once(assessor: User) -> None:
    first = services.profile_get_or_create(user=assessor, actor=assessor)
    second = services.profile_get_or_create(user=assessor, actor=assessor)
    assert first.pk == second.pk
    assert AssessorProfile.objects.filter(user=assessor).count() == 1
    assert AuditEvent.objects.filter(event_type="assessor_profile.created").count() == 1


def test_the_secretariat_opens_a_profile_for_an_assessor(assessor: User, secretariat: User) -> None:
    profile = services.profile_get_or_create(user=assessor, actor=secretariat)
    assert profile.user == assessor
    assert last_event().actor_label == "alice"


def test_a_profile_is_refused_for_a_user_outside_the_assessor_group(secretariat: User, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        services.profile_get_or_create(user=cab_user, actor=secretariat)
    assert refused.value.code == "not_an_assessor"


def test_nobody_opens_a_profile_for_someone_else_except_the_secretariat(assessor: User, frank: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.profile_get_or_create(user=frank, actor=assessor)
    assert refused.value.code == "not_own_profile"


def test_an_assessor_keeps_their_own_profile_and_the_change_is_audited(erin_profile: AssessorProfile) -> None:
    profile = services.profile_update(
        profile=erin_profile, actor=erin_profile.user, region="31", languages="中文, English", employer="上海质检院"
    )
    profile.refresh_from_db()
    assert (profile.region, profile.languages, profile.employer) == ("31", "中文, English", "上海质检院")
    event = last_event()
    assert event.event_type == "assessor_profile.updated"
    assert event.old_values == {"region": "", "languages": "", "employer": ""}
    assert event.new_values == {"region": "31", "languages": "中文, English", "employer": "上海质检院"}


def test_another_assessor_may_not_edit_a_profile(erin_profile: AssessorProfile, frank: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.profile_update(profile=erin_profile, actor=frank, employer="x")
    assert refused.value.code == "not_own_profile"


def test_a_decision_maker_may_not_edit_a_profile(erin_profile: AssessorProfile, decision_maker: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.profile_update(profile=erin_profile, actor=decision_maker, employer="x")
    assert refused.value.code == "not_own_profile"


def test_the_secretariat_may_edit_any_profile(erin_profile: AssessorProfile, secretariat: User) -> None:
    services.profile_update(profile=erin_profile, actor=secretariat, phone="010-12345678")
    erin_profile.refresh_from_db()
    assert erin_profile.phone == "010-12345678"


def test_an_unknown_region_is_refused_as_invalid(erin_profile: AssessorProfile) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        services.profile_update(profile=erin_profile, actor=erin_profile.user, region="99")
    assert refused.value.code == "invalid"
    assert list(refused.value.detail) == ["region"]


# --- qualifications -------------------------------------------------------------------------------


def test_an_assessor_requests_a_qualification_which_waits_for_the_secretariat(erin_profile: AssessorProfile) -> None:
    requested = qualification(erin_profile, programme_code="MS", role=QualificationRole.ASSESSOR)
    assert requested.status == QualificationStatus.REQUESTED
    assert (requested.programme.code, requested.role) == ("MS", "assessor")
    event = last_event()
    assert (event.event_type, event.actor_label) == ("qualification.requested", "erin")


def test_the_secretariat_approves_a_qualification(erin_profile: AssessorProfile, secretariat: User) -> None:
    approved = services.qualification_approve(qualification=qualification(erin_profile), actor=secretariat)
    approved.refresh_from_db()
    assert approved.status == QualificationStatus.APPROVED
    assert approved.decided_by == secretariat
    assert approved.decided_at is not None
    assert last_event().old_values == {"status": "requested"}
    assert last_event().new_values == {"status": "approved"}


def test_the_secretariat_rejects_a_qualification_with_a_reason(
    erin_profile: AssessorProfile, secretariat: User
) -> None:
    rejected = services.qualification_reject(
        qualification=qualification(erin_profile), actor=secretariat, reason="见证评审未通过"
    )
    assert (rejected.status, rejected.reason) == ("rejected", "见证评审未通过")
    assert last_event().reason == "见证评审未通过"


def test_a_rejection_without_a_reason_is_refused(erin_profile: AssessorProfile, secretariat: User) -> None:
    requested = qualification(erin_profile)
    with nothing_changes(), pytest.raises(DomainError) as refused:
        services.qualification_reject(qualification=requested, actor=secretariat, reason="  ")
    assert refused.value.code == "reason_required"


def test_an_assessor_may_not_approve_their_own_qualification(erin_profile: AssessorProfile) -> None:
    requested = qualification(erin_profile)
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.qualification_approve(qualification=requested, actor=erin_profile.user)
    assert refused.value.code == "not_secretariat"


def test_a_secretariat_member_may_not_decide_on_their_own_request(secretariat: User) -> None:
    secretariat.groups.add(*assessor_user("tmp").groups.all())
    own = profile_for(secretariat)
    requested = qualification(own, by=secretariat)
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.qualification_approve(qualification=requested, actor=secretariat)
    assert refused.value.code == "own_request"


def test_deciding_twice_is_an_illegal_status_change(erin_profile: AssessorProfile, secretariat: User) -> None:
    approved = qualification(erin_profile, approved_by=secretariat)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        services.qualification_reject(qualification=approved, actor=secretariat, reason="r")
    assert refused.value.code == "illegal_status_change"
    assert refused.value.detail == {"from": "approved", "to": "rejected", "allowed": ["suspended", "withdrawn"]}


def test_a_qualification_is_suspended_reinstated_and_withdrawn(
    erin_profile: AssessorProfile, secretariat: User
) -> None:
    held = qualification(erin_profile, approved_by=secretariat)
    held = services.qualification_suspend(qualification=held, actor=secretariat, reason="投诉调查中")
    assert held.status == QualificationStatus.SUSPENDED
    held = services.qualification_approve(qualification=held, actor=secretariat, reason="调查结束")
    assert held.status == QualificationStatus.APPROVED
    held = services.qualification_withdraw(qualification=held, actor=secretariat, reason="本人申请退出")
    assert held.status == QualificationStatus.WITHDRAWN
    events = list(AuditEvent.objects.filter(aggregate_type="assessors.qualification").order_by("id"))
    assert [e.event_type for e in events] == [
        "qualification.requested",
        "qualification.approved",
        "qualification.suspended",
        "qualification.approved",
        "qualification.withdrawn",
    ]


def test_a_withdrawn_qualification_cannot_come_back(erin_profile: AssessorProfile, secretariat: User) -> None:
    held = qualification(erin_profile, approved_by=secretariat)
    held = services.qualification_withdraw(qualification=held, actor=secretariat, reason="r")
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        services.qualification_approve(qualification=held, actor=secretariat, reason="r")
    assert refused.value.code == "illegal_status_change"


def test_a_qualification_ending_before_it_starts_is_an_invalid_period(erin_profile: AssessorProfile) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        qualification(erin_profile, valid_from=D(2026, 1, 1), valid_until=D(2025, 12, 31))
    assert refused.value.code == "invalid_period"


def test_the_same_role_under_the_same_programme_cannot_be_requested_twice(erin_profile: AssessorProfile) -> None:
    qualification(erin_profile)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        qualification(erin_profile)
    assert refused.value.code == "duplicate_qualification"


def test_a_rejected_role_may_be_requested_again(erin_profile: AssessorProfile, secretariat: User) -> None:
    services.qualification_reject(qualification=qualification(erin_profile), actor=secretariat, reason="r")
    again = qualification(erin_profile)
    assert again.status == QualificationStatus.REQUESTED


def test_an_assessor_takes_back_a_pending_request(erin_profile: AssessorProfile) -> None:
    requested = qualification(erin_profile)
    services.qualification_cancel(qualification=requested, actor=erin_profile.user)
    assert not Qualification.objects.filter(pk=requested.pk).exists()
    assert last_event().event_type == "qualification.request_cancelled"


def test_a_decided_qualification_cannot_be_taken_back(erin_profile: AssessorProfile, secretariat: User) -> None:
    approved = qualification(erin_profile, approved_by=secretariat)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        services.qualification_cancel(qualification=approved, actor=erin_profile.user)
    assert refused.value.code == "not_pending"


def test_another_assessor_may_not_request_for_someone_else(erin_profile: AssessorProfile, frank: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        qualification(erin_profile, by=frank)
    assert refused.value.code == "not_own_profile"


def test_a_user_who_left_the_assessor_group_may_not_change_their_old_profile(erin_profile: AssessorProfile) -> None:
    user = erin_profile.user
    user.groups.clear()
    user = User.objects.get(pk=user.pk)
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.profile_update(profile=erin_profile, actor=user, employer="x")
    assert refused.value.code == "not_own_profile"


# --- competences --------------------------------------------------------------------------------


def test_an_assessor_requests_a_competence_and_the_secretariat_approves_it(
    erin_profile: AssessorProfile, secretariat: User
) -> None:
    requested = competence(erin_profile, code("MS", "IAF 28"))
    assert requested.status == CompetenceStatus.REQUESTED
    approved = services.competence_approve(competence=requested, actor=secretariat)
    assert approved.status == CompetenceStatus.APPROVED
    assert approved.decided_by == secretariat


def test_the_secretariat_rejects_a_competence_with_a_reason(erin_profile: AssessorProfile, secretariat: User) -> None:
    requested = competence(erin_profile, code("CL", "CL-01"))
    rejected = services.competence_reject(competence=requested, actor=secretariat, reason="缺少食品检测经历")
    assert (rejected.status, rejected.reason) == ("rejected", "缺少食品检测经历")


def test_a_competence_rejection_needs_a_reason(erin_profile: AssessorProfile, secretariat: User) -> None:
    requested = competence(erin_profile, code("CL", "CL-01"))
    with nothing_changes(), pytest.raises(DomainError) as refused:
        services.competence_reject(competence=requested, actor=secretariat, reason="")
    assert refused.value.code == "reason_required"


def test_a_decision_maker_may_not_approve_a_competence(erin_profile: AssessorProfile, decision_maker: User) -> None:
    requested = competence(erin_profile, code("CL", "CL-01"))
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.competence_approve(competence=requested, actor=decision_maker)
    assert refused.value.code == "not_secretariat"


def test_an_approved_competence_cannot_be_decided_again(erin_profile: AssessorProfile, secretariat: User) -> None:
    approved = competence(erin_profile, code("CL", "CL-01"), approved_by=secretariat)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        services.competence_reject(competence=approved, actor=secretariat, reason="r")
    assert refused.value.code == "illegal_status_change"


def test_the_same_code_cannot_be_requested_twice(erin_profile: AssessorProfile) -> None:
    competence(erin_profile, code("CL", "CL-01"))
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        competence(erin_profile, code("CL", "CL-01"))
    assert refused.value.code == "duplicate_competence"


def test_a_retired_code_cannot_be_requested(erin_profile: AssessorProfile) -> None:
    retired = code("CL", "CL-02")
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    with nothing_changes(), pytest.raises(DomainError) as refused:
        competence(erin_profile, retired)
    assert refused.value.code == "inactive_code"


def test_a_pending_competence_is_taken_back_but_an_approved_one_is_not(
    erin_profile: AssessorProfile, secretariat: User
) -> None:
    pending = competence(erin_profile, code("CL", "CL-01"))
    services.competence_cancel(competence=pending, actor=erin_profile.user)
    assert not Competence.objects.filter(pk=pending.pk).exists()
    approved = competence(erin_profile, code("CL", "CL-03"), approved_by=secretariat)
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        services.competence_cancel(competence=approved, actor=erin_profile.user)
    assert refused.value.code == "not_pending"


# --- training, conflicts, unavailability --------------------------------------------------------


def test_an_assessor_adds_and_removes_a_training_record(erin_profile: AssessorProfile) -> None:
    record = training(erin_profile)
    assert (record.title, record.hours) == ("ISO/IEC 17025 内审员培训", Decimal("16"))
    services.training_record_remove(record=record, actor=erin_profile.user)
    assert not TrainingRecord.objects.exists()
    assert last_event().event_type == "training_record.removed"


def test_training_with_no_hours_is_refused(erin_profile: AssessorProfile) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        services.training_record_add(
            profile=erin_profile, actor=erin_profile.user, title="t", provider="p", date=D(2025, 1, 1), hours=Decimal(0)
        )
    assert refused.value.code == "invalid"


def test_a_declared_conflict_is_audited_against_the_cab(erin_profile: AssessorProfile, cab: Cab) -> None:
    declared = conflict(erin_profile, cab, kind=ConflictKind.EMPLOYMENT)
    event = last_event()
    assert (event.event_type, event.cab_id) == ("conflict.declared", cab.pk)
    assert event.new_values == {
        "assessor": erin_profile.pk,
        "kind": "employment",
        "started_on": "2020-01-01",
        "ended_on": None,
    }
    assert declared.ended_on is None


def test_a_conflict_ends_once(erin_profile: AssessorProfile, cab: Cab) -> None:
    declared = conflict(erin_profile, cab)
    ended = services.conflict_end(conflict=declared, actor=erin_profile.user, ended_on=D(2025, 6, 30))
    assert ended.ended_on == D(2025, 6, 30)
    assert last_event().cab_id == cab.pk
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        services.conflict_end(conflict=ended, actor=erin_profile.user, ended_on=D(2025, 7, 1))
    assert refused.value.code == "conflict_already_ended"


def test_a_conflict_cannot_end_before_it_started(erin_profile: AssessorProfile, cab: Cab) -> None:
    declared = conflict(erin_profile, cab, started_on=D(2024, 1, 1))
    with nothing_changes(), pytest.raises(DomainError) as refused:
        services.conflict_end(conflict=declared, actor=erin_profile.user, ended_on=D(2023, 12, 31))
    assert refused.value.code == "invalid_period"


def test_unavailable_periods_are_added_and_removed(erin_profile: AssessorProfile) -> None:
    period = unavailable(erin_profile, D(2026, 7, 1), D(2026, 7, 10))
    assert (period.start, period.end) == (D(2026, 7, 1), D(2026, 7, 10))
    services.unavailability_remove(period=period, actor=erin_profile.user)
    assert not Unavailability.objects.exists()


def test_an_unavailable_period_ending_before_it_starts_is_refused(erin_profile: AssessorProfile) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        unavailable(erin_profile, D(2026, 7, 10), D(2026, 7, 1))
    assert refused.value.code == "invalid_period"


def test_overlapping_unavailable_periods_are_refused(erin_profile: AssessorProfile) -> None:
    unavailable(erin_profile, D(2026, 7, 1), D(2026, 7, 10))
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        unavailable(erin_profile, D(2026, 7, 10), D(2026, 7, 12))
    assert refused.value.code == "overlapping_unavailability"


def test_a_cab_user_may_not_touch_an_assessors_record(erin_profile: AssessorProfile, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        services.unavailability_add(profile=erin_profile, actor=cab_user, start=D(2026, 1, 1), end=D(2026, 1, 2))
    assert refused.value.code == "not_own_profile"


def test_the_secretariat_acts_on_any_assessors_record(erin_profile: AssessorProfile, secretariat: User) -> None:
    services.unavailability_add(profile=erin_profile, actor=secretariat, start=D(2026, 1, 1), end=D(2026, 1, 2))
    services.training_record_add(
        profile=erin_profile, actor=secretariat, title="t", provider="p", date=D(2025, 1, 1), hours=Decimal(2)
    )
    request = services.qualification_request(
        profile=erin_profile,
        actor=secretariat,
        programme=programme("IB"),
        role=QualificationRole.TRAINEE,
        valid_from=D(2026, 1, 1),
    )
    assert (erin_profile.unavailabilities.count(), erin_profile.training_records.count()) == (1, 1)
    assert request.valid_until is None


def test_a_plain_user_cannot_be_given_a_profile_by_a_factory_shortcut(db: None) -> None:
    user = UserFactory.create(username="nobody")
    with pytest.raises(DomainError) as refused:
        profile_for(user)
    assert refused.value.code == "not_an_assessor"
