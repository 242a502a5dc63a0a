"""Moves of an accreditation: open, grant, suspend (all or part), reinstate, withdraw, cancel, expire.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
of ``cab``. ``accreditation`` is ``cab`` accredited under CL (CNAS L0001) with one scope item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from accreditation import hooks
from accreditation.choices import ACCREDITATION_TRANSITIONS, AccreditationStatus
from accreditation.models import Accreditation, Cab, Programme, ScopeVersion
from accreditation.services.accreditations import (
    MOVES_BY_TARGET,
    accreditation_cancel,
    accreditation_expire,
    accreditation_grant,
    accreditation_open,
    accreditation_partially_suspend,
    accreditation_reinstate,
    accreditation_suspend,
    accreditation_withdraw,
    number_matches_pattern,
)
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.dates import add_months
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from tests.accreditation.factories import CabFactory, programme
from tests.accreditation.service_assertions import event_summary, new_events, nothing_changes

S = AccreditationStatus
OIL_ACID = {"field": "食品", "subject": "食用植物油", "parameter": "酸价", "method": "GB 5009.229-2016"}
OIL_PEROXIDE = {"field": "食品", "subject": "食用植物油", "parameter": "过氧化值", "method": "GB 5009.227-2023"}
LEAD = {"field": "食品", "subject": "食品", "parameter": "铅", "method": "GB 5009.12-2023"}


QMS = {"standard": "GB/T 19001-2016 / ISO 9001:2015", "sectors": ["IAF 28"]}


def applicant_with_scope(
    cab: Cab, actor: User, code: str = "CL", items: tuple[dict[str, Any], ...] | None = None
) -> Accreditation:
    """``cab`` applying under ``code`` with a published first scope issue (as decided before the grant)."""
    accreditation = accreditation_open(cab=cab, programme=programme(code), actor=actor)
    draft = scope_draft_start(accreditation=accreditation, actor=actor)
    for attributes in items or ((QMS,) if code == "MS" else (OIL_ACID,)):
        scope_item_add(version=draft, actor=actor, attributes=attributes)
    scope_version_publish(version=draft, actor=actor, issued_on=dt.date(2024, 2, 29))
    return accreditation


def keys_of(version: ScopeVersion | None) -> list[str]:
    assert version is not None
    return [str(key) for key in version.items.order_by("position").values_list("key", flat=True)]


def bring_to(status: str, cab: Cab, actor: User) -> Accreditation:
    """An accreditation of ``cab`` in ``status``, reached through the services."""
    accreditation = applicant_with_scope(cab, actor, items=(OIL_ACID, OIL_PEROXIDE))
    if status == S.APPLICANT:
        return accreditation
    if status == S.CANCELLED:
        return accreditation_cancel(accreditation=accreditation, actor=actor, reason="申请方撤回申请")
    accreditation = accreditation_grant(accreditation=accreditation, actor=actor)
    if status == S.PARTIALLY_SUSPENDED:
        first = keys_of(accreditation.current_scope)[0]
        return accreditation_partially_suspend(
            accreditation=accreditation, actor=actor, reason="设备失效", item_keys=[first]
        )
    moves: dict[str, Callable[..., Accreditation]] = {
        S.ACCREDITED: lambda **kwargs: kwargs["accreditation"],
        S.SUSPENDED: accreditation_suspend,
        S.WITHDRAWN: accreditation_withdraw,
        S.EXPIRED: accreditation_expire,
    }
    return moves[status](accreditation=accreditation, actor=actor, reason="准备测试状态")


def move(accreditation: Accreditation, target: str, actor: User) -> Accreditation:
    """Ask the service that moves to ``target``: grant an applicant, reinstate anything else."""
    if target == S.ACCREDITED and accreditation.status == S.APPLICANT:
        return accreditation_grant(accreditation=accreditation, actor=actor, reason="评定通过")
    if target == S.PARTIALLY_SUSPENDED:
        first = keys_of(accreditation.current_scope)[0]
        return accreditation_partially_suspend(
            accreditation=accreditation, actor=actor, reason="部分暂停", item_keys=[first]
        )
    return MOVES_BY_TARGET[S(target)](accreditation=accreditation, actor=actor, reason="状态变更")


@pytest.fixture
def received() -> Iterator[list[tuple[str, Any, dict[str, Any]]]]:
    """What the register's hooks sent: (signal name, sender, arguments)."""
    sent: list[tuple[str, Any, dict[str, Any]]] = []

    def on_status(sender: Any, **kwargs: Any) -> None:
        sent.append(("accreditation_status_changed", sender, {k: v for k, v in kwargs.items() if k != "signal"}))

    def on_scope(sender: Any, **kwargs: Any) -> None:
        sent.append(("scope_version_published", sender, {k: v for k, v in kwargs.items() if k != "signal"}))

    hooks.accreditation_status_changed.connect(on_status, weak=False)
    hooks.scope_version_published.connect(on_scope, weak=False)
    yield sent
    hooks.accreditation_status_changed.disconnect(on_status)
    hooks.scope_version_published.disconnect(on_scope)


# --- accreditation_open -------------------------------------------------------------------------


def test_the_secretariat_opens_an_application(secretariat: User, cab: Cab) -> None:
    with new_events() as events:
        accreditation = accreditation_open(cab=cab, programme=programme("IB"), actor=secretariat, reason="受理申请")

    assert (accreditation.status, accreditation.number, accreditation.granted_on) == ("applicant", None, None)
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "accreditation.opened",
            "actor": "alice",
            "aggregate": f"accreditation.accreditation:{accreditation.pk}",
            "cab_id": cab.pk,
            "reason": "受理申请",
            "old_values": {},
            "new_values": {"programme": "IB", "status": "applicant"},
        }
    ]


def test_a_second_live_accreditation_under_the_same_programme_is_refused(
    secretariat: User, cab: Cab, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)

    assert refused.value.code == "accreditation_exists"
    assert refused.value.message == (
        "Beijing Precise Testing Co., Ltd. already holds or applies for an accreditation under "
        "Testing and calibration laboratories."
    )


def test_a_withdrawn_cab_may_apply_again_under_the_same_programme(
    secretariat: User, cab: Cab, accreditation: Accreditation
) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")

    again = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)

    assert list(Accreditation.objects.filter(cab=cab).order_by("pk").values_list("status", flat=True)) == [
        "withdrawn",
        "applicant",
    ]
    assert again.number is None


def test_a_decision_maker_cannot_open_an_application(decision_maker: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        accreditation_open(cab=cab, programme=programme("CL"), actor=decision_maker)

    assert refused.value.code == "not_secretariat"


# --- accreditation_grant ------------------------------------------------------------------------


def test_the_cycle_of_a_grant_on_29_february_ends_the_day_before_its_clamped_sixth_anniversary() -> None:
    # 72 months after 29 Feb 2024 is clamped to 28 Feb 2030 (not a leap year); the cycle ends the day before.
    assert add_months(dt.date(2024, 2, 29), 72) == dt.date(2030, 2, 28)


def test_a_grant_numbers_the_accreditation_from_the_pattern_and_sets_its_cycle(
    secretariat: User, cab: Cab, received: list[Any], django_capture_on_commit_callbacks
) -> None:
    applicant = applicant_with_scope(cab, secretariat)

    with new_events() as events, django_capture_on_commit_callbacks(execute=True):
        granted = accreditation_grant(
            accreditation=applicant, actor=secretariat, granted_on=dt.date(2024, 2, 29), reason="评定委员会决定"
        )
        assert received == []

    granted.refresh_from_db()
    assert (granted.number, granted.status) == ("CNAS L0001", "accredited")
    assert (granted.granted_on, granted.cycle_start, granted.cycle_end) == (
        dt.date(2024, 2, 29),
        dt.date(2024, 2, 29),
        dt.date(2030, 2, 27),
    )
    assert Programme.objects.get(code="CL").next_number == 2
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "accreditation.granted",
            "actor": "alice",
            "aggregate": f"accreditation.accreditation:{granted.pk}",
            "cab_id": cab.pk,
            "reason": "评定委员会决定",
            "old_values": {"status": "applicant"},
            "new_values": {
                "status": "accredited",
                "number": "CNAS L0001",
                "cycle_start": "2024-02-29",
                "cycle_end": "2030-02-27",
            },
        }
    ]
    assert received == [
        (
            "accreditation_status_changed",
            Accreditation,
            {
                "accreditation_id": granted.pk,
                "old_status": "applicant",
                "new_status": "accredited",
                "actor_id": secretariat.pk,
            },
        )
    ]


def test_an_ordinary_grant_date_gives_a_cycle_of_exactly_six_years(secretariat: User, cab: Cab) -> None:
    granted = accreditation_grant(
        accreditation=applicant_with_scope(cab, secretariat), actor=secretariat, granted_on=dt.date(2025, 3, 15)
    )

    assert (granted.cycle_start, granted.cycle_end) == (dt.date(2025, 3, 15), dt.date(2031, 3, 14))


def test_a_grant_without_a_date_is_granted_today(secretariat: User, cab: Cab) -> None:
    granted = accreditation_grant(accreditation=applicant_with_scope(cab, secretariat), actor=secretariat)

    assert granted.granted_on == timezone.localdate()


def test_successive_grants_take_successive_numbers_in_each_programme(
    secretariat: User, cab: Cab, other_cab: Cab
) -> None:
    third = CabFactory.create(name_zh="深圳鹏信质量认证有限公司", kind="certification_body")

    applications: list[tuple[Cab, str]] = [(cab, "CL"), (other_cab, "CL"), (third, "MS"), (other_cab, "MS")]

    numbers = [
        accreditation_grant(accreditation=applicant_with_scope(body, secretariat, code), actor=secretariat).number
        for body, code in applications
    ]

    assert numbers == ["CNAS L0001", "CNAS L0002", "CNAS C001-M", "CNAS C002-M"]
    assert dict(Programme.objects.filter(code__in=["CL", "MS"]).values_list("code", "next_number")) == {
        "CL": 3,
        "MS": 3,
    }


def test_a_number_given_by_hand_is_kept_and_the_generator_skips_it(secretariat: User, cab: Cab, other_cab: Cab) -> None:
    legacy = accreditation_grant(
        accreditation=applicant_with_scope(cab, secretariat), actor=secretariat, number="  CNAS   L0001 "
    )
    generated = accreditation_grant(accreditation=applicant_with_scope(other_cab, secretariat), actor=secretariat)

    assert (legacy.number, generated.number) == ("CNAS L0001", "CNAS L0002")
    assert Programme.objects.get(code="CL").next_number == 3


def test_a_number_that_does_not_follow_the_programmes_pattern_is_refused(secretariat: User, cab: Cab) -> None:
    applicant = applicant_with_scope(cab, secretariat)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        accreditation_grant(accreditation=applicant, actor=secretariat, number="CNAS IB0001")

    assert refused.value.code == "number_pattern_mismatch"
    assert refused.value.message == "CNAS IB0001 does not follow the programme's numbering CNAS L{n:04d}."


def test_a_number_already_in_use_is_refused(secretariat: User, accreditation: Accreditation, other_cab: Cab) -> None:
    applicant = applicant_with_scope(other_cab, secretariat)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        accreditation_grant(accreditation=applicant, actor=secretariat, number="CNAS L0001")

    assert refused.value.code == "duplicate_accreditation_number"
    assert refused.value.message == "The accreditation number CNAS L0001 is already in use."
    assert refused.value.detail == {"number": "CNAS L0001"}


@pytest.mark.parametrize(
    ("code", "number", "matches"),
    [
        ("CL", "CNAS L0123", True),
        ("CL", "CNAS L12345", True),
        ("CL", "CNAS L", False),
        ("CL", "CNAS L01a3", False),
        ("MS", "CNAS C123-M", True),
        ("MS", "CNAS C123-P", False),
        ("MS", "CNAS C123", False),
    ],
)
def test_numbers_are_checked_against_the_programmes_pattern(db: None, code: str, number: str, matches: bool) -> None:
    assert number_matches_pattern(programme(code), number) is matches


def test_a_suspended_accreditation_cannot_be_granted_again(secretariat: User, accreditation: Accreditation) -> None:
    accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        accreditation_grant(accreditation=accreditation, actor=secretariat)

    assert refused.value.code == "already_granted"
    assert refused.value.message == "This accreditation was granted already."


def test_an_accredited_accreditation_cannot_be_granted_again(secretariat: User, accreditation: Accreditation) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        accreditation_grant(accreditation=accreditation, actor=secretariat)

    assert refused.value.code == "illegal_status_change"


def test_a_decision_maker_cannot_grant_through_the_register(decision_maker: User, secretariat: User, cab: Cab) -> None:
    applicant = applicant_with_scope(cab, secretariat)

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        accreditation_grant(accreditation=applicant, actor=decision_maker)

    assert refused.value.code == "not_secretariat"


# --- every pair of statuses ---------------------------------------------------------------------

PAIRS = [(old, new) for old in S.values for new in S.values if new != S.APPLICANT]


def test_every_status_has_a_row_in_the_transition_table_and_nothing_leads_back_to_applicant() -> None:
    assert set(ACCREDITATION_TRANSITIONS) == set(S.values)
    assert all(S.APPLICANT not in targets for targets in ACCREDITATION_TRANSITIONS.values())
    assert {S.WITHDRAWN, S.CANCELLED, S.EXPIRED} == {
        s for s, targets in ACCREDITATION_TRANSITIONS.items() if not targets
    }


@pytest.mark.parametrize(("old", "new"), PAIRS, ids=[f"{old}->{new}" for old, new in PAIRS])
def test_a_move_succeeds_exactly_when_the_transition_table_allows_it(
    secretariat: User, cab: Cab, old: str, new: str
) -> None:
    accreditation = bring_to(old, cab, secretariat)
    assert Accreditation.objects.get(pk=accreditation.pk).status == old

    if new in ACCREDITATION_TRANSITIONS[old]:
        with new_events() as events:
            moved = move(accreditation, new, secretariat)
        assert moved.status == new
        assert Accreditation.objects.get(pk=accreditation.pk).status == new
        assert (events[0].old_values["status"], events[0].new_values["status"]) == (old, new)
    else:
        with nothing_changes(), pytest.raises(StateConflict) as refused:
            move(accreditation, new, secretariat)
        assert refused.value.code == "illegal_status_change"
        assert Accreditation.objects.get(pk=accreditation.pk).status == old


def test_an_illegal_move_says_which_statuses_were_involved(secretariat: User, cab: Cab) -> None:
    withdrawn = bring_to(S.WITHDRAWN, cab, secretariat)

    with pytest.raises(StateConflict) as refused:
        accreditation_suspend(accreditation=withdrawn, actor=secretariat, reason="超范围使用认可标识")

    assert refused.value.message == "The status cannot change from “Withdrawn” to “Suspended”."
    assert refused.value.detail == {"from": "withdrawn", "to": "suspended", "allowed": []}
    assert refused.value.http_status == 409


def test_reinstating_an_accreditation_that_is_not_suspended_names_the_statuses_it_needs(
    secretariat: User, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        accreditation_reinstate(accreditation=accreditation, actor=secretariat, reason="恢复")

    assert refused.value.code == "illegal_status_change"
    assert refused.value.detail == {
        "from": "accredited",
        "to": "accredited",
        "allowed_from": ["partially_suspended", "suspended"],
    }


# --- reasons and permissions ---------------------------------------------------------------------

REASONED_MOVES: dict[str, Callable[..., Accreditation]] = {
    "suspend": accreditation_suspend,
    "withdraw": accreditation_withdraw,
    "cancel": accreditation_cancel,
    "expire": accreditation_expire,
}


@pytest.mark.parametrize("name", sorted(REASONED_MOVES))
@pytest.mark.parametrize("reason", ["", "  \n "])
def test_every_sanction_needs_a_reason(secretariat: User, accreditation: Accreditation, name: str, reason: str) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        REASONED_MOVES[name](accreditation=accreditation, actor=secretariat, reason=reason)

    assert refused.value.code == "reason_required"
    assert refused.value.message == "Give a reason for this change."


def test_a_partial_suspension_needs_a_reason(
    secretariat: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        accreditation_partially_suspend(
            accreditation=accreditation, actor=secretariat, reason="", item_keys=keys_of(published_scope)
        )

    assert refused.value.code == "reason_required"


def test_reinstatement_needs_a_reason(secretariat: User, accreditation: Accreditation) -> None:
    accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")

    with nothing_changes(), pytest.raises(DomainError) as refused:
        accreditation_reinstate(accreditation=accreditation, actor=secretariat, reason=" ")

    assert refused.value.code == "reason_required"


@pytest.mark.parametrize("name", sorted(REASONED_MOVES))
@pytest.mark.parametrize("persona", ["decision_maker", "cab_admin"])
def test_only_the_secretariat_applies_sanctions(
    request: pytest.FixtureRequest, accreditation: Accreditation, name: str, persona: str
) -> None:
    actor: User = request.getfixturevalue(persona)

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        REASONED_MOVES[name](accreditation=accreditation, actor=actor, reason="越权操作")

    assert refused.value.code == "not_secretariat"


def test_a_decision_maker_asking_for_a_partial_suspension_without_items_is_refused_for_his_role(
    decision_maker: User, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        accreditation_partially_suspend(accreditation=accreditation, actor=decision_maker, reason="越权", item_keys=[])

    assert refused.value.code == "not_secretariat"


# --- sanctions that publish a new scope issue -----------------------------------------------------


@pytest.fixture
def three_items(secretariat: User, cab: Cab) -> Accreditation:
    """``cab`` accredited under CL with a first issue of three items: acid value, peroxide value, lead."""
    return accreditation_grant(
        accreditation=applicant_with_scope(cab, secretariat, items=(OIL_ACID, OIL_PEROXIDE, LEAD)), actor=secretariat
    )


def statuses(version: ScopeVersion | None) -> list[tuple[str, str]]:
    assert version is not None
    return [(item.attributes["parameter"], item.status) for item in version.items.order_by("position")]


def test_a_partial_suspension_publishes_a_new_issue_with_the_chosen_items_suspended(
    secretariat: User, cab: Cab, three_items: Accreditation, received: list[Any], django_capture_on_commit_callbacks
) -> None:
    first_issue = three_items.current_scope
    acid, peroxide, lead = keys_of(first_issue)

    with new_events() as events, django_capture_on_commit_callbacks(execute=True):
        moved = accreditation_partially_suspend(
            accreditation=three_items, actor=secretariat, reason="过氧化值检测设备失效", item_keys=[peroxide]
        )
        assert received == []

    assert moved.status == "partially_suspended"
    second_issue = Accreditation.objects.get(pk=moved.pk).current_scope
    assert second_issue is not None
    assert (second_issue.issue_number, second_issue.note) == (2, "过氧化值检测设备失效")
    assert statuses(second_issue) == [("酸价", "active"), ("过氧化值", "suspended"), ("铅", "active")]
    assert keys_of(second_issue) == [acid, peroxide, lead]
    assert first_issue is not None
    first_issue.refresh_from_db()
    assert first_issue.status == "superseded"
    assert statuses(first_issue) == [("酸价", "active"), ("过氧化值", "active"), ("铅", "active")]
    assert [(e.event_type, e.reason, e.cab_id) for e in events] == [
        ("accreditation.partially_suspended", "过氧化值检测设备失效", cab.pk),
        ("scope.draft_started", "", cab.pk),
        ("scope.item_status_changed", "过氧化值检测设备失效", cab.pk),
        ("scope.published", "过氧化值检测设备失效", cab.pk),
    ]
    assert (events[2].old_values, events[2].new_values) == ({"status": "active"}, {"status": "suspended"})
    assert [(name, sender) for name, sender, _ in received] == [
        ("accreditation_status_changed", Accreditation),
        ("scope_version_published", ScopeVersion),
    ]
    assert received[0][2] == {
        "accreditation_id": moved.pk,
        "old_status": "accredited",
        "new_status": "partially_suspended",
        "actor_id": secretariat.pk,
    }
    assert received[1][2] == {
        "scope_version_id": second_issue.pk,
        "accreditation_id": moved.pk,
        "actor_id": secretariat.pk,
    }


def test_reinstatement_publishes_a_new_issue_with_every_suspended_item_active_again(
    secretariat: User, three_items: Accreditation
) -> None:
    acid, _peroxide, lead = keys_of(three_items.current_scope)
    accreditation_partially_suspend(
        accreditation=three_items, actor=secretariat, reason="设备失效", item_keys=[acid, lead]
    )

    with new_events() as events:
        reinstated = accreditation_reinstate(accreditation=three_items, actor=secretariat, reason="整改有效，恢复认可")

    assert reinstated.status == "accredited"
    third_issue = Accreditation.objects.get(pk=reinstated.pk).current_scope
    assert third_issue is not None
    assert third_issue.issue_number == 3
    assert statuses(third_issue) == [("酸价", "active"), ("过氧化值", "active"), ("铅", "active")]
    assert [e.event_type for e in events] == [
        "accreditation.reinstated",
        "scope.draft_started",
        "scope.item_status_changed",
        "scope.item_status_changed",
        "scope.published",
    ]
    assert list(
        ScopeVersion.objects.filter(accreditation=reinstated).order_by("issue_number").values_list("status", flat=True)
    ) == [
        "superseded",
        "superseded",
        "published",
    ]


def test_reinstating_a_full_suspension_publishes_no_new_issue(secretariat: User, three_items: Accreditation) -> None:
    accreditation_suspend(accreditation=three_items, actor=secretariat, reason="超范围使用认可标识")

    with new_events() as events:
        accreditation_reinstate(accreditation=three_items, actor=secretariat, reason="整改有效")

    assert [e.event_type for e in events] == ["accreditation.reinstated"]
    assert ScopeVersion.objects.filter(accreditation=three_items).count() == 1


def test_a_full_suspension_sends_its_hook_only_after_commit(
    secretariat: User, accreditation: Accreditation, received: list[Any], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")
        assert received == []

    assert received == [
        (
            "accreditation_status_changed",
            Accreditation,
            {
                "accreditation_id": accreditation.pk,
                "old_status": "accredited",
                "new_status": "suspended",
                "actor_id": secretariat.pk,
            },
        )
    ]


def test_a_refused_move_sends_no_hook(
    secretariat: User, accreditation: Accreditation, received: list[Any], django_capture_on_commit_callbacks
) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(StateConflict):
        accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="再次暂停")

    assert callbacks == []
    assert received == []


def test_a_partial_suspension_of_an_item_not_in_the_scope_changes_nothing(
    secretariat: User, three_items: Accreditation, received: list[Any], django_capture_on_commit_callbacks
) -> None:
    with (
        nothing_changes(),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError) as refused,
    ):
        accreditation_partially_suspend(
            accreditation=three_items,
            actor=secretariat,
            reason="设备失效",
            item_keys=["00000000-0000-0000-0000-000000000000"],
        )

    assert refused.value.code == "unknown_scope_item"
    assert refused.value.message == "These items are not in the current scope: 00000000-0000-0000-0000-000000000000"
    assert refused.value.detail == {"keys": ["00000000-0000-0000-0000-000000000000"]}
    assert callbacks == []
    assert received == []


def test_a_partial_suspension_without_items_is_refused(secretariat: User, three_items: Accreditation) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        accreditation_partially_suspend(accreditation=three_items, actor=secretariat, reason="设备失效", item_keys=[])

    assert refused.value.code == "no_items"
    assert refused.value.message == "Choose the scope items to suspend."
