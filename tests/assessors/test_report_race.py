"""Two team members act on the same report at the same moment: the moves are serialised on the assessment.

Two real database connections in two threads on PostgreSQL, released together by a barrier (as
in ``tests/accreditation/test_applications_race.py``); ``serialized_rollback`` restores the data
migrations' rows afterwards.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from accreditation.models import Accreditation, Cab
from assessors.models_reports import AssessmentReport, Finding
from assessors.models_teams import Assessment
from assessors.services_reports import report_start
from core.audit import verify_chain
from core.errors import StateConflict
from core.models import User
from tests.assessors.reports_helpers import nonconformity, observation, team_ready
from tests.concurrency import race

pytestmark = [
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs row locks and concurrent connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_of_two_members_starting_the_report_at_once_exactly_one_starts_it(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    team = team_ready(cab, accreditation, secretariat, cab_user)

    results = race(
        lambda: report_start(assessment=Assessment.objects.get(pk=team.assessment.pk), actor=team.lead),
        lambda: report_start(assessment=Assessment.objects.get(pk=team.assessment.pk), actor=team.member),
    )

    started = [r for r in results if isinstance(r, AssessmentReport)]
    refused = [r for r in results if isinstance(r, StateConflict)]
    assert (len(started), len(refused)) == (1, 1), results
    assert refused[0].code == "report_exists"
    assert AssessmentReport.objects.count() == 1
    assert verify_chain().ok


def test_two_members_raising_findings_at_once_get_the_next_two_numbers(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    team = team_ready(cab, accreditation, secretariat, cab_user)
    report = report_start(assessment=team.assessment, actor=team.member)

    results = race(
        lambda: nonconformity(AssessmentReport.objects.get(pk=report.pk), team.lead),
        lambda: observation(AssessmentReport.objects.get(pk=report.pk), team.member),
    )

    assert all(isinstance(r, Finding) for r in results), results
    assert sorted(Finding.objects.values_list("number", flat=True)) == [1, 2]
