"""Permission-matrix entries of appeals and special supervision (see ``tests/matrix.py``).

Appeals: the CAB's members lodge (from the decision on their CAB's application, built by
``tests/accreditation/matrix_decisions.py``) and withdraw; staff and the CAB read; the secretariat
assigns the panel; the panel (here the decision maker, who took no part) decides. Anyone else
gets 404 on one appeal. Draws: the public reads published ones (a draft is 404); staff read the
risk table and every draw; only the secretariat acts. The POSTs send an empty form, which answers
the form again and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from surveillance.services_appeals import appeal_assign_panel, appeal_lodge
from surveillance.services_draws import draw_publish, draw_run
from tests.matrix import DENY, HIDE, LISTS, OK, STAFF_READ, Case, World, everyone, secretariat_only, signed_in


def build(world: World) -> None:
    secretariat, admin, panel = (world.users[name] for name in ("secretariat", "cab_admin", "decision_maker"))
    assert secretariat is not None and admin is not None and panel is not None
    appeal = appeal_lodge(decision=world.extra["dec_decision"], actor=admin, grounds="评审组未考虑我们的证据。")
    appeal_assign_panel(appeal=appeal, actor=secretariat, panel=[panel])
    published = draw_publish(draw=draw_run(actor=secretariat, body_count=1, random_share=0, seed=1), actor=secretariat)
    draft = draw_run(actor=secretariat, body_count=1, random_share=0, seed=2)
    world.extra.update(appeal=appeal, published_draw=published, draft_draw=draft, drawn_body=published.bodies.get())


appeal = lambda w: {"pk": w.extra["appeal"].pk}  # noqa: E731
decision = lambda w: {"pk": w.extra["dec_decision"].pk}  # noqa: E731
published = lambda w: {"pk": w.extra["published_draw"].pk}  # noqa: E731
draft = lambda w: {"pk": w.extra["draft_draw"].pk}  # noqa: E731
body = lambda w: {"pk": w.extra["drawn_body"].pk}  # noqa: E731

STAFF_LIST = signed_in(DENY, secretariat=OK, decision_maker=OK)
SEES_APPEAL = signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK)
CAB_ONLY = signed_in(HIDE, cab_admin=OK, cab_member=OK)
ASSIGN = signed_in(HIDE, secretariat=OK, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)
DECIDE = signed_in(HIDE, secretariat=DENY, decision_maker=OK, cab_admin=DENY, cab_member=DENY)
WITHDRAW = signed_in(HIDE, secretariat=DENY, decision_maker=DENY, cab_admin=OK, cab_member=OK)


def _both(expect: dict[str, str], kwargs: Callable[[World], dict[str, Any]] = lambda w: {}) -> list[Case]:
    return [Case(expect, kwargs=kwargs), Case(expect, method="post", kwargs=kwargs)]


ENTRIES: dict[str, list[Case]] = {
    "surveillance:appeal_list": [Case(LISTS), Case(LISTS, query=lambda w: {"status": "under_review"})],
    "surveillance:appeal_detail": [Case(SEES_APPEAL, kwargs=appeal)],
    "surveillance:appeal_lodge": _both(CAB_ONLY, decision),
    "surveillance:appeal_assign_panel": _both(ASSIGN, appeal),
    "surveillance:appeal_decide": _both(DECIDE, appeal),
    "surveillance:appeal_withdraw": _both(WITHDRAW, appeal),
    "surveillance:risk_table": [Case(STAFF_LIST)],
    "surveillance:draw_public_list": [Case(everyone(OK))],
    "surveillance:draw_public_detail": [
        Case(everyone(OK), kwargs=published),
        Case(everyone(HIDE), kwargs=draft),
    ],
    "surveillance:draw_list": [Case(STAFF_LIST)],
    "surveillance:draw_detail": [Case(STAFF_READ, kwargs=draft)],
    "surveillance:draw_run": _both(secretariat_only(DENY)),
    "surveillance:draw_publish": _both(secretariat_only(DENY), draft),
    "surveillance:drawn_body_outcome": _both(secretariat_only(DENY), body),
}
