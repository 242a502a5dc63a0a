"""Drafting and publishing versions of a scope of accreditation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation import hooks
from accreditation.choices import (
    LIVE_ACCREDITATION_STATUSES,
    SCOPE_ITEM_TRANSITIONS,
    ScopeItemStatus,
    ScopeVersionStatus,
)
from accreditation.models import Accreditation, ScopeItem, ScopeVersion
from accreditation.scope_shapes import clean_attributes
from accreditation.services.guards import require_secretariat, require_transition
from core.audit import audit_record
from core.errors import DomainError, StateConflict
from core.models import User


def _locked_draft(version: ScopeVersion) -> ScopeVersion:
    version = ScopeVersion.objects.select_for_update().select_related("accreditation__programme").get(pk=version.pk)
    if version.status != ScopeVersionStatus.DRAFT:
        raise StateConflict(
            "scope_version_published",
            _("Issue {issue} of this scope is published and cannot be changed; start a new draft.").format(
                issue=version.issue_number
            ),
            detail={"scope_version": version.pk, "status": version.status},
        )
    return version


@transaction.atomic
def scope_draft_start(*, accreditation: Accreditation, actor: User | None, note: str = "") -> ScopeVersion:
    """A new draft holding a copy of the current published items (same keys), ready to edit."""
    require_secretariat(actor)
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.status not in LIVE_ACCREDITATION_STATUSES:
        raise StateConflict(
            "accreditation_closed",
            _("The accreditation is {status}; its scope can no longer change.").format(
                status=accreditation.get_status_display()
            ),
        )
    if accreditation.scope_versions.filter(status=ScopeVersionStatus.DRAFT).exists():
        raise StateConflict("draft_exists", _("This accreditation already has a draft scope; edit that one."))
    current = accreditation.scope_versions.filter(status=ScopeVersionStatus.PUBLISHED).first()
    draft = ScopeVersion.objects.create(accreditation=accreditation, based_on=current, note=note, created_by=actor)
    if current is not None:
        ScopeItem.objects.bulk_create(
            ScopeItem(
                version=draft, key=item.key, position=item.position, status=item.status, attributes=item.attributes
            )
            for item in current.items.all()
        )
    audit_record(
        instance=draft,
        event_type="scope.draft_started",
        actor=actor,
        new_values={"based_on_issue": current.issue_number if current else None, "note": note},
        cab_id=accreditation.cab_id,
    )
    return draft


@transaction.atomic
def scope_item_add(
    *, version: ScopeVersion, actor: User | None, attributes: Mapping[str, Any], status: str = ScopeItemStatus.ACTIVE
) -> ScopeItem:
    require_secretariat(actor)
    version = _locked_draft(version)
    cleaned = clean_attributes(version.accreditation.programme.scope_shape, attributes)
    position = (version.items.aggregate(top=Max("position"))["top"] or 0) + 1
    item = ScopeItem(version=version, position=position, status=status, attributes=cleaned)
    item.save()
    audit_record(
        instance=item,
        event_type="scope.item_added",
        actor=actor,
        new_values={"version": version.pk, "status": status, **cleaned},
        cab_id=version.accreditation.cab_id,
    )
    return item


@transaction.atomic
def scope_item_update(*, item: ScopeItem, actor: User | None, attributes: Mapping[str, Any]) -> ScopeItem:
    require_secretariat(actor)
    version = _locked_draft(item.version)
    item = ScopeItem.objects.get(pk=item.pk)
    item.version = version
    cleaned = clean_attributes(version.accreditation.programme.scope_shape, attributes)
    if cleaned == item.attributes:
        return item
    old = item.attributes
    item.attributes = cleaned
    item.save(update_fields=["attributes"])
    audit_record(
        instance=item,
        event_type="scope.item_updated",
        actor=actor,
        old_values=old,
        new_values=cleaned,
        cab_id=version.accreditation.cab_id,
    )
    return item


@transaction.atomic
def scope_item_set_status(*, item: ScopeItem, actor: User | None, status: str, reason: str) -> ScopeItem:
    require_secretariat(actor)
    version = _locked_draft(item.version)
    item = ScopeItem.objects.get(pk=item.pk)
    item.version = version
    if item.status == status:
        return item
    require_transition(SCOPE_ITEM_TRANSITIONS, item.status, status, ScopeItemStatus)
    old = item.status
    item.status = status
    item.save(update_fields=["status"])
    audit_record(
        instance=item,
        event_type="scope.item_status_changed",
        actor=actor,
        reason=reason,
        old_values={"status": old},
        new_values={"status": status},
        cab_id=version.accreditation.cab_id,
    )
    return item


@transaction.atomic
def scope_item_remove(*, item: ScopeItem, actor: User | None) -> None:
    require_secretariat(actor)
    version = _locked_draft(item.version)
    item = ScopeItem.objects.get(pk=item.pk)
    item.version = version
    audit_record(
        instance=item,
        event_type="scope.item_removed",
        actor=actor,
        old_values={"status": item.status, **item.attributes},
        cab_id=version.accreditation.cab_id,
    )
    item.delete()


@transaction.atomic
def scope_version_publish(
    *, version: ScopeVersion, actor: User | None, issued_on: dt.date | None = None, reason: str = ""
) -> ScopeVersion:
    """Freeze the draft as the next issue; the issue it replaces becomes superseded."""
    require_secretariat(actor)
    version = _locked_draft(version)
    if not version.items.exists():
        raise DomainError("scope_empty", _("A scope needs at least one item before it is published."))
    accreditation = version.accreditation
    previous = (
        ScopeVersion.objects.select_for_update()
        .filter(accreditation=accreditation, status=ScopeVersionStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.status = ScopeVersionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
    top = ScopeVersion.objects.filter(accreditation=accreditation).aggregate(top=Max("issue_number"))["top"] or 0
    version.issue_number = top + 1
    version.status = ScopeVersionStatus.PUBLISHED
    version.issued_on = issued_on or timezone.localdate()
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["issue_number", "status", "issued_on", "published_at", "published_by"])
    audit_record(
        instance=version,
        event_type="scope.published",
        actor=actor,
        reason=reason,
        old_values={"current_issue": previous.issue_number if previous else None},
        new_values={
            "current_issue": version.issue_number,
            "issued_on": version.issued_on,
            "items": version.items.count(),
        },
        cab_id=accreditation.cab_id,
    )
    version_id, accreditation_id, actor_id = version.pk, accreditation.pk, actor.pk if actor else None
    transaction.on_commit(
        lambda: hooks.scope_version_published.send(
            sender=ScopeVersion, scope_version_id=version_id, accreditation_id=accreditation_id, actor_id=actor_id
        )
    )
    return version


@transaction.atomic
def scope_version_discard(*, version: ScopeVersion, actor: User | None) -> None:
    require_secretariat(actor)
    version = _locked_draft(version)
    audit_record(
        instance=version,
        event_type="scope.draft_discarded",
        actor=actor,
        old_values={"items": version.items.count()},
        cab_id=version.accreditation.cab_id,
    )
    version.delete()


def scope_publish_with_item_statuses(
    *, accreditation: Accreditation, actor: User | None, statuses: Mapping[str, str], reason: str
) -> ScopeVersion:
    """Publish a new issue equal to the current one but for the given item statuses (by key).

    Used by sanctions: suspending part of a scope, or lifting that suspension.
    """
    draft = scope_draft_start(accreditation=accreditation, actor=actor, note=reason)
    items = {str(item.key): item for item in draft.items.all()}
    unknown = sorted(set(statuses) - set(items))
    if unknown:
        raise DomainError(
            "unknown_scope_item",
            _("These items are not in the current scope: {keys}").format(keys=", ".join(unknown)),
            detail={"keys": unknown},
        )
    for key, status in statuses.items():
        scope_item_set_status(item=items[key], actor=actor, status=status, reason=reason)
    return scope_version_publish(version=draft, actor=actor, reason=reason)
