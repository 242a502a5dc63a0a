"""Writing and verifying the hash-chained audit trail.

Every service that changes state calls ``audit_record`` inside its own transaction, so the
change and its record commit or roll back together. Jobs pass ``actor=None`` with a label.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from core.models import AuditEvent, User

GENESIS_HASH = "0" * 64
# Any constant works; it names the advisory lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_KEY = 2_017_011


def _jsonable(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Values as they will read back from the JSON column (dates and decimals as strings)."""
    return json.loads(json.dumps(dict(values or {}), default=str, ensure_ascii=False))


def _canonical_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "sequence": event.sequence,
        "occurred_at": _canonical_time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "cab_id": event.cab_id,
        "event_type": event.event_type,
        "reason": event.reason,
        "old_values": event.old_values,
        "new_values": event.new_values,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def aggregate_type_of(instance: models.Model) -> str:
    return instance._meta.label_lower


@transaction.atomic
def audit_record(
    *,
    instance: models.Model,
    event_type: str,
    actor: User | None,
    actor_label: str = "",
    reason: str = "",
    old_values: Mapping[str, Any] | None = None,
    new_values: Mapping[str, Any] | None = None,
    cab_id: int | None = None,
) -> AuditEvent:
    """Append one event for ``instance`` to the chain."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The transaction's pending foreign-key checks (deferred to commit) run now, before the
            # chain's lock is taken: run at commit, with the lock held, one could wait for a row that
            # another transaction has locked while it waits for this lock, a deadlock
            # (tests/drills/test_concurrent_decisions.py). Later ones are deferred again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    event = AuditEvent(
        sequence=(last["sequence"] + 1) if last else 1,
        occurred_at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "system"),
        aggregate_type=aggregate_type_of(instance),
        aggregate_id=str(instance.pk),
        cab_id=cab_id,
        event_type=event_type,
        reason=reason,
        old_values=_jsonable(old_values),
        new_values=_jsonable(new_values),
        prev_hash=last["hash"] if last else GENESIS_HASH,
    )
    event.hash = compute_hash(event)
    event.save()
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_sequence: int
    head_hash: str
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _iter_events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("sequence").iterator(chunk_size=5000)


def verify_chain() -> ChainReport:
    """Walk the whole chain and report every row that does not fit."""
    problems: list[ChainProblem] = []
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for event in _iter_events():
        checked += 1
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    event.sequence,
                    f"rows {expected_sequence}..{event.sequence - 1} are missing (deleted)"
                    if event.sequence > expected_sequence
                    else f"sequence {event.sequence} is out of order",
                )
            )
        if event.prev_hash != previous_hash:
            problems.append(ChainProblem(event.sequence, "does not link to the row before it"))
        if compute_hash(event) != event.hash:
            problems.append(ChainProblem(event.sequence, "its content was changed after it was written"))
        expected_sequence = event.sequence + 1
        previous_hash = event.hash
    return ChainReport(checked=checked, head_sequence=expected_sequence - 1, head_hash=previous_hash, problems=problems)
