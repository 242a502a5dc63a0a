"""The home page sends each visitor where their work is; "My work" gathers what waits for them.

``core`` sits below the apps it points to, so it names their pages by URL name and never
imports them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, RedirectView, TemplateView

from core.dashboard import panels_for
from core.models import Notification, User
from core.notifications import notification_mark_read, notifications_mark_all_read, notifications_of, render
from core.roles import is_staff_reader


class HomeView(RedirectView):
    """The public goes to the directory; everyone signed in to "My work"."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        if not self.request.user.is_authenticated:
            return reverse("accreditation:directory")
        return reverse("my_work")


class MyWorkView(LoginRequiredMixin, TemplateView):
    """The queues that concern the signed-in user, contributed by each app (``core.dashboard``)."""

    template_name = "core/my_work.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        panels = panels_for(user)
        return super().get_context_data(
            panels=panels,
            waiting=sum(panel.count for panel in panels),
            is_staff_reader=is_staff_reader(user),
            **kwargs,
        )


class InboxView(LoginRequiredMixin, ListView):
    """The signed-in user's notifications, newest first, each in the reader's language."""

    template_name = "core/inbox.html"
    paginate_by = 30

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_of(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["messages_rendered"] = [(n, *render(n)) for n in context["page_obj"]]
        return context


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark one notification read (POST) and go to what it is about."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(notifications_of(current_user(request)), pk=pk)
        notification_mark_read(notification=notification)
        return redirect(notification.link or reverse("inbox"))


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        notifications_mark_all_read(user=current_user(request))
        return redirect("inbox")


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user
