"""Check that no audit event was edited, inserted or deleted since it was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import signing
from core.audit import seal_pending_events, verify_chain
from core.audit_checkpoints import CheckpointClaim, checkpoint_problems, claims_from_file, stored_claims
from core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Seal the audit events not sealed into the hash chain yet (normally done as each transaction "
        "commits; beat catches any left behind within a minute), then recompute the chain and report "
        "every edited, inserted or deleted row, and check the signed checkpoints of the chain's head "
        "(the database's, or a copy kept elsewhere with --checkpoints). Exits with status 1 when "
        "the chain is broken. Record the printed head; pass it back with --expect-head to detect "
        "deleted rows at the end of the chain as well."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect-head",
            metavar="SEQUENCE:HASH",
            help="A head printed by an earlier run; the chain must still contain it unchanged.",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Only read: verify the sealed chain and count the events not sealed yet, without sealing them.",
        )
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            type=Path,
            help="Signed checkpoints kept outside the database (the JSON download of /audit/checkpoints/, "
            "or a page of /api/public/audit-checkpoints/) to check instead of the database's own.",
        )
        parser.add_argument(
            "--public-key",
            metavar="PEM_FILE",
            type=Path,
            action="append",
            help="A public key that signed checkpoints (repeat for keys used before a change of key); "
            "by default the portal's current key.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("no_seal"):
            sealed = seal_pending_events()
            if sealed:
                self.stdout.write(f"Sealed {sealed} pending event(s) into the chain.")
        report = verify_chain()
        problems = [f"event #{p.sequence}: {p.message}" for p in report.problems]
        expected = options.get("expect_head")
        if expected:
            sequence_text, _, expected_hash = expected.partition(":")
            if not sequence_text.isdigit() or len(expected_hash) != 64:
                raise CommandError("--expect-head takes SEQUENCE:HASH as printed by an earlier run.")
            anchor = AuditEvent.objects.filter(sequence=int(sequence_text)).values_list("hash", flat=True).first()
            if anchor is None:
                problems.append(f"event #{sequence_text} (the expected head) is missing: rows were deleted")
            elif anchor != expected_hash:
                problems.append(f"event #{sequence_text} no longer has the expected hash")
        checkpoints = self._checkpoints(options)
        problems += checkpoint_problems(checkpoints, self._public_keys(options) if checkpoints else [])
        if problems:
            for line in problems:
                self.stderr.write(self.style.ERROR(line))
            # The exception names the first problem too: callers that only see the exception
            # (call_command, a scheduler's failure mail) still learn which event to look at.
            raise CommandError(
                f"The audit trail is broken: {len(problems)} problem(s) in {report.checked} events; "
                f"first: {problems[0]}."
            )
        # Events written but not sealed yet are not part of the chain: counted, not problems.
        pending = f"; {report.pending} pending (not sealed yet)" if report.pending else ""
        signed = f"; {len(checkpoints)} signed checkpoint(s) verified" if checkpoints else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.checked} events; head {report.head_sequence}:{report.head_hash}"
                f"{pending}{signed}"
            )
        )

    def _checkpoints(self, options: dict[str, Any]) -> list[CheckpointClaim]:
        path = options.get("checkpoints")
        if path is None:
            return stored_claims()
        try:
            return claims_from_file(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _public_keys(self, options: dict[str, Any]) -> list[Ed25519PublicKey]:
        paths = options.get("public_key") or []
        if not paths:
            try:
                return [signing.public_key()]
            except ImproperlyConfigured as exc:
                raise CommandError(f"No key to check the checkpoints with: pass --public-key ({exc})") from exc
        keys = []
        for path in paths:
            try:
                keys.append(signing.load_public_key(path.read_text(encoding="ascii")))
            except (OSError, UnicodeDecodeError, ValueError) as exc:
                raise CommandError(f"{path} is not an Ed25519 public key in PEM: {exc}") from exc
        return keys
