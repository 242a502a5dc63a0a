"""Moves of an accreditation through its statuses (``ACCREDITATION_TRANSITIONS``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation import hooks
from accreditation.choices import (
    ACCREDITATION_TRANSITIONS,
    LIVE_ACCREDITATION_STATUSES,
    AccreditationStatus,
    ScopeItemStatus,
    ScopeVersionStatus,
)
from accreditation.models import Accreditation, Cab, Programme
from accreditation.services.guards import require_secretariat, require_transition
from accreditation.services.scopes import scope_publish_with_item_statuses
from core.audit import audit_record
from core.dates import add_months
from core.errors import DomainError, StateConflict
from core.models import User

_PLACEHOLDER = re.compile(r"\{n(?::[^}]*)?\}")


def number_matches_pattern(programme: Programme, number: str) -> bool:
    """Whether ``number`` could have been made by the programme's pattern, e.g. CNAS L{n:04d}."""
    pieces = _PLACEHOLDER.split(programme.number_pattern)
    regex = r"\d+".join(re.escape(piece) for piece in pieces)
    return re.fullmatch(regex, number) is not None


def _notify_status_changed(accreditation: Accreditation, old_status: str, actor: User | None) -> None:
    accreditation_id, new_status, actor_id = accreditation.pk, accreditation.status, actor.pk if actor else None
    transaction.on_commit(
        lambda: hooks.accreditation_status_changed.send(
            sender=Accreditation,
            accreditation_id=accreditation_id,
            old_status=old_status,
            new_status=new_status,
            actor_id=actor_id,
        )
    )


@transaction.atomic
def accreditation_open(*, cab: Cab, programme: Programme, actor: User | None, reason: str = "") -> Accreditation:
    """Register a CAB as an applicant under a programme."""
    require_secretariat(actor)
    if Accreditation.objects.filter(cab=cab, programme=programme, status__in=LIVE_ACCREDITATION_STATUSES).exists():
        raise StateConflict(
            "accreditation_exists",
            _("{cab} already holds or applies for an accreditation under {programme}.").format(
                cab=cab.name, programme=programme.name
            ),
        )
    accreditation = Accreditation.objects.create(cab=cab, programme=programme)
    audit_record(
        instance=accreditation,
        event_type="accreditation.opened",
        actor=actor,
        reason=reason,
        new_values={"programme": programme.code, "status": accreditation.status},
        cab_id=cab.pk,
    )
    return accreditation


def _next_number(programme: Programme) -> str:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    n = programme.next_number
    number = programme.format_number(n)
    # Numbers registered by hand (legacy bodies) may already use the next slot: skip them.
    while Accreditation.objects.filter(number=number).exists():
        n += 1
        number = programme.format_number(n)
    programme.next_number = n + 1
    programme.save(update_fields=["next_number"])
    return number


def _checked_number(programme: Programme, number: str) -> str:
    number = " ".join(number.split())
    if not number_matches_pattern(programme, number):
        raise DomainError(
            "number_pattern_mismatch",
            _("{number} does not follow the programme's numbering {pattern}.").format(
                number=number, pattern=programme.number_pattern
            ),
        )
    if Accreditation.objects.filter(number=number).exists():
        raise DomainError(
            "duplicate_accreditation_number",
            _("The accreditation number {number} is already in use.").format(number=number),
            detail={"number": number},
        )
    return number


@transaction.atomic
def accreditation_grant(
    *,
    accreditation: Accreditation,
    actor: User | None,
    granted_on: dt.date | None = None,
    number: str | None = None,
    reason: str = "",
) -> Accreditation:
    """First grant: give the accreditation its number and its first cycle.

    ``number`` is for bodies accredited before the portal existed; otherwise it is generated.
    """
    require_secretariat(actor)
    accreditation = Accreditation.objects.select_for_update().select_related("programme").get(pk=accreditation.pk)
    require_transition(
        ACCREDITATION_TRANSITIONS, accreditation.status, AccreditationStatus.ACCREDITED, AccreditationStatus
    )
    if accreditation.status != AccreditationStatus.APPLICANT:
        raise StateConflict("already_granted", _("This accreditation was granted already."))
    programme = accreditation.programme
    accreditation.number = _checked_number(programme, number) if number else _next_number(programme)
    granted_on = granted_on or timezone.localdate()
    old_status = accreditation.status
    accreditation.status = AccreditationStatus.ACCREDITED
    accreditation.granted_on = granted_on
    accreditation.cycle_start = granted_on
    accreditation.cycle_end = cycle_end_for(programme, granted_on)
    accreditation.status_changed_at = timezone.now()
    try:
        with transaction.atomic():
            accreditation.save(
                update_fields=["number", "status", "granted_on", "cycle_start", "cycle_end", "status_changed_at"]
            )
    except IntegrityError as exc:  # two grants racing for the same hand-given number
        raise DomainError(
            "duplicate_accreditation_number",
            _("The accreditation number {number} is already in use.").format(number=accreditation.number),
        ) from exc
    audit_record(
        instance=accreditation,
        event_type="accreditation.granted",
        actor=actor,
        reason=reason,
        old_values={"status": old_status},
        new_values={
            "status": accreditation.status,
            "number": accreditation.number,
            "cycle_start": accreditation.cycle_start,
            "cycle_end": accreditation.cycle_end,
        },
        cab_id=accreditation.cab_id,
    )
    _notify_status_changed(accreditation, old_status, actor)
    return accreditation


def cycle_end_for(programme: Programme, start: dt.date) -> dt.date:
    """The last day of a cycle that starts on ``start``: the programme's certificate validity."""
    return add_months(start, programme.certificate_validity_months) - dt.timedelta(days=1)


@transaction.atomic
def accreditation_renew_cycle(
    *, accreditation: Accreditation, actor: User | None, renewed_on: dt.date | None = None, reason: str = ""
) -> Accreditation:
    """Start a new cycle after a reassessment: from ``renewed_on`` for the programme's validity."""
    require_secretariat(actor)
    accreditation = Accreditation.objects.select_for_update().select_related("programme").get(pk=accreditation.pk)
    if accreditation.status not in LIVE_ACCREDITATION_STATUSES or accreditation.status == AccreditationStatus.APPLICANT:
        raise StateConflict(
            "not_accredited",
            _("The accreditation is {status}; only a held accreditation is renewed.").format(
                status=accreditation.get_status_display()
            ),
            detail={"status": accreditation.status},
        )
    renewed_on = renewed_on or timezone.localdate()
    old = {"cycle_start": accreditation.cycle_start, "cycle_end": accreditation.cycle_end}
    accreditation.cycle_start = renewed_on
    accreditation.cycle_end = cycle_end_for(accreditation.programme, renewed_on)
    accreditation.save(update_fields=["cycle_start", "cycle_end"])
    audit_record(
        instance=accreditation,
        event_type="accreditation.cycle_renewed",
        actor=actor,
        reason=reason,
        old_values=old,
        new_values={"cycle_start": accreditation.cycle_start, "cycle_end": accreditation.cycle_end},
        cab_id=accreditation.cab_id,
    )
    return accreditation


def _move(
    *,
    accreditation: Accreditation,
    actor: User | None,
    target: AccreditationStatus,
    reason: str,
    event_type: str,
    from_statuses: frozenset[str] | None = None,
) -> Accreditation:
    require_secretariat(actor)
    if not reason.strip():
        raise DomainError("reason_required", _("Give a reason for this change."))
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if from_statuses is not None and accreditation.status not in from_statuses:
        raise StateConflict(
            "illegal_status_change",
            _("The status cannot change from “{old}” to “{new}”.").format(
                old=accreditation.get_status_display(), new=target.label
            ),
            detail={"from": accreditation.status, "to": target, "allowed_from": sorted(from_statuses)},
        )
    require_transition(ACCREDITATION_TRANSITIONS, accreditation.status, target, AccreditationStatus)
    old_status = accreditation.status
    accreditation.status = target
    accreditation.status_changed_at = timezone.now()
    accreditation.save(update_fields=["status", "status_changed_at"])
    audit_record(
        instance=accreditation,
        event_type=event_type,
        actor=actor,
        reason=reason,
        old_values={"status": old_status},
        new_values={"status": target},
        cab_id=accreditation.cab_id,
    )
    _notify_status_changed(accreditation, old_status, actor)
    return accreditation


@transaction.atomic
def accreditation_suspend(*, accreditation: Accreditation, actor: User | None, reason: str) -> Accreditation:
    return _move(
        accreditation=accreditation,
        actor=actor,
        target=AccreditationStatus.SUSPENDED,
        reason=reason,
        event_type="accreditation.suspended",
    )


@transaction.atomic
def accreditation_partially_suspend(
    *, accreditation: Accreditation, actor: User | None, reason: str, item_keys: Sequence[str]
) -> Accreditation:
    """Suspend some items of the current scope: a new issue is published with them suspended."""
    # Permission first, so that someone who may not suspend learns nothing else about the request.
    require_secretariat(actor)
    if not item_keys:
        raise DomainError("no_items", _("Choose the scope items to suspend."))
    moved = _move(
        accreditation=accreditation,
        actor=actor,
        target=AccreditationStatus.PARTIALLY_SUSPENDED,
        reason=reason,
        event_type="accreditation.partially_suspended",
    )
    scope_publish_with_item_statuses(
        accreditation=moved,
        actor=actor,
        statuses=dict.fromkeys(item_keys, ScopeItemStatus.SUSPENDED),
        reason=reason,
    )
    return moved


@transaction.atomic
def accreditation_reinstate(*, accreditation: Accreditation, actor: User | None, reason: str) -> Accreditation:
    """Lift a suspension; items suspended in the current scope become active in a new issue."""
    moved = _move(
        accreditation=accreditation,
        actor=actor,
        target=AccreditationStatus.ACCREDITED,
        reason=reason,
        event_type="accreditation.reinstated",
        from_statuses=frozenset({AccreditationStatus.SUSPENDED, AccreditationStatus.PARTIALLY_SUSPENDED}),
    )
    current = moved.scope_versions.filter(status=ScopeVersionStatus.PUBLISHED).first()
    if current is not None:
        suspended = [
            str(key) for key in current.items.filter(status=ScopeItemStatus.SUSPENDED).values_list("key", flat=True)
        ]
        if suspended:
            scope_publish_with_item_statuses(
                accreditation=moved,
                actor=actor,
                statuses=dict.fromkeys(suspended, ScopeItemStatus.ACTIVE),
                reason=reason,
            )
    return moved


@transaction.atomic
def accreditation_withdraw(*, accreditation: Accreditation, actor: User | None, reason: str) -> Accreditation:
    return _move(
        accreditation=accreditation,
        actor=actor,
        target=AccreditationStatus.WITHDRAWN,
        reason=reason,
        event_type="accreditation.withdrawn",
    )


@transaction.atomic
def accreditation_cancel(*, accreditation: Accreditation, actor: User | None, reason: str) -> Accreditation:
    """The CAB gives up its accreditation (注销), or an applicant's case is closed."""
    return _move(
        accreditation=accreditation,
        actor=actor,
        target=AccreditationStatus.CANCELLED,
        reason=reason,
        event_type="accreditation.cancelled",
    )


@transaction.atomic
def accreditation_expire(*, accreditation: Accreditation, actor: User | None, reason: str) -> Accreditation:
    return _move(
        accreditation=accreditation,
        actor=actor,
        target=AccreditationStatus.EXPIRED,
        reason=reason,
        event_type="accreditation.expired",
    )


#: The moves staff can ask for by target status (pages and the API's ``transition`` action).
MOVES_BY_TARGET = {
    AccreditationStatus.SUSPENDED: accreditation_suspend,
    AccreditationStatus.ACCREDITED: accreditation_reinstate,
    AccreditationStatus.WITHDRAWN: accreditation_withdraw,
    AccreditationStatus.CANCELLED: accreditation_cancel,
    AccreditationStatus.EXPIRED: accreditation_expire,
}
