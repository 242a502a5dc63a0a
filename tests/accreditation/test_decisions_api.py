"""The decision API: ``POST /api/applications/{id}/decide/``, the decision queue and reading decisions.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
of ``cab``, Oscar admin of ``other_cab``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Cab, Decision
from accreditation.services.decisions import decision_record
from core.models import User
from tests.accreditation.decisions_helpers import (
    FOOD_ITEM,
    METAL_ITEM,
    WATER_ITEM,
    accepted_application,
    accepted_initial,
    all_items,
    assessed,
    items_of,
    nothing_changes,
)
from tests.accreditation.factories import programme


@pytest.fixture
def ready(cab: Cab, cab_admin: User, secretariat: User, accreditation: Accreditation) -> Application:
    application = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.EXTENSION,
        accreditation=accreditation,
        add=[FOOD_ITEM, METAL_ITEM],
    )
    assessed(application, secretariat)
    return application


def _decide(application: Application) -> str:
    return f"/api/applications/{application.pk}/decide/"


def test_a_decision_maker_decides_through_the_api(
    api_for: Any, ready: Application, decision_maker: User, accreditation: Accreditation
) -> None:
    food, metal = items_of(ready)

    response = api_for(decision_maker).post(
        _decide(ready),
        {
            "reasons": "部分认可",
            "items": [
                {"item": food.pk, "outcome": "grant"},
                {"item": metal.pk, "outcome": "defer", "reason": "待补充能力验证"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    decision = Decision.objects.get(application=ready)
    body = response.json()
    assert {k: body[k] for k in ("id", "application", "sequence", "outcome", "reasons", "decided_by")} == {
        "id": decision.pk,
        "application": ready.pk,
        "sequence": 1,
        "outcome": "",
        "reasons": "部分认可",
        "decided_by": str(decision_maker),
    }
    assert body["accreditation"] == accreditation.pk
    assert body["scope_version"] == decision.scope_version_id
    assert body["register_changes"] == {"scope_issue": [1, 2]}
    assert [(i["item"], i["outcome"], i["reason"]) for i in body["items"]] == [
        (food.pk, "grant", ""),
        (metal.pk, "defer", "待补充能力验证"),
    ]
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.ACCEPTED


def test_an_initial_grant_through_the_api_gives_the_number(
    api_for: Any, cab: Cab, cab_admin: User, secretariat: User, decision_maker: User
) -> None:
    application = accepted_initial(
        cab,
        programme("IB"),
        cab_admin,
        secretariat,
        {"field": "承压设备", "inspection_type": "定期检验", "subject": "压力容器", "method": "TSG 21-2016"},
    )
    assessed(application, secretariat)

    response = api_for(decision_maker).post(
        _decide(application),
        {"reasons": "认可", "items": [{"item": i.pk, "outcome": "grant"} for i in items_of(application)]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    accreditation = Accreditation.objects.get(applications=application)
    assert response.json()["register_changes"]["number"] == [None, accreditation.number]
    assert accreditation.number is not None and accreditation.number.startswith("CNAS IB")


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [("secretariat", 403, "not_decision_maker"), ("cab_admin", 403, "not_decision_maker")],
)
def test_who_may_not_decide_is_refused_with_the_services_code(
    request: pytest.FixtureRequest, api_for: Any, ready: Application, persona: str, status: int, code: str
) -> None:
    client = api_for(request.getfixturevalue(persona))

    with nothing_changes():
        response = client.post(
            _decide(ready),
            {"reasons": "认可", "items": [{"item": items_of(ready)[0].pk, "outcome": "grant"}]},
            format="json",
        )

    assert response.status_code == status
    assert response.json()["code"] == code


def test_an_application_the_user_cannot_see_is_not_found(
    api_for: Any, ready: Application, other_cab_user: User
) -> None:
    client = api_for(other_cab_user)

    with nothing_changes():
        response = client.post(_decide(ready), {"reasons": "认可"}, format="json")

    assert response.status_code == 404


def test_deciding_twice_is_a_conflict(api_for: Any, ready: Application, decision_maker: User) -> None:
    decision_record(application=ready, actor=decision_maker, reasons="认可", items=all_items(ready, "grant"))
    client = api_for(decision_maker)

    with nothing_changes():
        response = client.post(
            _decide(ready),
            {"reasons": "再次认可", "items": [{"item": items_of(ready)[0].pk, "outcome": "grant"}]},
            format="json",
        )

    assert response.status_code == 409
    assert response.json()["code"] == "already_decided"


def test_a_missing_outcome_is_refused_with_the_items_named(
    api_for: Any, ready: Application, decision_maker: User
) -> None:
    food, metal = items_of(ready)
    client = api_for(decision_maker)

    with nothing_changes():
        response = client.post(
            _decide(ready), {"reasons": "认可", "items": [{"item": food.pk, "outcome": "grant"}]}, format="json"
        )

    assert response.status_code == 400
    assert response.json()["code"] == "outcomes_missing"
    assert response.json()["detail"] == {"items": [metal.pk]}


def test_the_queue_lists_what_waits_for_this_decision_maker(
    api_for: Any, ready: Application, decision_maker: User, cab_admin: User, secretariat: User
) -> None:
    theirs = accepted_application(
        ready.cab,
        ready.programme,
        cab_admin,
        ApplicationType.EXTENSION,
        accreditation=ready.accreditation,
        add=[WATER_ITEM],
    )
    assessed(theirs, secretariat, team=[decision_maker])

    response = api_for(decision_maker).get("/api/applications/decision-queue/")
    nobody = api_for(cab_admin).get("/api/applications/decision-queue/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [ready.pk]
    assert nobody.json()["results"] == []


def test_decisions_are_read_by_staff_and_the_cab_not_by_another_cab(
    api_for: Any, ready: Application, decision_maker: User, cab_admin: User, other_cab_user: User, secretariat: User
) -> None:
    decision = decision_record(application=ready, actor=decision_maker, reasons="认可", items=all_items(ready, "grant"))

    for user in (secretariat, cab_admin):
        listing = api_for(user).get("/api/decisions/", {"application": ready.pk})
        assert [row["id"] for row in listing.json()["results"]] == [decision.pk]
        assert api_for(user).get(f"/api/decisions/{decision.pk}/").status_code == 200
    assert api_for(other_cab_user).get("/api/decisions/").json()["results"] == []
    assert api_for(other_cab_user).get(f"/api/decisions/{decision.pk}/").status_code == 404


def test_the_decision_list_asks_the_same_queries_for_one_decision_or_several(
    api_for: Any, ready: Application, decision_maker: User, cab_admin: User, secretariat: User
) -> None:
    decision_record(application=ready, actor=decision_maker, reasons="认可", items=all_items(ready, "grant"))
    client = api_for(secretariat)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/decisions/")
    for attributes in (WATER_ITEM, {**WATER_ITEM, "parameter": "色度"}):
        more = accepted_application(
            ready.cab,
            ready.programme,
            cab_admin,
            ApplicationType.EXTENSION,
            accreditation=ready.accreditation,
            add=[attributes],
        )
        assessed(more, secretariat)
        decision_record(
            application=more, actor=decision_maker, reasons="不予认可", items=all_items(more, "refuse", "无能力")
        )

    with CaptureQueriesContext(connection) as three:
        response = client.get("/api/decisions/")

    assert len(response.json()["results"]) == 3
    assert len(three) == len(one)
