"""Permission-matrix entries of the appeals and special-supervision API (see ``tests/matrix.py``).

The objects come from ``matrix_appeals_draws.build``: an appeal of the CAB under review by a panel
of one (the decision maker), a published draw with its body and a draft draw. The moves send valid
data, so the allowed persona's case really runs (and is rolled back by the matrix). A second appeal
on the same decision is refused (409) while the first runs; staff may see the decision but are not
its CAB (403). Anyone who may not see an appeal or a draw gets 404 on it.
"""

from __future__ import annotations

from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, STAFF_READ, Case, api, everyone, signed_in

appeal = lambda w: {"pk": w.extra["appeal"].pk}  # noqa: E731
published = lambda w: {"pk": w.extra["published_draw"].pk}  # noqa: E731
draft = lambda w: {"pk": w.extra["draft_draw"].pk}  # noqa: E731
body = lambda w: {"pk": w.extra["drawn_body"].pk}  # noqa: E731
lodge = lambda w: {"decision": w.extra["dec_decision"].pk, "grounds": "评审组未考虑我们的证据。"}  # noqa: E731
panel = lambda w: {"panel": [w.users["decision_maker"].pk]}  # noqa: E731
decide = lambda w: {"outcome": "dismissed", "reasons": "决定依据充分。"}  # noqa: E731
run = lambda w: {"body_count": 1, "random_share": 0}  # noqa: E731
outcome = lambda w: {"outcome": "现场检查未发现问题。"}  # noqa: E731

STAFF_LIST = signed_in(DENY, secretariat=OK, decision_maker=OK)
LODGE = signed_in(HIDE, secretariat=DENY, decision_maker=DENY, cab_admin=REFUSED, cab_member=REFUSED)
ASSIGN = signed_in(HIDE, secretariat=OK, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)
DECIDE = signed_in(HIDE, secretariat=DENY, decision_maker=OK, cab_admin=DENY, cab_member=DENY)
WITHDRAW = signed_in(HIDE, secretariat=DENY, decision_maker=DENY, cab_admin=OK, cab_member=OK)
SEES_APPEAL = signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK)
# A draw or body the user cannot see is 404; a decision maker sees it but may not act (403).
API_MOVE = signed_in(HIDE, secretariat=OK, decision_maker=DENY)

ENTRIES: dict[str, list[Case]] = {
    "surveillance_api:appeal-list": [
        api(LISTS),
        api(LISTS, query=lambda w: {"status": "under_review"}),
        api(LODGE, method="post", data=lodge),
    ],
    "surveillance_api:appeal-detail": [api(SEES_APPEAL, kwargs=appeal)],
    "surveillance_api:appeal-assign-panel": [api(ASSIGN, method="post", kwargs=appeal, data=panel)],
    "surveillance_api:appeal-decide": [api(DECIDE, method="post", kwargs=appeal, data=decide)],
    "surveillance_api:appeal-withdraw": [api(WITHDRAW, method="post", kwargs=appeal)],
    "surveillance_api:risk-table": [api(STAFF_LIST)],
    "surveillance_api:supervision-draw-list": [
        api(LISTS),
        api(signed_in(DENY, secretariat=OK), method="post", data=run),
    ],
    "surveillance_api:supervision-draw-detail": [api(STAFF_READ, kwargs=draft)],
    "surveillance_api:supervision-draw-publish": [api(API_MOVE, method="post", kwargs=draft)],
    "surveillance_api:drawn-body-outcome": [api(API_MOVE, method="post", kwargs=body, data=outcome)],
    "surveillance_api:public-supervision-draw-list": [api(everyone(OK))],
    "surveillance_api:public-supervision-draw-detail": [
        api(everyone(OK), kwargs=published),
        api(everyone(HIDE), kwargs=draft),
    ],
}
