"""Permission-matrix entry of the supervision hub (see ``tests/matrix.py``): the body's staff only."""

from __future__ import annotations

from tests.matrix import DENY, OK, Case, signed_in

ENTRIES: dict[str, list[Case]] = {
    "surveillance:hub": [Case(signed_in(DENY, secretariat=OK, decision_maker=OK))],
}
