"""Pages of sanctions for the accreditation body's staff: the overview, one accreditation's sanctions, the
decide and lift forms, and the queue of withdrawal proposals.

Staff (secretariat and decision makers) read; only the secretariat acts (each action page is a
``StaffActionView`` whose POST calls one service). Anyone else gets 404 on an accreditation's
sanctions and 403 on the lists.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from accreditation.models import Accreditation
from accreditation.views.base import REGISTER_PAGE_SIZE, StaffActionView, current_user
from core.roles import is_secretariat
from surveillance import services_sanctions
from surveillance.choices import SUSPENDING_KINDS, SanctionStatus, WithdrawalProposalStatus
from surveillance.forms_sanctions import LiftForm, ProposalDismissForm, ProposalWithdrawForm, SanctionDecideForm
from surveillance.models import Sanction, WithdrawalProposal
from surveillance.selectors_sanctions import (
    proposal_qs_for,
    sanction_qs_for,
    sanctionable_accreditation_qs_for,
    sanctions_of,
)
from surveillance.views_complaints import StaffReaderRequiredMixin


def sanctions_url(accreditation_id: int) -> str:
    return reverse("surveillance:accreditation_sanctions", args=[accreditation_id])


class SanctionOverviewView(LoginRequiredMixin, StaffReaderRequiredMixin, TemplateView):
    """Sanctions in force, newest first; ``?number=`` opens one accreditation's sanctions page."""

    template_name = "surveillance/sanctions/overview.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        number = " ".join(request.GET.get("number", "").split())[:40]
        if number:
            found = sanctionable_accreditation_qs_for(current_user(request)).filter(number__iexact=number).first()
            if found is not None:
                return HttpResponseRedirect(sanctions_url(found.pk))
        self.number_not_found = number
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        in_force = sanction_qs_for(current_user(self.request)).filter(status=SanctionStatus.IN_FORCE)
        page = Paginator(in_force.order_by("-decided_at", "-pk"), REGISTER_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page_obj=page,
            sanctions=page.object_list,
            number_not_found=self.number_not_found,
            open_proposals=proposal_qs_for(current_user(self.request))
            .filter(status=WithdrawalProposalStatus.OPEN)
            .count(),
            **kwargs,
        )


class AccreditationSanctionsView(LoginRequiredMixin, DetailView):
    """One accreditation's sanctions, with the decide and lift actions for the secretariat."""

    template_name = "surveillance/sanctions/accreditation.html"
    context_object_name = "accreditation"

    def get_queryset(self) -> QuerySet[Accreditation]:
        return sanctionable_accreditation_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sanctions = list(sanctions_of(self.object, current_user(self.request)))
        can_act = is_secretariat(self.request.user)
        return super().get_context_data(
            sanctions=sanctions,
            can_act=can_act,
            liftable={s.pk for s in sanctions if s.kind in SUSPENDING_KINDS and s.status == SanctionStatus.IN_FORCE},
            **kwargs,
        )


class SanctionDecideView(StaffActionView):
    form_class = SanctionDecideForm
    title = _("Decide a sanction")
    intro = _(
        "The effect is carried out at once: the accreditation's status and scope change, certificates the body "
        "issues while suspended are no longer accredited, and a public notice is published (not for a warning "
        "or a cancellation)."
    )
    submit_label = _("Decide")
    danger = True

    def get_object(self) -> Accreditation:
        return get_object_or_404(sanctionable_accreditation_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "accreditation": self.object}

    def perform(self, form: SanctionDecideForm) -> Sanction:
        data = form.cleaned_data
        return services_sanctions.sanction_decide(
            accreditation=self.object,
            kind=data["kind"],
            reason=data["reason"],
            details=data["details"],
            scope_items=list(data["scope_items"] or []),
            complaint=data["complaint"],
            effective_on=data["effective_on"],
            actor=current_user(self.request),
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The sanction is decided: {kind}.").format(kind=result.get_kind_display())

    def success_url_for(self, result: Any) -> str:
        return sanctions_url(self.object.pk)

    def cancel_url(self) -> str:
        return sanctions_url(self.object.pk)


class SanctionLiftView(StaffActionView):
    form_class = LiftForm
    title = _("Lift the suspension")
    intro = _(
        "After the rectification is verified: the accreditation (or the suspended items) is back in force and a "
        "notice of restoration is published."
    )
    submit_label = _("Lift the suspension")

    def get_object(self) -> Sanction:
        return get_object_or_404(sanction_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def perform(self, form: LiftForm) -> Sanction:
        return services_sanctions.sanction_lift(
            sanction=self.object, actor=current_user(self.request), verification=form.cleaned_data["verification"]
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The suspension is lifted.")

    def success_url_for(self, result: Any) -> str:
        return sanctions_url(self.object.accreditation_id)

    def cancel_url(self) -> str:
        return sanctions_url(self.object.accreditation_id)


class WithdrawalProposalListView(LoginRequiredMixin, StaffReaderRequiredMixin, TemplateView):
    """Open proposals first (the longest overdue first), then the settled ones."""

    template_name = "surveillance/sanctions/proposals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        proposals = proposal_qs_for(current_user(self.request))
        settled = Paginator(
            proposals.exclude(status=WithdrawalProposalStatus.OPEN).order_by("-decided_at", "-pk"), REGISTER_PAGE_SIZE
        ).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            open_proposals=proposals.filter(status=WithdrawalProposalStatus.OPEN).order_by(
                "sanction__suspended_until", "pk"
            ),
            page_obj=settled,
            settled=settled.object_list,
            can_act=is_secretariat(self.request.user),
            **kwargs,
        )


class _ProposalView(StaffActionView):
    def get_object(self) -> WithdrawalProposal:
        return get_object_or_404(proposal_qs_for(current_user(self.request)), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return reverse("surveillance:withdrawal_proposal_list")

    def cancel_url(self) -> str:
        return reverse("surveillance:withdrawal_proposal_list")


class ProposalWithdrawView(_ProposalView):
    form_class = ProposalWithdrawForm
    title = _("Withdraw the accreditation")
    intro = _("The suspension ran past the programme's maximum. The withdrawal is published as a notice.")
    submit_label = _("Withdraw")
    danger = True

    def perform(self, form: ProposalWithdrawForm) -> Sanction:
        return services_sanctions.withdrawal_proposal_withdraw(
            proposal=self.object,
            actor=current_user(self.request),
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The accreditation is withdrawn.")


class ProposalDismissView(_ProposalView):
    form_class = ProposalDismissForm
    title = _("Dismiss the withdrawal proposal")
    intro = _("The suspension stays in force; the watchdog will not propose its withdrawal again.")
    submit_label = _("Dismiss")

    def perform(self, form: ProposalDismissForm) -> WithdrawalProposal:
        return services_sanctions.withdrawal_proposal_dismiss(
            proposal=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The proposal is dismissed.")
