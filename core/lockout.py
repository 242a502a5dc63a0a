"""Login lockout (django-axes): the client's address, the lockout answer, and wrong second-factor codes.

django-axes counts failed logins per user name and client address (``AXES_LOCKOUT_PARAMETERS``)
and, after ``AXES_FAILURE_LIMIT`` of them, refuses that pair until ``AXES_COOLOFF_TIME`` has
passed. It hears every failed password through Django's ``user_login_failed`` signal: the login
form, the admin's login and the API token endpoint all authenticate with the request, which
axes needs. A wrong second-factor code counts as a failed login too (``login_failed``). The
secretariat sees and clears lockouts in the admin (Axes › Access attempts) or with
``manage.py axes_reset_username <name>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings


def client_ip(request: HttpRequest) -> str | None:
    """The address lockouts count, the same way the API's rate limits do.

    ``X-Forwarded-For`` is read only when ``NUM_PROXIES`` (the proxies in front of the portal)
    says there are proxies, and then the address the nearest of them saw: the part a client
    could forge is to its left. With no proxies, ``REMOTE_ADDR``.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = api_settings.NUM_PROXIES
    if not proxies or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]


def _cool_off_minutes(request: HttpRequest) -> int | None:
    cool_off = get_cool_off(request)
    if not isinstance(cool_off, dt.timedelta):
        return None
    return max(1, round(cool_off.total_seconds() / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """What a locked-out client gets (``AXES_LOCKOUT_CALLABLE``): the portal's error shape from the
    API, the lockout page otherwise; 429 either way."""
    minutes = _cool_off_minutes(request)
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        if minutes:
            message = _(
                "Too many failed logins for this user from this address: try again in {minutes} minutes."
            ).format(minutes=minutes)
        else:
            message = _("Too many failed logins for this user from this address: ask the secretariat to unlock it.")
        return JsonResponse(
            {
                "code": "locked_out",
                "message": message,
                "detail": {"failure_limit": settings.AXES_FAILURE_LIMIT, "cool_off_minutes": minutes},
            },
            status=status,
        )
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cool_off_minutes": minutes}
    return render(request, "registration/lockout.html", context, status=status)


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def login_failed(request: HttpRequest, username: str) -> bool:
    """Count a failed login step that Django's ``authenticate`` did not see (a wrong second-factor
    code); answers whether it locked the user name and address out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))
