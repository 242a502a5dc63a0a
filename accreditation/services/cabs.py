"""Creating and maintaining CABs, their sites and contacts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accreditation.choices import CAB_TRANSITIONS, CabStatus
from accreditation.models import Cab, CabContact, CabSite
from accreditation.services.guards import (
    assign_changes,
    field_values,
    full_clean_or_raise,
    require_cab_admin_or_secretariat,
    require_secretariat,
    require_transition,
)
from accreditation.validators import normalise_credit_code
from core.audit import audit_record
from core.errors import DomainError
from core.models import User

#: Register fields the secretariat maintains; a CAB changes them through a change application.
CAB_FIELDS = [
    "name_zh",
    "name_en",
    "credit_code",
    "kind",
    "province",
    "address_zh",
    "address_en",
    "postcode",
    "website",
]
SITE_FIELDS = ["name", "address", "province", "is_main"]
CONTACT_FIELDS = ["name", "role", "email", "phone", "is_primary"]


def _refuse_duplicate_credit_code(credit_code: str, *, exclude_pk: int | None = None) -> None:
    others = Cab.objects.filter(credit_code=credit_code)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise DomainError(
            "duplicate_credit_code",
            _("A CAB with the unified social credit code {code} is already registered.").format(code=credit_code),
            detail={"credit_code": credit_code},
        )


@transaction.atomic
def cab_create(*, actor: User | None, reason: str = "", **values: Any) -> Cab:
    require_secretariat(actor)
    unknown = set(values) - set(CAB_FIELDS)
    if unknown:
        raise TypeError(f"cab_create() got unexpected fields: {sorted(unknown)}")
    values["credit_code"] = normalise_credit_code(values.get("credit_code", ""))
    cab = Cab(**values)
    full_clean_or_raise(cab)
    _refuse_duplicate_credit_code(cab.credit_code)
    cab.save()
    audit_record(
        instance=cab,
        event_type="cab.created",
        actor=actor,
        reason=reason,
        new_values=field_values(cab, CAB_FIELDS),
        cab_id=cab.pk,
    )
    return cab


@transaction.atomic
def cab_update(*, cab: Cab, actor: User | None, reason: str = "", **values: Any) -> Cab:
    require_secretariat(actor)
    cab = Cab.objects.select_for_update().get(pk=cab.pk)
    if "credit_code" in values:
        values["credit_code"] = normalise_credit_code(values["credit_code"])
    old = assign_changes(cab, values, allowed=CAB_FIELDS)
    if not old:
        return cab
    full_clean_or_raise(cab)
    if "credit_code" in old:
        _refuse_duplicate_credit_code(cab.credit_code, exclude_pk=cab.pk)
    cab.save(update_fields=[*old, "updated_at"])
    audit_record(
        instance=cab,
        event_type="cab.updated",
        actor=actor,
        reason=reason,
        old_values=old,
        new_values=field_values(cab, list(old)),
        cab_id=cab.pk,
    )
    return cab


def _cab_move(*, cab: Cab, actor: User | None, reason: str, target: CabStatus, event_type: str) -> Cab:
    require_secretariat(actor)
    if not reason.strip():
        raise DomainError("reason_required", _("Give a reason for this change."))
    cab = Cab.objects.select_for_update().get(pk=cab.pk)
    require_transition(CAB_TRANSITIONS, cab.status, target, CabStatus)
    old_status = cab.status
    cab.status = target
    cab.save(update_fields=["status", "updated_at"])
    audit_record(
        instance=cab,
        event_type=event_type,
        actor=actor,
        reason=reason,
        old_values={"status": old_status},
        new_values={"status": cab.status},
        cab_id=cab.pk,
    )
    return cab


@transaction.atomic
def cab_close(*, cab: Cab, actor: User | None, reason: str) -> Cab:
    return _cab_move(cab=cab, actor=actor, reason=reason, target=CabStatus.CLOSED, event_type="cab.closed")


@transaction.atomic
def cab_reopen(*, cab: Cab, actor: User | None, reason: str) -> Cab:
    return _cab_move(cab=cab, actor=actor, reason=reason, target=CabStatus.ACTIVE, event_type="cab.reopened")


@transaction.atomic
def cab_site_add(*, cab: Cab, actor: User | None, reason: str = "", **values: Any) -> CabSite:
    require_secretariat(actor)
    if CabSite.objects.filter(cab=cab, name=values.get("name", "")).exists():
        raise DomainError("duplicate_site", _("This CAB already has a site with that name."))
    site = CabSite(cab=cab, **values)
    full_clean_or_raise(site, exclude=["cab"])
    site.save()
    audit_record(
        instance=site,
        event_type="cab.site_added",
        actor=actor,
        reason=reason,
        new_values=field_values(site, SITE_FIELDS),
        cab_id=cab.pk,
    )
    return site


@transaction.atomic
def cab_site_remove(*, site: CabSite, actor: User | None, reason: str = "") -> None:
    require_secretariat(actor)
    # The trail records the row as it is, not as the caller's (possibly stale) copy says.
    site = CabSite.objects.select_for_update().get(pk=site.pk)
    old = field_values(site, SITE_FIELDS)
    audit_record(
        instance=site, event_type="cab.site_removed", actor=actor, reason=reason, old_values=old, cab_id=site.cab_id
    )
    site.delete()


@transaction.atomic
def cab_contact_add(*, cab: Cab, actor: User | None, reason: str = "", **values: Any) -> CabContact:
    require_cab_admin_or_secretariat(actor, cab)
    contact = CabContact(cab=cab, **values)
    full_clean_or_raise(contact, exclude=["cab"])
    contact.save()
    audit_record(
        instance=contact,
        event_type="cab.contact_added",
        actor=actor,
        reason=reason,
        new_values=field_values(contact, CONTACT_FIELDS),
        cab_id=cab.pk,
    )
    return contact


@transaction.atomic
def cab_contact_update(*, contact: CabContact, actor: User | None, reason: str = "", **values: Any) -> CabContact:
    require_cab_admin_or_secretariat(actor, contact.cab)
    contact = CabContact.objects.select_for_update().get(pk=contact.pk)
    old = assign_changes(contact, values, allowed=CONTACT_FIELDS)
    if not old:
        return contact
    full_clean_or_raise(contact, exclude=["cab"])
    contact.save(update_fields=list(old))
    audit_record(
        instance=contact,
        event_type="cab.contact_updated",
        actor=actor,
        reason=reason,
        old_values=old,
        new_values=field_values(contact, list(old)),
        cab_id=contact.cab_id,
    )
    return contact


@transaction.atomic
def cab_contact_remove(*, contact: CabContact, actor: User | None, reason: str = "") -> None:
    require_cab_admin_or_secretariat(actor, contact.cab)
    # The trail records the row as it is, not as the caller's (possibly stale) copy says.
    contact = CabContact.objects.select_for_update().get(pk=contact.pk)
    audit_record(
        instance=contact,
        event_type="cab.contact_removed",
        actor=actor,
        reason=reason,
        old_values=field_values(contact, CONTACT_FIELDS),
        cab_id=contact.cab_id,
    )
    contact.delete()
