"""The audit trail API: the accreditation body's staff read it, nobody writes it."""

from __future__ import annotations

import pytest
from rest_framework.fields import DateTimeField

from accreditation.models import Accreditation
from accreditation.services.cabs import cab_close
from core.audit import seal_pending_events
from core.models import AuditEvent, User
from tests.accreditation.factories import CabFactory


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_secretariat_reads_an_event_in_full(api_for, accreditation: Accreditation, secretariat: User) -> None:
    seal_pending_events()  # as after the commit (the test's transaction never commits)
    event = AuditEvent.objects.get(event_type="accreditation.granted")
    assert event.sequence == 5 and len(event.hash) == 64

    response = api_for(secretariat).get(f"/api/audit-events/{event.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": event.pk,
        "sequence": event.sequence,
        "occurred_at": DateTimeField().to_representation(event.occurred_at),
        "actor": secretariat.pk,
        "actor_label": "alice",
        "aggregate_type": "accreditation.accreditation",
        "aggregate_id": str(accreditation.pk),
        "cab_id": accreditation.cab_id,
        "event_type": "accreditation.granted",
        "reason": "",
        "old_values": {"status": "applicant"},
        "new_values": event.new_values,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    assert event.new_values["number"] == "CNAS L0001"


def test_the_trail_is_newest_first_and_filters_by_event_type_and_object(
    api_for, accreditation: Accreditation, decision_maker: User
) -> None:
    client = api_for(decision_maker)

    everything = client.get("/api/audit-events/").json()
    opened = client.get("/api/audit-events/", {"event_type": "accreditation.opened"}).json()
    of_it = client.get(
        "/api/audit-events/",
        {"aggregate_type": "accreditation.accreditation", "aggregate_id": str(accreditation.pk)},
    ).json()

    assert [row["event_type"] for row in everything["results"]] == [
        "accreditation.granted",
        "scope.published",
        "scope.item_added",
        "scope.draft_started",
        "accreditation.opened",
    ]
    assert [row["event_type"] for row in opened["results"]] == ["accreditation.opened"]
    assert [row["event_type"] for row in of_it["results"]] == ["accreditation.granted", "accreditation.opened"]


def test_an_event_not_sealed_into_the_chain_yet_reads_with_no_sequence_and_no_hashes(
    api_for, accreditation: Accreditation, secretariat: User
) -> None:
    event = AuditEvent.objects.get(event_type="accreditation.granted")

    body = api_for(secretariat).get(f"/api/audit-events/{event.pk}/").json()

    assert (body["event_type"], body["sequence"], body["prev_hash"], body["hash"]) == (
        "accreditation.granted",
        None,
        "",
        "",
    )


def test_the_trail_filters_by_cab(api_for, accreditation: Accreditation, other_cab, secretariat: User) -> None:
    cab_close(cab=other_cab, actor=secretariat, reason="Ceased trading")

    response = api_for(secretariat).get("/api/audit-events/", {"cab_id": other_cab.pk})

    assert [(row["event_type"], row["reason"]) for row in response.json()["results"]] == [
        ("cab.closed", "Ceased trading")
    ]


@pytest.mark.parametrize("persona", ["assessor", "cab_admin", "cab_user", "other_cab_user"])
def test_people_outside_the_accreditation_body_may_not_read_the_trail(
    request: pytest.FixtureRequest, api_for, accreditation: Accreditation, persona: str
) -> None:
    response = api_for(request.getfixturevalue(persona)).get("/api/audit-events/")

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "You do not have permission to perform this action.",
        "detail": None,
    }


def test_anonymous_callers_may_not_read_the_trail(api_for, accreditation: Accreditation) -> None:
    assert api_for(None).get("/api/audit-events/").status_code == 401


def test_the_trail_cannot_be_written_through_the_api(api_for, accreditation: Accreditation, secretariat: User) -> None:
    event = AuditEvent.objects.get(event_type="accreditation.granted")
    client = api_for(secretariat)

    assert client.post("/api/audit-events/", {"event_type": "forged"}, format="json").status_code == 405
    assert client.patch(f"/api/audit-events/{event.pk}/", {"reason": "edited"}, format="json").status_code == 405
    assert client.delete(f"/api/audit-events/{event.pk}/").status_code == 405
    event.refresh_from_db()
    assert event.reason == ""


def test_listing_the_trail_takes_the_same_queries_for_few_or_many(
    api_for, accreditation: Accreditation, secretariat: User, django_assert_num_queries
) -> None:
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):  # roles, count, page with actors
        client.get("/api/audit-events/")
    for cab in CabFactory.create_batch(5):
        cab_close(cab=cab, actor=secretariat, reason="Ceased trading")
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):
        response = client.get("/api/audit-events/")

    assert response.json()["count"] == 10
