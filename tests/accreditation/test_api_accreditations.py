"""The API of accreditations: reading them, opening one, and every status move as a POST action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.fields import DateTimeField

from accreditation.models import Accreditation, Cab, ScopeVersion
from accreditation.services.accreditations import accreditation_open, accreditation_withdraw
from core.dates import add_months
from core.models import AuditEvent, User
from tests.accreditation.factories import CabFactory, programme


def as_json_time(moment: dt.datetime) -> str:
    return str(DateTimeField().to_representation(moment))


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def status_of(accreditation: Accreditation) -> str:
    accreditation.refresh_from_db()
    return accreditation.status


def move(client: Any, accreditation: Accreditation, verb: str, **data: Any) -> Any:
    return client.post(f"/api/accreditations/{accreditation.pk}/{verb}/", data, format="json")


@pytest.fixture
def application(other_cab: Cab, secretariat: User) -> Accreditation:
    """``other_cab`` has applied for inspection-body accreditation."""
    return accreditation_open(cab=other_cab, programme=programme("IB"), actor=secretariat)


# --- Reading ----------------------------------------------------------------------------------


def test_an_accreditation_reads_with_its_number_and_cycle(
    api_for, accreditation: Accreditation, cab_user: User
) -> None:
    today = timezone.localdate()

    response = api_for(cab_user).get(f"/api/accreditations/{accreditation.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": accreditation.pk,
        "cab": accreditation.cab_id,
        "cab_name": "Beijing Precise Testing Co., Ltd.",
        "programme": "CL",
        "number": "CNAS L0001",
        "status": "accredited",
        "granted_on": today.isoformat(),
        "cycle_start": today.isoformat(),
        "cycle_end": (add_months(today, 72) - dt.timedelta(days=1)).isoformat(),
        "status_changed_at": as_json_time(accreditation.status_changed_at),
        "created_at": as_json_time(accreditation.created_at),
    }


@pytest.mark.parametrize(
    ("persona", "sees_it"),
    [
        ("secretariat", True),
        ("decision_maker", True),
        ("assessor", False),
        ("cab_admin", True),
        ("cab_user", True),
        ("other_cab_user", False),
    ],
)
def test_each_persona_sees_the_accreditation_only_if_allowed(
    request: pytest.FixtureRequest, api_for, accreditation: Accreditation, persona: str, sees_it: bool
) -> None:
    client = api_for(request.getfixturevalue(persona))

    listed = client.get("/api/accreditations/")
    detail = client.get(f"/api/accreditations/{accreditation.pk}/")

    assert ids(listed) == ({accreditation.pk} if sees_it else set())
    assert detail.status_code == (200 if sees_it else 404)


def test_anonymous_callers_may_not_read_accreditations(api_for, accreditation: Accreditation) -> None:
    assert api_for(None).get("/api/accreditations/").status_code == 401


def test_accreditations_filter_by_status_programme_and_number(
    api_for, accreditation: Accreditation, application: Accreditation, secretariat: User
) -> None:
    client = api_for(secretariat)

    assert ids(client.get("/api/accreditations/", {"status": "applicant"})) == {application.pk}
    assert ids(client.get("/api/accreditations/", {"programme": "CL"})) == {accreditation.pk}
    assert ids(client.get("/api/accreditations/", {"number": "cnas l0001"})) == {accreditation.pk}
    assert ids(client.get("/api/accreditations/", {"cab": application.cab_id})) == {application.pk}


def test_listing_accreditations_takes_the_same_queries_for_one_or_many(
    api_for, accreditation: Accreditation, secretariat: User, django_assert_num_queries
) -> None:
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):  # roles, count, page with CABs and programmes
        client.get("/api/accreditations/")
    for _ in range(5):
        accreditation_open(cab=CabFactory.create(), programme=programme("CL"), actor=secretariat)
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):
        response = client.get("/api/accreditations/")

    assert response.json()["count"] == 6


# --- Opening an application -------------------------------------------------------------------


def test_the_secretariat_opens_an_application(api_for, other_cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).post(
        "/api/accreditations/",
        {"cab": other_cab.pk, "programme": "MS", "reason": "Application received"},
        format="json",
    )

    assert response.status_code == 201
    accreditation = Accreditation.objects.get()
    assert response.json() == {
        "id": accreditation.pk,
        "cab": other_cab.pk,
        "cab_name": "Shanghai Far East Certification Co., Ltd.",
        "programme": "MS",
        "number": None,
        "status": "applicant",
        "granted_on": None,
        "cycle_start": None,
        "cycle_end": None,
        "status_changed_at": as_json_time(accreditation.status_changed_at),
        "created_at": as_json_time(accreditation.created_at),
    }
    assert AuditEvent.objects.get(event_type="accreditation.opened").reason == "Application received"


def test_a_second_live_accreditation_under_one_programme_is_a_conflict(
    api_for, application: Accreditation, secretariat: User
) -> None:
    response = api_for(secretariat).post(
        "/api/accreditations/", {"cab": application.cab_id, "programme": "IB"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "accreditation_exists"
    assert Accreditation.objects.count() == 1


def test_an_unknown_programme_is_a_field_error(api_for, other_cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).post(
        "/api/accreditations/", {"cab": other_cab.pk, "programme": "XX"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == {"programme": ["Object with code=XX does not exist."]}
    assert Accreditation.objects.count() == 0


def test_a_decision_maker_may_not_open_an_application(api_for, other_cab: Cab, decision_maker: User) -> None:
    response = api_for(decision_maker).post(
        "/api/accreditations/", {"cab": other_cab.pk, "programme": "IB"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_secretariat"
    assert Accreditation.objects.count() == 0


def test_a_cab_user_naming_another_cab_gets_404(api_for, cab: Cab, other_cab_user: User) -> None:
    response = api_for(other_cab_user).post("/api/accreditations/", {"cab": cab.pk, "programme": "CL"}, format="json")

    assert response.status_code == 404
    assert Accreditation.objects.count() == 0


# --- Granting ---------------------------------------------------------------------------------


def test_granting_gives_the_next_number_and_the_first_cycle(
    api_for, application: Accreditation, secretariat: User
) -> None:
    response = move(api_for(secretariat), application, "grant", granted_on="2024-03-01", reason="Committee 2024-02")

    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["status"], body["granted_on"], body["cycle_start"], body["cycle_end"]) == (
        "CNAS IB0001",
        "accredited",
        "2024-03-01",
        "2024-03-01",
        "2030-02-28",
    )
    event = AuditEvent.objects.get(event_type="accreditation.granted")
    assert (event.reason, event.new_values["number"]) == ("Committee 2024-02", "CNAS IB0001")


def test_a_hand_given_number_is_kept(api_for, application: Accreditation, secretariat: User) -> None:
    response = move(api_for(secretariat), application, "grant", number="CNAS IB0456")

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.number == "CNAS IB0456"


@pytest.mark.smoke
def test_a_hand_given_number_already_in_use_is_refused_and_nothing_changes(
    api_for, accreditation: Accreditation, other_cab: Cab, secretariat: User
) -> None:
    applicant = accreditation_open(cab=other_cab, programme=programme("CL"), actor=secretariat)
    events_before = AuditEvent.objects.count()

    response = move(api_for(secretariat), applicant, "grant", number="CNAS L0001")

    assert response.status_code == 400
    assert response.json() == {
        "code": "duplicate_accreditation_number",
        "message": "The accreditation number CNAS L0001 is already in use.",
        "detail": {"number": "CNAS L0001"},
    }
    applicant.refresh_from_db()
    assert (applicant.status, applicant.number, applicant.granted_on) == ("applicant", None, None)
    assert AuditEvent.objects.count() == events_before


def test_a_number_outside_the_programmes_pattern_is_refused(
    api_for, application: Accreditation, secretariat: User
) -> None:
    response = move(api_for(secretariat), application, "grant", number="CNAS L0002")

    assert response.status_code == 400
    assert response.json()["code"] == "number_pattern_mismatch"
    assert status_of(application) == "applicant"


def test_granting_twice_is_an_illegal_status_change(api_for, accreditation: Accreditation, secretariat: User) -> None:
    response = move(api_for(secretariat), accreditation, "grant")

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_status_change"
    accreditation.refresh_from_db()
    assert accreditation.number == "CNAS L0001"


# --- The other moves --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "status", "event_type"),
    [
        ("suspend", "suspended", "accreditation.suspended"),
        ("withdraw", "withdrawn", "accreditation.withdrawn"),
        ("cancel", "cancelled", "accreditation.cancelled"),
        ("expire", "expired", "accreditation.expired"),
    ],
)
def test_the_secretariat_moves_an_accreditation_with_a_reason(
    api_for, accreditation: Accreditation, secretariat: User, verb: str, status: str, event_type: str
) -> None:
    response = move(api_for(secretariat), accreditation, verb, reason="Decision 2024-17")

    assert response.status_code == 200
    assert response.json()["status"] == status
    assert status_of(accreditation) == status
    event = AuditEvent.objects.get(event_type=event_type)
    assert (event.old_values, event.new_values, event.reason) == (
        {"status": "accredited"},
        {"status": status},
        "Decision 2024-17",
    )


def test_a_suspension_is_lifted(api_for, accreditation: Accreditation, secretariat: User) -> None:
    client = api_for(secretariat)
    move(client, accreditation, "suspend", reason="Mark misused")

    response = move(client, accreditation, "reinstate", reason="Corrected")

    assert (response.status_code, response.json()["status"]) == (200, "accredited")


@pytest.mark.smoke
def test_suspending_an_applicant_is_an_illegal_move_and_changes_nothing(
    api_for, application: Accreditation, secretariat: User
) -> None:
    events_before = AuditEvent.objects.count()

    response = move(api_for(secretariat), application, "suspend", reason="No")

    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_status_change",
        "message": "The status cannot change from “Applicant” to “Suspended”.",
        "detail": {"from": "applicant", "to": "suspended", "allowed": ["accredited", "cancelled"]},
    }
    assert status_of(application) == "applicant"
    assert AuditEvent.objects.count() == events_before


def test_reinstating_an_accreditation_that_is_not_suspended_is_refused(
    api_for, accreditation: Accreditation, secretariat: User
) -> None:
    response = move(api_for(secretariat), accreditation, "reinstate", reason="Nothing to lift")

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_status_change"
    assert status_of(accreditation) == "accredited"


def test_a_withdrawn_accreditation_cannot_move_again(api_for, accreditation: Accreditation, secretariat: User) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="Fraud")

    response = move(api_for(secretariat), accreditation, "suspend", reason="Too late")

    assert response.status_code == 409
    assert response.json()["detail"] == {"from": "withdrawn", "to": "suspended", "allowed": []}
    assert status_of(accreditation) == "withdrawn"


def test_a_move_needs_a_reason(api_for, accreditation: Accreditation, secretariat: User) -> None:
    response = move(api_for(secretariat), accreditation, "withdraw", reason="")

    assert response.status_code == 400
    assert response.json()["detail"] == {"reason": ["This field may not be blank."]}
    assert status_of(accreditation) == "accredited"


@pytest.mark.parametrize("persona", ["decision_maker", "cab_admin", "other_cab_user", "assessor"])
def test_only_the_secretariat_moves_an_accreditation(
    request: pytest.FixtureRequest, api_for, accreditation: Accreditation, persona: str
) -> None:
    response = move(api_for(request.getfixturevalue(persona)), accreditation, "suspend", reason="Not mine to do")

    assert response.status_code == 404
    assert status_of(accreditation) == "accredited"


def test_partial_suspension_publishes_a_new_issue_with_those_items_suspended(
    api_for, accreditation: Accreditation, published_scope: ScopeVersion, secretariat: User
) -> None:
    key = str(published_scope.items.get().key)

    response = move(
        api_for(secretariat), accreditation, "partially-suspend", reason="Method withdrawn", item_keys=[key]
    )

    assert response.status_code == 200
    assert response.json()["status"] == "partially_suspended"
    current = accreditation.current_scope
    assert current is not None
    assert current.issue_number == 2
    assert list(current.items.values_list("status", flat=True)) == ["suspended"]
    published_scope.refresh_from_db()
    assert published_scope.status == "superseded"


def test_partial_suspension_of_an_unknown_item_changes_nothing(
    api_for, accreditation: Accreditation, published_scope: ScopeVersion, secretariat: User
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"

    response = move(
        api_for(secretariat), accreditation, "partially-suspend", reason="Method withdrawn", item_keys=[unknown]
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_scope_item"
    assert status_of(accreditation) == "accredited"
    assert list(ScopeVersion.objects.values_list("issue_number", "status")) == [(1, "published")]


def test_partial_suspension_needs_at_least_one_item(api_for, accreditation: Accreditation, secretariat: User) -> None:
    response = move(api_for(secretariat), accreditation, "partially-suspend", reason="Method withdrawn", item_keys=[])

    assert response.status_code == 400
    assert response.json()["detail"] == {"item_keys": ["This list may not be empty."]}
    assert status_of(accreditation) == "accredited"
