"""Scope pages: drafting, editing and publishing a scope, a version's page, and comparing versions."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accreditation.choices import ScopeItemStatus, ScopeVersionStatus
from accreditation.models import Accreditation, ScopeItem, ScopeVersion
from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_item_update, scope_version_publish
from core.models import AuditEvent, User
from tests.accreditation.factories import programme

pytestmark = pytest.mark.django_db

TEA = {"field": "食品", "subject": "茶叶", "parameter": "草甘膦残留", "method": "GB 23200.108"}


@pytest.fixture
def draft(accreditation: Accreditation, secretariat: User) -> ScopeVersion:
    return scope_draft_start(accreditation=accreditation, actor=secretariat, note="Extension")


def test_the_secretariat_starts_a_draft_from_the_accreditation_page(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).post(f"/register/accreditations/{accreditation.pk}/scope/new/", {"note": "扩项"})
    draft = ScopeVersion.objects.get(accreditation=accreditation, status=ScopeVersionStatus.DRAFT)
    assertRedirects(response, f"/register/scopes/{draft.pk}/")
    assert (draft.note, draft.items.count()) == ("扩项", 1)


def test_a_second_draft_is_refused(
    client_for, secretariat: User, accreditation: Accreditation, draft: ScopeVersion
) -> None:
    response = client_for(secretariat).post(f"/register/accreditations/{accreditation.pk}/scope/new/", {})
    assertContains(response, "This accreditation already has a draft scope; edit that one.")
    assert accreditation.scope_versions.count() == 2


def test_the_item_form_has_the_fields_of_the_programmes_scope_shape(
    client_for, secretariat: User, draft: ScopeVersion
) -> None:
    response = client_for(secretariat).get(f"/register/scopes/{draft.pk}/items/new/")
    assert list(response.context["form"].fields) == ["field", "subject", "parameter", "method", "limitation", "site"]
    assertContains(response, "Object or product")


def test_the_secretariat_adds_an_item_to_a_draft(client_for, secretariat: User, draft: ScopeVersion) -> None:
    response = client_for(secretariat).post(f"/register/scopes/{draft.pk}/items/new/", {**TEA, "limitation": ""})
    assertRedirects(response, f"/register/scopes/{draft.pk}/")
    assert draft.items.filter(attributes=TEA).count() == 1


def test_an_item_missing_a_required_field_is_refused(client_for, secretariat: User, draft: ScopeVersion) -> None:
    response = client_for(secretariat).post(f"/register/scopes/{draft.pk}/items/new/", {**TEA, "method": ""})
    assertContains(response, "This field is required.")
    assert draft.items.count() == 1


def test_fields_holding_many_values_are_entered_separated_by_semicolons(client_for, secretariat: User, cab) -> None:
    ms = accreditation_open(cab=cab, programme=programme("MS"), actor=secretariat)
    draft = scope_draft_start(accreditation=ms, actor=secretariat)
    client = client_for(secretariat)
    form = client.get(f"/register/scopes/{draft.pk}/items/new/")
    assertContains(form, "Separate several with “;”.")
    client.post(f"/register/scopes/{draft.pk}/items/new/", {"standard": "ISO 9001:2015", "sectors": "IAF 28； IAF 29;"})
    item = draft.items.get()
    assert item.attributes == {"standard": "ISO 9001:2015", "sectors": ["IAF 28", "IAF 29"]}
    edit = client.get(f"/register/scope-items/{item.pk}/edit/")
    assertContains(edit, 'value="IAF 28; IAF 29"')


def test_the_secretariat_edits_an_item_of_a_draft(client_for, secretariat: User, draft: ScopeVersion) -> None:
    item = draft.items.get()
    client = client_for(secretariat)
    assertContains(client.get(f"/register/scope-items/{item.pk}/edit/"), 'value="GB 5009.229-2016"')
    response = client.post(f"/register/scope-items/{item.pk}/edit/", {**item.attributes, "method": "GB 5009.229-2023"})
    assertRedirects(response, f"/register/scopes/{draft.pk}/")
    item.refresh_from_db()
    assert item.attributes["method"] == "GB 5009.229-2023"


@pytest.mark.smoke
def test_editing_an_item_of_a_published_version_is_refused_and_changes_nothing(
    client_for, secretariat: User, published_scope: ScopeVersion
) -> None:
    item = published_scope.items.get()
    before = AuditEvent.objects.count()
    response = client_for(secretariat).post(
        f"/register/scope-items/{item.pk}/edit/", {**item.attributes, "method": "GB 5009.229-2023"}
    )
    assertContains(response, "Issue 1 of this scope is published and cannot be changed; start a new draft.")
    item.refresh_from_db()
    assert item.attributes["method"] == "GB 5009.229-2016"
    assert AuditEvent.objects.count() == before


def test_removing_an_item_of_a_published_version_is_refused(
    client_for, secretariat: User, published_scope: ScopeVersion
) -> None:
    item = published_scope.items.get()
    response = client_for(secretariat).post(f"/register/scope-items/{item.pk}/remove/")
    assertContains(response, "Issue 1 of this scope is published and cannot be changed; start a new draft.")
    assert ScopeItem.objects.filter(pk=item.pk).exists()


def test_the_secretariat_removes_an_item_of_a_draft(client_for, secretariat: User, draft: ScopeVersion) -> None:
    item = draft.items.get()
    client = client_for(secretariat)
    assertContains(client.get(f"/register/scope-items/{item.pk}/remove/"), "食品 / 食用植物油 / 酸价")
    assertRedirects(client.post(f"/register/scope-items/{item.pk}/remove/"), f"/register/scopes/{draft.pk}/")
    assert not draft.items.exists()


def test_the_secretariat_sets_an_items_status_in_a_draft(client_for, secretariat: User, draft: ScopeVersion) -> None:
    item = draft.items.get()
    response = client_for(secretariat).post(
        f"/register/scope-items/{item.pk}/status/", {"status": "suspended", "reason": "No equipment"}
    )
    assertRedirects(response, f"/register/scopes/{draft.pk}/")
    item.refresh_from_db()
    assert item.status == ScopeItemStatus.SUSPENDED


def test_an_illegal_item_status_move_is_refused(client_for, secretariat: User, draft: ScopeVersion) -> None:
    item = draft.items.get()
    client = client_for(secretariat)
    client.post(f"/register/scope-items/{item.pk}/status/", {"status": "withdrawn", "reason": "Gone"})
    response = client.post(f"/register/scope-items/{item.pk}/status/", {"status": "active", "reason": "Back"})
    assertContains(response, "The status cannot change from “Withdrawn” to “Active”.")
    item.refresh_from_db()
    assert item.status == ScopeItemStatus.WITHDRAWN


def test_the_secretariat_publishes_a_draft_as_the_next_issue(
    client_for, secretariat: User, draft: ScopeVersion, published_scope: ScopeVersion
) -> None:
    response = client_for(secretariat).post(
        f"/register/scopes/{draft.pk}/publish/", {"issued_on": "2025-01-15", "reason": "Extension granted"}
    )
    assertRedirects(response, f"/register/scopes/{draft.pk}/", fetch_redirect_response=False)
    draft.refresh_from_db()
    published_scope.refresh_from_db()
    assert (draft.status, draft.issue_number, str(draft.issued_on)) == (ScopeVersionStatus.PUBLISHED, 2, "2025-01-15")
    assert published_scope.status == ScopeVersionStatus.SUPERSEDED


def test_publishing_an_empty_draft_is_refused(client_for, secretariat: User, draft: ScopeVersion) -> None:
    draft.items.all().delete()
    response = client_for(secretariat).post(f"/register/scopes/{draft.pk}/publish/", {})
    assertContains(response, "A scope needs at least one item before it is published.")
    draft.refresh_from_db()
    assert draft.status == ScopeVersionStatus.DRAFT


def test_the_secretariat_discards_a_draft(
    client_for, secretariat: User, accreditation: Accreditation, draft: ScopeVersion
) -> None:
    response = client_for(secretariat).post(f"/register/scopes/{draft.pk}/discard/")
    assertRedirects(response, f"/register/accreditations/{accreditation.pk}/")
    assert not ScopeVersion.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("persona", ["decision_maker", "cab_admin"])
def test_only_the_secretariat_may_change_a_scope(request, client_for, draft: ScopeVersion, persona: str) -> None:
    client = client_for(request.getfixturevalue(persona))
    item = draft.items.get()
    assert client.post(f"/register/scopes/{draft.pk}/items/new/", TEA).status_code == 403
    assert client.post(f"/register/scope-items/{item.pk}/remove/").status_code == 403
    assert client.post(f"/register/scopes/{draft.pk}/publish/").status_code == 403
    assert draft.items.count() == 1
    assert ScopeVersion.objects.get(pk=draft.pk).status == ScopeVersionStatus.DRAFT


def test_the_version_page_shows_the_shapes_columns_items_and_their_status(
    client_for, decision_maker: User, published_scope: ScopeVersion
) -> None:
    response = client_for(decision_maker).get(f"/register/scopes/{published_scope.pk}/")
    for text in ["Field", "Object or product", "Parameter", "Method or standard", "食用植物油", "GB 5009.229-2016"]:
        assertContains(response, text)
    assertContains(response, '<span class="badge badge-active">Active</span>', html=True)
    assertContains(response, "A published issue never changes.")
    assertNotContains(response, "/remove/")


def test_the_draft_page_offers_the_secretariat_its_editing_actions(
    client_for, secretariat: User, draft: ScopeVersion
) -> None:
    response = client_for(secretariat).get(f"/register/scopes/{draft.pk}/")
    item = draft.items.get()
    assertContains(response, f'href="/register/scope-items/{item.pk}/edit/"')
    assertContains(response, f'action="/register/scopes/{draft.pk}/publish/"')
    assertContains(response, f'action="/register/scopes/{draft.pk}/discard/"')


# --- Comparing versions -----------------------------------------------------------------------


@pytest.mark.smoke
def test_the_diff_shows_an_added_item(
    client_for, decision_maker: User, accreditation: Accreditation, secretariat
) -> None:
    first = accreditation.current_scope
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=TEA)
    second = scope_version_publish(version=draft, actor=secretariat)
    assert first is not None
    response = client_for(decision_maker).get(
        f"/register/accreditations/{accreditation.pk}/scope/diff/", {"from": first.pk, "to": second.pk}
    )
    assertContains(response, "1 added")
    assertContains(response, "0 removed")
    assertContains(response, "1 unchanged")
    added = response.context["added"]
    assert [row.item.attributes for row in added] == [TEA]
    assertContains(response, "草甘膦残留")


def test_the_diff_highlights_the_changed_fields_and_lists_removed_items(
    client_for, secretariat: User, accreditation: Accreditation, draft: ScopeVersion
) -> None:
    old_item = draft.items.get()
    scope_item_update(
        item=old_item, actor=secretariat, attributes={**old_item.attributes, "method": "GB 5009.229-2023"}
    )
    response = client_for(secretariat).get(f"/register/accreditations/{accreditation.pk}/scope/diff/")
    assertContains(response, "1 changed")
    assertContains(response, '<td class="changed changed-old">GB 5009.229-2016</td>', html=True)
    assertContains(response, '<td class="changed changed-new">GB 5009.229-2023</td>', html=True)
    assertContains(response, "<td>食用植物油</td>", count=2, html=True)

    backwards = client_for(secretariat).get(
        f"/register/accreditations/{accreditation.pk}/scope/diff/", {"from": draft.pk, "to": draft.based_on_id}
    )
    assertContains(backwards, "0 added")


def test_the_diff_compares_versions_of_one_accreditation_only(
    client_for, secretariat: User, accreditation: Accreditation, other_cab
) -> None:
    other = accreditation_grant(
        accreditation=accreditation_open(cab=other_cab, programme=programme("CL"), actor=secretariat), actor=secretariat
    )
    stranger = scope_draft_start(accreditation=other, actor=secretariat)
    current = accreditation.current_scope
    assert current is not None
    response = client_for(secretariat).get(
        f"/register/accreditations/{accreditation.pk}/scope/diff/", {"from": current.pk, "to": stranger.pk}
    )
    assertContains(response, "Select a valid choice.")
    assert "diff" not in response.context


def test_the_diff_page_says_when_there_is_nothing_to_compare(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).get(f"/register/accreditations/{accreditation.pk}/scope/diff/")
    assertContains(response, "fewer than two scope versions")
