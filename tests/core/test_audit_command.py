"""``manage.py verify_audit_trail``: it seals what waits, passes an intact trail, names the event tampered with.

Alice of the secretariat writes three events, sealed as after their commits (the test's
transaction never commits); rows are then changed "behind the ORM's back" (plain SQL; on
PostgreSQL with the append-only trigger bypassed, as only a superuser can).
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accreditation.models import Cab
from accreditation.services.cabs import cab_close, cab_update
from core.audit import GENESIS_HASH, seal_pending_events
from core.models import AuditEvent, User
from tests.core.test_audit import behind_the_orms_back

pytestmark = pytest.mark.smoke


@pytest.fixture
def head(secretariat: User, cab: Cab) -> str:
    """Three sealed events by Alice; the head as the command prints it (``3:<hash>``)."""
    cab_update(cab=cab, actor=secretariat, reason="更名", name_en="Beijing Precise Testing Technology Co., Ltd.")
    cab_update(cab=cab, actor=secretariat, reason="迁址", address_zh="北京市海淀区学院路30号")
    cab_close(cab=cab, actor=secretariat, reason="机构注销")
    assert seal_pending_events() == 3
    return f"3:{AuditEvent.objects.get(sequence=3).hash}"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("verify_audit_trail", *args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> tuple[str, str]:
    """The CommandError's message and what the command wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit_trail", *args, stdout=StringIO(), stderr=err, no_color=True)
    assert raised.value.returncode == 1
    return str(raised.value), err.getvalue()


def test_an_intact_trail_passes_and_prints_its_head(head: str) -> None:
    assert run() == (f"Audit trail intact: 3 events; head {head}\n", "")


def test_an_empty_trail_passes(db: None) -> None:
    assert run() == (f"Audit trail intact: 0 events; head 0:{GENESIS_HASH}\n", "")


def test_events_not_sealed_yet_are_sealed_first(secretariat: User, cab: Cab) -> None:
    cab_update(cab=cab, actor=secretariat, reason="更名", name_en="Beijing Precise Testing Technology Co., Ltd.")
    cab_close(cab=cab, actor=secretariat, reason="机构注销")

    out, err = run()

    head = f"2:{AuditEvent.objects.get(sequence=2).hash}"
    assert (out, err) == (
        f"Sealed 2 pending event(s) into the chain.\nAudit trail intact: 2 events; head {head}\n",
        "",
    )
    assert not AuditEvent.objects.filter(sequence__isnull=True).exists()


def test_with_no_seal_events_not_sealed_yet_are_only_counted(head: str, secretariat: User, cab: Cab) -> None:
    cab_update(cab=cab, actor=secretariat, reason="恢复", postcode="100083")

    assert run("--no-seal") == (f"Audit trail intact: 3 events; head {head}; 1 pending (not sealed yet)\n", "")
    assert AuditEvent.objects.filter(sequence__isnull=True).count() == 1


def test_the_printed_head_passed_back_still_passes(head: str) -> None:
    assert run("--expect-head", head)[0] == f"Audit trail intact: 3 events; head {head}\n"


def test_a_row_edited_behind_the_orms_back_fails_naming_the_event(head: str) -> None:
    behind_the_orms_back("UPDATE core_auditevent SET reason = %s WHERE sequence = %s", ["篡改", 2])

    assert refused() == (
        "The audit trail is broken: 1 problem(s) in 3 events; "
        "first: event #2: its content was changed after it was written.",
        "event #2: its content was changed after it was written\n",
    )


def test_changed_old_values_are_found_as_well(head: str) -> None:
    behind_the_orms_back(
        "UPDATE core_auditevent SET old_values = %s WHERE sequence = %s", ['{"address_zh": "上海市"}', 2]
    )

    message, _ = refused()

    assert message.endswith("first: event #2: its content was changed after it was written.")


def test_a_row_deleted_in_the_middle_fails_naming_the_gap(head: str) -> None:
    behind_the_orms_back("DELETE FROM core_auditevent WHERE sequence = %s", [2])

    assert refused() == (
        "The audit trail is broken: 2 problem(s) in 2 events; first: event #3: rows 2..2 are missing (deleted).",
        "event #3: rows 2..2 are missing (deleted)\nevent #3: does not link to the row before it\n",
    )


def test_a_deleted_last_row_is_only_found_with_the_expected_head(head: str) -> None:
    behind_the_orms_back("DELETE FROM core_auditevent WHERE sequence = %s", [3])

    passes_without_the_head = run()[0]

    assert passes_without_the_head.startswith("Audit trail intact: 2 events; head 2:")
    assert refused("--expect-head", head) == (
        "The audit trail is broken: 1 problem(s) in 2 events; "
        "first: event #3 (the expected head) is missing: rows were deleted.",
        "event #3 (the expected head) is missing: rows were deleted\n",
    )


def test_a_last_row_deleted_and_written_again_no_longer_matches_the_expected_head(
    head: str, secretariat: User, cab: Cab
) -> None:
    behind_the_orms_back("DELETE FROM core_auditevent WHERE sequence = %s", [3])
    cab_update(cab=cab, actor=secretariat, reason="重新写入", postcode="100083")  # sealed as sequence 3 again

    assert refused("--expect-head", head) == (
        "The audit trail is broken: 1 problem(s) in 3 events; first: event #3 no longer has the expected hash.",
        "event #3 no longer has the expected hash\n",
    )


@pytest.mark.parametrize("value", ["3", "three:abc", f"3:{'0' * 63}", ":"])
def test_a_malformed_expected_head_is_refused(head: str, value: str) -> None:
    with pytest.raises(CommandError, match=r"^--expect-head takes SEQUENCE:HASH as printed by an earlier run\.$"):
        run("--expect-head", value)
