"""Writing, sealing and verifying the hash-chained audit trail.

Every service that changes state calls ``audit_record`` inside its own transaction, so the
change and its record commit or roll back together. Jobs pass ``actor=None`` with a label.

**Append, then seal.** ``audit_record`` only inserts the event's content; it takes no lock and
reads nothing, so writing an event can never make a service wait for another one, or deadlock
with it. Its ``sequence``, ``prev_hash`` and ``hash`` stay empty until the transaction commits:
then ``seal_pending_events`` (run by ``transaction.on_commit``, once per transaction) numbers the
committed, unsealed events in ``id`` order after the chain's head and hashes each with the hash of
the one before it, in a short transaction of its own that holds the chain's advisory lock
(PostgreSQL) and no other lock. The chain's order is therefore the order events were sealed in,
and ``id`` the order they were written in. A process that dies between its commit and its seal
leaves events unsealed for a while: beat seals them within a minute (``core.tasks``), and
``manage.py verify_audit_trail`` seals before it verifies.
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
# Any constant works; it names the advisory lock that serialises sealing on PostgreSQL.
_CHAIN_LOCK_KEY = 2_017_011
#: Events sealed per transaction of ``seal_pending_events``.
SEAL_BATCH = 1000
# The connection attribute naming this transaction's sealing hook (see ``_seal_after_commit``).
_SEAL_HOOK = "_audit_seal_hook"


def _jsonable(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Values as they will read back from the JSON column (dates and decimals as strings)."""
    return json.loads(json.dumps(dict(values or {}), default=str, ensure_ascii=False))


def canonical_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "sequence": event.sequence,
        "occurred_at": canonical_time(event.occurred_at),
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
    """Append one event for ``instance``; it joins the chain when the transaction commits.

    The returned event is not sealed yet: its ``sequence`` is None and its hashes are empty.
    """
    event = AuditEvent(
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
    )
    event.save()
    _seal_after_commit()
    return event


def _seal_after_commit() -> None:
    """Have this transaction seal its events when it commits: one hook per transaction, not per event.

    The hook registered last is remembered with its place in the connection's list of commit hooks.
    While it is still there (same place, same entry), this transaction will run it. After a commit or
    a rollback the list starts afresh, and a rolled-back savepoint rebuilds it, so a new hook is
    registered: at worst twice in one transaction, which is harmless (sealing is idempotent).
    """
    conn = transaction.get_connection()
    hooks = conn.run_on_commit
    remembered = getattr(conn, _SEAL_HOOK, None)
    if remembered is not None:
        index, entry = remembered
        if index < len(hooks) and hooks[index] is entry:
            return
    # ``robust``: the change is committed whatever happens here; a seal that fails is logged and
    # left to the next one (beat's, every minute).
    transaction.on_commit(seal_pending_events, robust=True)
    setattr(conn, _SEAL_HOOK, (len(hooks) - 1, hooks[-1]))


def seal_pending_events(*, batch_size: int = SEAL_BATCH) -> int:
    """Seal every committed, unsealed event into the chain, in ``id`` order; how many were sealed.

    Idempotent, and one cheap query when nothing waits. Call it outside any transaction (after
    commit, from a task or a command): each batch is a short transaction of its own that holds the
    chain's advisory lock and the rows it seals, and nothing else, so it waits for no other
    transaction's locks while it holds the chain.
    """
    if not AuditEvent.objects.filter(sequence__isnull=True).exists():
        return 0
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
            # Read after the lock: the head and the unsealed rows as the previous sealer left them.
            head = (
                AuditEvent.objects.filter(sequence__isnull=False)
                .order_by("-sequence")
                .values_list("sequence", "hash")
                .first()
            )
            sequence, prev_hash = (head[0] or 0, head[1]) if head else (0, GENESIS_HASH)
            batch = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("id")[:batch_size])
            seals: list[tuple[int, str, str, int]] = []
            for event in batch:
                sequence += 1
                event.sequence, event.prev_hash = sequence, prev_hash
                event.hash = prev_hash = compute_hash(event)
                seals.append((event.sequence, event.prev_hash, event.hash, event.pk))
            _write_seals(seals)
        sealed += len(batch)
        if len(batch) < batch_size:
            return sealed


def _write_seals(seals: list[tuple[int, str, str, int]]) -> None:
    """The one write the trail allows besides inserting: an unsealed row's three chain columns.

    Plain SQL, because the model and its queryset refuse every change. On PostgreSQL the trigger
    lets this through only for a row not sealed yet whose content stays as it was.
    """
    if not seals:
        return
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per batch.
            rows = ", ".join(["(%s::bigint, %s, %s, %s::bigint)"] * len(seals))
            cursor.execute(
                f"UPDATE {table} AS e SET sequence = v.sequence, prev_hash = v.prev_hash, hash = v.hash "  # noqa: S608 - our own table name
                f"FROM (VALUES {rows}) AS v(sequence, prev_hash, hash, id) WHERE e.id = v.id AND e.sequence IS NULL",
                [value for seal in seals for value in seal],
            )
            written = cursor.rowcount
        else:
            written = 0
            for seal in seals:
                cursor.execute(
                    f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s "  # noqa: S608 - our own table name
                    "WHERE id = %s AND sequence IS NULL",
                    list(seal),
                )
                written += cursor.rowcount
    if written != len(seals):
        # Under the chain's lock nobody else seals: a row deleted or sealed meanwhile is tampering.
        raise RuntimeError(f"{len(seals) - written} of {len(seals)} audit events could not be sealed.")


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    message: str


@dataclass(frozen=True)
class ChainReport:
    #: Sealed events checked.
    checked: int
    head_sequence: int
    head_hash: str
    problems: list[ChainProblem]
    #: Events written but not sealed into the chain yet (not a problem: see the module docstring).
    pending: int

    @property
    def ok(self) -> bool:
        return not self.problems


def _iter_events(*, after_sequence: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(sequence__gt=after_sequence).order_by("sequence").iterator(chunk_size=5000)


def verify_chain(*, after: tuple[int, str] | None = None) -> ChainReport:
    """Walk the sealed chain and report every row that does not fit; count the rows not sealed yet.

    ``after``: ``(sequence, hash)`` of an event already trusted (a signed checkpoint's); only the
    events after it are walked, and the first of them must link to it.
    """
    problems: list[ChainProblem] = []
    expected_sequence, previous_hash = (after[0] + 1, after[1]) if after else (1, GENESIS_HASH)
    checked = 0
    for event in _iter_events(after_sequence=after[0] if after else 0):
        assert event.sequence is not None  # the query asks for sealed rows only
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
    pending = AuditEvent.objects.filter(sequence__isnull=True).count()
    return ChainReport(
        checked=checked,
        head_sequence=expected_sequence - 1,
        head_hash=previous_hash,
        problems=problems,
        pending=pending,
    )
