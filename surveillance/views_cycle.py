"""The cycle page: accreditations whose on-site assessment is overdue or due soon, for staff.

Secretariat and decision makers read it; anyone else signed in gets 403 (the page says who may
use it; there is no object to hide). The rows come from ``selectors_cycle.cycle_rows``. Each
accreditation's own page shows what its cycle counts from; there the secretariat records an
on-site assessment held before the portal.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from accreditation.models import Accreditation
from accreditation.views.base import StaffActionView, current_user
from core.roles import is_secretariat, is_staff_reader
from surveillance.forms_cycle import CycleFilterForm, PastOnsiteForm
from surveillance.models import PastOnsiteAssessment
from surveillance.selectors_cycle import cycle_rows, onsite_history
from surveillance.selectors_sanctions import sanctionable_accreditation_qs_for
from surveillance.services_cycle import past_onsite_record


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


def history_url(accreditation_id: int) -> str:
    return reverse("surveillance:cycle_accreditation", args=[accreditation_id])


class CycleAccreditationView(LoginRequiredMixin, DetailView):
    """One accreditation's next on-site due date and the on-site assessments it counts from.

    Staff read it (anyone else gets 404: ``sanctionable_accreditation_qs_for`` is empty for them);
    the secretariat also records an assessment held before the portal.
    """

    template_name = "surveillance/cycle/accreditation.html"
    context_object_name = "accreditation"

    def get_queryset(self) -> QuerySet[Accreditation]:
        return sanctionable_accreditation_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            history=onsite_history(self.object),
            today=timezone.localdate(),
            can_record=is_secretariat(self.request.user) and self.object.granted_on is not None,
            **kwargs,
        )


class PastOnsiteRecordView(StaffActionView):
    form_class = PastOnsiteForm
    title = _("Record an on-site assessment held before the portal")
    intro = _(
        "For an accreditation granted before the portal kept the register: the last on-site assessment in the old "
        "files. The cycle, the planner and the statistics count it from now on."
    )
    submit_label = _("Record")

    def get_object(self) -> Accreditation:
        return get_object_or_404(sanctionable_accreditation_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: PastOnsiteForm) -> PastOnsiteAssessment:
        return past_onsite_record(accreditation=self.object, actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("The on-site assessment {reference} is recorded.").format(reference=result.reference)

    def success_url_for(self, result: Any) -> str:
        return history_url(self.object.pk)

    def cancel_url(self) -> str:
        return history_url(self.object.pk)
