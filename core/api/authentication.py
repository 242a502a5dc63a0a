"""Session authentication for the API that honours the second factor (``core.two_factor``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from core.two_factor import second_factor_pending


class SecondFactorPending(exceptions.PermissionDenied):
    default_detail = _(
        "Enter the code from your authenticator app at /accounts/two-factor/ before using the API with this session."
    )
    default_code = "two_factor_required"


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser's session, refused with 403 while its user still owes the second-factor code.

    Without this, a password alone would open the API to the roles that must use a second factor.
    Token clients gave the code when they obtained the token (``/api/auth/token/``).
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is not None and second_factor_pending(request._request):
            raise SecondFactorPending()
        return result


class VerifiedSessionScheme(SessionScheme):
    """The schema shows it as the session cookie, like DRF's own session authentication."""

    target_class = "core.api.authentication.VerifiedSessionAuthentication"
