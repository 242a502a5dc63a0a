"""On-site assessments held before the portal: the secretariat records them, and the cycle counts them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation
from assessors.choices import AssessmentKind
from core.dates import add_months
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, User
from surveillance.choices import JobName, JobRunStatus
from surveillance.cycle import DueRule
from surveillance.jobs import run_job
from surveillance.models import PastOnsiteAssessment
from surveillance.risk import risk_table
from surveillance.selectors_cycle import cycle_rows, onsite_history
from surveillance.selectors_statistics import StatisticsFilters, surveillance_due
from surveillance.services_cycle import past_onsite_record
from tests.surveillance.statistics_helpers import accreditation as bare_accreditation
from tests.surveillance.statistics_helpers import assessment, body

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def granted_years_ago(secretariat: User) -> Accreditation:
    """A laboratory accredited on 2022-06-10 and renewed into a cycle from 2024-06-10; no visit in the portal."""
    return bare_accreditation(
        body("北京老档案检测有限公司"),
        "CL",
        granted_on=dt.date(2022, 6, 10),
        cycle_start=dt.date(2024, 6, 10),
        cycle_end=dt.date(2029, 6, 9),
    )


def record(accreditation: Accreditation, actor: User, **fields: Any) -> PastOnsiteAssessment:
    values: dict[str, Any] = {
        "kind": AssessmentKind.ON_SITE,
        "held_from": dt.date(2025, 9, 1),
        "held_to": dt.date(2025, 9, 2),
        "reference": "CNAS-L-2025-0917",
    }
    values.update(fields)
    return past_onsite_record(accreditation=accreditation, actor=actor, **values)


def test_a_recorded_visit_moves_the_next_due_date_to_the_interval_after_it(
    granted_years_ago: Accreditation, secretariat: User
) -> None:
    before = onsite_history(granted_years_ago).due
    assert before is not None
    # A renewed cycle with no visit counts from the cycle's start.
    assert before.due_on == add_months(dt.date(2024, 6, 10), granted_years_ago.programme.max_onsite_interval_months)

    record(granted_years_ago, secretariat)

    after = onsite_history(granted_years_ago)
    assert after.due is not None
    assert (after.due.due_on, after.due.rule) == (
        add_months(dt.date(2025, 9, 2), granted_years_ago.programme.max_onsite_interval_months),
        DueRule.ONSITE_INTERVAL,
    )
    assert [item.reference for item in after.recorded] == ["CNAS-L-2025-0917"]


def test_the_later_of_a_visit_in_the_portal_and_a_recorded_one_counts_everywhere(
    granted_years_ago: Accreditation, secretariat: User
) -> None:
    assessment(granted_years_ago, secretariat, ended_on=dt.date(2025, 3, 5))
    record(granted_years_ago, secretariat, held_from=dt.date(2024, 11, 4), held_to=dt.date(2024, 11, 5))
    expected = add_months(dt.date(2025, 3, 5), granted_years_ago.programme.max_onsite_interval_months)
    assert onsite_history(granted_years_ago).due.due_on == expected  # type: ignore[union-attr]

    record(
        granted_years_ago,
        secretariat,
        reference="CNAS-L-2025-1201",
        held_from=dt.date(2025, 12, 1),
        held_to=dt.date(2025, 12, 2),
    )
    expected = add_months(dt.date(2025, 12, 2), granted_years_ago.programme.max_onsite_interval_months)

    # The cycle page, the planner's facts, the statistics and the risk score agree.
    assert onsite_history(granted_years_ago).due.due_on == expected  # type: ignore[union-attr]
    [row] = cycle_rows(today=expected, days=0)
    assert row.due.due_on == expected
    filters = StatisticsFilters(year=expected.year, today=expected - dt.timedelta(days=1))
    by_programme, _by_rule = surveillance_due(filters, [granted_years_ago.programme])
    assert by_programme.totals is not None and by_programme.totals["overdue"] == 0
    [risk] = risk_table(today=TODAY)
    assert "onsite_overdue" not in [factor.code for factor in risk.factors]


def test_the_planner_plans_nothing_for_a_body_whose_recorded_visit_is_recent(
    granted_years_ago: Accreditation, secretariat: User
) -> None:
    record(granted_years_ago, secretariat)
    day = dt.date(2026, 1, 5)  # the renewed cycle's interval would be due 2026-06-10 without the record
    run = run_job(JobName.SURVEILLANCE_PLANNER, day)
    assert (run.status, run.rows_changed) == (JobRunStatus.SUCCEEDED, 0)


def test_recording_is_audited_with_the_period_and_reference(
    granted_years_ago: Accreditation, secretariat: User
) -> None:
    past = record(granted_years_ago, secretariat)
    event = AuditEvent.objects.get(event_type="surveillance.past_onsite_recorded")
    assert (event.aggregate_id, event.actor, event.cab_id) == (str(past.pk), secretariat, granted_years_ago.cab_id)
    assert event.new_values["reference"] == "CNAS-L-2025-0917"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": AssessmentKind.REMOTE}, "invalid_kind"),
        ({"held_from": dt.date(2025, 9, 3)}, "invalid_period"),
        ({"held_from": dt.date(2025, 7, 1)}, "period_too_long"),
        ({"reference": "  "}, "reference_required"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_records_nothing(
    granted_years_ago: Accreditation, secretariat: User, fields: dict[str, Any], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        record(granted_years_ago, secretariat, **fields)
    assert refused.value.code == code
    assert not PastOnsiteAssessment.objects.exists()
    assert not AuditEvent.objects.filter(event_type="surveillance.past_onsite_recorded").exists()


def test_a_visit_ending_in_the_future_is_refused(granted_years_ago: Accreditation, secretariat: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        record(granted_years_ago, secretariat, held_from=tomorrow, held_to=tomorrow)
    assert refused.value.code == "not_held_yet"


def test_the_same_reference_twice_is_a_conflict_so_an_import_run_twice_records_nothing_twice(
    granted_years_ago: Accreditation, secretariat: User
) -> None:
    record(granted_years_ago, secretariat)
    with pytest.raises(StateConflict) as refused:
        record(granted_years_ago, secretariat, held_from=dt.date(2025, 10, 1), held_to=dt.date(2025, 10, 1))
    assert refused.value.code == "reference_recorded"
    assert PastOnsiteAssessment.objects.count() == 1


def test_only_the_secretariat_records_and_only_for_a_granted_accreditation(
    granted_years_ago: Accreditation, secretariat: User, decision_maker: User
) -> None:
    with pytest.raises(NotPermitted):
        record(granted_years_ago, decision_maker)
    applicant = bare_accreditation(body("申请中实验室"), "CL", status="applicant")
    with pytest.raises(StateConflict) as refused:
        record(applicant, secretariat)
    assert refused.value.code == "accreditation_not_granted"


def test_the_secretariat_records_a_visit_on_the_page_and_sees_the_new_due_date(
    granted_years_ago: Accreditation, secretariat: User, client_for: Any
) -> None:
    client = client_for(secretariat)
    page = client.get(reverse("surveillance:cycle_accreditation", args=[granted_years_ago.pk]))
    assert "2026-06-10" in page.content.decode()  # due from the renewed cycle's start
    assert "Record an assessment held before the portal" in page.content.decode()

    response = client.post(
        reverse("surveillance:past_onsite_record", args=[granted_years_ago.pk]),
        {"kind": "on_site", "held_from": "2025-09-01", "held_to": "2025-09-02", "reference": "CNAS-L-2025-0917"},
        follow=True,
    )
    content = response.content.decode()
    assert "The on-site assessment CNAS-L-2025-0917 is recorded." in content
    assert "2027-09-02" in content  # 24 months after the visit
    assert "2026-06-10" not in content


def test_the_page_shows_a_refusal_on_the_form_and_keeps_the_input(
    granted_years_ago: Accreditation, secretariat: User, client_for: Any
) -> None:
    response = client_for(secretariat).post(
        reverse("surveillance:past_onsite_record", args=[granted_years_ago.pk]),
        {"kind": "on_site", "held_from": "2025-09-01", "held_to": "2025-12-02", "reference": "OLD-7"},
    )
    assert response.status_code == 200
    assert "is not plausible" in response.content.decode()
    assert 'value="OLD-7"' in response.content.decode()
    assert not PastOnsiteAssessment.objects.exists()


def test_the_decision_maker_reads_the_history_but_is_not_offered_the_record_action(
    granted_years_ago: Accreditation, decision_maker: User, client_for: Any
) -> None:
    page = client_for(decision_maker).get(reverse("surveillance:cycle_accreditation", args=[granted_years_ago.pk]))
    assert page.status_code == 200
    assert "Record an assessment held before the portal" not in page.content.decode()


def test_the_api_records_a_visit_and_returns_the_history(
    granted_years_ago: Accreditation, secretariat: User, api_for: Any
) -> None:
    client = api_for(secretariat)
    url = reverse("surveillance_api:cycle-accreditation", args=[granted_years_ago.pk])
    created = client.post(
        url,
        {"kind": "hybrid", "held_from": "2025-09-01", "held_to": "2025-09-02", "reference": "CNAS-L-2025-0917"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "hybrid"

    history = client.get(url).json()
    assert (history["due_on"], history["rule"]) == ("2027-09-02", "onsite_interval")
    assert [item["reference"] for item in history["recorded"]] == ["CNAS-L-2025-0917"]

    refused = client.post(
        url,
        {"kind": "remote", "held_from": "2025-09-01", "held_to": "2025-09-02", "reference": "X"},
        format="json",
    )
    assert refused.status_code == 400
