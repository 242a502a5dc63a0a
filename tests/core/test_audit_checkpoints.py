"""Signed checkpoints of the audit chain: signed daily, published, and what they catch that the chain cannot.

Alice of the secretariat writes three events. Someone with database access then rewrites history
"behind the ORM's back" (plain SQL, the append-only trigger bypassed): editing one event and
re-hashing every event after it gives a chain that verifies on its own; the signed checkpoint,
from the database or from a copy kept outside, does not.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from accreditation.models import Cab
from accreditation.services.cabs import cab_update
from core import signing
from core.audit import compute_hash, seal_pending_events, verify_chain
from core.audit_checkpoints import (
    ChainBrokenError,
    audit_checkpoint_sign,
    checkpoint_payload,
    claim_of,
)
from core.models import AuditCheckpoint, AuditEvent, User
from core.tasks import sign_audit_checkpoint
from tests.core.test_audit import behind_the_orms_back


@pytest.fixture
def three_events(secretariat: User, cab: Cab) -> list[AuditEvent]:
    cab_update(cab=cab, actor=secretariat, reason="更名", name_en="Beijing Precise Testing Technology Co., Ltd.")
    cab_update(cab=cab, actor=secretariat, reason="迁址", address_zh="北京市海淀区学院路30号")
    cab_update(cab=cab, actor=secretariat, reason="改邮编", postcode="100083")
    assert seal_pending_events() == 3
    return list(AuditEvent.objects.order_by("sequence"))


def rewrite_history(sequence: int, reason: str) -> None:
    """Change event ``sequence``'s reason and re-hash it and every event after it, as a forger would."""
    behind_the_orms_back("UPDATE core_auditevent SET reason = %s WHERE sequence = %s", [reason, sequence])
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        event.prev_hash = previous
        previous = compute_hash(event)
        behind_the_orms_back(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [event.prev_hash, previous, event.pk]
        )


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit_trail", *args, stdout=out, stderr=StringIO(), no_color=True)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit_trail", *args, stdout=StringIO(), stderr=StringIO(), no_color=True)
    return str(raised.value)


# --- Signing -------------------------------------------------------------------------------------


def test_nothing_is_signed_before_the_first_event(db: None) -> None:
    assert audit_checkpoint_sign() is None
    assert not AuditCheckpoint.objects.exists()


def test_the_head_is_signed_with_the_portals_key(three_events: list[AuditEvent]) -> None:
    checkpoint = audit_checkpoint_sign()

    assert checkpoint is not None
    assert (checkpoint.sequence, checkpoint.hash) == (3, three_events[2].hash)
    assert checkpoint.key_id == signing.current_key_id()
    assert signing.verify(claim_of(checkpoint).payload, checkpoint.signature, signing.public_key())


def test_an_unchanged_head_is_not_signed_again_and_a_new_one_is(
    three_events: list[AuditEvent], secretariat: User, cab: Cab
) -> None:
    audit_checkpoint_sign()
    assert audit_checkpoint_sign() is None

    cab_update(cab=cab, actor=secretariat, reason="恢复", postcode="100084")
    newer = audit_checkpoint_sign()

    assert newer is not None and newer.sequence == 4
    assert list(AuditCheckpoint.objects.values_list("sequence", flat=True)) == [4, 3]


def test_events_waiting_to_be_sealed_are_sealed_and_signed(secretariat: User, cab: Cab) -> None:
    cab_update(cab=cab, actor=secretariat, reason="更名", name_en="Beijing Precise Testing")  # never committed here

    checkpoint = audit_checkpoint_sign()

    assert checkpoint is not None and checkpoint.sequence == 1


def test_a_chain_broken_since_the_last_checkpoint_is_not_signed(
    three_events: list[AuditEvent], secretariat: User, cab: Cab
) -> None:
    audit_checkpoint_sign()
    cab_update(cab=cab, actor=secretariat, reason="恢复", postcode="100084")
    seal_pending_events()
    behind_the_orms_back("UPDATE core_auditevent SET reason = %s WHERE sequence = %s", ["篡改", 4])

    with pytest.raises(ChainBrokenError, match=r"^event #4: its content was changed after it was written$"):
        audit_checkpoint_sign()
    assert AuditCheckpoint.objects.count() == 1


def test_a_signed_event_rewritten_stops_the_next_signature(three_events: list[AuditEvent]) -> None:
    audit_checkpoint_sign()
    rewrite_history(2, "篡改")

    with pytest.raises(ChainBrokenError, match=r"^event #3 no longer has the hash signed in the last checkpoint$"):
        audit_checkpoint_sign()


def test_the_daily_task_returns_the_signed_sequence(three_events: list[AuditEvent]) -> None:
    assert sign_audit_checkpoint() == 3
    assert sign_audit_checkpoint() is None


# --- What the checkpoints catch ------------------------------------------------------------------


def test_the_command_checks_the_stored_checkpoints(three_events: list[AuditEvent]) -> None:
    audit_checkpoint_sign()

    assert verify() == f"Audit trail intact: 3 events; head 3:{three_events[2].hash}; 1 signed checkpoint(s) verified\n"


def test_a_rewritten_chain_verifies_alone_but_not_against_its_checkpoint(three_events: list[AuditEvent]) -> None:
    audit_checkpoint_sign()

    rewrite_history(2, "篡改")

    assert verify_chain().ok  # consistent again: the chain alone cannot tell
    signed_at = claim_of(AuditCheckpoint.objects.get()).signed_at
    assert refused().endswith(
        f"first: checkpoint 3 (signed {signed_at}): event #3 no longer has the signed hash (the chain was rewritten)."
    )


def test_a_checkpoint_edited_to_match_the_rewrite_fails_its_signature(three_events: list[AuditEvent]) -> None:
    audit_checkpoint_sign()
    rewrite_history(2, "篡改")
    forged = AuditEvent.objects.get(sequence=3).hash
    AuditCheckpoint.objects.update(hash=forged)

    assert "its signature does not verify (the checkpoint was altered or forged)" in refused()


def test_a_copy_kept_outside_catches_a_rewrite_whose_checkpoints_were_deleted(
    three_events: list[AuditEvent], tmp_path: Path
) -> None:
    audit_checkpoint_sign()
    kept = tmp_path / "audit-checkpoints.json"
    kept.write_bytes(Client().get("/audit/checkpoints.json").content)

    rewrite_history(1, "篡改")
    AuditCheckpoint.objects.all().delete()

    assert verify().startswith("Audit trail intact: 3 events")  # nothing left in the database to tell
    assert "event #3 no longer has the signed hash (the chain was rewritten)" in refused("--checkpoints", str(kept))


def test_a_page_of_the_public_api_is_a_copy_too(three_events: list[AuditEvent], tmp_path: Path) -> None:
    audit_checkpoint_sign()
    kept = tmp_path / "page.json"
    kept.write_bytes(APIClient().get("/api/public/audit-checkpoints/").content)

    assert verify("--checkpoints", str(kept)).endswith("; 1 signed checkpoint(s) verified\n")


def test_checkpoints_signed_with_another_key_are_named(three_events: list[AuditEvent], tmp_path: Path) -> None:
    audit_checkpoint_sign()
    other = tmp_path / "other.pem"
    other.write_text(signing.public_key_pem(Ed25519PrivateKey.generate().public_key()), encoding="ascii")

    message = refused("--public-key", str(other))

    assert f"signed with key {signing.current_key_id()}, not with a key given" in message


def test_the_portals_key_given_as_a_file_checks_them(three_events: list[AuditEvent], tmp_path: Path) -> None:
    audit_checkpoint_sign()
    key = tmp_path / "portal.pem"
    key.write_text(signing.public_key_pem(signing.public_key()), encoding="ascii")

    assert verify("--public-key", str(key)).endswith("; 1 signed checkpoint(s) verified\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", r"is not a readable JSON file"),
        ('{"count": 0}', r"holds no list of checkpoints"),
        ('[{"sequence": 3}]', r"checkpoint 1 lacks a field or has a wrong value"),
    ],
)
def test_an_unreadable_copy_is_refused_with_its_reason(db: None, tmp_path: Path, content: str, message: str) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        verify("--checkpoints", str(kept))


def test_a_key_file_that_is_no_key_is_refused(three_events: list[AuditEvent], tmp_path: Path) -> None:
    audit_checkpoint_sign()
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n", encoding="ascii")

    with pytest.raises(CommandError, match=r"is not an Ed25519 public key in PEM"):
        verify("--public-key", str(bad))


# --- Published -----------------------------------------------------------------------------------


def test_the_public_page_lists_them_newest_first(
    three_events: list[AuditEvent], secretariat: User, cab: Cab, client: Client
) -> None:
    audit_checkpoint_sign()
    cab_update(cab=cab, actor=secretariat, reason="恢复", postcode="100084")
    audit_checkpoint_sign()

    page = client.get("/audit/checkpoints/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert page.index(AuditEvent.objects.get(sequence=4).hash) < page.index(three_events[2].hash)
    assert "Download all checkpoints (JSON)" in page


def test_the_public_page_says_when_none_is_signed_yet(db: None, client: Client) -> None:
    page = client.get("/audit/checkpoints/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "尚未签署检查点" in page


def test_an_outsider_checks_a_checkpoint_with_the_api_alone(three_events: list[AuditEvent]) -> None:
    audit_checkpoint_sign()
    api = APIClient()

    row = api.get("/api/public/audit-checkpoints/").json()["results"][0]
    key = api.get("/api/public/certificate-key/").json()

    assert row["payload"] == checkpoint_payload(sequence=3, hash=three_events[2].hash, signed_at=row["signed_at_utc"])
    assert key["key_id"] == row["key_id"]
    assert signing.verify(row["payload"], row["signature"], key["public_key_pem"])


def test_the_download_is_every_checkpoint_oldest_first(
    three_events: list[AuditEvent], secretariat: User, cab: Cab, client: Client
) -> None:
    audit_checkpoint_sign()
    cab_update(cab=cab, actor=secretariat, reason="恢复", postcode="100084")
    audit_checkpoint_sign()

    response = client.get("/audit/checkpoints.json")

    assert response["Content-Disposition"] == 'attachment; filename="audit-checkpoints.json"'
    assert [row["sequence"] for row in json.loads(response.content)] == [3, 4]


def test_the_command_signs_now_and_says_when_there_is_nothing_to_sign(three_events: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("sign_audit_checkpoint", stdout=out, no_color=True)
    call_command("sign_audit_checkpoint", stdout=out, no_color=True)

    assert out.getvalue() == (
        f"Signed checkpoint 3:{three_events[2].hash} with key {signing.current_key_id()}.\n"
        "Nothing to sign: the chain's head is already signed, or no event is recorded yet.\n"
    )


def test_the_command_refuses_a_broken_chain(three_events: list[AuditEvent]) -> None:
    behind_the_orms_back("UPDATE core_auditevent SET reason = %s WHERE sequence = %s", ["篡改", 2])

    with pytest.raises(CommandError, match=r"^Not signed: the audit trail is broken \(event #2: its content"):
        call_command("sign_audit_checkpoint", stdout=StringIO(), no_color=True)
    assert not AuditCheckpoint.objects.exists()


def test_the_download_gives_the_time_as_the_api_does(three_events: list[AuditEvent], client: Client) -> None:
    audit_checkpoint_sign()

    downloaded = json.loads(client.get("/audit/checkpoints.json").content)[0]
    listed = APIClient().get("/api/public/audit-checkpoints/").json()["results"][0]

    assert downloaded == listed
    assert downloaded["signed_at"].endswith("+08:00")
