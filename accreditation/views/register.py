"""The register of CABs and accreditations, and the secretariat's actions on them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from accreditation import selectors
from accreditation.choices import AccreditationStatus, ScopeVersionStatus
from accreditation.filtersets import CabFilterSet
from accreditation.forms import (
    AccreditationGrantForm,
    AccreditationOpenForm,
    AccreditationStatusForm,
    CabForm,
    ContactForm,
    DraftStartForm,
    PartialSuspensionForm,
    SiteForm,
)
from accreditation.models import Accreditation, Cab, CabContact, ScopeVersion
from accreditation.scope_shapes import fields_of
from accreditation.services import accreditations as accreditation_services
from accreditation.services import cabs as cab_services
from accreditation.views.base import AUDIT_PAGE_SIZE, REGISTER_PAGE_SIZE, StaffActionView, current_user
from accreditation.views.presenters import audit_rows, scope_rows
from core.roles import is_secretariat, is_staff_reader


class CabListView(LoginRequiredMixin, ListView):
    template_name = "accreditation/cab_list.html"
    paginate_by = REGISTER_PAGE_SIZE
    context_object_name = "cabs"

    def get_queryset(self) -> QuerySet[Cab]:
        cabs = (
            selectors.cab_qs_for(current_user(self.request))
            .prefetch_related(Prefetch("accreditations", queryset=Accreditation.objects.select_related("programme")))
            .order_by(selectors.pinyin_order("name_zh"), "pk")
        )
        self.filterset = CabFilterSet(self.request.GET or None, queryset=cabs)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(filterset=self.filterset, **kwargs)


@dataclass
class RegisterAccreditation:
    accreditation: Accreditation
    versions: list[ScopeVersion]


class CabDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/cab_detail.html"
    context_object_name = "cab"

    def get_queryset(self) -> QuerySet[Cab]:
        return selectors.cab_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, cab = current_user(self.request), self.object
        accreditations = (
            selectors.accreditation_qs_for(user)
            .filter(cab=cab)
            .prefetch_related(Prefetch("scope_versions", queryset=selectors.scope_version_qs_for(user)))
        )
        context: dict[str, Any] = {
            "sites": cab.sites.all(),
            "contacts": cab.contacts.all(),
            "members": selectors.membership_qs_for(user).filter(cab=cab).order_by("user__username"),
            "accreditations": [RegisterAccreditation(a, list(a.scope_versions.all())) for a in accreditations],
        }
        if is_staff_reader(user):
            page = Paginator(selectors.audit_events_of_cab(cab), AUDIT_PAGE_SIZE).get_page(
                self.request.GET.get("audit_page")
            )
            context["audit_page"] = page
            shapes = list(
                dict.fromkeys(entry.accreditation.programme.scope_shape for entry in context["accreditations"])
            )
            context["audit_rows"] = audit_rows(page.object_list, shapes)
        return super().get_context_data(**context, **kwargs)


class AccreditationDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/accreditation_detail.html"
    context_object_name = "accreditation"

    def get_queryset(self) -> QuerySet[Accreditation]:
        return selectors.accreditation_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, accreditation = current_user(self.request), self.object
        versions = list(selectors.scope_version_qs_for(user).filter(accreditation=accreditation))
        current = next((v for v in versions if v.status == ScopeVersionStatus.PUBLISHED), None)
        draft = next((v for v in versions if v.status == ScopeVersionStatus.DRAFT), None)
        shape = accreditation.programme.scope_shape
        context: dict[str, Any] = {
            "versions": versions,
            "current": current,
            "draft": draft,
            "columns": fields_of(shape),
            "rows": scope_rows(shape, list(current.items.all())) if current else [],
        }
        if is_secretariat(user):
            context.update(
                grant_form=AccreditationGrantForm(),
                status_form=AccreditationStatusForm(current_status=accreditation.status),
                draft_form=DraftStartForm(),
            )
        return super().get_context_data(**context, **kwargs)


# --- The secretariat's actions on CABs and accreditations --------------------------------------


class CabCreateView(StaffActionView):
    form_class = CabForm
    title = _("Register a CAB")
    submit_label = _("Register")

    def get_object(self) -> None:
        return None

    def perform(self, form: CabForm) -> Cab:
        return cab_services.cab_create(
            actor=current_user(self.request), reason=form.cleaned_data["reason"], **form.values()
        )

    def success_message(self, result: Cab) -> Promise | str:
        return _("{cab} is registered.").format(cab=result.name)

    def success_url_for(self, result: Cab) -> str:
        return reverse("accreditation:cab_detail", args=[result.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:cab_list")


class _CabActionView(StaffActionView):
    object: Cab

    def get_object(self) -> Cab:
        return get_object_or_404(selectors.cab_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return reverse("accreditation:cab_detail", args=[self.object.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:cab_detail", args=[self.object.pk])


class CabUpdateView(_CabActionView):
    form_class = CabForm
    title = _("Edit CAB details")

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in cab_services.CAB_FIELDS}

    def perform(self, form: CabForm) -> Cab:
        return cab_services.cab_update(
            cab=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"], **form.values()
        )

    def success_message(self, result: Cab) -> Promise | str:
        return _("The details of {cab} are saved.").format(cab=result.name)


class CabSiteAddView(_CabActionView):
    form_class = SiteForm
    title = _("Add a site")
    submit_label = _("Add site")

    def perform(self, form: SiteForm) -> Any:
        return cab_services.cab_site_add(cab=self.object, actor=current_user(self.request), **form.values())

    def success_message(self, result: Any) -> Promise | str:
        return _("Site {site} added.").format(site=result.name)


class CabContactAddView(_CabActionView):
    form_class = ContactForm
    title = _("Add a contact")
    submit_label = _("Add contact")

    def perform(self, form: ContactForm) -> CabContact:
        return cab_services.cab_contact_add(cab=self.object, actor=current_user(self.request), **form.values())

    def success_message(self, result: CabContact) -> Promise | str:
        return _("Contact {name} added.").format(name=result.name)


class AccreditationOpenView(_CabActionView):
    form_class = AccreditationOpenForm
    title = _("Open an accreditation")
    intro = _("The CAB becomes an applicant under the programme; it is granted later.")
    submit_label = _("Open")

    def perform(self, form: AccreditationOpenForm) -> Accreditation:
        return accreditation_services.accreditation_open(
            cab=self.object,
            programme=form.cleaned_data["programme"],
            actor=current_user(self.request),
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("{cab} is an applicant under {programme}.").format(
            cab=result.cab.name, programme=result.programme.name
        )

    def success_url_for(self, result: Accreditation) -> str:
        return reverse("accreditation:accreditation_detail", args=[result.pk])


class AccreditationActionView(StaffActionView):
    object: Accreditation

    def get_object(self) -> Accreditation:
        return get_object_or_404(
            selectors.accreditation_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"]
        )

    def success_url_for(self, result: Any) -> str:
        return reverse("accreditation:accreditation_detail", args=[self.object.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:accreditation_detail", args=[self.object.pk])


class AccreditationGrantView(AccreditationActionView):
    form_class = AccreditationGrantForm
    title = _("Grant the accreditation")
    intro = _("The accreditation gets its number and its first cycle.")
    submit_label = _("Grant")

    def perform(self, form: AccreditationGrantForm) -> Accreditation:
        return accreditation_services.accreditation_grant(
            accreditation=self.object,
            actor=current_user(self.request),
            granted_on=form.cleaned_data["granted_on"],
            number=form.cleaned_data["number"] or None,
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("Accreditation {number} granted.").format(number=result.number)


class AccreditationStatusView(AccreditationActionView):
    form_class = AccreditationStatusForm
    title = _("Change the accreditation's status")
    submit_label = _("Change status")
    danger = True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "current_status": self.object.status}

    def perform(self, form: AccreditationStatusForm) -> Accreditation:
        move = accreditation_services.MOVES_BY_TARGET[AccreditationStatus(form.cleaned_data["target"])]
        return move(accreditation=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"])

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("The accreditation is now {status}.").format(status=result.get_status_display())


class AccreditationPartialSuspensionView(AccreditationActionView):
    form_class = PartialSuspensionForm
    title = _("Suspend part of the scope")
    intro = _("A new issue of the scope is published with the chosen items suspended.")
    submit_label = _("Suspend the chosen items")
    danger = True

    def get_form_kwargs(self) -> dict[str, Any]:
        current = self.object.current_scope
        items = list(current.items.all()) if current else []
        return {**super().get_form_kwargs(), "items": items, "shape": self.object.programme.scope_shape}

    def perform(self, form: PartialSuspensionForm) -> Accreditation:
        return accreditation_services.accreditation_partially_suspend(
            accreditation=self.object,
            actor=current_user(self.request),
            reason=form.cleaned_data["reason"],
            item_keys=form.cleaned_data["items"],
        )

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("The chosen scope items are suspended.")
