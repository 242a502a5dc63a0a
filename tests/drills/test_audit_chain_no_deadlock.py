"""Drill: writing to the audit trail never makes two transactions deadlock.

Real transactions on PostgreSQL, each in its own thread with its own connection, nothing wrapping
them in a test transaction, so each one's after-commit seal really runs. The classic cycle, forced
step by step: the first transaction writes an event and then wants a row that the second holds;
the second, holding that row, then writes an event. When writing an event took the chain's lock
until commit, the second waited for the first's lock and the first for the second's row, and
PostgreSQL aborted one of them (40P01, a 500 for its user). Events are now written unsealed with
no lock, and sealed after commit by a short transaction holding nothing else: both commit, and
the chain holds both. Then many writers at once: every event ends
sealed, numbered without gaps, and the chain verifies.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections, transaction

from accreditation.models import Cab
from core.audit import audit_record, verify_chain
from core.models import AuditEvent
from tests.accreditation.factories import CabFactory
from tests.drills.harness import ON_POSTGRES, wait_until

pytestmark = ON_POSTGRES

#: How long a step waits for the other thread: a drill that fails must not hang.
STEP = 20


def _in_thread(work: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    """``work`` in a thread of its own (its own connection); its result or error in ``results[name]``."""

    def run() -> None:
        try:
            with connection.cursor() as cursor:
                # A safety net only: a lock never granted fails the drill instead of hanging it.
                cursor.execute("SET lock_timeout = '30s'")
            results[name] = work()
        except Exception as error:
            results[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_a_transaction_that_audits_then_locks_a_row_and_one_that_locks_it_then_audits_both_commit(
    cab: Cab, other_cab: Cab
) -> None:
    contested = CabFactory.create(name_zh="争用的机构")
    first_pid: list[int] = []
    first_appended, second_holds_the_row, first_waits = threading.Event(), threading.Event(), threading.Event()

    def first() -> int:
        with transaction.atomic():
            first_pid.append(_backend_pid())
            event = audit_record(instance=cab, event_type="drill.first", actor=None)
            first_appended.set()
            assert second_holds_the_row.wait(STEP)
            Cab.objects.select_for_update().get(pk=contested.pk)  # waits for the second to commit
        return event.pk

    def second() -> int:
        assert first_appended.wait(STEP)
        with transaction.atomic():
            Cab.objects.select_for_update().get(pk=contested.pk)
            second_holds_the_row.set()
            assert first_waits.wait(STEP)
            event = audit_record(instance=other_cab, event_type="drill.second", actor=None)
        return event.pk

    results: dict[str, Any] = {}
    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    # The first is waiting for the row (so it already holds whatever writing its event took).
    first_is_waiting = lambda: first_pid and _waits_for_a_lock(first_pid[0])  # noqa: E731
    wait_until(first_is_waiting, timeout=STEP, what="the first transaction to wait for the row")
    first_waits.set()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(result, int) for result in results.values()) and len(results) == 2, results
    first_event, second_event = (AuditEvent.objects.get(pk=results[name]) for name in ("first", "second"))
    # Both sealed into the chain (in the order sealed: the second committed first, but whichever
    # seal ran first may have sealed both, in the order written).
    assert first_event.sequence is not None and second_event.sequence is not None
    assert first_event.pk < second_event.pk
    report = verify_chain()
    assert (report.ok, report.pending, report.checked) == (True, 0, AuditEvent.objects.count()), report.problems


def test_many_writers_at_once_leave_every_event_sealed_in_one_unbroken_chain(cab: Cab) -> None:
    writers, transactions = 4, 25
    barrier = threading.Barrier(writers)

    def write(writer: int) -> int:
        barrier.wait(timeout=STEP)
        for number in range(transactions):
            with transaction.atomic():
                audit_record(instance=cab, event_type="drill.many", actor=None, new_values={"n": number})
        return writer

    results: dict[str, Any] = {}
    threads = [_in_thread(functools.partial(write, w), results, f"writer-{w}") for w in range(writers)]
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(results.values()) == list(range(writers)), results
    sealed = list(AuditEvent.objects.filter(event_type="drill.many").values_list("sequence", flat=True))
    assert len(sealed) == writers * transactions
    assert None not in sealed
    sequences = sorted(number for number in sealed if number is not None)
    assert sequences == list(range(sequences[0], sequences[0] + writers * transactions))
    report = verify_chain()
    assert (report.ok, report.pending, report.checked) == (True, 0, AuditEvent.objects.count()), report.problems
