"""The portal's roles and how to ask whether a user holds one.

Staff roles are Django groups, created by a data migration, so the admin can grant them and
model permissions can hang on them. Membership of a CAB is not a role but a relation
(``accreditation.CabMembership``), because it is scoped to one body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    ASSESSOR = "assessor", _("Assessor")


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The role names a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._portal_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role.value in roles_of(user)


def is_secretariat(user: User | AnonymousUser) -> bool:
    """Secretariat staff run the register; superusers act as secretariat for maintenance."""
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.SECRETARIAT))


def is_staff_reader(user: User | AnonymousUser) -> bool:
    """Accreditation-body staff who may read the whole register: secretariat and decision makers."""
    return is_secretariat(user) or has_role(user, Role.DECISION_MAKER)
