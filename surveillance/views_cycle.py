"""The cycle page: accreditations whose on-site assessment is overdue or due soon, for staff.

Secretariat and decision makers read it; anyone else signed in gets 403 (the page says who may
use it; there is no object to hide). The rows come from ``selectors_cycle.cycle_rows``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpRequest
from django.utils import timezone
from django.views.generic import TemplateView

from core.roles import is_staff_reader
from surveillance.forms_cycle import CycleFilterForm
from surveillance.selectors_cycle import cycle_rows


class CycleView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    template_name = "surveillance/cycle/list.html"
    request: HttpRequest

    def test_func(self) -> bool:
        return is_staff_reader(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = CycleFilterForm(self.request.GET or None)
        filters = form.filters()
        today = timezone.localdate()
        rows = cycle_rows(today=today, **filters)
        return super().get_context_data(form=form, rows=rows, days=filters["days"], today=today, **kwargs)
