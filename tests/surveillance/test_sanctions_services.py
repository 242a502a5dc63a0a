"""Sanctions: each kind's effect on the register, refused moves that change nothing, lifting, proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accreditation.choices import AccreditationStatus, ScopeItemStatus
from accreditation.models import Accreditation
from accreditation.services.accreditations import accreditation_withdraw
from certification.choices import NotAccreditedReason
from certification.models import IssuedCertificate
from certification.services_registry import certificates_apply
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, Notification, User
from surveillance.choices import NoticeKind, SanctionKind, SanctionStatus, WithdrawalProposalStatus
from surveillance.jobs_suspensions import suspension_watchdog
from surveillance.models import PublicNotice, Sanction, SanctionReason, WithdrawalProposal
from surveillance.services_sanctions import (
    sanction_decide,
    sanction_lift,
    withdrawal_proposal_dismiss,
    withdrawal_proposal_withdraw,
)
from tests.certification.registry_helpers import (
    accredit_for_management_systems,
    certification_body,
    make_rows,
    row_values,
)
from tests.surveillance.complaints_helpers import public_complaint
from tests.surveillance.sanctions_helpers import item_statuses, reason, snapshot, with_second_item

pytestmark = pytest.mark.django_db
_K = SanctionKind
_A = AccreditationStatus


def decide(accreditation: Accreditation, actor: User, kind: str = _K.SUSPENSION, **kwargs: Any) -> Sanction:
    values: dict[str, Any] = {"reason": reason(), "details": "原始记录与报告不一致。"}
    values.update(kwargs)
    return sanction_decide(accreditation=accreditation, kind=kind, actor=actor, **values)


def status_of(accreditation: Accreditation) -> str:
    accreditation.refresh_from_db()
    return accreditation.status


def notices(kind: str) -> list[PublicNotice]:
    return list(PublicNotice.objects.filter(kind=kind).order_by("pk"))


# --- the seeded reasons ------------------------------------------------------------------------------------


def test_the_reason_list_starts_with_the_seed_reports_reasons_in_both_languages() -> None:
    reasons = list(SanctionReason.objects.order_by("position").values_list("code", "label_zh", "label_en"))
    assert len(reasons) == 12
    assert reasons[0] == (
        "mark_beyond_scope",
        "超范围使用认可标识",
        "Accreditation mark used beyond the accredited scope",
    )
    assert reasons[-2:] == [("false_claim", "虚假宣称认可", "False claim of accreditation"), ("other", "其他", "Other")]


# --- each kind's effect -------------------------------------------------------------------------------------


def test_a_warning_changes_no_status_and_is_not_published(accreditation: Accreditation, secretariat: User) -> None:
    sanction = decide(accreditation, secretariat, _K.WARNING)
    assert (status_of(accreditation), sanction.status, sanction.suspended_until) == (_A.ACCREDITED, "in_force", None)
    assert PublicNotice.objects.count() == 0
    event = AuditEvent.objects.get(event_type="sanction.decided")
    assert (event.new_values["kind"], event.new_values["reason"]) == ("warning", "data_altered_or_untraceable")


def test_a_suspension_suspends_until_the_programmes_maximum_and_publishes_a_notice(
    accreditation: Accreditation, secretariat: User
) -> None:
    day = timezone.localdate() - dt.timedelta(days=3)
    sanction = decide(accreditation, secretariat, effective_on=day)
    months = accreditation.programme.max_suspension_months
    assert status_of(accreditation) == _A.SUSPENDED
    assert sanction.suspended_until is not None
    assert (sanction.suspended_until - day).days in range(28 * months, 31 * months + 1)
    notice = notices(NoticeKind.SUSPENSION)[0]
    assert (notice.sanction, notice.accreditation, notice.effective_on) == (sanction, accreditation, day)
    assert notice.title_en == f"Beijing Precise Testing Co., Ltd.: accreditation {accreditation.number} suspended"
    assert "Data altered or not traceable" in notice.body_en
    assert notice.title_zh.startswith("北京精准检测技术有限公司")


def test_a_voluntary_suspension_needs_no_listed_reason(accreditation: Accreditation, secretariat: User) -> None:
    sanction = decide(accreditation, secretariat, _K.VOLUNTARY_SUSPENSION, reason=None, details="机构申请暂停。")
    assert (status_of(accreditation), sanction.reason, sanction.suspended_until is not None) == (
        _A.SUSPENDED,
        None,
        True,
    )
    assert "At its own request" in notices(NoticeKind.SUSPENSION)[0].body_en


def test_a_partial_suspension_suspends_the_chosen_items_in_a_new_issue(
    accreditation: Accreditation, secretariat: User
) -> None:
    _first, second = with_second_item(accreditation, secretariat)
    sanction = decide(accreditation, secretariat, _K.PARTIAL_SUSPENSION, scope_items=[second])
    assert status_of(accreditation) == _A.PARTIALLY_SUSPENDED
    assert item_statuses(accreditation) == [ScopeItemStatus.ACTIVE, ScopeItemStatus.SUSPENDED]
    assert list(sanction.scope_items.all()) == [second]
    assert "钢材" in notices(NoticeKind.SUSPENSION)[0].body_zh


def test_a_scope_reduction_withdraws_the_chosen_items_and_keeps_the_accreditation(
    accreditation: Accreditation, secretariat: User
) -> None:
    first, _second = with_second_item(accreditation, secretariat)
    decide(accreditation, secretariat, _K.SCOPE_REDUCTION, scope_items=[first])
    assert status_of(accreditation) == _A.ACCREDITED
    assert item_statuses(accreditation) == [ScopeItemStatus.WITHDRAWN, ScopeItemStatus.ACTIVE]
    assert len(notices(NoticeKind.SCOPE_REDUCTION)) == 1


def test_a_withdrawal_ends_the_sanctions_in_force_and_is_published(
    accreditation: Accreditation, secretariat: User
) -> None:
    warning = decide(accreditation, secretariat, _K.WARNING)
    suspension = decide(accreditation, secretariat)
    withdrawal = decide(accreditation, secretariat, _K.WITHDRAWAL)
    assert status_of(accreditation) == _A.WITHDRAWN
    assert list(Sanction.objects.filter(pk__in=[warning.pk, suspension.pk]).values_list("status", flat=True)) == [
        SanctionStatus.ENDED,
        SanctionStatus.ENDED,
    ]
    assert withdrawal.status == SanctionStatus.IN_FORCE
    assert AuditEvent.objects.filter(event_type="sanction.ended").count() == 2
    assert len(notices(NoticeKind.WITHDRAWAL)) == 1


def test_a_cancellation_at_the_cabs_request_cancels_without_a_notice(
    accreditation: Accreditation, secretariat: User
) -> None:
    decide(accreditation, secretariat, _K.CANCELLATION, reason=None, details="机构申请注销。")
    assert status_of(accreditation) == _A.CANCELLED
    assert PublicNotice.objects.count() == 0


def test_a_whole_suspension_ends_a_partial_one(accreditation: Accreditation, secretariat: User) -> None:
    _first, second = with_second_item(accreditation, secretariat)
    partial = decide(accreditation, secretariat, _K.PARTIAL_SUSPENSION, scope_items=[second])
    whole = decide(accreditation, secretariat)
    partial.refresh_from_db()
    assert (partial.status, whole.status, status_of(accreditation)) == (
        SanctionStatus.ENDED,
        SanctionStatus.IN_FORCE,
        _A.SUSPENDED,
    )


def test_a_sanction_can_cite_the_complaint_that_led_to_it(accreditation: Accreditation, secretariat: User) -> None:
    complaint = public_complaint(kind="against_cab", cab=accreditation.cab, certificate_number="")
    sanction = decide(accreditation, secretariat, complaint=complaint)
    assert sanction.complaint == complaint
    assert AuditEvent.objects.get(event_type="sanction.decided").new_values["complaint"] == complaint.tracking_number


# --- refused moves change nothing ----------------------------------------------------------------------------


def refused(accreditation: Accreditation, error: type[DomainError], code: str, **kwargs: Any) -> str:
    before = snapshot(accreditation)
    with pytest.raises(error) as raised:
        decide(accreditation, **kwargs)
    assert raised.value.code == code
    assert snapshot(accreditation) == before
    return str(raised.value.message)


def test_suspending_a_withdrawn_accreditation_is_refused(accreditation: Accreditation, secretariat: User) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="撤销")
    message = refused(accreditation, StateConflict, "accreditation_not_held", actor=secretariat)
    assert message == (
        f"Accreditation {accreditation.number} is Withdrawn; a sanction applies only to an accreditation that is held."
    )


def test_suspending_twice_is_refused(accreditation: Accreditation, secretariat: User) -> None:
    decide(accreditation, secretariat)
    message = refused(accreditation, StateConflict, "already_suspended", actor=secretariat)
    assert message == f"Accreditation {accreditation.number} is already suspended."


def test_a_partial_suspension_without_items_is_refused(accreditation: Accreditation, secretariat: User) -> None:
    message = refused(accreditation, DomainError, "no_items", actor=secretariat, kind=_K.PARTIAL_SUSPENSION)
    assert message == "Choose the scope items to suspend."


def test_a_partial_suspension_of_an_item_outside_the_current_scope_is_refused(
    accreditation: Accreditation, secretariat: User
) -> None:
    old_item = accreditation.current_scope.items.get()  # type: ignore[union-attr]
    with_second_item(accreditation, secretariat)  # a new issue: the old item row is superseded
    refused(
        accreditation,
        DomainError,
        "items_not_in_current_scope",
        actor=secretariat,
        kind=_K.PARTIAL_SUSPENSION,
        scope_items=[old_item],
    )


def test_a_reduction_of_every_item_is_refused(accreditation: Accreditation, secretariat: User) -> None:
    first, second = with_second_item(accreditation, secretariat)
    refused(
        accreditation,
        DomainError,
        "reduction_removes_everything",
        actor=secretariat,
        kind=_K.SCOPE_REDUCTION,
        scope_items=[first, second],
    )


def test_a_listed_reason_kind_without_a_reason_is_refused(accreditation: Accreditation, secretariat: User) -> None:
    message = refused(accreditation, DomainError, "reason_required", actor=secretariat, reason=None)
    assert message == "Choose the reason from the list."


def test_a_retired_reason_is_refused(accreditation: Accreditation, secretariat: User) -> None:
    retired = reason("no_testing_experience")
    SanctionReason.objects.filter(pk=retired.pk).update(is_active=False)
    message = refused(accreditation, DomainError, "reason_retired", actor=secretariat, reason=retired)
    assert message == "The reason “No testing experience” is no longer offered; choose a current one."


def test_a_sanction_without_details_or_in_the_future_is_refused(
    accreditation: Accreditation, secretariat: User
) -> None:
    refused(accreditation, DomainError, "details_required", actor=secretariat, details="  ")
    refused(
        accreditation,
        DomainError,
        "effective_in_future",
        actor=secretariat,
        effective_on=timezone.localdate() + dt.timedelta(days=1),
    )


@pytest.mark.parametrize("persona", ["decision_maker", "cab_admin", "assessor"])
def test_only_the_secretariat_decides_a_sanction(
    accreditation: Accreditation, persona: str, request: pytest.FixtureRequest
) -> None:
    refused(accreditation, NotPermitted, "not_secretariat", actor=request.getfixturevalue(persona))


def test_a_scheduled_job_cannot_decide_a_sanction(accreditation: Accreditation) -> None:
    refused(accreditation, NotPermitted, "not_secretariat", actor=None)


def test_a_complaint_about_another_body_is_refused(
    accreditation: Accreditation, secretariat: User, other_cab: Any
) -> None:
    complaint = public_complaint(kind="against_cab", cab=other_cab, certificate_number="")
    refused(accreditation, DomainError, "complaint_about_another_body", actor=secretariat, complaint=complaint)


# --- lifting ----------------------------------------------------------------------------------------------------


def test_lifting_a_suspension_reinstates_and_publishes_a_restoration(
    accreditation: Accreditation, secretariat: User
) -> None:
    sanction = sanction_lift(
        sanction=decide(accreditation, secretariat), actor=secretariat, verification="现场验证整改有效。"
    )
    assert (status_of(accreditation), sanction.status, sanction.lifted_by, sanction.lift_reason) == (
        _A.ACCREDITED,
        SanctionStatus.LIFTED,
        secretariat,
        "现场验证整改有效。",
    )
    notice = notices(NoticeKind.RESTORATION)[0]
    assert notice.title_en == f"Beijing Precise Testing Co., Ltd.: accreditation {accreditation.number} restored"
    assert AuditEvent.objects.filter(event_type="sanction.lifted").count() == 1


def test_lifting_a_partial_suspension_puts_the_items_back_in_force(
    accreditation: Accreditation, secretariat: User
) -> None:
    _first, second = with_second_item(accreditation, secretariat)
    sanction = decide(accreditation, secretariat, _K.PARTIAL_SUSPENSION, scope_items=[second])
    sanction_lift(sanction=sanction, actor=secretariat, verification="已验证。")
    assert status_of(accreditation) == _A.ACCREDITED
    assert item_statuses(accreditation) == [ScopeItemStatus.ACTIVE, ScopeItemStatus.ACTIVE]


def test_a_warning_cannot_be_lifted_and_nothing_changes(accreditation: Accreditation, secretariat: User) -> None:
    warning = decide(accreditation, secretariat, _K.WARNING)
    before = snapshot(accreditation)
    with pytest.raises(StateConflict) as raised:
        sanction_lift(sanction=warning, actor=secretariat, verification="已验证。")
    assert (raised.value.code, str(raised.value.message)) == (
        "not_liftable",
        "A Warning cannot be lifted; only a suspension is lifted after rectification.",
    )
    assert snapshot(accreditation) == before


def test_a_lifted_suspension_cannot_be_lifted_again(accreditation: Accreditation, secretariat: User) -> None:
    sanction = sanction_lift(sanction=decide(accreditation, secretariat), actor=secretariat, verification="已验证。")
    before = snapshot(accreditation)
    with pytest.raises(StateConflict) as raised:
        sanction_lift(sanction=sanction, actor=secretariat, verification="再次。")
    assert raised.value.code == "sanction_not_in_force"
    assert snapshot(accreditation) == before


def test_lifting_needs_the_verification(accreditation: Accreditation, secretariat: User) -> None:
    sanction = decide(accreditation, secretariat)
    with pytest.raises(DomainError) as raised:
        sanction_lift(sanction=sanction, actor=secretariat, verification=" ")
    assert raised.value.code == "verification_required"
    assert status_of(accreditation) == _A.SUSPENDED


# --- the suspension watchdog and withdrawal proposals -----------------------------------------------------------


def overdue_suspension(accreditation: Accreditation, secretariat: User, kind: str = _K.SUSPENSION) -> Sanction:
    """A suspension decided today; the watchdog runs on a day after its maximum."""
    extra: dict[str, Any] = {"reason": None, "details": "申请暂停。"} if kind == _K.VOLUNTARY_SUSPENSION else {}
    return decide(accreditation, secretariat, kind, **extra)


def after_maximum(sanction: Sanction) -> dt.date:
    assert sanction.suspended_until is not None
    return sanction.suspended_until + dt.timedelta(days=1)


def test_the_watchdog_proposes_nothing_before_the_maximum(accreditation: Accreditation, secretariat: User) -> None:
    sanction = overdue_suspension(accreditation, secretariat)
    assert suspension_watchdog(sanction.suspended_until) == {  # type: ignore[arg-type]
        "rows_changed": 0,
        "suspensions_past_maximum": 0,
        "proposals_opened": 0,
    }
    assert WithdrawalProposal.objects.count() == 0


@pytest.mark.parametrize("kind", [_K.SUSPENSION, _K.VOLUNTARY_SUSPENSION])
def test_a_suspension_past_its_maximum_becomes_one_proposal_and_the_secretariat_is_told_once(
    accreditation: Accreditation, secretariat: User, decision_maker: User, kind: str
) -> None:
    sanction = overdue_suspension(accreditation, secretariat, kind)
    colleague = User.objects.create(username="bob")
    colleague.groups.set(secretariat.groups.all())
    day = after_maximum(sanction)

    first = suspension_watchdog(day)
    second = suspension_watchdog(day + dt.timedelta(days=1))

    assert first == {"rows_changed": 1, "suspensions_past_maximum": 1, "proposals_opened": 1}
    assert second == {"rows_changed": 0, "suspensions_past_maximum": 0, "proposals_opened": 0}
    proposal = WithdrawalProposal.objects.get()
    assert (proposal.sanction, proposal.status, proposal.proposed_on) == (sanction, "open", day)
    told = Notification.objects.filter(kind="withdrawal_proposal.opened")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "bob"]
    event = AuditEvent.objects.get(event_type="withdrawal_proposal.opened")
    assert (event.actor_id, event.actor_label) == (None, "suspension_watchdog")


def test_a_lifted_or_partial_suspension_already_ended_is_not_proposed(
    accreditation: Accreditation, secretariat: User
) -> None:
    sanction = sanction_lift(
        sanction=overdue_suspension(accreditation, secretariat), actor=secretariat, verification="已验证。"
    )
    assert suspension_watchdog(after_maximum(sanction))["proposals_opened"] == 0


def test_withdrawing_on_a_proposal_withdraws_the_accreditation_and_closes_it(
    accreditation: Accreditation, secretariat: User
) -> None:
    sanction = overdue_suspension(accreditation, secretariat)
    suspension_watchdog(after_maximum(sanction))
    proposal = WithdrawalProposal.objects.get()

    withdrawal = withdrawal_proposal_withdraw(
        proposal=proposal, actor=secretariat, reason=reason("rectification_overdue"), details="暂停期满未完成整改。"
    )

    proposal.refresh_from_db()
    sanction.refresh_from_db()
    assert (withdrawal.kind, status_of(accreditation)) == (_K.WITHDRAWAL, _A.WITHDRAWN)
    assert (proposal.status, proposal.decided_by, sanction.status) == (
        WithdrawalProposalStatus.WITHDRAWN,
        secretariat,
        SanctionStatus.ENDED,
    )
    assert len(notices(NoticeKind.WITHDRAWAL)) == 1
    with pytest.raises(StateConflict) as raised:
        withdrawal_proposal_dismiss(proposal=proposal, actor=secretariat, reason="不撤销")
    assert raised.value.code == "proposal_settled"


def test_dismissing_a_proposal_keeps_the_suspension_and_is_not_proposed_again(
    accreditation: Accreditation, secretariat: User
) -> None:
    sanction = overdue_suspension(accreditation, secretariat)
    day = after_maximum(sanction)
    suspension_watchdog(day)
    proposal = withdrawal_proposal_dismiss(
        proposal=WithdrawalProposal.objects.get(), actor=secretariat, reason="整改验证即将完成。"
    )
    assert (proposal.status, proposal.decision_reason, status_of(accreditation)) == (
        WithdrawalProposalStatus.DISMISSED,
        "整改验证即将完成。",
        _A.SUSPENDED,
    )
    assert suspension_watchdog(day + dt.timedelta(days=30))["proposals_opened"] == 0


def test_a_dismissal_needs_a_reason_and_the_secretariat(
    accreditation: Accreditation, secretariat: User, decision_maker: User
) -> None:
    suspension_watchdog(after_maximum(overdue_suspension(accreditation, secretariat)))
    proposal = WithdrawalProposal.objects.get()
    with pytest.raises(DomainError) as raised:
        withdrawal_proposal_dismiss(proposal=proposal, actor=secretariat, reason="")
    assert raised.value.code == "reason_required"
    with pytest.raises(NotPermitted):
        withdrawal_proposal_dismiss(proposal=proposal, actor=decision_maker, reason="不撤销")
    proposal.refresh_from_db()
    assert proposal.status == WithdrawalProposalStatus.OPEN


def test_lifting_a_suspension_dismisses_its_open_proposal(accreditation: Accreditation, secretariat: User) -> None:
    sanction = overdue_suspension(accreditation, secretariat)
    suspension_watchdog(after_maximum(sanction))
    sanction_lift(sanction=sanction, actor=secretariat, verification="已验证。")
    assert WithdrawalProposal.objects.get().status == WithdrawalProposalStatus.DISMISSED


# --- the cascade to CB-issued certificates -------------------------------------------------------------------


def test_a_suspension_flips_the_accredited_flag_of_certificates_issued_during_it(
    secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    import certification.receivers_registry  # noqa: F401  (connected by the app's ready)

    cb = certification_body(name_zh="中国质量认证测试中心")
    accreditation = accredit_for_management_systems(cb, secretariat)
    today = timezone.localdate()
    certificates_apply(
        cb=cb,
        rows=make_rows(
            row_values(),
            row_values(certification_identity_number="ID-0002", issue_date=today.isoformat(), expiry_date="2029-12-31"),
        ),
    )
    assert set(IssuedCertificate.objects.values_list("is_accredited", flat=True)) == {True}

    with django_capture_on_commit_callbacks(execute=True):
        decide(accreditation, secretariat, reason=reason("mark_beyond_scope"))

    during = IssuedCertificate.objects.get(identity_number="ID-0002")
    assert (during.is_accredited, during.not_accredited_reason) == (False, NotAccreditedReason.DURING_SUSPENSION)
    assert IssuedCertificate.objects.get(identity_number="ID-0001").is_accredited is True


def test_the_daily_job_opens_the_proposal_once_and_records_it(accreditation: Accreditation, secretariat: User) -> None:
    from surveillance.choices import JobName, JobRunStatus
    from surveillance.jobs import run_job

    sanction = overdue_suspension(accreditation, secretariat)
    day = after_maximum(sanction)

    first = run_job(JobName.SUSPENSION_WATCHDOG, day)
    again = run_job(JobName.SUSPENSION_WATCHDOG, day)

    assert (first.status, first.rows_changed, first.summary) == (
        JobRunStatus.SUCCEEDED,
        1,
        {"withdrawal_proposals_opened": 1},
    )
    assert (again.status, again.rows_changed) == (JobRunStatus.SUCCEEDED, 0)
    assert WithdrawalProposal.objects.filter(sanction=sanction).count() == 1
