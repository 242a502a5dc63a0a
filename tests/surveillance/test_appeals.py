"""Appeals against accreditation decisions: who lodges, who may hear them, and that the decision stays in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accreditation.models import Accreditation, Decision
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, Notification, User
from surveillance.choices import AppealOutcome, AppealStatus
from surveillance.models import Appeal
from surveillance.services_appeals import appeal_assign_panel, appeal_decide, appeal_lodge, appeal_withdraw
from tests.accreditation.service_assertions import register_snapshot as full_register_snapshot
from tests.surveillance.appeals_helpers import refused_extension, staff

pytestmark = pytest.mark.django_db


def register_snapshot() -> dict[str, Any]:
    """The register's tables, without the audit trail (an appeal writes its own events there)."""
    snapshot = full_register_snapshot()
    snapshot.pop("core.AuditEvent", None)
    return snapshot


@pytest.fixture
def team_member() -> User:
    """A decision maker who sat on the assessment team of the decided application."""
    return staff("tina")


@pytest.fixture
def decision(
    accreditation: Accreditation, cab_admin: User, secretariat: User, decision_maker: User, team_member: User
) -> Decision:
    return refused_extension(
        accreditation, cab_admin=cab_admin, secretariat=secretariat, decider=decision_maker, team_member=team_member
    )


@pytest.fixture
def panel() -> list[User]:
    return [staff("paula"), staff("peter")]


def test_a_cab_member_lodges_an_appeal_and_the_register_does_not_change(
    decision: Decision, cab_user: User, secretariat: User
) -> None:
    before = register_snapshot()

    appeal = appeal_lodge(decision=decision, actor=cab_user, grounds="评审组未考虑我们提交的证据。")

    assert appeal.status == AppealStatus.LODGED
    assert appeal.reference == f"AP-{timezone.localdate().year}-{appeal.pk:06d}"
    assert appeal.cab == decision.application.cab
    assert register_snapshot() == before
    assert AuditEvent.objects.filter(event_type="appeal.lodged", aggregate_id=str(appeal.pk)).count() == 1
    assert Notification.objects.filter(recipient=secretariat, kind="appeal.lodged").count() == 1


def test_another_cab_and_staff_cannot_lodge_an_appeal(
    decision: Decision, other_cab_user: User, secretariat: User
) -> None:
    for user in (other_cab_user, secretariat):
        with pytest.raises(NotPermitted) as refused:
            appeal_lodge(decision=decision, actor=user, grounds="理由")
        assert refused.value.code == "not_cab_member"
    assert Appeal.objects.count() == 0


def test_an_appeal_after_the_window_is_refused(decision: Decision, cab_user: User, settings: Any) -> None:
    settings.APPEAL_WINDOW_DAYS = 30
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - dt.timedelta(days=31))

    with pytest.raises(StateConflict) as refused:
        appeal_lodge(decision=decision, actor=cab_user, grounds="理由")

    assert refused.value.code == "appeal_window_closed"
    assert Appeal.objects.count() == 0


def test_an_appeal_on_the_last_day_of_the_window_is_accepted(decision: Decision, cab_user: User, settings: Any) -> None:
    settings.APPEAL_WINDOW_DAYS = 30
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - dt.timedelta(days=30))
    decision.refresh_from_db()

    assert appeal_lodge(decision=decision, actor=cab_user, grounds="理由").status == AppealStatus.LODGED


def test_a_second_running_appeal_on_the_same_decision_is_refused(decision: Decision, cab_user: User) -> None:
    appeal_lodge(decision=decision, actor=cab_user, grounds="理由")
    with pytest.raises(StateConflict) as refused:
        appeal_lodge(decision=decision, actor=cab_user, grounds="再次")
    assert refused.value.code == "appeal_running"


@pytest.mark.parametrize("who", ["decision_maker", "team_member"])
def test_a_panel_member_who_took_part_is_refused(
    request: pytest.FixtureRequest, decision: Decision, cab_user: User, secretariat: User, panel: list[User], who: str
) -> None:
    appeal = appeal_lodge(decision=decision, actor=cab_user, grounds="理由")
    involved = request.getfixturevalue(who)

    with pytest.raises(NotPermitted) as refused:
        appeal_assign_panel(appeal=appeal, actor=secretariat, panel=[panel[0], involved])

    assert refused.value.code == "panel_member_involved"
    assert refused.value.detail == {"panel": [involved.pk]}
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED
    assert list(appeal.panel.all()) == []


def test_only_the_secretariat_assigns_the_panel(decision: Decision, cab_user: User, panel: list[User]) -> None:
    appeal = appeal_lodge(decision=decision, actor=cab_user, grounds="理由")
    with pytest.raises(NotPermitted):
        appeal_assign_panel(appeal=appeal, actor=panel[0], panel=panel)
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED


def test_a_panel_decides_and_an_upheld_appeal_asks_the_secretariat_to_reconsider(
    decision: Decision, cab_user: User, secretariat: User, panel: list[User]
) -> None:
    appeal = appeal_lodge(decision=decision, actor=cab_user, grounds="理由")
    appeal = appeal_assign_panel(appeal=appeal, actor=secretariat, panel=panel)
    assert appeal.status == AppealStatus.UNDER_REVIEW
    before = register_snapshot()

    decided = appeal_decide(appeal=appeal, actor=panel[1], outcome=AppealOutcome.UPHELD, reasons="证据未被审查。")

    assert (decided.status, decided.outcome, decided.decided_by) == (AppealStatus.DECIDED, "upheld", panel[1])
    assert register_snapshot() == before
    assert Decision.objects.get(pk=decision.pk).reasons == "无检测经历"
    assert Notification.objects.filter(recipient=secretariat, kind="appeal.reconsider").count() == 1
    assert Notification.objects.filter(recipient=cab_user, kind="appeal.decided").count() == 1
    assert list(
        AuditEvent.objects.filter(aggregate_id=str(appeal.pk), event_type__startswith="appeal.")
        .order_by("pk")
        .values_list("event_type", flat=True)
    ) == ["appeal.lodged", "appeal.panel_assigned", "appeal.decided"]


def test_a_dismissed_appeal_sends_no_reconsideration(
    decision: Decision, cab_user: User, secretariat: User, panel: list[User]
) -> None:
    appeal = appeal_assign_panel(
        appeal=appeal_lodge(decision=decision, actor=cab_user, grounds="理由"), actor=secretariat, panel=panel
    )
    appeal_decide(appeal=appeal, actor=panel[0], outcome=AppealOutcome.DISMISSED, reasons="决定有据。")
    assert Notification.objects.filter(kind="appeal.reconsider").count() == 0


def test_someone_off_the_panel_cannot_decide(
    decision: Decision, cab_user: User, secretariat: User, panel: list[User], decision_maker: User
) -> None:
    appeal = appeal_assign_panel(
        appeal=appeal_lodge(decision=decision, actor=cab_user, grounds="理由"), actor=secretariat, panel=panel
    )
    with pytest.raises(NotPermitted) as refused:
        appeal_decide(appeal=appeal, actor=decision_maker, outcome=AppealOutcome.UPHELD, reasons="x")
    assert refused.value.code == "not_on_panel"
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW


def test_a_decision_needs_an_outcome_and_reasons(
    decision: Decision, cab_user: User, secretariat: User, panel: list[User]
) -> None:
    appeal = appeal_assign_panel(
        appeal=appeal_lodge(decision=decision, actor=cab_user, grounds="理由"), actor=secretariat, panel=panel
    )
    with pytest.raises(DomainError) as refused:
        appeal_decide(appeal=appeal, actor=panel[0], outcome=AppealOutcome.UPHELD, reasons="  ")
    assert refused.value.code == "reasons_required"


def test_the_cab_withdraws_and_a_withdrawn_appeal_cannot_be_decided(
    decision: Decision, cab_user: User, secretariat: User, panel: list[User]
) -> None:
    appeal = appeal_assign_panel(
        appeal=appeal_lodge(decision=decision, actor=cab_user, grounds="理由"), actor=secretariat, panel=panel
    )
    withdrawn = appeal_withdraw(appeal=appeal, actor=cab_user)
    assert withdrawn.status == AppealStatus.WITHDRAWN

    with pytest.raises(StateConflict) as refused:
        appeal_decide(appeal=appeal, actor=panel[0], outcome=AppealOutcome.UPHELD, reasons="x")
    assert refused.value.code == "illegal_status_change"
