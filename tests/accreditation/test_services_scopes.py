"""Drafting and publishing issues of a scope of accreditation; a published issue never changes.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
of ``cab``. ``accreditation`` is ``cab`` accredited under CL; ``published_scope`` is its first
issue, holding one item (acid value of edible vegetable oil, GB 5009.229-2016).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accreditation.models import Accreditation, ScopeItem, ScopeVersion
from accreditation.services.accreditations import accreditation_withdraw
from accreditation.services.scopes import (
    scope_draft_start,
    scope_item_add,
    scope_item_remove,
    scope_item_set_status,
    scope_item_update,
    scope_version_discard,
    scope_version_publish,
)
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from tests.accreditation.service_assertions import event_summary, new_events, nothing_changes
from tests.conftest import LAB_ITEM

PEROXIDE = {"field": "食品", "subject": "食用植物油", "parameter": "过氧化值", "method": "GB 5009.227-2023"}
PUBLISHED_MESSAGE = "Issue 1 of this scope is published and cannot be changed; start a new draft."


@pytest.fixture
def draft(secretariat: User, accreditation: Accreditation, published_scope: ScopeVersion) -> ScopeVersion:
    """A draft of issue 2, holding a copy of the published item."""
    return scope_draft_start(accreditation=accreditation, actor=secretariat, note="扩项申请")


def parameters(version: ScopeVersion) -> list[str]:
    return [item.attributes["parameter"] for item in version.items.order_by("position")]


# --- scope_draft_start --------------------------------------------------------------------------


def test_a_draft_starts_as_a_copy_of_the_published_issue_with_the_same_item_keys(
    secretariat: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    with new_events() as events:
        draft = scope_draft_start(accreditation=accreditation, actor=secretariat, note="扩项申请")

    published_item = published_scope.items.get()
    copied = draft.items.get()
    assert (draft.status, draft.issue_number, draft.based_on, draft.created_by) == (
        "draft",
        None,
        published_scope,
        secretariat,
    )
    assert (copied.key, copied.attributes, copied.status) == (published_item.key, LAB_ITEM, "active")
    assert copied.pk != published_item.pk
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "scope.draft_started",
            "actor": "alice",
            "aggregate": f"accreditation.scopeversion:{draft.pk}",
            "cab_id": accreditation.cab_id,
            "reason": "",
            "old_values": {},
            "new_values": {"based_on_issue": 1, "note": "扩项申请"},
        }
    ]


def test_a_second_draft_is_refused(secretariat: User, accreditation: Accreditation, draft: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_draft_start(accreditation=accreditation, actor=secretariat)

    assert refused.value.code == "draft_exists"
    assert refused.value.message == "This accreditation already has a draft scope; edit that one."


def test_a_withdrawn_accreditations_scope_can_no_longer_change(secretariat: User, accreditation: Accreditation) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="超范围使用认可标识")

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_draft_start(accreditation=accreditation, actor=secretariat)

    assert refused.value.code == "accreditation_closed"
    assert refused.value.message == "The accreditation is Withdrawn; its scope can no longer change."


def test_a_cab_admin_cannot_start_a_draft(cab_admin: User, accreditation: Accreditation) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        scope_draft_start(accreditation=accreditation, actor=cab_admin)

    assert refused.value.code == "not_secretariat"


# --- items of a draft ---------------------------------------------------------------------------


def test_an_item_added_to_a_draft_is_cleaned_and_placed_last(secretariat: User, draft: ScopeVersion) -> None:
    with new_events() as events:
        item = scope_item_add(
            version=draft,
            actor=secretariat,
            attributes={**PEROXIDE, "method": "  GB 5009.227-2023 ", "limitation": "", "site": ""},
        )

    assert (item.position, item.status, item.attributes) == (2, "active", PEROXIDE)
    assert parameters(draft) == ["酸价", "过氧化值"]
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "scope.item_added",
            "actor": "alice",
            "aggregate": f"accreditation.scopeitem:{item.pk}",
            "cab_id": draft.accreditation.cab_id,
            "reason": "",
            "old_values": {},
            "new_values": {"version": draft.pk, "status": "active", **PEROXIDE},
        }
    ]


def test_an_item_with_missing_and_unknown_fields_is_refused_with_every_problem(
    secretariat: User, draft: ScopeVersion
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        scope_item_add(version=draft, actor=secretariat, attributes={"field": "食品", "subject": "", "colour": "红"})

    assert refused.value.code == "invalid_scope_item"
    assert refused.value.message == "The scope item has invalid fields."
    assert refused.value.detail == {
        "colour": "This programme's scope has no field named “colour”.",
        "subject": "This field is required.",
        "parameter": "This field is required.",
        "method": "This field is required.",
    }


def test_an_item_is_updated_in_a_draft_and_the_trail_keeps_both_versions(
    secretariat: User, draft: ScopeVersion
) -> None:
    item = draft.items.get()
    newer = {**LAB_ITEM, "method": "GB 5009.229-2025"}

    with new_events() as events:
        scope_item_update(item=item, actor=secretariat, attributes=newer)

    assert ScopeItem.objects.get(pk=item.pk).attributes == newer
    assert [(e.event_type, e.old_values, e.new_values) for e in events] == [("scope.item_updated", LAB_ITEM, newer)]


def test_an_update_that_changes_nothing_writes_nothing(secretariat: User, draft: ScopeVersion) -> None:
    with nothing_changes():
        scope_item_update(item=draft.items.get(), actor=secretariat, attributes=dict(LAB_ITEM))


def test_an_items_status_changes_in_a_draft_following_the_item_table(secretariat: User, draft: ScopeVersion) -> None:
    item = draft.items.get()

    with new_events() as events:
        scope_item_set_status(item=item, actor=secretariat, status="suspended", reason="设备失效")
        scope_item_set_status(item=item, actor=secretariat, status="withdrawn", reason="不再开展")

    assert ScopeItem.objects.get(pk=item.pk).status == "withdrawn"
    assert [(e.event_type, e.reason, e.old_values, e.new_values) for e in events] == [
        ("scope.item_status_changed", "设备失效", {"status": "active"}, {"status": "suspended"}),
        ("scope.item_status_changed", "不再开展", {"status": "suspended"}, {"status": "withdrawn"}),
    ]


def test_a_withdrawn_item_cannot_become_active_again(secretariat: User, draft: ScopeVersion) -> None:
    item = draft.items.get()
    scope_item_set_status(item=item, actor=secretariat, status="withdrawn", reason="不再开展")

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_set_status(item=item, actor=secretariat, status="active", reason="恢复")

    assert refused.value.code == "illegal_status_change"
    assert refused.value.message == "The status cannot change from “Withdrawn” to “Active”."


def test_a_status_that_does_not_exist_is_refused_as_an_illegal_change(secretariat: User, draft: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_set_status(item=draft.items.get(), actor=secretariat, status="paused", reason="暂停")

    assert refused.value.code == "illegal_status_change"
    assert refused.value.message == "The status cannot change from “Active” to “paused”."
    assert refused.value.detail == {"from": "active", "to": "paused", "allowed": ["suspended", "withdrawn"]}


def test_an_item_is_removed_from_a_draft(secretariat: User, draft: ScopeVersion) -> None:
    scope_item_add(version=draft, actor=secretariat, attributes=PEROXIDE)
    item = draft.items.get(attributes__parameter="酸价")
    item_id = item.pk

    with new_events() as events:
        scope_item_remove(item=item, actor=secretariat)

    assert parameters(draft) == ["过氧化值"]
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "scope.item_removed",
            "actor": "alice",
            "aggregate": f"accreditation.scopeitem:{item_id}",
            "cab_id": draft.accreditation.cab_id,
            "reason": "",
            "old_values": {"status": "active", **LAB_ITEM},
            "new_values": {},
        }
    ]


def test_a_decision_maker_cannot_edit_a_draft(decision_maker: User, draft: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        scope_item_add(version=draft, actor=decision_maker, attributes=PEROXIDE)

    assert refused.value.code == "not_secretariat"


# --- a published issue is frozen ----------------------------------------------------------------


def test_adding_an_item_to_a_published_issue_is_refused(secretariat: User, published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_add(version=published_scope, actor=secretariat, attributes=PEROXIDE)

    assert refused.value.code == "scope_version_published"
    assert refused.value.message == PUBLISHED_MESSAGE
    assert refused.value.detail == {"scope_version": published_scope.pk, "status": "published"}
    assert refused.value.http_status == 409


def test_editing_an_item_of_a_published_issue_is_refused(secretariat: User, published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_update(item=published_scope.items.get(), actor=secretariat, attributes=PEROXIDE)

    assert refused.value.code == "scope_version_published"


def test_suspending_an_item_of_a_published_issue_directly_is_refused(
    secretariat: User, published_scope: ScopeVersion
) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_set_status(item=published_scope.items.get(), actor=secretariat, status="suspended", reason="暂停")

    assert refused.value.code == "scope_version_published"


def test_removing_an_item_of_a_published_issue_is_refused(secretariat: User, published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_remove(item=published_scope.items.get(), actor=secretariat)

    assert refused.value.code == "scope_version_published"


def test_a_superseded_issue_is_frozen_too(
    secretariat: User, draft: ScopeVersion, published_scope: ScopeVersion
) -> None:
    scope_version_publish(version=draft, actor=secretariat)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_item_update(item=published_scope.items.get(), actor=secretariat, attributes=PEROXIDE)

    assert refused.value.code == "scope_version_published"
    assert refused.value.detail == {"scope_version": published_scope.pk, "status": "superseded"}


def test_saving_an_item_of_a_published_issue_outside_the_services_is_refused(published_scope: ScopeVersion) -> None:
    item = published_scope.items.get()
    item.attributes = PEROXIDE

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        item.save()

    assert refused.value.code == "scope_version_published"
    assert refused.value.message == PUBLISHED_MESSAGE


def test_deleting_an_item_of_a_published_issue_outside_the_services_is_refused(published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        published_scope.items.get().delete()

    assert refused.value.code == "scope_version_published"


def test_adding_an_item_to_a_published_issue_outside_the_services_is_refused(published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        ScopeItem(version=published_scope, attributes=PEROXIDE).save()

    assert refused.value.code == "scope_version_published"


def test_an_item_loaded_before_its_issue_was_published_cannot_be_saved_afterwards(
    secretariat: User, draft: ScopeVersion
) -> None:
    item = scope_item_add(version=draft, actor=secretariat, attributes=PEROXIDE)
    scope_version_publish(version=draft, actor=secretariat)
    item.attributes = {**PEROXIDE, "method": "forged"}

    with pytest.raises(StateConflict):
        item.save()


# --- publishing and discarding ------------------------------------------------------------------


def test_publishing_a_draft_makes_it_the_next_issue_and_supersedes_the_current_one(
    secretariat: User, draft: ScopeVersion, published_scope: ScopeVersion
) -> None:
    scope_item_add(version=draft, actor=secretariat, attributes=PEROXIDE)

    with new_events() as events:
        issue = scope_version_publish(
            version=draft, actor=secretariat, issued_on=dt.date(2025, 6, 1), reason="扩项评审通过"
        )

    published_scope.refresh_from_db()
    assert (issue.status, issue.issue_number, issue.issued_on, issue.published_by) == (
        "published",
        2,
        dt.date(2025, 6, 1),
        secretariat,
    )
    assert issue.published_at is not None
    assert published_scope.status == "superseded"
    assert draft.accreditation.current_scope == issue
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "scope.published",
            "actor": "alice",
            "aggregate": f"accreditation.scopeversion:{issue.pk}",
            "cab_id": draft.accreditation.cab_id,
            "reason": "扩项评审通过",
            "old_values": {"current_issue": 1},
            "new_values": {"current_issue": 2, "issued_on": "2025-06-01", "items": 2},
        }
    ]


def test_an_issue_published_without_a_date_is_issued_today(secretariat: User, draft: ScopeVersion) -> None:
    assert scope_version_publish(version=draft, actor=secretariat).issued_on == timezone.localdate()


def test_publishing_sends_its_hook_only_after_commit(
    secretariat: User, draft: ScopeVersion, django_capture_on_commit_callbacks
) -> None:
    from accreditation import hooks

    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append({"sender": sender, **{k: v for k, v in kwargs.items() if k != "signal"}})

    hooks.scope_version_published.connect(receiver, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            issue = scope_version_publish(version=draft, actor=secretariat)
            assert received == []
    finally:
        hooks.scope_version_published.disconnect(receiver)

    assert received == [
        {
            "sender": ScopeVersion,
            "scope_version_id": issue.pk,
            "accreditation_id": draft.accreditation_id,
            "actor_id": secretariat.pk,
        }
    ]


def test_an_empty_draft_cannot_be_published(secretariat: User, draft: ScopeVersion) -> None:
    scope_item_remove(item=draft.items.get(), actor=secretariat)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        scope_version_publish(version=draft, actor=secretariat)

    assert refused.value.code == "scope_empty"
    assert refused.value.message == "A scope needs at least one item before it is published."


def test_a_published_issue_cannot_be_published_again(secretariat: User, published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_version_publish(version=published_scope, actor=secretariat)

    assert refused.value.code == "scope_version_published"


def test_a_draft_is_discarded_with_its_items(secretariat: User, draft: ScopeVersion) -> None:
    draft_id = draft.pk

    with new_events() as events:
        scope_version_discard(version=draft, actor=secretariat)

    assert not ScopeVersion.objects.filter(pk=draft_id).exists()
    assert not ScopeItem.objects.filter(version_id=draft_id).exists()
    assert [(e.event_type, e.aggregate_id, e.old_values) for e in events] == [
        ("scope.draft_discarded", str(draft_id), {"items": 1})
    ]


def test_a_published_issue_cannot_be_discarded(secretariat: User, published_scope: ScopeVersion) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        scope_version_discard(version=published_scope, actor=secretariat)

    assert refused.value.code == "scope_version_published"
