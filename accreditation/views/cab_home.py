"""The CAB user's home: their CABs, colleagues and contacts, and accepting an invitation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from accreditation import selectors
from accreditation.forms import ContactForm, InvitationAcceptForm, MemberInviteForm, ReasonForm
from accreditation.models import Cab, CabContact, CabMembership
from accreditation.services import cabs as cab_services
from accreditation.services import members as member_services
from accreditation.services.guards import is_cab_admin
from accreditation.views.base import REGISTER_PAGE_SIZE, ServiceFormView, current_user
from accreditation.views.presenters import with_current_scope


class CabHomeView(LoginRequiredMixin, TemplateView):
    """Where a signed-in user who is not accreditation-body staff lands.

    A member of one CAB goes straight to its page; a member of several chooses; anyone else (an
    assessor) sees the CABs their grants let them read, or that they have none yet.
    """

    template_name = "accreditation/cab_home_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.own_cabs = list(
            selectors.user_cabs(current_user(request)).order_by(selectors.pinyin_order("name_zh"), "pk")
        )
        if len(self.own_cabs) == 1:
            return redirect("accreditation:cab_home_detail", pk=self.own_cabs[0].pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = {"own_cabs": self.own_cabs}
        if not self.own_cabs:
            visible = selectors.cab_qs_for(current_user(self.request)).order_by(selectors.pinyin_order("name_zh"), "pk")
            context["page_obj"] = Paginator(visible, REGISTER_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(**context, **kwargs)


class CabHomeDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/cab_home.html"
    context_object_name = "cab"

    def get_queryset(self) -> QuerySet[Cab]:
        return selectors.user_cabs(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, cab = current_user(self.request), self.object
        accreditations = (
            selectors.accreditation_qs_for(user).filter(cab=cab).prefetch_related(selectors.current_scope_prefetch())
        )
        admin = is_cab_admin(user, cab)
        return super().get_context_data(
            accreditations=with_current_scope(accreditations),
            is_admin=admin,
            members=selectors.membership_qs_for(user).filter(cab=cab).order_by("user__username"),
            contacts=cab.contacts.all(),
            sites=cab.sites.all(),
            invitations=selectors.open_invitations_of_cab(cab) if admin else [],
            invite_form=MemberInviteForm(),
            **kwargs,
        )


class _OwnCabActionView(LoginRequiredMixin, ServiceFormView):
    """A CAB admin's action on their own CAB: other members get 403, everybody else 404.

    The service checks the same rule again; this only spares a plain member a form they cannot use.
    """

    cab: Cab

    def get_cab(self) -> Cab:
        user = current_user(self.request)
        cab = get_object_or_404(selectors.user_cabs(user), pk=self.kwargs["pk"])
        if not is_cab_admin(user, cab):
            raise PermissionDenied
        return cab

    def get_object(self) -> Any:
        self.cab = self.get_cab()
        return self.cab

    def success_url_for(self, result: Any) -> str:
        return reverse("accreditation:cab_home_detail", args=[self.cab.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:cab_home_detail", args=[self.cab.pk])


class CabMemberInviteView(_OwnCabActionView):
    form_class = MemberInviteForm
    title = _("Invite a colleague")
    intro = _("They receive an e-mail with a link to open their account; the link works for 14 days.")
    submit_label = _("Send invitation")

    def perform(self, form: MemberInviteForm) -> Any:
        return member_services.cab_member_invite(
            cab=self.cab,
            actor=current_user(self.request),
            email=form.cleaned_data["email"],
            is_admin=form.cleaned_data["is_admin"],
        )

    def success_message(self, result: Any) -> Promise | str:
        return _("An invitation is on its way to {email}.").format(email=result.email)


class CabMemberRemoveView(_OwnCabActionView):
    form_class = ReasonForm
    title = _("Remove a member")
    submit_label = _("Remove member")
    danger = True
    object: CabMembership

    def get_object(self) -> CabMembership:
        self.cab = self.get_cab()
        return get_object_or_404(
            selectors.membership_qs_for(current_user(self.request)), pk=self.kwargs["member_pk"], cab=self.cab
        )

    def get_intro(self) -> str | Promise:
        return _("{user} will no longer see {cab} in the portal.").format(user=self.object.user, cab=self.cab.name)

    def perform(self, form: ReasonForm) -> None:
        member_services.cab_member_remove(
            membership=self.object, actor=current_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: None) -> Promise | str:
        return _("{user} is no longer a member.").format(user=self.object.user)


class CabHomeContactAddView(_OwnCabActionView):
    form_class = ContactForm
    title = _("Add a contact")
    submit_label = _("Add contact")

    def perform(self, form: ContactForm) -> CabContact:
        return cab_services.cab_contact_add(cab=self.cab, actor=current_user(self.request), **form.values())

    def success_message(self, result: CabContact) -> Promise | str:
        return _("Contact {name} added.").format(name=result.name)


class CabHomeContactUpdateView(_OwnCabActionView):
    form_class = ContactForm
    title = _("Edit a contact")
    object: CabContact

    def get_object(self) -> CabContact:
        self.cab = self.get_cab()
        return get_object_or_404(self.cab.contacts.all(), pk=self.kwargs["contact_pk"])

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in cab_services.CONTACT_FIELDS}

    def perform(self, form: ContactForm) -> CabContact:
        return cab_services.cab_contact_update(contact=self.object, actor=current_user(self.request), **form.values())

    def success_message(self, result: CabContact) -> Promise | str:
        return _("Contact {name} saved.").format(name=result.name)


class InvitationAcceptView(ServiceFormView):
    """The invitee opens their account from the e-mailed link, then is signed in."""

    template_name = "accreditation/invitation_accept.html"
    form_class = InvitationAcceptForm
    submit_label = _("Open my account")

    def get_object(self) -> Any:
        invitation = selectors.invitation_by_token(self.kwargs["token"])
        if invitation is None:
            raise Http404
        return invitation

    def cancel_url(self) -> str:
        return reverse("home")

    def perform(self, form: InvitationAcceptForm) -> CabMembership:
        membership = member_services.cab_invitation_accept(
            token=self.object.token,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        login(self.request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return membership

    def success_message(self, result: CabMembership) -> Promise | str:
        return _("Welcome, {name}: you are now a member of {cab}.").format(name=result.user, cab=result.cab.name)

    def success_url_for(self, result: CabMembership) -> str:
        return reverse("accreditation:cab_home_detail", args=[result.cab_id])
