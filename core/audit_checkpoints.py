"""Signed checkpoints of the audit chain: its head, signed daily and published for anyone to keep.

The hash chain (``core.audit``) shows that no sealed event was edited, removed or slipped in
between others, as long as the chain itself is trusted. Somebody able to write to the database,
though, could rebuild the whole chain from the first changed event on, and it would verify. Each
day beat signs the chain's head (its last event's sequence and hash) with the portal's Ed25519
key (``core.signing``, the key that signs accreditation certificates) and the public page lists
the checkpoints. A copy taken from that page, kept anywhere outside the portal, then proves that
the events up to each checkpoint are still the ones the portal signed: ``manage.py
verify_audit_trail --checkpoints FILE`` checks it, and without the file it checks the ones the
database holds.

A checkpoint is signed only when the events since the previous checkpoint verify, so a chain
broken since then is reported (the job fails with the problem) rather than signed.

The signed data is the canonical JSON (``core.signing.canonical_json``) of
``{"kind": "portal-audit-checkpoint", "sequence": …, "hash": …, "signed_at": …}``, ``signed_at``
in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import signing
from core.audit import canonical_time, seal_pending_events, verify_chain
from core.models import AuditCheckpoint, AuditEvent

CHECKPOINT_KIND = "portal-audit-checkpoint"
# Event hashes looked up per query when checking checkpoints against the chain.
_LOOKUP_CHUNK = 1000


class ChainBrokenError(RuntimeError):
    """The events since the last checkpoint do not verify: the head is not signed."""


@dataclass(frozen=True)
class CheckpointClaim:
    """A checkpoint as the database or a kept copy states it: what its signature must cover."""

    sequence: int
    hash: str
    signed_at: str
    signature: str
    key_id: str

    @property
    def payload(self) -> dict[str, Any]:
        return checkpoint_payload(sequence=self.sequence, hash=self.hash, signed_at=self.signed_at)


def checkpoint_payload(*, sequence: int, hash: str, signed_at: dt.datetime | str) -> dict[str, Any]:
    """The data a checkpoint's signature covers."""
    moment = signed_at if isinstance(signed_at, str) else canonical_time(signed_at)
    return {"kind": CHECKPOINT_KIND, "sequence": sequence, "hash": hash, "signed_at": moment}


def claim_of(checkpoint: AuditCheckpoint) -> CheckpointClaim:
    return CheckpointClaim(
        sequence=checkpoint.sequence,
        hash=checkpoint.hash,
        signed_at=canonical_time(checkpoint.signed_at),
        signature=checkpoint.signature,
        key_id=checkpoint.key_id,
    )


def audit_checkpoint_sign() -> AuditCheckpoint | None:
    """Sign the chain's head; None when nothing is sealed or the newest checkpoint already has it.

    Seals the pending events first and verifies the events since the previous checkpoint; raises
    ``ChainBrokenError`` (and signs nothing) when they do not verify. Two processes signing at once
    sign one checkpoint: the other finds it and returns None.
    """
    seal_pending_events()
    previous = AuditCheckpoint.objects.order_by("-sequence").first()
    after = None
    if previous is not None:
        trusted = AuditEvent.objects.filter(sequence=previous.sequence).values_list("hash", flat=True).first()
        if trusted != previous.hash:
            raise ChainBrokenError(f"event #{previous.sequence} no longer has the hash signed in the last checkpoint")
        after = (previous.sequence, previous.hash)
    report = verify_chain(after=after)
    if not report.ok:
        first = report.problems[0]
        raise ChainBrokenError(f"event #{first.sequence}: {first.message}")
    if report.head_sequence == 0 or (previous is not None and report.head_sequence <= previous.sequence):
        return None
    signed_at = timezone.now()
    signature, key_id = signing.sign(
        checkpoint_payload(sequence=report.head_sequence, hash=report.head_hash, signed_at=signed_at)
    )
    try:
        with transaction.atomic():
            return AuditCheckpoint.objects.create(
                sequence=report.head_sequence,
                hash=report.head_hash,
                signed_at=signed_at,
                signature=signature,
                key_id=key_id,
            )
    except IntegrityError:
        return None  # another process signed this head meanwhile


def checkpoint_problems(claims: Iterable[CheckpointClaim], public_keys: Sequence[Ed25519PublicKey]) -> list[str]:
    """What is wrong with each claimed checkpoint: its signature, or the chain's event it signed."""
    keys = {signing.key_id_of(key): key for key in public_keys}
    claims = list(claims)
    hashes: dict[int, str] = {}
    sequences = sorted({claim.sequence for claim in claims})
    for start in range(0, len(sequences), _LOOKUP_CHUNK):
        chunk = sequences[start : start + _LOOKUP_CHUNK]
        for sequence, event_hash in AuditEvent.objects.filter(sequence__in=chunk).values_list("sequence", "hash"):
            if sequence is not None:
                hashes[sequence] = event_hash
    problems: list[str] = []
    for claim in claims:
        where = f"checkpoint {claim.sequence} (signed {claim.signed_at})"
        key = keys.get(claim.key_id)
        if key is None:
            known = ", ".join(sorted(keys)) or "none"
            problems.append(f"{where}: signed with key {claim.key_id}, not with a key given ({known})")
        elif not signing.verify(claim.payload, claim.signature, key):
            problems.append(f"{where}: its signature does not verify (the checkpoint was altered or forged)")
        found = hashes.get(claim.sequence)
        if found is None:
            problems.append(f"{where}: event #{claim.sequence}, which it signed, is missing from the chain")
        elif found != claim.hash:
            problems.append(f"{where}: event #{claim.sequence} no longer has the signed hash (the chain was rewritten)")
    return problems


def stored_claims() -> list[CheckpointClaim]:
    return [claim_of(checkpoint) for checkpoint in AuditCheckpoint.objects.order_by("sequence").iterator()]


def claims_from_file(path: Path) -> list[CheckpointClaim]:
    """Checkpoints kept as JSON: the public download (a list), or a page of the public API."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a readable JSON file: {exc}") from exc
    rows = data.get("results") if isinstance(data, Mapping) else data
    if not isinstance(rows, list):
        raise ValueError(f"{path} holds no list of checkpoints (a list, or an API page with 'results').")
    claims = []
    for number, row in enumerate(rows, start=1):
        try:
            claims.append(
                CheckpointClaim(
                    sequence=int(row["sequence"]),
                    hash=str(row["hash"]),
                    signed_at=str(row["signed_at_utc"]),
                    signature=str(row["signature"]),
                    key_id=str(row["key_id"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: checkpoint {number} lacks a field or has a wrong value ({exc}).") from exc
    return claims


def checkpoint_as_json(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """One checkpoint as the download and the API give it: enough to check it offline."""
    claim = claim_of(checkpoint)
    return {
        "sequence": claim.sequence,
        "hash": claim.hash,
        "signed_at": timezone.localtime(checkpoint.signed_at).isoformat(),
        "signed_at_utc": claim.signed_at,
        "key_id": claim.key_id,
        "signature": claim.signature,
        "payload": claim.payload,
    }
