"""Rate limits for the endpoints anyone can call without an account."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class PortalScopedRateThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` whose rates are read from the settings on every request.

    DRF binds ``THROTTLE_RATES`` once, when the class is imported, so a rate changed in the
    settings (a deployment's ``PUBLIC_API_RATE``, a test's ``override_settings``) would be
    ignored. Clients without an account are counted by address, signed-in ones by user.
    """

    def get_rate(self) -> str | None:
        try:
            rate = api_settings.DEFAULT_THROTTLE_RATES[str(self.scope)]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for the scope {self.scope!r}."
            ) from exc
        return None if rate is None else str(rate)


def rate_of(scope: str) -> str:
    """The configured rate of a throttle scope, e.g. ``60/minute``, for the API description."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    return str(rate) if rate else "unlimited"
