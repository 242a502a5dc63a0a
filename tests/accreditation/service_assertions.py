"""What the service tests assert again and again: a refused move changed nothing, and which events a move wrote."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Max, Model

from accreditation.models import (
    Accreditation,
    AccreditationUserObjectPermission,
    Cab,
    CabContact,
    CabInvitation,
    CabMembership,
    CabSite,
    CabUserObjectPermission,
    Programme,
    ScopeItem,
    ScopeVersion,
)
from core.models import AuditEvent, User

_REGISTER: tuple[type[Model], ...] = (
    Programme,
    Cab,
    CabSite,
    CabContact,
    CabMembership,
    CabInvitation,
    Accreditation,
    ScopeVersion,
    ScopeItem,
    User,
    User.groups.through,
    CabUserObjectPermission,
    AccreditationUserObjectPermission,
    AuditEvent,
)


def register_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table a register service writes, as plain values."""
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _REGISTER}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Wrap a refused call: afterwards every register table holds exactly what it held before."""
    before = register_snapshot()
    yield
    after = register_snapshot()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} changed"


def last_event_id() -> int:
    """The id of the newest audit event (ids follow the order events were written in), or 0."""
    return AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0


@contextmanager
def new_events() -> Iterator[list[AuditEvent]]:
    """The audit events written inside the block, oldest first (filled in when the block ends)."""
    start = last_event_id()
    events: list[AuditEvent] = []
    yield events
    events.extend(AuditEvent.objects.filter(id__gt=start).order_by("id"))


def event_summary(event: AuditEvent) -> dict[str, Any]:
    """The fields of an event a test states exactly (not its time or hashes)."""
    return {
        "event_type": event.event_type,
        "actor": event.actor_label,
        "aggregate": f"{event.aggregate_type}:{event.aggregate_id}",
        "cab_id": event.cab_id,
        "reason": event.reason,
        "old_values": event.old_values,
        "new_values": event.new_values,
    }
