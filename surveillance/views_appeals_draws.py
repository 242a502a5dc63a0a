"""Pages of appeals and of special supervision (the risk table and the double-random draws).

Appeals: a CAB's members lodge one from the decision page and follow their CAB's appeals; staff
read all of them; the secretariat assigns the panel; a panel member records the outcome. Draws:
the public reads published draws; staff read the risk table and every draw; the secretariat runs,
publishes and records outcomes. Each action page calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from accreditation.models import Decision, Programme
from accreditation.views.base import REGISTER_PAGE_SIZE, ServiceFormView, StaffActionView, current_user
from core.roles import is_secretariat
from surveillance import services_appeals, services_draws
from surveillance.choices import AppealStatus, DrawStatus
from surveillance.forms_appeals_draws import (
    AppealDecideForm,
    AppealLodgeForm,
    AppealPanelForm,
    ConfirmForm,
    DrawnBodyOutcomeForm,
    DrawRunForm,
)
from surveillance.models import Appeal, DrawnBody, SupervisionDraw
from surveillance.risk import HIGH_FROM, MEDIUM_FROM, POINTS, risk_table
from surveillance.selectors_appeals import appeal_qs_for, appealable_decision_qs_for
from surveillance.selectors_draws import draw_qs_for, drawn_body_qs_for, published_draw_qs
from surveillance.services_draws import BAND_WEIGHTS
from surveillance.views_complaints import StaffReaderRequiredMixin


def appeal_url(appeal: Appeal) -> str:
    return reverse("surveillance:appeal_detail", args=[appeal.pk])


# --- appeals ------------------------------------------------------------------------------------------


class AppealListView(LoginRequiredMixin, ListView):
    """Staff: every appeal; a CAB's members: their CAB's. Nobody else has any."""

    template_name = "surveillance/appeals/list.html"
    context_object_name = "appeals"
    paginate_by = REGISTER_PAGE_SIZE

    def get_queryset(self) -> QuerySet[Appeal]:
        appeals = appeal_qs_for(current_user(self.request))
        status = self.request.GET.get("status", "")
        if status in AppealStatus.values:
            appeals = appeals.filter(status=status)
        return appeals.order_by("-lodged_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(statuses=AppealStatus.choices, **kwargs)


class AppealDetailView(LoginRequiredMixin, DetailView):
    template_name = "surveillance/appeals/detail.html"
    context_object_name = "appeal"

    def get_queryset(self) -> QuerySet[Appeal]:
        return appeal_qs_for(current_user(self.request)).prefetch_related("panel")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        appeal: Appeal = self.object
        user = current_user(self.request)
        panel = list(appeal.panel.all())
        running = appeal.status in services_appeals.RUNNING
        return super().get_context_data(
            panel=panel,
            can_assign=running and is_secretariat(user),
            can_decide=appeal.status == AppealStatus.UNDER_REVIEW and any(p.pk == user.pk for p in panel),
            can_withdraw=running and appeal.cab.memberships.filter(user=user).exists(),
            **kwargs,
        )


class AppealLodgeView(LoginRequiredMixin, ServiceFormView):
    """A CAB member appeals a decision on their CAB's application (staff and others: 404)."""

    form_class = AppealLodgeForm
    title = _("Appeal this decision")
    submit_label = _("Lodge the appeal")

    def get_object(self) -> Decision:
        return get_object_or_404(appealable_decision_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_intro(self) -> str | Promise:
        return _(
            "The appeal is heard by people who took no part in the decision. The decision stays in force meanwhile. "
            "You may appeal until {deadline}."
        ).format(deadline=services_appeals.appeal_deadline(self.object))

    def perform(self, form: AppealLodgeForm) -> Appeal:
        return services_appeals.appeal_lodge(
            decision=self.object, actor=current_user(self.request), grounds=form.cleaned_data["grounds"]
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("Appeal {reference} is lodged.").format(reference=result.reference)

    def success_url_for(self, result: Any) -> str:
        return appeal_url(result)

    def cancel_url(self) -> str:
        return reverse("accreditation:decision_detail", args=[self.object.pk])


class _AppealAction(LoginRequiredMixin, ServiceFormView):
    def get_object(self) -> Appeal:
        return get_object_or_404(appeal_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def success_url_for(self, result: Any) -> str:
        return appeal_url(self.object)

    def cancel_url(self) -> str:
        return appeal_url(self.object)


class AppealAssignPanelView(_AppealAction):
    form_class = AppealPanelForm
    title = _("Assign the appeal panel")
    intro = _("Choose staff who took no part in the decision or in the assessment of the application.")
    submit_label = _("Assign")

    def get_object(self) -> Appeal:
        appeal = super().get_object()
        if not is_secretariat(self.request.user):
            raise PermissionDenied
        return appeal

    def perform(self, form: AppealPanelForm) -> Appeal:
        return services_appeals.appeal_assign_panel(
            appeal=self.object, actor=current_user(self.request), panel=list(form.cleaned_data["panel"])
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The panel is assigned.")


class AppealDecideView(_AppealAction):
    form_class = AppealDecideForm
    title = _("Record the outcome of the appeal")
    intro = _("The decision stays in force; an upheld appeal asks the secretariat to reconsider it.")
    submit_label = _("Record the outcome")

    def get_object(self) -> Appeal:
        appeal = super().get_object()
        if not appeal.panel.filter(pk=current_user(self.request).pk).exists():
            raise PermissionDenied
        return appeal

    def perform(self, form: AppealDecideForm) -> Appeal:
        return services_appeals.appeal_decide(appeal=self.object, actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("The outcome is recorded.")


class AppealWithdrawView(_AppealAction):
    form_class = ConfirmForm
    title = _("Withdraw the appeal")
    submit_label = _("Withdraw")
    danger = True

    def get_object(self) -> Appeal:
        appeal = super().get_object()
        if not appeal.cab.memberships.filter(user=current_user(self.request)).exists():
            raise PermissionDenied
        return appeal

    def perform(self, form: ConfirmForm) -> Appeal:
        return services_appeals.appeal_withdraw(appeal=self.object, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("The appeal is withdrawn.")


# --- special supervision -------------------------------------------------------------------------------


class RiskTableView(LoginRequiredMixin, StaffReaderRequiredMixin, TemplateView):
    """Every CAB holding an accreditation, highest risk first, each factor with its points and reason."""

    template_name = "surveillance/draws/risk.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        code = self.request.GET.get("programme", "")
        programme = Programme.objects.filter(code=code).first() if code else None
        return super().get_context_data(
            risks=risk_table(programme=programme),
            programme=programme,
            programmes=Programme.objects.order_by("code"),
            high_from=HIGH_FROM,
            medium_from=MEDIUM_FROM,
            points=POINTS,
            **kwargs,
        )


class DrawListView(LoginRequiredMixin, StaffReaderRequiredMixin, ListView):
    template_name = "surveillance/draws/list.html"
    context_object_name = "draws"
    paginate_by = REGISTER_PAGE_SIZE

    def get_queryset(self) -> QuerySet[SupervisionDraw]:
        return draw_qs_for(current_user(self.request)).order_by("-run_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(can_act=is_secretariat(self.request.user), **kwargs)


class DrawDetailView(LoginRequiredMixin, DetailView):
    template_name = "surveillance/draws/detail.html"
    context_object_name = "draw"

    def get_queryset(self) -> QuerySet[SupervisionDraw]:
        return draw_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        draw: SupervisionDraw = self.object
        return super().get_context_data(
            can_act=is_secretariat(self.request.user),
            is_draft=draw.status == DrawStatus.DRAFT,
            reproduced=services_draws.draw_reproduce(draw) == draw.result,
            weights=BAND_WEIGHTS,
            **kwargs,
        )


class DrawRunView(StaffActionView):
    form_class = DrawRunForm
    title = _("Run a double-random draw")
    intro = _(
        "The bodies are drawn among those holding an accreditation, part weighted by risk band and part purely at "
        "random; the inspectors among qualified, conflict-free and available assessors. The seed and the inputs "
        "are recorded so the draw can be reproduced. It stays a draft until you publish it."
    )
    submit_label = _("Draw")

    def get_object(self) -> None:
        return None

    def perform(self, form: DrawRunForm) -> SupervisionDraw:
        return services_draws.draw_run(actor=current_user(self.request), **form.cleaned_data)

    def success_message(self, result: Any) -> str | Promise:
        return _("Draw {reference} is recorded as a draft.").format(reference=result.reference)

    def success_url_for(self, result: Any) -> str:
        return reverse("surveillance:draw_detail", args=[result.pk])

    def cancel_url(self) -> str:
        return reverse("surveillance:draw_list")


class DrawPublishView(StaffActionView):
    form_class = ConfirmForm
    title = _("Publish the draw")
    intro = _("The bodies drawn and the inspectors' names are published on the public page.")
    submit_label = _("Publish")

    def get_object(self) -> SupervisionDraw:
        return get_object_or_404(draw_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: ConfirmForm) -> SupervisionDraw:
        return services_draws.draw_publish(draw=self.object, actor=current_user(self.request))

    def success_message(self, result: Any) -> str | Promise:
        return _("The draw is published.")

    def success_url_for(self, result: Any) -> str:
        return reverse("surveillance:draw_detail", args=[self.object.pk])

    def cancel_url(self) -> str:
        return reverse("surveillance:draw_detail", args=[self.object.pk])


class DrawnBodyOutcomeView(StaffActionView):
    form_class = DrawnBodyOutcomeForm
    title = _("Record the outcome of the inspection")
    submit_label = _("Record")

    def get_object(self) -> DrawnBody:
        return get_object_or_404(drawn_body_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: DrawnBodyOutcomeForm) -> DrawnBody:
        return services_draws.drawn_body_record_outcome(
            body=self.object, actor=current_user(self.request), outcome=form.cleaned_data["outcome"]
        )

    def success_url_for(self, result: Any) -> str:
        return reverse("surveillance:draw_detail", args=[self.object.draw_id])

    def cancel_url(self) -> str:
        return reverse("surveillance:draw_detail", args=[self.object.draw_id])


class PublicDrawListView(ListView):
    """Published draws, newest first (public)."""

    template_name = "surveillance/draws/public_list.html"
    context_object_name = "draws"
    paginate_by = REGISTER_PAGE_SIZE

    def get_queryset(self) -> QuerySet[SupervisionDraw]:
        return published_draw_qs()


class PublicDrawDetailView(DetailView):
    template_name = "surveillance/draws/public_detail.html"
    context_object_name = "draw"

    def get_queryset(self) -> QuerySet[SupervisionDraw]:
        return published_draw_qs()
