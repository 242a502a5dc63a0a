"""Queries of applications. ``application_qs_for`` decides what one user may see or change.

- CAB members see and change their own CABs' applications, drafts included.
- Secretariat staff see and review every application once it has been submitted; a draft that
  was never submitted is the CAB's own work in progress and stays invisible to staff.
- Decision makers read the same applications as the secretariat and change none.
- Everybody else (assessors, other CABs' members, the public) sees none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from accreditation.choices import ScopeItemStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType, ScopeAction
from accreditation.models import Application, ApplicationDocument, ApplicationScopeItem, ScopeItem
from accreditation.selectors import Action, AnyUser, user_cabs
from core.roles import is_secretariat, is_staff_reader


def application_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[Application]:
    applications = Application.objects.select_related("cab", "programme", "accreditation")
    if not user.is_authenticated:
        return applications.none()
    visible = Q(cab__in=user_cabs(user))
    if is_secretariat(user) or (action == "view" and is_staff_reader(user)):
        visible |= Q(first_submitted_at__isnull=False)
    return applications.filter(visible)


def application_item_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[ApplicationScopeItem]:
    return ApplicationScopeItem.objects.select_related("application__programme").filter(
        application__in=application_qs_for(user, action)
    )


def application_document_qs_for(user: AnyUser, action: Action = "view") -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.select_related("application", "uploaded_by").filter(
        application__in=application_qs_for(user, action)
    )


def acceptance_queue(user: AnyUser) -> QuerySet[Application]:
    """Submitted applications waiting for the acceptance review, oldest first."""
    return application_qs_for(user).filter(status=ApplicationStatus.SUBMITTED).order_by("submitted_at", "pk")


def current_scope_items(application: Application) -> list[ScopeItem]:
    """Items of the current published scope the application refers to (none for an initial one)."""
    accreditation = application.accreditation
    current = accreditation.current_scope if accreditation is not None else None
    if current is None:
        return []
    return list(current.items.exclude(status=ScopeItemStatus.WITHDRAWN))


@dataclass
class ApplicationDiff:
    """The applied scope against the current published scope."""

    added: list[ApplicationScopeItem] = field(default_factory=list)
    removed: list[ScopeItem] = field(default_factory=list)
    kept: list[ScopeItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed)

    def as_dict(self, shape: str) -> dict[str, Any]:
        from accreditation.scope_shapes import summary

        def row(key: Any, attributes: dict[str, Any]) -> dict[str, Any]:
            return {"key": str(key) if key else None, "attributes": attributes, "summary": summary(shape, attributes)}

        return {
            "added": [row(i.key, i.attributes) for i in self.added],
            "removed": [row(i.key, i.attributes) for i in self.removed],
            "kept": [row(i.key, i.attributes) for i in self.kept],
        }


def application_diff(application: Application) -> ApplicationDiff:
    """What the scope would be if the application were granted, compared with today's.

    An extension adds to the current scope; a reduction takes the named items off it; a renewal
    keeps the items it names and drops the others; an initial application adds everything.
    """
    items = list(application.items.all())
    current = current_scope_items(application)
    diff = ApplicationDiff(added=[i for i in items if i.action == ScopeAction.ADD])
    if application.type == ApplicationType.REDUCTION:
        removed = {str(i.key) for i in items if i.action == ScopeAction.REMOVE}
        diff.removed = [i for i in current if str(i.key) in removed]
        diff.kept = [i for i in current if str(i.key) not in removed]
    elif application.type == ApplicationType.RENEWAL:
        kept = {str(i.key) for i in items if i.action == ScopeAction.KEEP}
        diff.kept = [i for i in current if str(i.key) in kept]
        diff.removed = [i for i in current if str(i.key) not in kept]
    else:
        diff.kept = current
    return diff
