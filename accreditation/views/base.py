"""What the register's pages share: page sizes, the secretariat check and the service form view."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from accreditation.forms import add_domain_error
from core.errors import DomainError
from core.roles import is_secretariat

REGISTER_PAGE_SIZE = 50
DIRECTORY_PAGE_SIZE = 20
AUDIT_PAGE_SIZE = 50


class SecretariatRequiredMixin(UserPassesTestMixin):
    """The secretariat's actions: anonymous users are sent to log in, other users get 403."""

    request: HttpRequest

    def test_func(self) -> bool:
        return is_secretariat(self.request.user)


class ServiceFormView(FormView, ABC):
    """GET shows the form; POST calls one service through ``perform``.

    A refused move puts the service's message on the form and answers the page again; nothing
    was changed, because the service's transaction rolled back.
    """

    template_name = "accreditation/action_form.html"
    title: str | Promise = ""
    intro: str | Promise = ""
    submit_label: str | Promise = _("Save")
    danger = False
    object: Any

    @abstractmethod
    def get_object(self) -> Any:
        """Each concrete view says this."""

    @abstractmethod
    def perform(self, form: Any) -> Any:
        """Each concrete view says this."""

    def get_intro(self) -> str | Promise:
        return self.intro

    def success_message(self, result: Any) -> str | Promise:
        return ""

    @abstractmethod
    def success_url_for(self, result: Any) -> str:
        """Each concrete view says this."""

    @abstractmethod
    def cancel_url(self) -> str:
        """Each concrete view says this."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            object=self.object,
            title=self.title,
            intro=self.get_intro(),
            submit_label=self.submit_label,
            danger=self.danger,
            cancel_url=self.cancel_url(),
            **kwargs,
        )

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        message = self.success_message(result)
        if message:
            messages.success(self.request, str(message))
        return HttpResponseRedirect(self.success_url_for(result))


def current_user(request: HttpRequest) -> Any:
    """The signed-in user as the services and selectors take it (``request.user`` is typed loosely)."""
    return request.user


class StaffActionView(SecretariatRequiredMixin, ServiceFormView):
    """An action of the secretariat on the register."""
