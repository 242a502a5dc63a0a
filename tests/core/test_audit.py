"""The audit trail: one event per change, written by the service in its transaction, chained after commit.

Personas (tests/conftest.py): Alice of the secretariat, Erin an assessor, Carol admin of ``cab``.
These tests run inside a transaction that never commits, so the after-commit seal never runs by
itself: they call ``seal_pending_events`` where the real commit would have, or capture the
after-commit hooks. Rows are tampered with "behind the ORM's back": plain SQL, and on PostgreSQL
with the append-only trigger bypassed the way only a database superuser can.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from accreditation.models import Accreditation, Cab, CabMembership, ScopeVersion
from accreditation.services import accreditations, cabs, members, scopes
from core.audit import GENESIS_HASH, ChainProblem, audit_record, compute_hash, seal_pending_events, verify_chain
from core.errors import DomainError
from core.models import AuditEvent, User
from core.tasks import seal_audit_trail
from tests.accreditation.factories import programme
from tests.accreditation.service_assertions import nothing_changes

pytestmark = pytest.mark.smoke


def behind_the_orms_back(sql: str, params: list[Any]) -> None:
    """Run ``sql`` as someone with database access would, bypassing the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def three_events(secretariat: User, cab: Cab) -> list[AuditEvent]:
    """Alice renames ``cab``, moves it and closes it: events 1, 2 and 3 of the trail, sealed."""
    cabs.cab_update(cab=cab, actor=secretariat, reason="更名", name_en="Beijing Precise Testing Technology Co., Ltd.")
    cabs.cab_update(cab=cab, actor=secretariat, reason="迁址", address_zh="北京市海淀区学院路30号")
    cabs.cab_close(cab=cab, actor=secretariat, reason="机构注销")
    assert seal_pending_events() == 3
    return list(AuditEvent.objects.order_by("sequence"))


def _seal_hooks(callbacks: list[Callable[[], Any]]) -> int:
    return sum(callback is seal_pending_events for callback in callbacks)


# --- writing and sealing ------------------------------------------------------------------------


def test_an_event_is_written_unsealed_and_sealed_when_its_transaction_commits(
    secretariat: User, cab: Cab, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        written = audit_record(instance=cab, event_type="test.sealed", actor=secretariat, reason="测试")
        unsealed = AuditEvent.objects.get(pk=written.pk)

    assert (written.sequence, written.prev_hash, written.hash) == (None, "", "")
    assert (unsealed.sequence, unsealed.prev_hash, unsealed.hash) == (None, "", "")
    assert _seal_hooks(callbacks) == 1
    sealed = AuditEvent.objects.get(pk=written.pk)
    assert (sealed.sequence, sealed.prev_hash, sealed.hash) == (1, GENESIS_HASH, compute_hash(sealed))
    assert (sealed.event_type, sealed.actor_id, sealed.reason) == ("test.sealed", secretariat.pk, "测试")


def test_the_first_event_links_to_the_genesis_hash_and_each_next_one_to_the_one_before(
    three_events: list[AuditEvent],
) -> None:
    assert [e.sequence for e in three_events] == [1, 2, 3]
    assert [e.reason for e in three_events] == ["更名", "迁址", "机构注销"]
    assert [e.prev_hash for e in three_events] == [GENESIS_HASH, three_events[0].hash, three_events[1].hash]
    assert all(e.hash == compute_hash(e) for e in three_events)
    assert len({e.hash for e in three_events}) == 3


def test_sealing_again_seals_nothing_and_later_events_continue_the_chain(
    three_events: list[AuditEvent], secretariat: User, cab: Cab
) -> None:
    assert seal_pending_events() == 0

    cabs.cab_reopen(cab=cab, actor=secretariat, reason="恢复经营")
    assert seal_pending_events() == 1

    fourth = AuditEvent.objects.get(sequence=4)
    assert (fourth.event_type, fourth.prev_hash) == ("cab.reopened", three_events[2].hash)
    assert verify_chain().ok


def test_sealing_in_batches_numbers_every_event_in_the_order_written(cab: Cab) -> None:
    written = [audit_record(instance=cab, event_type=f"test.batch{i}", actor=None) for i in range(7)]

    assert seal_pending_events(batch_size=3) == 7

    sealed = list(AuditEvent.objects.order_by("sequence").values_list("pk", "sequence"))
    assert sealed == [(event.pk, number) for number, event in enumerate(written, start=1)]
    report = verify_chain()
    assert (report.ok, report.checked, report.head_sequence, report.pending) == (True, 7, 7, 0)


def test_one_transaction_writing_many_events_registers_one_seal(
    cab: Cab, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for i in range(50):
            audit_record(instance=cab, event_type=f"test.bulk{i}", actor=None)

    assert _seal_hooks(callbacks) == 1


def test_a_seal_registered_in_a_rolled_back_savepoint_is_registered_again_by_the_next_event(
    cab: Cab, django_capture_on_commit_callbacks: Any
) -> None:
    class Refused(Exception):
        pass

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with pytest.raises(Refused), transaction.atomic():
            audit_record(instance=cab, event_type="test.rolled_back", actor=None)
            raise Refused
        audit_record(instance=cab, event_type="test.kept", actor=None)

    assert _seal_hooks(callbacks) == 1
    assert list(AuditEvent.objects.values_list("event_type", flat=True)) == ["test.kept"]


def test_the_beat_task_seals_what_no_commit_sealed(cab: Cab) -> None:
    audit_record(instance=cab, event_type="test.orphan", actor=None)
    audit_record(instance=cab, event_type="test.orphan", actor=None)

    assert seal_audit_trail() == 2
    assert seal_audit_trail() == 0
    entry: dict[str, Any] = settings.CELERY_BEAT_SCHEDULE["audit-seal"]
    assert (entry["task"], entry["schedule"].minute, entry["options"]["expires"]) == (
        "core.tasks.seal_audit_trail",
        set(range(60)),
        50,
    )
    assert verify_chain().checked == 2


def test_values_are_stored_as_they_read_back_so_the_hash_still_matches(cab: Cab) -> None:
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")

    written = audit_record(
        instance=cab,
        event_type="test.values",
        actor=None,
        old_values={"granted_on": dt.date(2024, 2, 29), "fee": decimal.Decimal("1.50")},
        new_values={"key": key, "names": ["酸价", "过氧化值"], "count": 2, "none": None},
        cab_id=cab.pk,
    )

    assert seal_pending_events() == 1
    stored = AuditEvent.objects.get(pk=written.pk)
    assert stored.old_values == {"granted_on": "2024-02-29", "fee": "1.50"}
    assert stored.new_values == {"key": str(key), "names": ["酸价", "过氧化值"], "count": 2, "none": None}
    assert compute_hash(stored) == stored.hash
    assert verify_chain().ok


def test_a_job_is_recorded_as_the_system_unless_it_names_itself(cab: Cab) -> None:
    anonymous = audit_record(instance=cab, event_type="test.job", actor=None)
    named = audit_record(instance=cab, event_type="test.job", actor=None, actor_label="job:expire_accreditations")

    assert (anonymous.actor_id, anonymous.actor_label) == (None, "system")
    assert (named.actor_id, named.actor_label) == (None, "job:expire_accreditations")
    assert (anonymous.aggregate_type, anonymous.aggregate_id, anonymous.cab_id) == (
        "accreditation.cab",
        str(cab.pk),
        None,
    )


def test_a_refused_service_leaves_no_event_and_no_gap_in_the_chain(
    secretariat: User, accreditation: Accreditation
) -> None:
    with pytest.raises(DomainError):
        # Writes the status change and three scope events, then fails on the unknown item.
        accreditations.accreditation_partially_suspend(
            accreditation=accreditation, actor=secretariat, reason="设备失效", item_keys=[str(uuid.uuid4())]
        )
    accreditations.accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")
    seal_pending_events()

    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", "event_type")) == [
        (1, "accreditation.opened"),
        (2, "scope.draft_started"),
        (3, "scope.item_added"),
        (4, "scope.published"),
        (5, "accreditation.granted"),
        (6, "accreditation.suspended"),
    ]
    assert verify_chain().ok


# --- one event per service ----------------------------------------------------------------------


def _calls(alice: User, erin: User, cab: Cab, accreditation: Accreditation) -> list[tuple[str, str, Callable[[], Any]]]:
    """(event type, reason, the call) for every service that writes exactly one event."""
    scope = accreditation.current_scope
    assert scope is not None
    holder: dict[str, Any] = {}

    def draft() -> ScopeVersion:
        holder["draft"] = scopes.scope_draft_start(accreditation=accreditation, actor=alice, note="扩项")
        return holder["draft"]

    def add_item() -> Any:
        holder["item"] = scopes.scope_item_add(
            version=holder["draft"],
            actor=alice,
            attributes={"field": "食品", "subject": "食品", "parameter": "铅", "method": "GB 5009.12-2023"},
        )
        return holder["item"]

    def add_site() -> Any:
        holder["site"] = cabs.cab_site_add(
            cab=cab, actor=alice, reason="新增场所", name="分部", address="北京", province="11"
        )
        return holder["site"]

    def add_contact() -> Any:
        holder["contact"] = cabs.cab_contact_add(
            cab=cab, actor=alice, reason="新增联系人", name="王芳", role="质量负责人"
        )
        return holder["contact"]

    return [
        ("cab.updated", "更名", lambda: cabs.cab_update(cab=cab, actor=alice, reason="更名", name_en="New name")),
        ("cab.site_added", "新增场所", add_site),
        (
            "cab.site_removed",
            "场所撤销",
            lambda: cabs.cab_site_remove(site=holder["site"], actor=alice, reason="场所撤销"),
        ),
        ("cab.contact_added", "新增联系人", add_contact),
        (
            "cab.contact_updated",
            "换号",
            lambda: cabs.cab_contact_update(contact=holder["contact"], actor=alice, reason="换号", phone="010-1"),
        ),
        (
            "cab.contact_removed",
            "离职",
            lambda: cabs.cab_contact_remove(contact=holder["contact"], actor=alice, reason="离职"),
        ),
        (
            "cab.member_removed",
            "离职",
            lambda: members.cab_member_remove(
                membership=CabMembership.objects.get(user__username="chen"), actor=alice, reason="离职"
            ),
        ),
        ("cab.access_granted", "评审", lambda: members.cab_grant_view(cab=cab, user=erin, actor=alice, reason="评审")),
        ("cab.access_revoked", "结束", lambda: members.cab_revoke_view(cab=cab, user=erin, actor=alice, reason="结束")),
        ("scope.draft_started", "", draft),
        ("scope.item_added", "", add_item),
        (
            "scope.item_status_changed",
            "设备失效",
            lambda: scopes.scope_item_set_status(
                item=holder["item"], actor=alice, status="suspended", reason="设备失效"
            ),
        ),
        ("scope.item_removed", "", lambda: scopes.scope_item_remove(item=holder["item"], actor=alice)),
        ("scope.draft_discarded", "", lambda: scopes.scope_version_discard(version=holder["draft"], actor=alice)),
        (
            "accreditation.suspended",
            "超范围使用认可标识",
            lambda: accreditations.accreditation_suspend(
                accreditation=accreditation, actor=alice, reason="超范围使用认可标识"
            ),
        ),
        (
            "accreditation.reinstated",
            "整改有效",
            lambda: accreditations.accreditation_reinstate(accreditation=accreditation, actor=alice, reason="整改有效"),
        ),
        (
            "accreditation.withdrawn",
            "撤销",
            lambda: accreditations.accreditation_withdraw(accreditation=accreditation, actor=alice, reason="撤销"),
        ),
        (
            "accreditation.opened",
            "再次申请",
            lambda: accreditations.accreditation_open(
                cab=cab, programme=programme("CL"), actor=alice, reason="再次申请"
            ),
        ),
        ("cab.closed", "注销", lambda: cabs.cab_close(cab=cab, actor=alice, reason="注销")),
    ]


def test_every_service_writes_one_event_naming_its_actor_reason_values_and_cab(
    secretariat: User, assessor: User, cab: Cab, cab_admin: User, cab_user: User, accreditation: Accreditation
) -> None:
    for event_type, reason, call in _calls(secretariat, assessor, cab, accreditation):
        last_before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        call()
        written = list(AuditEvent.objects.filter(id__gt=last_before).order_by("id"))

        assert [(e.event_type, e.actor_id, e.actor_label, e.reason, e.cab_id) for e in written] == [
            (event_type, secretariat.pk, "alice", reason, cab.pk)
        ], event_type
        assert written[0].old_values or written[0].new_values, event_type

    seal_pending_events()
    assert verify_chain().ok


# --- verifying ----------------------------------------------------------------------------------


def test_an_intact_chain_verifies(three_events: list[AuditEvent]) -> None:
    report = verify_chain()

    assert (report.ok, report.checked, report.head_sequence, report.head_hash, report.problems, report.pending) == (
        True,
        3,
        3,
        three_events[2].hash,
        [],
        0,
    )


def test_an_empty_trail_verifies_with_the_genesis_head(db: None) -> None:
    report = verify_chain()

    assert (report.ok, report.checked, report.head_sequence, report.head_hash, report.pending) == (
        True,
        0,
        0,
        GENESIS_HASH,
        0,
    )


def test_events_not_sealed_yet_are_counted_as_pending_not_as_problems(
    three_events: list[AuditEvent], secretariat: User, cab: Cab
) -> None:
    cabs.cab_reopen(cab=cab, actor=secretariat, reason="恢复经营")
    cabs.cab_update(cab=cab, actor=secretariat, reason="更名", name_en="Precise")

    report = verify_chain()

    assert (report.ok, report.checked, report.head_sequence, report.head_hash, report.pending) == (
        True,
        3,
        3,
        three_events[2].hash,
        2,
    )


def test_a_row_edited_behind_the_orms_back_is_found(three_events: list[AuditEvent]) -> None:
    behind_the_orms_back("UPDATE core_auditevent SET reason = %s WHERE sequence = %s", ["改名（已篡改）", 2])

    assert verify_chain().problems == [ChainProblem(2, "its content was changed after it was written")]


def test_a_row_edited_with_its_own_hash_recomputed_breaks_the_link_to_the_next(
    three_events: list[AuditEvent],
) -> None:
    forged = AuditEvent.objects.get(sequence=2)
    forged.reason = "篡改"
    behind_the_orms_back(
        "UPDATE core_auditevent SET reason = %s, hash = %s WHERE sequence = %s", ["篡改", compute_hash(forged), 2]
    )

    assert verify_chain().problems == [ChainProblem(3, "does not link to the row before it")]


def test_a_row_deleted_in_the_middle_is_found(three_events: list[AuditEvent]) -> None:
    behind_the_orms_back("DELETE FROM core_auditevent WHERE sequence = %s", [2])

    assert verify_chain().problems == [
        ChainProblem(3, "rows 2..2 are missing (deleted)"),
        ChainProblem(3, "does not link to the row before it"),
    ]


def test_the_first_row_deleted_is_found(three_events: list[AuditEvent]) -> None:
    behind_the_orms_back("DELETE FROM core_auditevent WHERE sequence = %s", [1])

    assert verify_chain().problems == [
        ChainProblem(2, "rows 1..1 are missing (deleted)"),
        ChainProblem(2, "does not link to the row before it"),
    ]


# --- the ORM refuses to change the trail --------------------------------------------------------


def test_saving_an_existing_event_again_is_refused(three_events: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(sequence=2)
    event.reason = "篡改"

    with (
        nothing_changes(),
        pytest.raises(TypeError, match=r"^The audit trail is append-only: audit events cannot be changed\.$"),
    ):
        event.save()


def test_deleting_an_event_is_refused(three_events: list[AuditEvent]) -> None:
    with (
        nothing_changes(),
        pytest.raises(TypeError, match=r"^The audit trail is append-only: audit events cannot be deleted\.$"),
    ):
        AuditEvent.objects.get(sequence=2).delete()


def test_updating_events_through_a_queryset_is_refused(three_events: list[AuditEvent]) -> None:
    with nothing_changes():
        with pytest.raises(TypeError, match=r"^The audit trail is append-only: audit events cannot be updated\.$"):
            AuditEvent.objects.filter(sequence=2).update(reason="篡改")
        event = AuditEvent.objects.get(sequence=2)
        event.reason = "篡改"
        with pytest.raises(TypeError, match="cannot be updated"), transaction.atomic():
            AuditEvent.objects.bulk_update([event], ["reason"])


def test_deleting_events_through_a_queryset_is_refused(three_events: list[AuditEvent]) -> None:
    with (
        nothing_changes(),
        pytest.raises(TypeError, match=r"^The audit trail is append-only: audit events cannot be deleted\.$"),
    ):
        AuditEvent.objects.filter(sequence__gte=2).delete()


def test_a_new_instance_with_an_existing_primary_key_cannot_overwrite_an_event(three_events: list[AuditEvent]) -> None:
    original = AuditEvent.objects.get(sequence=2)
    impostor = AuditEvent(
        pk=original.pk,
        sequence=original.sequence,
        occurred_at=original.occurred_at,
        actor_label="forged",
        aggregate_type=original.aggregate_type,
        aggregate_id=original.aggregate_id,
        event_type=original.event_type,
        prev_hash=original.prev_hash,
        hash=original.hash,
    )

    with transaction.atomic(), pytest.raises(TypeError, match="append-only"):
        impostor.save()


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def _refused_by_the_trigger(sql: str, operation: str) -> None:
    with (
        nothing_changes(),
        pytest.raises(DatabaseError, match=f"The audit trail is append-only: {operation} refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


@on_postgresql
@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE core_auditevent SET reason = 'forged' WHERE sequence = 2", "UPDATE"),
        ("UPDATE core_auditevent SET hash = repeat('b', 64) WHERE sequence = 2", "UPDATE"),
        ("UPDATE core_auditevent SET sequence = 7 WHERE sequence = 2", "UPDATE"),
        ("UPDATE core_auditevent SET sequence = NULL, prev_hash = '', hash = '' WHERE sequence = 3", "UPDATE"),
        ("DELETE FROM core_auditevent WHERE sequence = 2", "DELETE"),
    ],
)
def test_postgresql_refuses_plain_sql_that_changes_a_sealed_event(
    three_events: list[AuditEvent], sql: str, operation: str
) -> None:
    _refused_by_the_trigger(sql, operation)

    assert verify_chain().ok


@on_postgresql
@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET reason = 'forged' WHERE sequence IS NULL",
        "UPDATE core_auditevent SET new_values = '{}'::jsonb WHERE sequence IS NULL",
        "UPDATE core_auditevent SET sequence = 4, prev_hash = repeat('a', 64), hash = repeat('b', 64), "
        "actor_label = 'forged' WHERE sequence IS NULL",
        "UPDATE core_auditevent SET sequence = 4, prev_hash = repeat('a', 64), hash = repeat('b', 64), "
        "occurred_at = occurred_at - interval '1 day' WHERE sequence IS NULL",
        "UPDATE core_auditevent SET prev_hash = repeat('a', 64), hash = repeat('b', 64) WHERE sequence IS NULL",
        "UPDATE core_auditevent SET sequence = 4, prev_hash = '', hash = '' WHERE sequence IS NULL",
        "DELETE FROM core_auditevent WHERE sequence IS NULL",
    ],
)
def test_postgresql_refuses_plain_sql_that_changes_an_event_not_sealed_yet(
    three_events: list[AuditEvent], secretariat: User, cab: Cab, sql: str
) -> None:
    cabs.cab_reopen(cab=cab, actor=secretariat, reason="恢复经营")

    _refused_by_the_trigger(sql, sql.split()[0])

    assert seal_pending_events() == 1
    assert AuditEvent.objects.get(sequence=4).reason == "恢复经营"
    assert verify_chain().ok


@on_postgresql
@pytest.mark.postgres
def test_postgresql_lets_the_seal_through_on_an_event_not_sealed_yet(
    three_events: list[AuditEvent], secretariat: User, cab: Cab
) -> None:
    cabs.cab_reopen(cab=cab, actor=secretariat, reason="恢复经营")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET sequence = 4, prev_hash = repeat('a', 64), hash = repeat('b', 64) "
            "WHERE sequence IS NULL"
        )

    sealed = AuditEvent.objects.get(sequence=4)
    assert (sealed.event_type, sealed.reason, sealed.prev_hash, sealed.hash) == (
        "cab.reopened",
        "恢复经营",
        "a" * 64,
        "b" * 64,
    )
