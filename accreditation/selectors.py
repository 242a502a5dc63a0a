"""Queries of the register. Each ``*_qs_for`` decides what one user may see or change.

Every page, viewset and export starts from one of these; nothing filters by hand. The rules:
secretariat staff (and superusers) see and change everything; decision makers see everything;
a CAB's members see their own CAB; a sparse guardian grant lets one user see one CAB or one
accreditation (an assessor on its case); everybody else, the public included, sees nothing
here and uses the ``public_*`` selectors, which show only what is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accreditation.choices import PUBLIC_ACCREDITATION_STATUSES, ScopeVersionStatus
from accreditation.models import (
    Accreditation,
    Cab,
    CabContact,
    CabInvitation,
    CabMembership,
    CabSite,
    Programme,
    ScopeItem,
    ScopeVersion,
)
from accreditation.scope_shapes import fields_of, summary
from accreditation.validators import credit_code_problem, normalise_credit_code
from core.models import AuditEvent, User
from core.roles import is_secretariat, is_staff_reader

Action = Literal["view", "change"]
AnyUser = User | AnonymousUser


def pinyin_order(field_name: str) -> Any:
    """Order Chinese names by pinyin on PostgreSQL (ICU collation); plain order elsewhere."""
    if connection.vendor == "postgresql":
        return Collate(F(field_name), "zh-x-icu")
    return F(field_name)


def cab_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[Cab]:
    cabs = Cab.objects.all()
    if not user.is_authenticated:
        return cabs.none()
    if is_secretariat(user) or (action == "view" and is_staff_reader(user)):
        return cabs
    if action == "change":
        return cabs.filter(memberships__user=user, memberships__is_admin=True)
    granted = get_objects_for_user(user, "accreditation.view_cab", klass=Cab, accept_global_perms=False)
    return cabs.filter(Q(memberships__user=user) | Q(pk__in=granted.values("pk"))).distinct()


def accreditation_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[Accreditation]:
    accreditations = Accreditation.objects.select_related("cab", "programme")
    if not user.is_authenticated:
        return accreditations.none()
    if is_secretariat(user) or (action == "view" and is_staff_reader(user)):
        return accreditations
    if action == "change":
        return accreditations.none()
    granted = get_objects_for_user(
        user, "accreditation.view_accreditation", klass=Accreditation, accept_global_perms=False
    )
    return accreditations.filter(Q(cab__in=cab_qs_for(user, "view")) | Q(pk__in=granted.values("pk")))


def scope_version_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[ScopeVersion]:
    versions = ScopeVersion.objects.select_related("accreditation__cab", "accreditation__programme")
    return versions.filter(accreditation__in=accreditation_qs_for(user, action))


def scope_item_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[ScopeItem]:
    return ScopeItem.objects.select_related("version__accreditation__programme").filter(
        version__in=scope_version_qs_for(user, action)
    )


def membership_qs_for(user: AnyUser) -> QuerySet[CabMembership]:
    """Memberships a user may see: all for staff, their CABs' members for CAB users."""
    memberships = CabMembership.objects.select_related("user", "cab")
    if not user.is_authenticated:
        return memberships.none()
    if is_staff_reader(user):
        return memberships
    return memberships.filter(cab__in=cab_qs_for(user, "view"))


def programme_qs() -> QuerySet[Programme]:
    """Programmes are reference data: everyone signed in may read every one of them."""
    return Programme.objects.all()


def cab_site_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[CabSite]:
    """Sites of the CABs ``cab_qs_for`` lets the user see (or change)."""
    return CabSite.objects.filter(cab__in=cab_qs_for(user, action))


def cab_contact_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[CabContact]:
    """Contacts of the CABs ``cab_qs_for`` lets the user see (or change)."""
    return CabContact.objects.filter(cab__in=cab_qs_for(user, action))


def memberships_of(user: AnyUser) -> QuerySet[CabMembership]:
    """The user's own CAB memberships, for ``/api/me/``."""
    if not user.is_authenticated:
        return CabMembership.objects.none()
    return CabMembership.objects.filter(user=user).select_related("cab").order_by("cab__name_zh", "pk")


def audit_events_qs_for(user: AnyUser) -> QuerySet[AuditEvent]:
    """The audit trail is for accreditation-body staff; newest first, in the order written (``id``)."""
    if not is_staff_reader(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor").order_by("-id")


def audit_events_of_cab(cab: Cab) -> QuerySet[AuditEvent]:
    """The CAB's audit history, newest first, in the order written (an event's ``sequence`` comes at commit)."""
    return AuditEvent.objects.filter(cab_id=cab.pk).select_related("actor").order_by("-id")


def user_cabs(user: AnyUser) -> QuerySet[Cab]:
    """The CABs a user works for (their memberships), for the CAB user's home."""
    if not user.is_authenticated:
        return Cab.objects.none()
    return Cab.objects.filter(memberships__user=user)


def current_scope_prefetch(prefix: str = "") -> Prefetch[Any]:
    return Prefetch(
        f"{prefix}scope_versions",
        queryset=ScopeVersion.objects.filter(status=ScopeVersionStatus.PUBLISHED).prefetch_related("items"),
        to_attr="published_versions",
    )


# --- The public directory ---------------------------------------------------------------


def public_accreditation_qs() -> QuerySet[Accreditation]:
    return Accreditation.objects.filter(status__in=PUBLIC_ACCREDITATION_STATUSES).select_related("programme")


def public_cab_qs() -> QuerySet[Cab]:
    """Bodies the public directory lists: those with at least one accreditation past application."""
    return Cab.objects.filter(pk__in=public_accreditation_qs().values("cab_id"))


MIN_NAME_FRAGMENT = 2


def directory_search(*, q: str = "", programme: str = "", province: str = "", status: str = "") -> QuerySet[Cab]:
    """Public directory search; ``q`` matches a name fragment, an accreditation number or a credit code.

    The caller has checked that ``q`` is empty or at least ``MIN_NAME_FRAGMENT`` characters. A
    valid credit code is looked up exactly; a text with a digit may also be an accreditation
    number; anything else is a fragment of the Chinese or English name. Asking only what the
    text can be keeps each search to the indexes that can answer it.
    """
    accreditations = public_accreditation_qs()
    if programme:
        accreditations = accreditations.filter(programme__code=programme)
    if status:
        accreditations = accreditations.filter(status=status)
    cabs = Cab.objects.filter(Exists(accreditations.filter(cab=OuterRef("pk"))))
    if province:
        cabs = cabs.filter(province=province)
    q = " ".join(q.split())
    if q:
        code = normalise_credit_code(q)
        if credit_code_problem(code) is None:
            cabs = cabs.filter(credit_code=code)
        else:
            matches = Q(name_zh__contains=q)
            if q.isascii():
                matches |= Q(name_en__icontains=q)
            if any(char.isdigit() for char in q):
                matches |= Q(pk__in=accreditations.filter(number__icontains=q).values("cab_id"))
            cabs = cabs.filter(matches)
    return cabs.prefetch_related(
        Prefetch("accreditations", queryset=public_accreditation_qs(), to_attr="public_accreditations")
    ).order_by(pinyin_order("name_zh"), "pk")


# --- Comparing two versions of a scope ----------------------------------------------------


@dataclass
class ItemChange:
    key: str
    before: ScopeItem
    after: ScopeItem
    fields: list[str]


@dataclass
class ScopeDiff:
    old: ScopeVersion
    new: ScopeVersion
    added: list[ScopeItem] = field(default_factory=list)
    removed: list[ScopeItem] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        shape = self.new.accreditation.programme.scope_shape

        def item(i: ScopeItem) -> dict[str, Any]:
            return {
                "key": str(i.key),
                "status": i.status,
                "attributes": i.attributes,
                "summary": summary(shape, i.attributes),
            }

        return {
            "old": self.old.pk,
            "new": self.new.pk,
            "added": [item(i) for i in self.added],
            "removed": [item(i) for i in self.removed],
            "changed": [
                {"key": c.key, "fields": c.fields, "before": item(c.before), "after": item(c.after)}
                for c in self.changed
            ],
            "unchanged": self.unchanged,
        }


def scope_diff(old: ScopeVersion, new: ScopeVersion) -> ScopeDiff:
    """What changed from ``old`` to ``new``, item by item (items are matched by key)."""
    shape = new.accreditation.programme.scope_shape
    names = [f.name for f in fields_of(shape)]
    before = {str(i.key): i for i in old.items.all()}
    after = {str(i.key): i for i in new.items.all()}
    diff = ScopeDiff(old=old, new=new)
    for key, item in after.items():
        previous = before.get(key)
        if previous is None:
            diff.added.append(item)
            continue
        changed = [n for n in names if previous.attributes.get(n) != item.attributes.get(n)]
        if previous.status != item.status:
            changed.append("status")
        if changed:
            diff.changed.append(ItemChange(key=key, before=previous, after=item, fields=changed))
        else:
            diff.unchanged += 1
    diff.removed = [item for key, item in before.items() if key not in after]
    return diff


# --- Invitations to join a CAB ------------------------------------------------------------


def invitation_by_token(token: str) -> CabInvitation | None:
    """The invitation a link carries, open or not (the page explains a used or expired one)."""
    return CabInvitation.objects.select_related("cab").filter(token=token).first()


def open_invitations_of_cab(cab: Cab) -> QuerySet[CabInvitation]:
    """Invitations of a CAB still waiting for an answer, for its admins' page."""
    return CabInvitation.objects.filter(cab=cab, accepted_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at"
    )
