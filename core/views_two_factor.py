"""Signing in with a second factor: the password login, the code page and setting up an authenticator.

The flow (see ``core.two_factor``): the password form at ``/accounts/login/`` sends a user who
needs a code to ``/accounts/two-factor/?next=...`` (or to ``/accounts/two-factor/setup/?next=...``
when they must use one and have no device yet); the code goes in the field ``otp_token``. A wrong
code counts as a failed login for the lockout (``core.lockout``), and django-otp makes each
further try wait longer (1, 2, 4... seconds).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms_two_factor import OtpTokenForm
from core.lockout import is_locked_out, lockout_response, login_failed
from core.models import User
from core.two_factor import (
    SESSION_PENDING_KEY,
    base32_key,
    code_accepted,
    confirmed_device,
    device_being_set_up,
    device_confirm,
    is_verified,
    mark_verified,
    qr_svg,
    second_factor_pending,
    setup_code_accepted,
    two_factor_required,
    wait_seconds,
    where_to_verify,
    with_next,
)

WRONG_CODE = _("That code is wrong or has expired. Check that your phone's clock is right and enter the current code.")


class PortalLoginView(LoginView):
    """Django's login form; a user who needs a second factor goes on to give it."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if second_factor_pending(self.request):
            user = self.request.user
            assert isinstance(user, User)
            return where_to_verify(user, url)
        return url


class _SecondFactorStep(LoginRequiredMixin, FormView):
    form_class = OtpTokenForm

    def next_url(self) -> str:
        """Where to go afterwards: ``next`` when it is on this site, otherwise the user's home."""
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return candidate
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def user(self) -> User:
        user = self.request.user
        assert isinstance(user, User)
        return user

    def get_success_url(self) -> str:
        return self.next_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(next=self.next_url(), required=two_factor_required(self.user()), **kwargs)


class TwoFactorVerifyView(_SecondFactorStep):
    """The 6-digit code of the user's confirmed device, once per login."""

    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if is_verified(request.user):
            return HttpResponseRedirect(self.next_url())
        self.device = confirmed_device(self.user())
        if self.device is None:
            if two_factor_required(self.user()):
                return HttpResponseRedirect(with_next("two_factor_setup", self.next_url()))
            # Someone turned their optional device off (an administrator removed it) meanwhile.
            request.session.pop(SESSION_PENDING_KEY, None)
            return HttpResponseRedirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def check_code(self, form: OtpTokenForm, device: TOTPDevice) -> bool | HttpResponse:
        """True when the code is right; a lockout response when wrong codes locked the user out;
        otherwise False with the reason on the form."""
        user = self.user()
        if is_locked_out(self.request, user.get_username()):
            logout(self.request)
            return lockout_response(self.request)
        seconds = wait_seconds(device)
        if seconds is not None:
            wait = ngettext(
                "Too many wrong codes: wait {seconds} second, then enter the current code.",
                "Too many wrong codes: wait {seconds} seconds, then enter the current code.",
                seconds,
            )
            form.add_error("otp_token", wait.format(seconds=seconds))
            return False
        if code_accepted(user, device, form.cleaned_data["otp_token"]):
            return True
        if login_failed(self.request, user.get_username()):
            logout(self.request)
            return lockout_response(self.request)
        form.add_error("otp_token", WRONG_CODE)
        return False

    def form_valid(self, form: OtpTokenForm) -> HttpResponse:
        checked = self.check_code(form, self.device)
        if isinstance(checked, HttpResponse):
            return checked
        if not checked:
            return self.form_invalid(form)
        mark_verified(self.request, self.device)
        return super().form_valid(form)


class TwoFactorSetupView(_SecondFactorStep):
    """Add an authenticator app: scan the QR code (or type the key), then confirm with a code."""

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if confirmed_device(self.user()) is not None:
            # Replacing a device is the secretariat's job in the admin, not something a password allows.
            if is_verified(request.user):
                messages.info(request, _("Two-factor authentication is already on for your account."))
                return HttpResponseRedirect(self.next_url())
            return HttpResponseRedirect(with_next("two_factor_verify", self.next_url()))
        self.device = device_being_set_up(request, self.user())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        key = base32_key(self.device)
        return super().get_context_data(
            qr_svg=qr_svg(self.device),
            key_groups=[key[i : i + 4] for i in range(0, len(key), 4)],
            **kwargs,
        )

    def form_valid(self, form: OtpTokenForm) -> HttpResponse:
        if not setup_code_accepted(self.device, form.cleaned_data["otp_token"]):
            form.add_error("otp_token", WRONG_CODE)
            return self.form_invalid(form)
        device_confirm(request=self.request, device=self.device)
        messages.success(
            self.request,
            _("Two-factor authentication is on. From now on you will enter a code from your app after your password."),
        )
        return super().form_valid(form)
