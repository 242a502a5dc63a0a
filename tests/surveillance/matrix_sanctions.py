"""Permission-matrix entries of the sanction and notice pages and API (see ``tests/matrix.py``).

The notices, the suspended and withdrawn bodies, the dishonesty list and the feeds are public.
Sanctions and withdrawal proposals are the accreditation body's records: its staff read them (404
on one object, 403 on a list for anyone else), only the secretariat acts. The POSTs of the pages
send an empty form, which answers the form again and changes nothing; the API moves send valid
data, so the secretariat's case really runs (and is rolled back by the matrix).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from surveillance.choices import SanctionKind
from surveillance.models import SanctionReason, WithdrawalProposal
from surveillance.services_notices import dishonesty_list
from surveillance.services_sanctions import sanction_decide
from tests.accreditation.factories import CabFactory, programme
from tests.conftest import LAB_ITEM
from tests.matrix import (
    DENY,
    HIDE,
    LISTS,
    OK,
    STAFF_READ,
    Case,
    World,
    api,
    everyone,
    secretariat_only,
    signed_in,
)


def build(world: World) -> None:
    secretariat = world.users["secretariat"]
    assert secretariat is not None
    # A body of its own, so that suspending it leaves the shared world's accreditation as it is.
    cab = CabFactory.create(name_zh="广州暂停检测有限公司", province="44")
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=LAB_ITEM)
    scope_version_publish(version=draft, actor=secretariat)
    accreditation = accreditation_grant(accreditation=accreditation, actor=secretariat)
    suspension = sanction_decide(
        accreditation=accreditation,
        kind=SanctionKind.SUSPENSION,
        reason=SanctionReason.objects.get(code="staff_not_competent"),
        details="人员能力不足。",
        actor=secretariat,
    )
    proposal = WithdrawalProposal.objects.create(sanction=suspension, proposed_on=suspension.effective_on)
    entry = dishonesty_list(cab=cab, reason="出具虚假报告。", actor=secretariat)
    world.extra.update(
        sanctioned=accreditation,
        suspension=suspension,
        proposal=proposal,
        dishonesty_entry=entry,
        notice=suspension.notices.get(),
    )


sanctioned = lambda w: {"pk": w.extra["sanctioned"].pk}  # noqa: E731
suspension = lambda w: {"pk": w.extra["suspension"].pk}  # noqa: E731
proposal = lambda w: {"pk": w.extra["proposal"].pk}  # noqa: E731
entry = lambda w: {"pk": w.extra["dishonesty_entry"].pk}  # noqa: E731
notice = lambda w: {"pk": w.extra["notice"].pk}  # noqa: E731
warning = lambda w: {  # noqa: E731
    "accreditation": w.extra["sanctioned"].pk,
    "kind": "warning",
    "reason": "other",
    "details": "告诫。",
}
verification = lambda w: {"verification": "现场验证整改有效。"}  # noqa: E731
withdraw = lambda w: {"reason": "rectification_overdue", "details": "暂停期满。"}  # noqa: E731
dismiss = lambda w: {"reason": "整改验证即将完成。"}  # noqa: E731

STAFF_LIST = signed_in(DENY, secretariat=OK, decision_maker=OK)
# An object the user cannot see is 404; a decision maker sees it but may not act (403).
API_MOVE = signed_in(HIDE, secretariat=OK, decision_maker=DENY)


def _action(kwargs: Callable[[World], dict[str, Any]] = lambda w: {}) -> list[Case]:
    return [Case(secretariat_only(DENY), kwargs=kwargs), Case(secretariat_only(DENY), method="post", kwargs=kwargs)]


PAGES: dict[str, list[Case]] = {
    # The public.
    "surveillance:notice_list": [Case(everyone(OK)), Case(everyone(OK), query=lambda w: {"kind": "suspension"})],
    "surveillance:notice_detail": [Case(everyone(OK), kwargs=notice), Case(everyone(HIDE), kwargs=lambda w: {"pk": 0})],
    "surveillance:notice_suspended_withdrawn": [Case(everyone(OK))],
    "surveillance:dishonesty_list": [Case(everyone(OK))],
    "surveillance:notice_feed_atom": [Case(everyone(OK))],
    "surveillance:notice_feed_json": [Case(everyone(OK))],
    # The accreditation body's staff.
    "surveillance:sanction_overview": [Case(STAFF_LIST)],
    "surveillance:accreditation_sanctions": [Case(STAFF_READ, kwargs=sanctioned)],
    "surveillance:sanction_decide": _action(sanctioned),
    "surveillance:sanction_lift": _action(suspension),
    "surveillance:withdrawal_proposal_list": [Case(STAFF_LIST)],
    "surveillance:withdrawal_proposal_withdraw": _action(proposal),
    "surveillance:withdrawal_proposal_dismiss": _action(proposal),
    "surveillance:dishonesty_manage": [Case(STAFF_LIST)],
    "surveillance:dishonesty_new": _action(),
    "surveillance:credit_repair": _action(entry),
    "surveillance:false_claim_new": _action(),
}

ENDPOINTS: dict[str, list[Case]] = {
    "surveillance_api:sanction-list": [
        api(LISTS),
        api(signed_in(HIDE, secretariat=OK, decision_maker=DENY), method="post", data=warning),
    ],
    "surveillance_api:sanction-detail": [api(STAFF_READ, kwargs=suspension)],
    "surveillance_api:sanction-lift": [api(API_MOVE, method="post", kwargs=suspension, data=verification)],
    "surveillance_api:sanction-reason-list": [api(LISTS)],
    "surveillance_api:withdrawal-proposal-list": [api(LISTS)],
    "surveillance_api:withdrawal-proposal-detail": [api(STAFF_READ, kwargs=proposal)],
    "surveillance_api:withdrawal-proposal-withdraw": [api(API_MOVE, method="post", kwargs=proposal, data=withdraw)],
    "surveillance_api:withdrawal-proposal-dismiss": [api(API_MOVE, method="post", kwargs=proposal, data=dismiss)],
    "surveillance_api:public-notice-list": [api(everyone(OK)), api(everyone(OK), query=lambda w: {"kind": "grant"})],
    "surveillance_api:public-notice-detail": [api(everyone(OK), kwargs=notice)],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
