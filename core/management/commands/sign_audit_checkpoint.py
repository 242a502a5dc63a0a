"""Sign the audit chain's head now, as beat does each morning (``core.audit_checkpoints``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.audit_checkpoints import ChainBrokenError, audit_checkpoint_sign


class Command(BaseCommand):
    help = (
        "Seal the pending audit events and sign the chain's head as a public checkpoint "
        "(/audit/checkpoints/), as beat does every morning. Signs nothing when the head is already "
        "signed, and refuses, with the problem, when the events since the last checkpoint do not verify."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = audit_checkpoint_sign()
        except ChainBrokenError as exc:
            raise CommandError(f"Not signed: the audit trail is broken ({exc}).") from exc
        if checkpoint is None:
            self.stdout.write("Nothing to sign: the chain's head is already signed, or no event is recorded yet.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Signed checkpoint {checkpoint.sequence}:{checkpoint.hash} with key {checkpoint.key_id}."
            )
        )
