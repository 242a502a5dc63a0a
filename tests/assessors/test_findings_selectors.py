"""Who sees which finding, and the queues: the CAB's answers to give, the assessor's to review, the secretariat's."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentStatus, FindingStatus, ReportStatus, TeamMemberStatus, TeamRole
from assessors.models_reports import Finding
from assessors.models_teams import Assessment
from assessors.selectors_findings import (
    answers_to_review,
    corrective_action_attachment_qs_for,
    corrective_action_qs_for,
    corrective_action_queue,
    finding_qs_for,
    findings_to_answer,
)
from core.models import User
from tests.accreditation.factories import CabMembershipFactory
from tests.assessors.factories import assessor_user
from tests.assessors.findings_helpers import Reported, answer, finding, in_days, report, reported, team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Reported:
    return reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user)


@pytest.fixture
def draft_finding(case: Reported) -> Finding:
    """A finding of the team's next version, still a draft."""
    return finding(report(case.assessment, case.lead, version=2, status=ReportStatus.DRAFT), number=4)


def counts(assessment: Any) -> tuple[Any, ...]:
    """The queue's annotations of one assessment."""
    a = assessment
    return (a.pk, a.open_count, a.answered_count, a.overdue_count, a.next_due)


def numbers(findings: object) -> list[int]:
    return [f.number for f in findings]  # type: ignore[attr-defined]


# --- visibility -----------------------------------------------------------------------------------


def test_staff_see_every_finding_drafts_included(
    case: Reported, draft_finding: Finding, secretariat: User, decision_maker: User
) -> None:
    assert numbers(finding_qs_for(secretariat).order_by("number")) == [1, 2, 3, 4]
    assert numbers(finding_qs_for(decision_maker).order_by("number")) == [1, 2, 3, 4]


def test_the_team_sees_every_finding_of_its_assessment_drafts_included(case: Reported, draft_finding: Finding) -> None:
    assert numbers(finding_qs_for(case.lead).order_by("number")) == [1, 2, 3, 4]
    assert numbers(finding_qs_for(case.colleague).order_by("number")) == [1, 2, 3, 4]


def test_the_cab_sees_the_findings_of_submitted_reports_only(
    case: Reported, draft_finding: Finding, cab_user: User
) -> None:
    assert numbers(finding_qs_for(cab_user).order_by("number")) == [1, 2, 3]


def test_the_cab_still_sees_findings_of_a_superseded_version(case: Reported, cab_user: User) -> None:
    case.report.status = ReportStatus.SUPERSEDED
    case.report.save(update_fields=["status"])

    assert numbers(finding_qs_for(cab_user).order_by("number")) == [1, 2, 3]


def test_nobody_else_sees_a_finding(case: Reported, secretariat: User, other_cab_user: User, assessor: User) -> None:
    declined = assessor_user("sun")
    team_member(case.assessment, declined, TeamRole.ASSESSOR, secretariat, status=TeamMemberStatus.DECLINED)
    proposed = assessor_user("zhao")
    team_member(case.assessment, proposed, TeamRole.ASSESSOR, secretariat, status=TeamMemberStatus.PROPOSED)

    for user in (other_cab_user, assessor, declined, proposed, AnonymousUser()):
        assert list(finding_qs_for(user)) == []


def test_answers_and_their_files_follow_their_finding(
    case: Reported, draft_finding: Finding, cab_user: User, other_cab_user: User
) -> None:
    Finding.objects.filter(pk=draft_finding.pk).update(status=FindingStatus.OPEN)
    visible = answer(case.nc, cab_user)
    hidden = answer(draft_finding, case.lead)

    assert list(corrective_action_qs_for(cab_user)) == [visible]
    assert sorted(ca.pk for ca in corrective_action_qs_for(case.lead)) == [visible.pk, hidden.pk]
    assert list(corrective_action_qs_for(other_cab_user)) == []
    assert list(corrective_action_attachment_qs_for(other_cab_user)) == []


# --- queues ---------------------------------------------------------------------------------------


def test_the_cab_answers_its_open_nonconformities_the_overdue_first(
    case: Reported, draft_finding: Finding, cab_user: User, cab_admin: User
) -> None:
    Finding.objects.filter(pk=case.major.pk).update(answer_due_on=in_days(-2))
    third = finding(case.report, number=5, due=in_days(10))
    answer(third, cab_user)
    finding(case.report, number=6, due=in_days(20))

    assert numbers(findings_to_answer(cab_user)) == [2, 6, 1]
    assert [f.is_overdue for f in findings_to_answer(cab_admin)] == [True, False, False]


def test_the_cab_queue_holds_nothing_of_other_cabs(case: Reported, other_cab_user: User, other_cab: Cab) -> None:
    also_member = CabMembershipFactory.create(cab=other_cab).user

    assert list(findings_to_answer(other_cab_user)) == []
    assert list(findings_to_answer(also_member)) == []
    assert list(findings_to_answer(AnonymousUser())) == []


def test_an_assessor_reviews_the_answered_nonconformities_of_their_assessments(
    case: Reported, cab_user: User, assessor: User
) -> None:
    answer(case.major, cab_user)

    assert numbers(answers_to_review(case.lead)) == [2]
    assert numbers(answers_to_review(case.colleague)) == [2]
    assert list(answers_to_review(assessor)) == []
    assert list(answers_to_review(cab_user)) == []


def test_the_secretariat_queue_counts_open_answered_and_overdue_nonconformities(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    waiting = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(30))
    answer(waiting.nc, cab_user)
    late = reported(
        cab,
        accreditation,
        secretariat=secretariat,
        cab_user=cab_user,
        lead_name="wang2",
        colleague_name="li2",
        due=in_days(-4),
    )
    done = reported(
        cab, accreditation, secretariat=secretariat, cab_user=cab_user, lead_name="wang3", colleague_name="li3"
    )
    Assessment.objects.filter(pk=done.assessment.pk).update(status=AssessmentStatus.COMPLETED)

    rows = [counts(a) for a in corrective_action_queue()]

    assert rows == [
        (late.assessment.pk, 2, 0, 2, in_days(-4)),
        (waiting.assessment.pk, 1, 1, 0, in_days(30)),
    ]
    assert [a.pk for a in corrective_action_queue("overdue")] == [late.assessment.pk]
    assert [a.pk for a in corrective_action_queue("waiting")] == [waiting.assessment.pk]
