"""The home page sends each visitor where their work is.

``core`` sits below the apps it points to, so it names their pages by URL name and never
imports them.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.views.generic import RedirectView

from core.roles import is_staff_reader


class HomeView(RedirectView):
    """The public goes to the directory, accreditation-body staff to the register, everyone else
    (CAB users and assessors) to their CAB home, which shows what they may see."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        user = self.request.user
        if not user.is_authenticated:
            return reverse("accreditation:directory")
        if is_staff_reader(user):
            return reverse("accreditation:cab_list")
        return reverse("accreditation:cab_home")
