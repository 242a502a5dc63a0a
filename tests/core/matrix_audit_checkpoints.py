"""Permission-matrix entries of the audit trail's signed checkpoints: public, for anyone to keep."""

from __future__ import annotations

from core.audit_checkpoints import audit_checkpoint_sign
from tests.matrix import OK, Case, World, api, everyone


def build(world: World) -> None:
    # The world's own changes are recorded; their head is the checkpoint every persona sees.
    audit_checkpoint_sign()


ENTRIES: dict[str, list[Case]] = {
    "audit_checkpoints": [Case(everyone(OK))],
    "audit_checkpoints_json": [Case(everyone(OK))],
    "core_api:public-audit-checkpoint-list": [api(everyone(OK))],
}
