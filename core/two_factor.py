"""Two-factor authentication (TOTP, django-otp): who must use it, their devices, and the gate.

Secretariat staff, decision makers and superusers must confirm a time-based code after their
password; anyone else may turn it on, and is then asked for a code at every login too. The
password login (``core.views_two_factor.PortalLoginView``) sends such a user to
``/accounts/two-factor/`` (or to ``/accounts/two-factor/setup/`` when they have no device
yet); until they pass, ``TwoFactorMiddleware`` keeps them from every other page and the API
refuses their session (``core.api.authentication``). ``django_otp.login`` marks the session as
verified; django-otp's ``OTPMiddleware`` reads it back on each request.

Devices and sessions are authentication state, not register data: no service event or audit
row is written for them (as for API tokens), but each change is logged.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.contrib.syndication.views import Feed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.roles import Role, roles_of

if TYPE_CHECKING:
    from core.models import User

logger = logging.getLogger(__name__)

#: The demo users' key (``seed_demo``): the RFC 6238 test key, "12345678901234567890" in ASCII,
#: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ in base32. Published on purpose: demo data only.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
#: Set at login for a user who turned two-factor authentication on without a role that needs it.
SESSION_PENDING_KEY = "two_factor_pending"
#: The key of the device being set up, until a code confirms it.
SESSION_SETUP_KEY = "two_factor_setup_key"
#: Roles whose holders must use a second factor: they change and decide the register.
REQUIRED_ROLES = frozenset({Role.SECRETARIAT.value, Role.DECISION_MAKER.value})
#: Pages an unverified user may still reach, by URL name.
OPEN_DURING_VERIFICATION = frozenset({"two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz"})
#: Pages without an access check that still belong to signed-in users: the home page sends them to
#: "My work" and the login form would sign them in afresh, so both lead to the code instead.
NOT_PUBLIC = frozenset({"home", "login"})


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether the user's role obliges them to use a second factor (superusers too)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user) & REQUIRED_ROLES)


def is_verified(user: Any) -> bool:
    """Whether the user's session passed the second factor (``OTPMiddleware`` installs the check)."""
    check: Callable[[], bool] | None = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_pending(request: HttpRequest) -> bool:
    """A signed-in user who must still enter a code before seeing anything else."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    return two_factor_required(user) or bool(request.session.get(SESSION_PENDING_KEY))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def device_being_set_up(request: HttpRequest, user: User) -> TOTPDevice:
    """The device the user is adding, not saved until a code confirms it.

    Its key waits in the session, so a reload shows the same QR code and looking at the page writes
    nothing; another login starts afresh.
    """
    key = request.session.get(SESSION_SETUP_KEY)
    if not isinstance(key, str):
        key = default_key()
        request.session[SESSION_SETUP_KEY] = key
    return TOTPDevice(user=user, name="authenticator", key=key, confirmed=False)


def base32_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in: base32 without padding."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code (no image file, no ``data:`` URL)."""
    return str(
        segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, light="#fff", svgclass="two-factor-qr")
    )


def code_accepted(user: User, device: TOTPDevice, code: str) -> bool:
    """Check a code against the user's device. django-otp locks the row, so concurrent tries are
    throttled together, and records the time step it matched, so each code works once."""
    return django_otp.verify_token(user, device.persistent_id, code.strip()) is not None


def wait_seconds(device: TOTPDevice) -> int | None:
    """Seconds until django-otp lets the device check a code again after wrong ones; None when it may."""
    device.refresh_from_db(fields=["throttling_failure_timestamp", "throttling_failure_count"])
    allowed, details = device.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return None
    return max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """The session passed the second factor: a new session key (the privilege changed) that remembers the device."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(SESSION_PENDING_KEY, None)


def setup_code_accepted(device: TOTPDevice, code: str) -> bool:
    """Whether the code is one the new device's app shows now (or one step before or after).

    Checked without django-otp's ``verify_token``, which would save the unconfirmed device (and its
    throttling count) on a wrong code. No throttling is needed here: whoever sets up the device sees
    its key, so guessing its codes gains nothing.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return False
    device.last_t = totp.t()  # the code that confirmed the device cannot be used to log in again
    return True


def device_confirm(*, request: HttpRequest, device: TOTPDevice) -> None:
    """Save the device whose code the user just gave, confirmed, and count the session as verified."""
    device.confirmed = True
    device.save()
    request.session.pop(SESSION_SETUP_KEY, None)
    mark_verified(request, device)
    logger.info("Two-factor device %s confirmed for user %s.", device.pk, device.user_id)


def demo_totp_key_base32() -> str:
    """The demo key as authenticator apps take it: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode("ascii").rstrip("=")


def ensure_demo_device(user: User) -> TOTPDevice:
    """The demo user's confirmed device with the published demo key (``seed_demo``); idempotent."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY_HEX).first()
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
    return device


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}" if next_url else reverse(url_name)


def where_to_verify(user: User, next_url: str) -> str:
    """The code page, or the setup page for someone who must use a second factor but has no device."""
    if confirmed_device(user) is None and two_factor_required(user):
        return with_next("two_factor_setup", next_url)
    return with_next("two_factor_verify", next_url)


@receiver(user_logged_in, dispatch_uid="core.two_factor.remember_optional_second_factor")
def remember_optional_second_factor(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """A user who turned two-factor authentication on is asked for a code although no role requires it.

    Set for anyone with a device (the role is asked per request anyway): asking for the role here would
    cache it on the user object the caller passed in.
    """
    if request is None or not hasattr(request, "session"):
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[SESSION_PENDING_KEY] = True


def _is_api(view_func: Any) -> bool:
    # Imported here: DRF's views read the authentication classes, one of which imports this module.
    from rest_framework.views import APIView

    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _is_public_page(view_func: Any, url_name: str | None) -> bool:
    """A page anyone may open without logging in: a class-based view with no access check that is
    not one of Django's account pages, or a feed."""
    if url_name in NOT_PUBLIC:
        return False
    if isinstance(view_func, Feed):
        return True
    view_class = getattr(view_func, "view_class", None)
    if view_class is None or issubclass(view_class, AccessMixin):
        return False
    return not view_class.__module__.startswith("django.")


class TwoFactorMiddleware:
    """Keep a user who has not passed the second factor on the code page.

    Placed after ``AuthenticationMiddleware`` and django-otp's ``OTPMiddleware``. Until the code is
    given: the code and setup pages, logging out, the language switch and the health check work as
    usual; public pages (the directory, the lookup, notices, complaints) are served as to the public,
    so nothing a staff role would add shows; the API answers for itself (403 for such a session,
    ``core.api.authentication``); every other page redirects to the code page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if _is_api(view_func) or not second_factor_pending(request):
            return None
        match = request.resolver_match
        url_name = match.url_name if match else None
        if url_name in OPEN_DURING_VERIFICATION:
            return None
        if _is_public_page(view_func, url_name):
            anonymous = AnonymousUser()
            request.user = anonymous

            async def auser() -> AnonymousUser:
                return anonymous

            request.auser = auser
            return None
        user = request.user
        assert not isinstance(user, AnonymousUser)
        return HttpResponseRedirect(where_to_verify(user, request.get_full_path()))
