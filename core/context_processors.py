"""Template context every page needs: the user's roles and CAB memberships for the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.notifications import unread_count
from core.roles import Role, roles_of


def portal(request: HttpRequest) -> dict[str, Any]:
    roles = roles_of(request.user)
    user = request.user
    return {
        "unread_notifications": unread_count(user) if user.is_authenticated else 0,
        "portal_roles": roles,
        "is_secretariat": request.user.is_authenticated
        and (request.user.is_superuser or Role.SECRETARIAT.value in roles),
        "is_staff_reader": request.user.is_authenticated
        and (request.user.is_superuser or bool(roles & {Role.SECRETARIAT.value, Role.DECISION_MAKER.value})),
    }
