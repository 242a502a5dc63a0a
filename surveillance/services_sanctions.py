"""Sanctions (认可约束): deciding one, lifting a suspension, and the withdrawal proposals of the watchdog.

Each sanction is decided by the secretariat on one accreditation and carried out through the
register's own services, in the same transaction: a suspension through
``accreditation_suspend``, a partial suspension through ``accreditation_partially_suspend`` (a new
scope issue with the chosen items suspended), a scope reduction through a new scope issue with the
chosen items withdrawn, a withdrawal and a cancellation through ``accreditation_withdraw`` and
``accreditation_cancel``. A warning changes no status. The register's moves send
``accreditation_status_changed`` and ``scope_version_published`` after commit, which is how the
certificates app re-checks the accredited flag of the body's certificates; the directory and the
certificate verification read the register, so they follow without anything more here.

Rules the table of moves does not show:

- The listed-reason kinds (``KINDS_WITH_LISTED_REASON``) need an active reason from the
  maintained list; the CAB's own requests (voluntary suspension, cancellation) need none.
- A suspension may last until ``effective_on`` plus the programme's ``max_suspension_months``
  (``suspended_until``); past it the suspension watchdog (``surveillance.jobs_suspensions``) opens
  a withdrawal proposal, which the secretariat turns into a withdrawal or dismisses.
- A suspension of the whole scope ends a partial suspension in force (the register's reinstatement
  reactivates every suspended item, so only one suspension is ever lifted). A withdrawal or
  cancellation ends every sanction still in force, and settles their open withdrawal proposals.
- Public notices: suspension, restoration, withdrawal and scope reduction. A warning is not
  published. A cancellation is not announced either: it is the body's own choice, there is no
  notice kind for it, and the directory shows the accreditation as cancelled.

A refused move raises a ``DomainError`` before anything is written, or rolls back everything it
wrote: the register's status, scope issues, the sanction and its audit events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus, ScopeItemStatus
from accreditation.models import Accreditation, ScopeItem
from accreditation.notifications import secretariat_users
from accreditation.services import accreditations as register
from accreditation.services.guards import require_transition
from accreditation.services.scopes import scope_publish_with_item_statuses
from core.audit import audit_record
from core.dates import add_months
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.notifications import notify
from core.notifications import register as register_message
from core.roles import is_secretariat
from surveillance.choices import (
    KINDS_WITH_LISTED_REASON,
    SANCTION_TRANSITIONS,
    SUSPENDING_KINDS,
    WITHDRAWAL_PROPOSAL_TRANSITIONS,
    NoticeKind,
    SanctionKind,
    SanctionStatus,
    WithdrawalProposalStatus,
)
from surveillance.models import Complaint, Sanction, SanctionReason, WithdrawalProposal
from surveillance.services_notices import bilingual, notice_publish

_K = SanctionKind
_A = AccreditationStatus

#: The accreditation statuses a sanction applies to: held accreditations.
HELD = frozenset({_A.ACCREDITED, _A.SUSPENDED, _A.PARTIALLY_SUSPENDED})
#: Kinds that end the accreditation.
ENDING_KINDS = frozenset({_K.WITHDRAWAL, _K.CANCELLATION})
#: Kinds that act on chosen scope items.
ITEM_KINDS = frozenset({_K.PARTIAL_SUSPENSION, _K.SCOPE_REDUCTION})
#: The notice each kind publishes (none for a warning or a cancellation, see the module docstring).
NOTICE_OF_KIND = {
    _K.SUSPENSION: NoticeKind.SUSPENSION,
    _K.PARTIAL_SUSPENSION: NoticeKind.SUSPENSION,
    _K.VOLUNTARY_SUSPENSION: NoticeKind.SUSPENSION,
    _K.SCOPE_REDUCTION: NoticeKind.SCOPE_REDUCTION,
    _K.WITHDRAWAL: NoticeKind.WITHDRAWAL,
}

register_message(
    "withdrawal_proposal.opened",
    subject=_("Suspension past its maximum: {number}"),
    body=_(
        "The suspension of accreditation {number} ({cab}) could last until {until}. "
        "Withdraw the accreditation or dismiss the proposal with a reason."
    ),
)


# --- helpers ---------------------------------------------------------------------------------------------


def reason_label(reason: SanctionReason | None) -> str:
    """The reason in the active language (Chinese unless English is asked for)."""
    if reason is None:
        return ""
    from django.utils.translation import get_language

    return reason.label_en if (get_language() or "").startswith("en") and reason.label_en else reason.label_zh


def _require_secretariat(actor: User | None) -> User:
    """A sanction names the staff member who decided it, so a job (``None``) cannot decide one."""
    if actor is None or not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat may decide or lift sanctions."))
    return actor


def _register_reason(kind: str, reason: SanctionReason | None, details: str) -> str:
    """What the register's audit trail records as the reason of its move (Chinese: the record's language)."""
    label = reason.label_zh if reason is not None else str(SanctionKind(kind).label)
    return f"{label}: {details}"[:1000]


def _not_held(accreditation: Accreditation) -> StateConflict:
    return StateConflict(
        "accreditation_not_held",
        _("Accreditation {number} is {status}; a sanction applies only to an accreditation that is held.").format(
            number=accreditation, status=accreditation.get_status_display()
        ),
        detail={"status": accreditation.status},
    )


def _current_items(accreditation: Accreditation, items: Sequence[ScopeItem]) -> list[ScopeItem]:
    """The chosen items, each checked to be in the accreditation's current published scope."""
    current = accreditation.current_scope
    chosen_ids = {item.pk for item in items}
    found = list(current.items.filter(pk__in=chosen_ids).order_by("position", "pk")) if current else []
    if len(found) != len(chosen_ids):
        raise DomainError(
            "items_not_in_current_scope",
            _("Choose items of the current scope issue of accreditation {number}.").format(number=accreditation),
            detail={"scope_items": sorted(chosen_ids - {item.pk for item in found})},
        )
    return found


def _check_items(kind: str, accreditation: Accreditation, scope_items: Sequence[ScopeItem]) -> list[ScopeItem]:
    if kind not in ITEM_KINDS:
        if scope_items:
            raise DomainError(
                "items_not_expected",
                _("Only a partial suspension or a scope reduction concerns chosen scope items."),
            )
        return []
    if not scope_items:
        message = (
            _("Choose the scope items to suspend.")
            if kind == _K.PARTIAL_SUSPENSION
            else _("Choose the scope items to withdraw from the scope.")
        )
        raise DomainError("no_items", message, detail={"scope_items": [str(message)]})
    items = _current_items(accreditation, scope_items)
    if kind == _K.PARTIAL_SUSPENSION:
        not_active = [item.pk for item in items if item.status != ScopeItemStatus.ACTIVE]
        if not_active:
            raise StateConflict(
                "items_not_active",
                _("Only active scope items can be suspended."),
                detail={"scope_items": not_active},
            )
    else:
        withdrawn = [item.pk for item in items if item.status == ScopeItemStatus.WITHDRAWN]
        if withdrawn:
            raise StateConflict(
                "items_already_withdrawn",
                _("Some chosen items are already withdrawn from the scope."),
                detail={"scope_items": withdrawn},
            )
        current = accreditation.current_scope
        assert current is not None  # _current_items found the items there
        remaining = current.items.exclude(status=ScopeItemStatus.WITHDRAWN).exclude(pk__in=[i.pk for i in items])
        if not remaining.exists():
            raise DomainError(
                "reduction_removes_everything",
                _("A reduction cannot withdraw every item of the scope; withdraw the accreditation instead."),
            )
    return items


def _check_status(kind: str, accreditation: Accreditation) -> None:
    """Refuse, with a sentence about this case, what the register would refuse with a generic one."""
    if accreditation.status not in HELD:
        raise _not_held(accreditation)
    if kind in (_K.SUSPENSION, _K.VOLUNTARY_SUSPENSION) and accreditation.status == _A.SUSPENDED:
        raise StateConflict(
            "already_suspended",
            _("Accreditation {number} is already suspended.").format(number=accreditation),
            detail={"status": accreditation.status},
        )
    if kind == _K.PARTIAL_SUSPENSION and accreditation.status != _A.ACCREDITED:
        raise StateConflict(
            "already_suspended",
            _(
                "Accreditation {number} is {status}: lift that suspension, or suspend the whole scope, "
                "before suspending part of it."
            ).format(number=accreditation, status=accreditation.get_status_display()),
            detail={"status": accreditation.status},
        )


def _end(sanction: Sanction, actor: User, by: Sanction) -> None:
    require_transition(SANCTION_TRANSITIONS, sanction.status, SanctionStatus.ENDED, SanctionStatus)
    sanction.status = SanctionStatus.ENDED
    sanction.save(update_fields=["status"])
    audit_record(
        instance=sanction,
        event_type="sanction.ended",
        actor=actor,
        reason=str(by.get_kind_display()),
        old_values={"status": SanctionStatus.IN_FORCE},
        new_values={"status": SanctionStatus.ENDED, "ended_by": by.pk},
        cab_id=sanction.accreditation.cab_id,
    )
    proposal = (
        WithdrawalProposal.objects.select_for_update()
        .filter(sanction=sanction, status=WithdrawalProposalStatus.OPEN)
        .first()
    )
    if proposal is not None:
        # The proposal is settled by what happened: a withdrawal carries it out, a cancellation makes it moot.
        target = WithdrawalProposalStatus.WITHDRAWN if by.kind == _K.WITHDRAWAL else WithdrawalProposalStatus.DISMISSED
        _settle(
            proposal, target, actor, str(_("Settled by a later sanction: {kind}.").format(kind=by.get_kind_display()))
        )


def _end_sanctions_in_force(
    accreditation: Accreditation, actor: User, by: Sanction, kinds: frozenset[str] | None
) -> None:
    in_force = (
        Sanction.objects.select_for_update()
        .filter(accreditation=accreditation, status=SanctionStatus.IN_FORCE)
        .exclude(pk=by.pk)
    )
    if kinds is not None:
        in_force = in_force.filter(kind__in=kinds)
    for sanction in in_force.select_related("accreditation"):
        _end(sanction, actor, by)


# --- notices ------------------------------------------------------------------------------------------


_TITLES: dict[str, Any] = {
    _K.SUSPENSION: _("{cab}: accreditation {number} suspended"),
    _K.VOLUNTARY_SUSPENSION: _("{cab}: accreditation {number} suspended at the body's request"),
    _K.PARTIAL_SUSPENSION: _("{cab}: part of the scope of accreditation {number} suspended"),
    _K.SCOPE_REDUCTION: _("{cab}: scope of accreditation {number} reduced"),
    _K.WITHDRAWAL: _("{cab}: accreditation {number} withdrawn"),
}
_BODIES: dict[str, Any] = {
    _K.SUSPENSION: _(
        "Accreditation {number} ({programme}) of {cab} is suspended from {date}. Reason: {reason}. "
        "While suspended, the body may not claim accreditation or issue accredited reports or certificates."
    ),
    _K.VOLUNTARY_SUSPENSION: _(
        "At its own request, accreditation {number} ({programme}) of {cab} is suspended from {date}. "
        "While suspended, the body may not claim accreditation or issue accredited reports or certificates."
    ),
    _K.PARTIAL_SUSPENSION: _(
        "From {date}, these items of the scope of accreditation {number} ({programme}) of {cab} are suspended: "
        "{items}. Reason: {reason}."
    ),
    _K.SCOPE_REDUCTION: _(
        "From {date}, these items are withdrawn from the scope of accreditation {number} ({programme}) of {cab}: "
        "{items}. Reason: {reason}."
    ),
    _K.WITHDRAWAL: _("Accreditation {number} ({programme}) of {cab} is withdrawn from {date}. Reason: {reason}."),
}


def _notice_params(sanction: Sanction, items: Sequence[ScopeItem], day: dt.date) -> dict[str, Any]:
    accreditation = sanction.accreditation
    return {
        "cab": accreditation.cab.name,
        "number": accreditation.number or "",
        "programme": accreditation.programme.name,
        "date": day.isoformat(),
        "reason": reason_label(sanction.reason) or str(sanction.get_kind_display()),
        "items": "; ".join(str(item) for item in items),
    }


def _publish_sanction_notice(sanction: Sanction, items: Sequence[ScopeItem]) -> None:
    notice_kind = NOTICE_OF_KIND.get(SanctionKind(sanction.kind))
    if notice_kind is None:
        return
    title, body = _TITLES[sanction.kind], _BODIES[sanction.kind]
    title_zh, title_en = bilingual(lambda: str(title).format(**_notice_params(sanction, items, sanction.effective_on)))
    body_zh, body_en = bilingual(lambda: str(body).format(**_notice_params(sanction, items, sanction.effective_on)))
    notice_publish(
        kind=notice_kind,
        cab=sanction.accreditation.cab,
        accreditation=sanction.accreditation,
        sanction=sanction,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        effective_on=sanction.effective_on,
        actor=sanction.decided_by,
    )


def _publish_restoration_notice(sanction: Sanction, day: dt.date) -> None:
    def title() -> str:
        return str(_("{cab}: accreditation {number} restored")).format(**_notice_params(sanction, [], day))

    def body() -> str:
        return str(
            _(
                "After verified rectification, the suspension of accreditation {number} ({programme}) of {cab} "
                "is lifted from {date}."
            )
        ).format(**_notice_params(sanction, [], day))

    title_zh, title_en = bilingual(title)
    body_zh, body_en = bilingual(body)
    notice_publish(
        kind=NoticeKind.RESTORATION,
        cab=sanction.accreditation.cab,
        accreditation=sanction.accreditation,
        sanction=sanction,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        effective_on=day,
        actor=sanction.lifted_by,
    )


# --- deciding ---------------------------------------------------------------------------------------------


@transaction.atomic
def sanction_decide(
    *,
    accreditation: Accreditation,
    kind: str,
    reason: SanctionReason | None,
    details: str,
    actor: User | None,
    scope_items: Sequence[ScopeItem] = (),
    complaint: Complaint | None = None,
    effective_on: dt.date | None = None,
) -> Sanction:
    """Decide a sanction of ``kind`` on ``accreditation`` and carry out its effect on the register."""
    actor = _require_secretariat(actor)
    if kind not in SanctionKind.values:
        raise DomainError("invalid_kind", _("Unknown kind of sanction."), detail={"kind": kind})
    kind = SanctionKind(kind)
    details = (details or "").strip()
    problems: dict[str, list[str]] = {}
    if kind in KINDS_WITH_LISTED_REASON and reason is None:
        problems["reason"] = [str(_("Choose the reason from the list."))]
    if not details:
        problems["details"] = [str(_("Describe the facts behind the sanction."))]
    if problems:
        code = "reason_required" if "reason" in problems else "details_required"
        message = problems.get("reason", problems.get("details", [""]))[0]
        raise DomainError(code, message, detail=problems)
    if reason is not None:
        reason = SanctionReason.objects.get(pk=reason.pk)
        if not reason.is_active:
            raise DomainError(
                "reason_retired",
                _("The reason “{reason}” is no longer offered; choose a current one.").format(
                    reason=reason_label(reason)
                ),
                detail={"reason": reason.code},
            )
    today = timezone.localdate()
    effective_on = effective_on or today
    if effective_on > today:
        raise DomainError(
            "effective_in_future",
            _("A sanction takes effect when it is decided or earlier, not in the future."),
            detail={"effective_on": [str(_("The date cannot be in the future."))]},
        )

    accreditation = (
        Accreditation.objects.select_for_update().select_related("cab", "programme").get(pk=accreditation.pk)
    )
    if complaint is not None and complaint.cab_id not in (None, accreditation.cab_id):
        raise DomainError(
            "complaint_about_another_body",
            _("The complaint named is about another body."),
            detail={"complaint": complaint.tracking_number},
        )
    _check_status(kind, accreditation)
    items = _check_items(kind, accreditation, scope_items)
    register_reason = _register_reason(kind, reason, details)

    sanction = Sanction.objects.create(
        accreditation=accreditation,
        kind=kind,
        reason=reason,
        details=details,
        complaint=complaint,
        decided_by=actor,
        effective_on=effective_on,
        suspended_until=(
            add_months(effective_on, accreditation.programme.max_suspension_months)
            if kind in SUSPENDING_KINDS
            else None
        ),
    )
    if items:
        sanction.scope_items.set(items)
    # Terminal or superseding sanctions end what they replace before the register moves.
    # A warning, a reduction, a withdrawal and a cancellation stay "in force" as the record of what applies;
    # only a suspension is ever lifted.
    if kind in ENDING_KINDS:
        _end_sanctions_in_force(accreditation, actor, sanction, kinds=None)
    elif kind in (_K.SUSPENSION, _K.VOLUNTARY_SUSPENSION):
        _end_sanctions_in_force(accreditation, actor, sanction, kinds=frozenset({_K.PARTIAL_SUSPENSION}))

    if kind in (_K.SUSPENSION, _K.VOLUNTARY_SUSPENSION):
        register.accreditation_suspend(accreditation=accreditation, actor=actor, reason=register_reason)
    elif kind == _K.PARTIAL_SUSPENSION:
        register.accreditation_partially_suspend(
            accreditation=accreditation,
            actor=actor,
            reason=register_reason,
            item_keys=[str(item.key) for item in items],
        )
    elif kind == _K.SCOPE_REDUCTION:
        scope_publish_with_item_statuses(
            accreditation=accreditation,
            actor=actor,
            statuses={str(item.key): ScopeItemStatus.WITHDRAWN for item in items},
            reason=register_reason,
        )
    elif kind == _K.WITHDRAWAL:
        register.accreditation_withdraw(accreditation=accreditation, actor=actor, reason=register_reason)
    elif kind == _K.CANCELLATION:
        register.accreditation_cancel(accreditation=accreditation, actor=actor, reason=register_reason)

    audit_record(
        instance=sanction,
        event_type="sanction.decided",
        actor=actor,
        reason=details,
        new_values={
            "kind": kind,
            "status": sanction.status,
            "accreditation": accreditation.number,
            "reason": reason.code if reason else None,
            "effective_on": effective_on,
            "suspended_until": sanction.suspended_until,
            "scope_items": [str(item.key) for item in items],
            "complaint": complaint.tracking_number if complaint else None,
        },
        cab_id=accreditation.cab_id,
    )
    _publish_sanction_notice(sanction, items)
    return sanction


# --- lifting ----------------------------------------------------------------------------------------------


@transaction.atomic
def sanction_lift(*, sanction: Sanction, actor: User | None, verification: str) -> Sanction:
    """Lift a suspension after its rectification was verified: the accreditation (or the items) back in force."""
    actor = _require_secretariat(actor)
    verification = (verification or "").strip()
    if not verification:
        raise DomainError(
            "verification_required",
            _("Say how the rectification was verified."),
            detail={"verification": [str(_("Say how the rectification was verified."))]},
        )
    sanction = (
        Sanction.objects.select_for_update()
        .select_related("accreditation__cab", "accreditation__programme")
        .get(pk=sanction.pk)
    )
    if sanction.kind not in SUSPENDING_KINDS:
        raise StateConflict(
            "not_liftable",
            _("A {kind} cannot be lifted; only a suspension is lifted after rectification.").format(
                kind=sanction.get_kind_display()
            ),
            detail={"kind": sanction.kind},
        )
    if sanction.status != SanctionStatus.IN_FORCE:
        raise StateConflict(
            "sanction_not_in_force",
            _("This sanction is {status}; only a suspension in force can be lifted.").format(
                status=sanction.get_status_display()
            ),
            detail={"status": sanction.status},
        )
    require_transition(SANCTION_TRANSITIONS, sanction.status, SanctionStatus.LIFTED, SanctionStatus)
    accreditation = sanction.accreditation
    register.accreditation_reinstate(accreditation=accreditation, actor=actor, reason=f"{verification}"[:1000])
    now = timezone.now()
    sanction.status = SanctionStatus.LIFTED
    sanction.lifted_by, sanction.lifted_at, sanction.lift_reason = actor, now, verification
    sanction.save(update_fields=["status", "lifted_by", "lifted_at", "lift_reason"])
    audit_record(
        instance=sanction,
        event_type="sanction.lifted",
        actor=actor,
        reason=verification,
        old_values={"status": SanctionStatus.IN_FORCE},
        new_values={"status": SanctionStatus.LIFTED},
        cab_id=accreditation.cab_id,
    )
    proposal = (
        WithdrawalProposal.objects.select_for_update()
        .filter(sanction=sanction, status=WithdrawalProposalStatus.OPEN)
        .first()
    )
    if proposal is not None:
        _settle(proposal, WithdrawalProposalStatus.DISMISSED, actor, str(_("The suspension was lifted.")))
    _publish_restoration_notice(sanction, timezone.localdate(now))
    return sanction


# --- withdrawal proposals ---------------------------------------------------------------------------------


def _settle(proposal: WithdrawalProposal, target: str, actor: User | None, reason: str) -> WithdrawalProposal:
    require_transition(WITHDRAWAL_PROPOSAL_TRANSITIONS, proposal.status, target, WithdrawalProposalStatus)
    old = proposal.status
    proposal.status = target
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor, timezone.now(), reason
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        instance=proposal,
        event_type="withdrawal_proposal.withdrawn"
        if target == WithdrawalProposalStatus.WITHDRAWN
        else "withdrawal_proposal.dismissed",
        actor=actor,
        reason=reason,
        old_values={"status": old},
        new_values={"status": target},
        cab_id=Sanction.objects.filter(pk=proposal.sanction_id).values_list("accreditation__cab_id", flat=True).get(),
    )
    return proposal


@transaction.atomic
def withdrawal_proposal_open(*, sanction: Sanction, day: dt.date) -> WithdrawalProposal | None:
    """The watchdog's move: a proposal for a suspension in force past ``suspended_until``.

    ``None`` when it is not due, or already has one.
    """
    sanction = Sanction.objects.select_for_update().select_related("accreditation__cab").get(pk=sanction.pk)
    due = (
        sanction.status == SanctionStatus.IN_FORCE
        and sanction.kind in SUSPENDING_KINDS
        and sanction.suspended_until is not None
        and sanction.suspended_until < day
    )
    if not due or WithdrawalProposal.objects.filter(sanction=sanction).exists():
        return None
    proposal = WithdrawalProposal.objects.create(sanction=sanction, proposed_on=day)
    accreditation = sanction.accreditation
    audit_record(
        instance=proposal,
        event_type="withdrawal_proposal.opened",
        actor=None,
        actor_label="suspension_watchdog",
        new_values={
            "sanction": sanction.pk,
            "accreditation": accreditation.number,
            "suspended_until": sanction.suspended_until,
            "proposed_on": day,
        },
        cab_id=accreditation.cab_id,
    )
    notify(
        recipients=secretariat_users(),
        kind="withdrawal_proposal.opened",
        params={
            "number": accreditation.number or "",
            "cab": accreditation.cab.name_zh,
            "until": f"{sanction.suspended_until:%Y-%m-%d}",
        },
        link=reverse("surveillance:withdrawal_proposal_list"),
    )
    return proposal


def _locked_open_proposal(proposal: WithdrawalProposal) -> WithdrawalProposal:
    proposal = WithdrawalProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != WithdrawalProposalStatus.OPEN:
        raise StateConflict(
            "proposal_settled",
            _("This proposal is already settled: {status}.").format(status=proposal.get_status_display()),
            detail={"status": proposal.status},
        )
    return proposal


@transaction.atomic
def withdrawal_proposal_withdraw(
    *, proposal: WithdrawalProposal, actor: User | None, reason: SanctionReason | None, details: str
) -> Sanction:
    """Carry out the proposal: the accreditation is withdrawn (a withdrawal sanction), the proposal closed."""
    actor = _require_secretariat(actor)
    proposal = _locked_open_proposal(proposal)
    accreditation = Accreditation.objects.get(pk=proposal.sanction.accreditation_id)
    # The withdrawal ends the suspension and settles this proposal as withdrawn (``_end``).
    withdrawal = sanction_decide(
        accreditation=accreditation, kind=SanctionKind.WITHDRAWAL, reason=reason, details=details, actor=actor
    )
    proposal.refresh_from_db()
    if proposal.status == WithdrawalProposalStatus.OPEN:  # the suspension was no longer in force
        _settle(proposal, WithdrawalProposalStatus.WITHDRAWN, actor, details)
    return withdrawal


@transaction.atomic
def withdrawal_proposal_dismiss(*, proposal: WithdrawalProposal, actor: User | None, reason: str) -> WithdrawalProposal:
    """Keep the suspension (e.g. rectification nearly verified); the reason is recorded."""
    actor = _require_secretariat(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            _("Give the reason for not withdrawing."),
            detail={"reason": [str(_("Give the reason for not withdrawing."))]},
        )
    proposal = _locked_open_proposal(proposal)
    return _settle(proposal, WithdrawalProposalStatus.DISMISSED, actor, reason)
