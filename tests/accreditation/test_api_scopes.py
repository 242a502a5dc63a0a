"""The API of scopes: versions with their items, drafting, publishing and comparing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.fields import DateTimeField

from accreditation.models import Accreditation, Cab, ScopeItem, ScopeVersion
from accreditation.services.accreditations import accreditation_open
from accreditation.services.scopes import scope_draft_start, scope_item_add
from core.models import AuditEvent, User
from tests.accreditation.factories import CabFactory, programme
from tests.conftest import LAB_ITEM

LAB_SUMMARY = "食品 / 食用植物油 / 酸价 / GB 5009.229-2016"
NEW_ITEM = {"field": "食品", "subject": "食用植物油", "parameter": "过氧化值", "method": "GB 5009.227-2023"}


def as_json_time(moment: dt.datetime | None) -> str:
    assert moment is not None
    return str(DateTimeField().to_representation(moment))


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.fixture
def draft(published_scope: ScopeVersion, secretariat: User) -> ScopeVersion:
    """A draft of issue 2, a copy of ``published_scope``."""
    return scope_draft_start(accreditation=published_scope.accreditation, actor=secretariat, note="Extension")


def item_json(item: ScopeItem, summary: str) -> dict[str, Any]:
    return {
        "id": item.pk,
        "version": item.version_id,
        "key": str(item.key),
        "position": item.position,
        "status": item.status,
        "attributes": item.attributes,
        "summary": summary,
    }


# --- Versions: reading ------------------------------------------------------------------------


def test_a_published_version_reads_with_its_items(api_for, published_scope: ScopeVersion, cab_user: User) -> None:
    response = api_for(cab_user).get(f"/api/scope-versions/{published_scope.pk}/")

    assert response.status_code == 200
    item = published_scope.items.get()
    assert response.json() == {
        "id": published_scope.pk,
        "accreditation": published_scope.accreditation_id,
        "issue_number": 1,
        "status": "published",
        "issued_on": timezone.localdate().isoformat(),
        "based_on": None,
        "note": "",
        "created_at": as_json_time(published_scope.created_at),
        "published_at": as_json_time(published_scope.published_at),
        "items": [item_json(item, LAB_SUMMARY)],
    }
    assert item.position == 1 and item.attributes == LAB_ITEM


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
def test_each_persona_sees_scope_versions_only_if_allowed(
    request: pytest.FixtureRequest, api_for, published_scope: ScopeVersion, persona: str, sees_it: bool
) -> None:
    client = api_for(request.getfixturevalue(persona))

    listed = {row["id"] for row in client.get("/api/scope-versions/").json()["results"]}
    items = {row["id"] for row in client.get("/api/scope-items/").json()["results"]}

    assert listed == ({published_scope.pk} if sees_it else set())
    assert items == (set(published_scope.items.values_list("pk", flat=True)) if sees_it else set())


def test_anonymous_callers_may_not_read_scopes(api_for, published_scope: ScopeVersion) -> None:
    assert api_for(None).get("/api/scope-versions/").status_code == 401
    assert api_for(None).get("/api/scope-items/").status_code == 401


def test_listing_scope_versions_takes_the_same_queries_for_one_or_many(
    api_for, published_scope: ScopeVersion, secretariat: User, django_assert_num_queries
) -> None:
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(4):  # roles, count, page, items
        client.get("/api/scope-versions/")
    for _ in range(4):
        accreditation = accreditation_open(cab=CabFactory.create(), programme=programme("CL"), actor=secretariat)
        version = scope_draft_start(accreditation=accreditation, actor=secretariat)
        scope_item_add(version=version, actor=secretariat, attributes=LAB_ITEM)
        scope_item_add(version=version, actor=secretariat, attributes=NEW_ITEM)
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(4):
        response = client.get("/api/scope-versions/")

    assert response.json()["count"] == 5


def test_listing_scope_items_takes_the_same_queries_for_one_or_many(
    api_for, draft: ScopeVersion, secretariat: User, django_assert_num_queries
) -> None:
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):  # roles, count, page with versions and programmes
        client.get("/api/scope-items/", {"version": draft.pk})
    for n in range(5):
        scope_item_add(version=draft, actor=secretariat, attributes={**NEW_ITEM, "parameter": f"参数{n}"})
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):
        response = client.get("/api/scope-items/", {"version": draft.pk})

    assert response.json()["count"] == 6


# --- Drafts -----------------------------------------------------------------------------------


def test_the_secretariat_starts_a_draft_that_copies_the_current_issue(
    api_for, published_scope: ScopeVersion, secretariat: User
) -> None:
    response = api_for(secretariat).post(
        "/api/scope-versions/", {"accreditation": published_scope.accreditation_id, "note": "Extension"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    draft = ScopeVersion.objects.get(pk=body["id"])
    assert (body["status"], body["issue_number"], body["based_on"], body["note"]) == (
        "draft",
        None,
        published_scope.pk,
        "Extension",
    )
    assert [item["key"] for item in body["items"]] == [str(published_scope.items.get().key)]
    assert body["items"] == [item_json(draft.items.get(), LAB_SUMMARY)]


def test_a_second_draft_is_a_conflict(api_for, draft: ScopeVersion, secretariat: User) -> None:
    response = api_for(secretariat).post(
        "/api/scope-versions/", {"accreditation": draft.accreditation_id}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "draft_exists"
    assert ScopeVersion.objects.count() == 2


def test_a_cab_admin_may_not_start_a_draft(api_for, published_scope: ScopeVersion, cab_admin: User) -> None:
    response = api_for(cab_admin).post(
        "/api/scope-versions/", {"accreditation": published_scope.accreditation_id}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_secretariat"
    assert ScopeVersion.objects.count() == 1


def test_another_cab_naming_the_accreditation_gets_404(
    api_for, published_scope: ScopeVersion, other_cab_user: User
) -> None:
    response = api_for(other_cab_user).post(
        "/api/scope-versions/", {"accreditation": published_scope.accreditation_id}, format="json"
    )

    assert response.status_code == 404
    assert ScopeVersion.objects.count() == 1


# --- Items ------------------------------------------------------------------------------------


def test_the_secretariat_adds_an_item_to_a_draft(api_for, draft: ScopeVersion, secretariat: User) -> None:
    response = api_for(secretariat).post(
        "/api/scope-items/", {"version": draft.pk, "attributes": NEW_ITEM}, format="json"
    )

    assert response.status_code == 201
    item = draft.items.get(position=2)
    assert response.json() == item_json(item, "食品 / 食用植物油 / 过氧化值 / GB 5009.227-2023")
    assert item.status == "active"


def test_an_item_missing_required_fields_is_refused_with_each_problem(
    api_for, draft: ScopeVersion, secretariat: User
) -> None:
    response = api_for(secretariat).post(
        "/api/scope-items/", {"version": draft.pk, "attributes": {"field": "食品", "colour": "red"}}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_scope_item",
        "message": "The scope item has invalid fields.",
        "detail": {
            "colour": "This programme's scope has no field named “colour”.",
            "subject": "This field is required.",
            "parameter": "This field is required.",
            "method": "This field is required.",
        },
    }
    assert draft.items.count() == 1


def test_adding_to_a_published_version_is_refused_and_nothing_is_added(
    api_for, published_scope: ScopeVersion, secretariat: User
) -> None:
    response = api_for(secretariat).post(
        "/api/scope-items/", {"version": published_scope.pk, "attributes": NEW_ITEM}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "code": "scope_version_published",
        "message": "Issue 1 of this scope is published and cannot be changed; start a new draft.",
        "detail": {"scope_version": published_scope.pk, "status": "published"},
    }
    assert ScopeItem.objects.count() == 1


@pytest.mark.smoke
def test_editing_an_item_of_a_published_version_is_refused_and_nothing_changes(
    api_for, published_scope: ScopeVersion, secretariat: User
) -> None:
    item = published_scope.items.get()
    client = api_for(secretariat)

    edited = client.patch(f"/api/scope-items/{item.pk}/", {"attributes": NEW_ITEM}, format="json")
    status_set = client.post(
        f"/api/scope-items/{item.pk}/set-status/", {"status": "suspended", "reason": "Audit"}, format="json"
    )
    removed = client.delete(f"/api/scope-items/{item.pk}/")

    assert [r.status_code for r in (edited, status_set, removed)] == [409, 409, 409]
    assert {r.json()["code"] for r in (edited, status_set, removed)} == {"scope_version_published"}
    item.refresh_from_db()
    assert (item.attributes, item.status) == (LAB_ITEM, "active")
    assert (
        not AuditEvent.objects.filter(event_type__startswith="scope.item_")
        .exclude(event_type="scope.item_added")
        .exists()
    )


def test_the_secretariat_edits_a_draft_item(api_for, draft: ScopeVersion, secretariat: User) -> None:
    item = draft.items.get()

    response = api_for(secretariat).patch(f"/api/scope-items/{item.pk}/", {"attributes": NEW_ITEM}, format="json")

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.attributes == NEW_ITEM
    assert response.json() == item_json(item, "食品 / 食用植物油 / 过氧化值 / GB 5009.227-2023")


def test_a_full_replacement_of_an_item_is_not_offered(api_for, draft: ScopeVersion, secretariat: User) -> None:
    item = draft.items.get()

    response = api_for(secretariat).put(f"/api/scope-items/{item.pk}/", {"attributes": NEW_ITEM}, format="json")

    assert response.status_code == 405


def test_a_draft_item_is_suspended_but_a_withdrawn_one_cannot_return(
    api_for, draft: ScopeVersion, secretariat: User
) -> None:
    item = draft.items.get()
    client = api_for(secretariat)
    url = f"/api/scope-items/{item.pk}/set-status/"

    suspended = client.post(url, {"status": "suspended", "reason": "Equipment broken"}, format="json")
    client.post(url, {"status": "withdrawn", "reason": "Given up"}, format="json")
    refused = client.post(url, {"status": "active", "reason": "Changed mind"}, format="json")

    assert (suspended.status_code, suspended.json()["status"]) == (200, "suspended")
    assert refused.status_code == 409
    assert refused.json()["code"] == "illegal_status_change"
    item.refresh_from_db()
    assert item.status == "withdrawn"


def test_the_secretariat_removes_a_draft_item(api_for, draft: ScopeVersion, secretariat: User) -> None:
    item = draft.items.get()

    response = api_for(secretariat).delete(f"/api/scope-items/{item.pk}/")

    assert response.status_code == 204
    assert not ScopeItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("persona", ["cab_admin", "decision_maker", "other_cab_user"])
def test_only_the_secretariat_changes_draft_items(
    request: pytest.FixtureRequest, api_for, draft: ScopeVersion, persona: str
) -> None:
    item = draft.items.get()

    response = api_for(request.getfixturevalue(persona)).patch(
        f"/api/scope-items/{item.pk}/", {"attributes": NEW_ITEM}, format="json"
    )

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.attributes == LAB_ITEM


# --- Publishing and discarding ----------------------------------------------------------------


def test_publishing_a_draft_makes_it_the_next_issue(
    api_for, draft: ScopeVersion, published_scope: ScopeVersion, secretariat: User
) -> None:
    response = api_for(secretariat).post(
        f"/api/scope-versions/{draft.pk}/publish/", {"issued_on": "2025-06-01", "reason": "Extension"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["issue_number"], response.json()["status"], response.json()["issued_on"]) == (
        2,
        "published",
        "2025-06-01",
    )
    published_scope.refresh_from_db()
    assert published_scope.status == "superseded"


def test_publishing_a_published_version_is_a_conflict(
    api_for, published_scope: ScopeVersion, secretariat: User
) -> None:
    response = api_for(secretariat).post(f"/api/scope-versions/{published_scope.pk}/publish/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "scope_version_published"


def test_an_empty_draft_cannot_be_published(api_for, draft: ScopeVersion, secretariat: User) -> None:
    client = api_for(secretariat)
    client.delete(f"/api/scope-items/{draft.items.get().pk}/")

    response = client.post(f"/api/scope-versions/{draft.pk}/publish/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "scope_empty"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_draft_is_discarded_but_a_published_version_is_not(
    api_for, draft: ScopeVersion, published_scope: ScopeVersion, secretariat: User
) -> None:
    client = api_for(secretariat)

    discarded = client.post(f"/api/scope-versions/{draft.pk}/discard/")
    refused = client.post(f"/api/scope-versions/{published_scope.pk}/discard/")

    assert (discarded.status_code, refused.status_code) == (204, 409)
    assert list(ScopeVersion.objects.values_list("pk", flat=True)) == [published_scope.pk]


def test_a_cab_admin_cannot_publish(api_for, draft: ScopeVersion, cab_admin: User) -> None:
    response = api_for(cab_admin).post(f"/api/scope-versions/{draft.pk}/publish/", {}, format="json")

    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


# --- Comparing --------------------------------------------------------------------------------


@pytest.mark.smoke
def test_a_draft_is_compared_with_the_published_issue(
    api_for, draft: ScopeVersion, published_scope: ScopeVersion, secretariat: User, cab_user: User
) -> None:
    copied = draft.items.get()
    client = api_for(secretariat)
    client.patch(
        f"/api/scope-items/{copied.pk}/", {"attributes": {**LAB_ITEM, "limitation": "仅限散装"}}, format="json"
    )
    added = client.post("/api/scope-items/", {"version": draft.pk, "attributes": NEW_ITEM}, format="json").json()

    response = api_for(cab_user).get(f"/api/scope-versions/{draft.pk}/diff/", {"against": published_scope.pk})

    assert response.status_code == 200
    original = published_scope.items.get()
    assert response.json() == {
        "old": published_scope.pk,
        "new": draft.pk,
        "added": [
            {
                "key": added["key"],
                "status": "active",
                "attributes": NEW_ITEM,
                "summary": "食品 / 食用植物油 / 过氧化值 / GB 5009.227-2023",
            }
        ],
        "removed": [],
        "changed": [
            {
                "key": str(original.key),
                "fields": ["limitation"],
                "before": {
                    "key": str(original.key),
                    "status": "active",
                    "attributes": LAB_ITEM,
                    "summary": LAB_SUMMARY,
                },
                "after": {
                    "key": str(original.key),
                    "status": "active",
                    "attributes": {**LAB_ITEM, "limitation": "仅限散装"},
                    "summary": LAB_SUMMARY + " / 仅限散装",
                },
            }
        ],
        "unchanged": 0,
    }


def test_a_comparison_needs_the_other_version(api_for, draft: ScopeVersion, secretariat: User) -> None:
    response = api_for(secretariat).get(f"/api/scope-versions/{draft.pk}/diff/")

    assert response.status_code == 400
    assert response.json()["detail"] == {"against": ["This field is required."]}


def test_a_comparison_with_a_version_the_user_cannot_see_is_a_clear_400(
    api_for, published_scope: ScopeVersion, other_cab: Cab, other_cab_user: User, secretariat: User
) -> None:
    theirs = scope_draft_start(
        accreditation=accreditation_open(cab=other_cab, programme=programme("CL"), actor=secretariat), actor=secretariat
    )

    response = api_for(other_cab_user).get(f"/api/scope-versions/{theirs.pk}/diff/", {"against": published_scope.pk})

    assert response.status_code == 400
    assert response.json() == {
        "code": "unknown_scope_version",
        "message": f"There is no scope version {published_scope.pk}, or you may not see it.",
        "detail": {"against": published_scope.pk},
    }


def test_versions_of_different_accreditations_are_not_compared(
    api_for, published_scope: ScopeVersion, other_cab: Cab, secretariat: User
) -> None:
    accreditation: Accreditation = accreditation_open(cab=other_cab, programme=programme("CL"), actor=secretariat)
    theirs = scope_draft_start(accreditation=accreditation, actor=secretariat)

    response = api_for(secretariat).get(f"/api/scope-versions/{theirs.pk}/diff/", {"against": published_scope.pk})

    assert response.status_code == 400
    assert response.json()["code"] == "different_accreditation"
    assert response.json()["detail"] == {"against": published_scope.pk}


def test_versions_filter_by_accreditation_and_status(
    api_for, draft: ScopeVersion, published_scope: ScopeVersion, other_cab: Cab, secretariat: User
) -> None:
    accreditation_open(cab=other_cab, programme=programme("CL"), actor=secretariat)
    client = api_for(secretariat)

    of_it = client.get("/api/scope-versions/", {"accreditation": draft.accreditation_id}).json()["results"]
    drafts = client.get("/api/scope-versions/", {"status": "draft"}).json()["results"]

    assert {row["id"] for row in of_it} == {draft.pk, published_scope.pk}
    assert [row["id"] for row in drafts] == [draft.pk]
