"""When the next on-site assessment is due, from the programme's cycle rules (pure functions, no database)."""

from __future__ import annotations

import datetime as dt

from surveillance.cycle import CycleFacts, CycleRules, DueRule, OnsiteDue, next_onsite_due, surveillance_due_on

RULES = CycleRules(first_surveillance_months=12, max_onsite_interval_months=24, reassessment_interval_months=72)
D = dt.date


def facts(**values: object) -> CycleFacts:
    given: dict[str, object] = {
        "rules": RULES,
        "granted_on": D(2024, 3, 15),
        "cycle_start": D(2024, 3, 15),
        "cycle_end": D(2030, 3, 14),
    }
    given.update(values)
    return CycleFacts(**given)  # type: ignore[arg-type]


def test_a_new_accreditation_is_due_its_first_surveillance_twelve_months_after_the_grant() -> None:
    # The initial on-site assessment came before the grant: it does not count as surveillance.
    assert next_onsite_due(facts(last_onsite_on=D(2024, 1, 20))) == OnsiteDue(
        D(2025, 3, 15), DueRule.FIRST_SURVEILLANCE
    )
    assert next_onsite_due(facts()) == OnsiteDue(D(2025, 3, 15), DueRule.FIRST_SURVEILLANCE)


def test_after_an_on_site_assessment_the_next_is_due_within_the_maximum_interval() -> None:
    assert next_onsite_due(facts(last_onsite_on=D(2025, 2, 28))) == OnsiteDue(D(2027, 2, 28), DueRule.ONSITE_INTERVAL)


def test_the_interval_from_an_initial_assessment_can_come_before_the_first_surveillance_date() -> None:
    slow_first = CycleRules(
        first_surveillance_months=30, max_onsite_interval_months=24, reassessment_interval_months=72
    )

    due = next_onsite_due(facts(rules=slow_first, last_onsite_on=D(2024, 1, 20)))

    assert due == OnsiteDue(D(2026, 1, 20), DueRule.ONSITE_INTERVAL)


def test_the_reassessment_before_the_cycle_ends_wins_when_it_comes_first() -> None:
    due = next_onsite_due(facts(last_onsite_on=D(2029, 1, 10)))

    assert due == OnsiteDue(D(2030, 3, 14), DueRule.REASSESSMENT)


def test_without_a_cycle_end_the_reassessment_interval_counts_from_the_cycle_start() -> None:
    due = next_onsite_due(facts(cycle_end=None, last_onsite_on=D(2029, 6, 1)))

    assert due == OnsiteDue(D(2030, 3, 15), DueRule.REASSESSMENT)


def test_a_renewed_cycle_with_no_recorded_assessment_counts_the_interval_from_its_start() -> None:
    # Loaded from an earlier system: renewed in 2024 after a reassessment the portal never saw.
    renewed = facts(granted_on=D(2018, 5, 2), cycle_start=D(2024, 5, 2), cycle_end=D(2030, 5, 1))

    assert next_onsite_due(renewed) == OnsiteDue(D(2026, 5, 2), DueRule.ONSITE_INTERVAL)


def test_a_renewed_cycle_uses_the_recorded_reassessment_when_there_is_one() -> None:
    renewed = facts(granted_on=D(2018, 5, 2), cycle_start=D(2024, 5, 2), cycle_end=D(2030, 5, 1))

    due = next_onsite_due(CycleFacts(**{**renewed.__dict__, "last_onsite_on": D(2024, 2, 29)}))

    assert due == OnsiteDue(D(2026, 2, 28), DueRule.ONSITE_INTERVAL)


def test_month_ends_are_clamped_and_ties_go_to_the_first_rule() -> None:
    tie = CycleRules(first_surveillance_months=12, max_onsite_interval_months=13, reassessment_interval_months=12)

    due = next_onsite_due(facts(rules=tie, granted_on=D(2024, 1, 31), cycle_start=None, cycle_end=None))

    assert due == OnsiteDue(D(2025, 1, 31), DueRule.FIRST_SURVEILLANCE)
    assert surveillance_due_on(facts(granted_on=D(2024, 2, 29), cycle_start=None)) == D(2025, 2, 28)
