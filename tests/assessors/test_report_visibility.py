"""Who sees which report version and finding: the team every version, the CAB only what was sent to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accreditation.models import Accreditation, Cab
from assessors.models_reports import AssessmentReport
from assessors.selectors_reports import finding_qs_for, report_qs_for
from assessors.services_reports import report_amend, report_start
from core.models import User
from tests.assessors.reports_helpers import Team, nonconformity, observation, submitted_report, team_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Team:
    return team_ready(cab, accreditation, secretariat, cab_user)


@pytest.fixture
def versions(team: Team) -> tuple[AssessmentReport, AssessmentReport]:
    """Version 1 submitted with a nonconformity; version 2, an amendment, drafted with an observation."""
    first = submitted_report(team)
    second = report_amend(report=first, actor=team.lead, reason="补充观察项")
    observation(second, team.member)
    return first, second


def test_staff_and_the_team_see_every_version_and_finding(
    versions: tuple[AssessmentReport, AssessmentReport], team: Team, secretariat: User, decision_maker: User
) -> None:
    for user in (secretariat, decision_maker, team.lead, team.member):
        assert sorted(r.version for r in report_qs_for(user)) == [1, 2]
        assert sorted(f.number for f in finding_qs_for(user)) == [1, 2]


def test_the_cab_sees_no_draft_and_no_finding_raised_in_one(
    versions: tuple[AssessmentReport, AssessmentReport], cab_user: User
) -> None:
    assert [r.version for r in report_qs_for(cab_user)] == [1]
    assert [f.number for f in finding_qs_for(cab_user)] == [1]


def test_a_draft_first_version_is_the_teams_alone(team: Team, cab_user: User) -> None:
    draft = report_start(assessment=team.assessment, actor=team.member)
    nonconformity(draft, team.member)

    assert list(report_qs_for(cab_user)) == []
    assert list(finding_qs_for(cab_user)) == []
    assert list(report_qs_for(team.lead)) == [draft]


def test_another_cab_an_assessor_off_the_team_and_the_public_see_nothing(
    versions: tuple[AssessmentReport, AssessmentReport], other_cab_user: User, assessor: User
) -> None:
    for user in (other_cab_user, assessor, AnonymousUser()):
        assert list(report_qs_for(user)) == []
        assert list(finding_qs_for(user)) == []


def test_the_report_page_hides_a_draft_from_the_cab_and_everything_from_outsiders(
    versions: tuple[AssessmentReport, AssessmentReport],
    client_for: Any,
    cab_user: User,
    other_cab_user: User,
    assessor: User,
) -> None:
    first, second = versions
    assert client_for(cab_user).get(reverse("assessors:report_detail", args=[first.pk])).status_code == 200
    assert client_for(cab_user).get(reverse("assessors:report_detail", args=[second.pk])).status_code == 404
    for outsider in (other_cab_user, assessor):
        assert client_for(outsider).get(reverse("assessors:report_detail", args=[first.pk])).status_code == 404


def test_the_cab_reading_the_submitted_version_is_not_offered_the_teams_moves(
    versions: tuple[AssessmentReport, AssessmentReport], client_for: Any, cab_user: User
) -> None:
    first, _second = versions

    body = client_for(cab_user).get(reverse("assessors:report_detail", args=[first.pk])).content.decode()

    assert "NC-1" in body and "OBS-2" not in body
    assert reverse("assessors:report_amend", args=[first.pk]) not in body
    assert (
        client_for(cab_user).post(reverse("assessors:report_amend", args=[first.pk]), {"reason": "x"}).status_code
        == 403
    )
