"""Permission-matrix entries of the decision pages and API (see ``tests/matrix.py``).

``build`` gives ``cab`` an accepted extension whose on-site assessment is completed, with the
assigned assessor on its team (``dec_ready``), and a second one already refused by another
decision maker (``dec_decision``). Deciding publishes a scope issue, so the POST cases drop
the world's open scope draft first.

Who is who here: decision makers decide; everybody else who can see the application (the
secretariat, the CAB's members) is refused by role (403); those who cannot see it get 404.
Decisions are read by staff and the CAB's members.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from accreditation.choices_applications import ApplicationType
from accreditation.services.decisions import decision_record
from core.roles import Role
from tests.accreditation.decisions_helpers import (
    FOOD_ITEM,
    METAL_ITEM,
    accepted_application,
    all_items,
    assessed,
    items_of,
)
from tests.accreditation.factories import UserFactory
from tests.matrix import DENY, HIDE, OK, Case, World, api, signed_in


def build(world: World) -> None:
    secretariat, admin, assigned = (world.users[name] for name in ("secretariat", "cab_admin", "assigned_assessor"))
    assert secretariat is not None and admin is not None and assigned is not None
    ready = accepted_application(
        world.cab,
        world.accreditation.programme,
        admin,
        ApplicationType.EXTENSION,
        accreditation=world.accreditation,
        add=[FOOD_ITEM],
    )
    assessed(ready, secretariat, team=[assigned])
    decided = accepted_application(
        world.cab,
        world.accreditation.programme,
        admin,
        ApplicationType.EXTENSION,
        accreditation=world.accreditation,
        add=[METAL_ITEM],
    )
    assessed(decided, secretariat, team=[assigned])
    other_decider = UserFactory.create(username="m_other_decider")
    other_decider.groups.add(Group.objects.get(name=Role.DECISION_MAKER.value))
    world.extra["dec_ready"] = ready
    world.extra["dec_decision"] = decision_record(
        application=decided, actor=other_decider, reasons="无能力", items=all_items(decided, "refuse", "无检测经历")
    )


ready_pk = lambda w: {"pk": w.extra["dec_ready"].pk}  # noqa: E731
decision_pk = lambda w: {"pk": w.extra["dec_decision"].pk}  # noqa: E731
NO_DRAFT = {"needs_no_draft": "1"}


def page_data(world: World) -> dict[str, Any]:
    items = items_of(world.extra["dec_ready"])
    return {"reasons": "评审组建议认可", **{f"item_{item.pk}_outcome": "grant" for item in items}}


def api_data(world: World) -> dict[str, Any]:
    return {
        "reasons": "评审组建议认可",
        "items": [{"item": item.pk, "outcome": "grant"} for item in items_of(world.extra["dec_ready"])],
    }


# Who sees the application and may only be refused by role; the decision maker decides.
DECIDE = signed_in(HIDE, secretariat=DENY, decision_maker=OK, cab_admin=DENY, cab_member=DENY)
# Staff read every decision; the CAB's members read their CAB's.
READS_DECISION = signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK)

PAGES: dict[str, list[Case]] = {
    "accreditation:decision_queue": [Case(signed_in(DENY, decision_maker=OK))],
    "accreditation:application_decide": [
        Case(DECIDE, kwargs=ready_pk),
        Case(DECIDE, method="post", kwargs=ready_pk, data=page_data, extra=NO_DRAFT),
    ],
    "accreditation:decision_detail": [Case(READS_DECISION, kwargs=decision_pk)],
}

ENDPOINTS: dict[str, list[Case]] = {
    "accreditation_api:application-decide": [
        api(DECIDE, method="post", kwargs=ready_pk, data=api_data, extra=NO_DRAFT)
    ],
    "accreditation_api:application-decision-queue": [api(signed_in(OK))],
    "accreditation_api:decision-list": [api(signed_in(OK))],
    "accreditation_api:decision-detail": [api(READS_DECISION, kwargs=decision_pk)],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
