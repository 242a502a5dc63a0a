"""The assessors' selectors: who sees whom, and the questions the team proposal asks."""

from __future__ import annotations

import pytest

from accreditation.models import Cab
from assessors.choices import ConflictKind, QualificationRole
from assessors.models import AssessorProfile
from assessors.selectors import (
    assessor_qs_for,
    available,
    codes_for_scope_item,
    competence_coverage,
    conflict_qs_for,
    conflicted_assessor_ids,
    pending_competences,
    pending_qualifications,
    qualified_assessors,
)
from core.models import User
from tests.accreditation.factories import programme
from tests.assessors.factories import (
    D,
    assessor_user,
    code,
    competence,
    conflict,
    profile_for,
    qualification,
    unavailable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(assessor: User) -> AssessorProfile:
    return profile_for(assessor)


@pytest.fixture
def frank(db: None) -> AssessorProfile:
    return profile_for(assessor_user("frank", "李秀英"))


def test_staff_see_every_assessor(
    erin: AssessorProfile, frank: AssessorProfile, secretariat: User, decision_maker: User
) -> None:
    assert set(assessor_qs_for(secretariat)) == {erin, frank}
    assert set(assessor_qs_for(decision_maker)) == {erin, frank}


def test_an_assessor_sees_only_themself(erin: AssessorProfile, frank: AssessorProfile) -> None:
    assert list(assessor_qs_for(erin.user)) == [erin]
    conflict_of_frank = conflict(frank, _cab())
    assert conflict_of_frank not in conflict_qs_for(erin.user)


def _cab() -> Cab:
    from tests.accreditation.factories import CabFactory

    return CabFactory.create()


def test_cab_users_and_the_public_see_no_assessor(erin: AssessorProfile, cab_user: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert list(assessor_qs_for(cab_user)) == []
    assert list(assessor_qs_for(AnonymousUser())) == []


def test_qualified_assessors_are_approved_in_the_role_and_valid_on_the_date(
    erin: AssessorProfile, frank: AssessorProfile, secretariat: User
) -> None:
    qualification(erin, valid_from=D(2024, 1, 1), valid_until=D(2026, 12, 31), approved_by=secretariat)
    qualification(frank, valid_from=D(2024, 1, 1), valid_until=None)  # requested, not approved
    lead, cl = QualificationRole.LEAD_ASSESSOR, programme("CL")
    assert list(qualified_assessors(programme=cl, role=lead, on_date=D(2024, 1, 1))) == [erin]
    assert list(qualified_assessors(programme=cl, role=lead, on_date=D(2026, 12, 31))) == [erin]
    assert list(qualified_assessors(programme=cl, role=lead, on_date=D(2027, 1, 1))) == []
    assert list(qualified_assessors(programme=cl, role=lead, on_date=D(2023, 12, 31))) == []
    assert list(qualified_assessors(programme=programme("MS"), role=lead, on_date=D(2025, 1, 1))) == []
    assert list(qualified_assessors(programme=cl, role=QualificationRole.ASSESSOR, on_date=D(2025, 1, 1))) == []


def test_an_open_ended_approved_qualification_is_valid_on_any_later_date(
    erin: AssessorProfile, secretariat: User
) -> None:
    qualification(erin, valid_until=None, approved_by=secretariat)
    assert list(qualified_assessors(programme=programme("CL"), role="lead_assessor", on_date=D(2040, 1, 1))) == [erin]


def test_conflicts_exclude_from_their_start_and_for_two_years_after_their_end(
    erin: AssessorProfile, frank: AssessorProfile, cab: Cab, other_cab: Cab
) -> None:
    conflict(erin, cab, kind=ConflictKind.EMPLOYMENT, started_on=D(2018, 3, 1), ended_on=D(2023, 6, 30))
    conflict(frank, cab, kind=ConflictKind.CONSULTANCY, started_on=D(2025, 1, 1))
    conflict(frank, other_cab, kind=ConflictKind.TRAINING_GIVEN, started_on=D(2020, 1, 1))
    assert conflicted_assessor_ids(cab=cab, on_date=D(2025, 6, 30)) == {
        erin.pk: "Employment with Beijing Precise Testing Co., Ltd. from 2018-03-01 to 2023-06-30",
        frank.pk: "Consultancy with Beijing Precise Testing Co., Ltd. since 2025-01-01",
    }
    assert conflicted_assessor_ids(cab=cab, on_date=D(2025, 7, 1)) == {
        frank.pk: "Consultancy with Beijing Precise Testing Co., Ltd. since 2025-01-01"
    }
    assert conflicted_assessor_ids(cab=cab, on_date=D(2017, 1, 1)) == {}


def test_several_ties_with_one_cab_are_all_given_as_reasons(erin: AssessorProfile, cab: Cab) -> None:
    conflict(erin, cab, kind=ConflictKind.TRAINING_GIVEN, started_on=D(2022, 1, 1), ended_on=D(2022, 3, 1))
    conflict(erin, cab, kind=ConflictKind.FINANCIAL_TIES, started_on=D(2023, 1, 1))
    assert conflicted_assessor_ids(cab=cab, on_date=D(2023, 2, 1)) == {
        erin.pk: "Training given with Beijing Precise Testing Co., Ltd. from 2022-01-01 to 2022-03-01; "
        "Financial ties with Beijing Precise Testing Co., Ltd. since 2023-01-01"
    }


def test_available_leaves_out_anyone_away_on_any_day_of_the_period(
    erin: AssessorProfile, frank: AssessorProfile
) -> None:
    unavailable(erin, D(2026, 5, 1), D(2026, 5, 5))
    ids = [erin.pk, frank.pk]
    assert available(assessor_ids=ids, start=D(2026, 5, 5), end=D(2026, 5, 8)) == {frank.pk}
    assert available(assessor_ids=ids, start=D(2026, 4, 28), end=D(2026, 5, 1)) == {frank.pk}
    assert available(assessor_ids=ids, start=D(2026, 5, 6), end=D(2026, 5, 9)) == {erin.pk, frank.pk}


def test_coverage_counts_approved_codes_of_assessors_qualified_on_the_date(
    erin: AssessorProfile, frank: AssessorProfile, secretariat: User
) -> None:
    qualification(erin, programme_code="MS", approved_by=secretariat)
    competence(erin, code("MS", "IAF 28"), approved_by=secretariat)
    competence(erin, code("MS", "IAF 19"))  # still requested
    competence(frank, code("MS", "IAF 28"), approved_by=secretariat)  # frank holds no MS qualification
    assert competence_coverage(programme=programme("MS"), on_date=D(2025, 1, 1)) == {"IAF 28": {erin.pk}}
    assert competence_coverage(programme=programme("MS"), on_date=D(2029, 1, 1)) == {}


def test_a_scope_item_needs_its_sector_codes_or_its_field(db: None) -> None:
    ms_codes = codes_for_scope_item(
        programme=programme("MS"), attributes={"standard": "ISO 9001:2015", "sectors": ["IAF 28", "IAF 34"]}
    )
    assert sorted(c.code for c in ms_codes) == ["IAF 28", "IAF 34"]
    lab_codes = codes_for_scope_item(programme=programme("CL"), attributes={"field": "食品", "subject": "食用植物油"})
    assert [c.code for c in lab_codes] == ["CL-01"]


def test_the_approvals_queue_holds_only_requests_oldest_first(erin: AssessorProfile, secretariat: User) -> None:
    first = qualification(erin, programme_code="CL")
    qualification(erin, programme_code="ML", approved_by=secretariat)
    second = qualification(erin, programme_code="IB")
    pending = competence(erin, code("CL", "CL-01"))
    competence(erin, code("CL", "CL-02"), approved_by=secretariat)
    assert list(pending_qualifications()) == [first, second]
    assert list(pending_competences()) == [pending]


def test_the_starter_code_lists_are_seeded(db: None) -> None:
    assert programme("MS").competence_codes.count() == 39
    assert code("MS", "IAF 28").name_zh == "建筑业"
    assert code("MS", "IAF 28").name_en == "Construction"
    assert code("CL", "CL-01").name_en == "Food"
    assert {p.code for p in [programme(c) for c in ("IB", "ML", "PRD")] if p.competence_codes.exists()} == {
        "IB",
        "ML",
        "PRD",
    }


def test_the_cooling_off_period_counts_back_from_a_leap_day(erin: AssessorProfile, cab: Cab) -> None:
    conflict(erin, cab, started_on=D(2020, 1, 1), ended_on=D(2022, 2, 28))
    assert list(conflicted_assessor_ids(cab=cab, on_date=D(2024, 2, 29))) == [erin.pk]
    assert list(conflicted_assessor_ids(cab=cab, on_date=D(2024, 3, 1))) == []
