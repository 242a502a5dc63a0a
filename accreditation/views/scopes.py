"""Scope versions: a version's page, comparing two versions, and the secretariat's drafting actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from accreditation import selectors
from accreditation.choices import ScopeItemStatus, ScopeVersionStatus
from accreditation.forms import (
    ConfirmForm,
    DraftStartForm,
    ScopeDiffForm,
    ScopeItemForm,
    ScopeItemStatusForm,
    ScopePublishForm,
)
from accreditation.models import Accreditation, ScopeItem, ScopeVersion
from accreditation.scope_shapes import fields_of
from accreditation.services import scopes as scope_services
from accreditation.views.base import StaffActionView, current_user
from accreditation.views.presenters import ChangedRow, scope_rows
from accreditation.views.register import AccreditationActionView
from core.roles import is_secretariat


class ScopeVersionDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/scope_version_detail.html"
    context_object_name = "version"

    def get_queryset(self) -> QuerySet[ScopeVersion]:
        return selectors.scope_version_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.object
        shape = version.accreditation.programme.scope_shape
        return super().get_context_data(
            accreditation=version.accreditation,
            columns=fields_of(shape),
            rows=scope_rows(shape, list(version.items.all())),
            can_edit=version.is_draft and is_secretariat(current_user(self.request)),
            publish_form=ScopePublishForm(),
            **kwargs,
        )


class ScopeDiffView(LoginRequiredMixin, DetailView):
    """Compare any two versions of one accreditation's scope, item by item."""

    template_name = "accreditation/scope_diff.html"
    context_object_name = "accreditation"

    def get_queryset(self) -> QuerySet[Accreditation]:
        return selectors.accreditation_qs_for(current_user(self.request))

    def _default_choice(self, versions: list[ScopeVersion]) -> dict[str, Any]:
        """Without a choice, compare the newest version (a draft first) with the one it was based on."""
        newest = next((v for v in versions if v.is_draft), None) or next(
            (v for v in versions if v.status == ScopeVersionStatus.PUBLISHED), None
        )
        if newest is None or newest.based_on_id is None:
            return {}
        return {"from": newest.based_on_id, "to": newest.pk}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        accreditation = self.object
        versions = selectors.scope_version_qs_for(current_user(self.request)).filter(accreditation=accreditation)
        data = self.request.GET if "from" in self.request.GET else self._default_choice(list(versions))
        form = ScopeDiffForm(data or None, versions=versions)
        context: dict[str, Any] = {"form": form, "version_count": len(versions)}
        if form.is_valid():
            diff = selectors.scope_diff(form.cleaned_data["from"], form.cleaned_data["to"])
            shape = accreditation.programme.scope_shape
            context.update(
                diff=diff,
                columns=fields_of(shape),
                added=scope_rows(shape, diff.added),
                removed=scope_rows(shape, diff.removed),
                changed=[
                    ChangedRow(
                        before=scope_rows(shape, [c.before], c.fields)[0],
                        after=scope_rows(shape, [c.after], c.fields)[0],
                    )
                    for c in diff.changed
                ],
            )
        return super().get_context_data(**context, **kwargs)


class ScopeDraftStartView(AccreditationActionView):
    form_class = DraftStartForm
    title = _("Start a new draft of the scope")
    intro = _("The draft starts as a copy of the current issue.")
    submit_label = _("Start draft")

    def perform(self, form: DraftStartForm) -> ScopeVersion:
        return scope_services.scope_draft_start(
            accreditation=self.object, actor=current_user(self.request), note=form.cleaned_data["note"]
        )

    def success_message(self, result: ScopeVersion) -> Promise | str:
        return _("A draft scope is started.")

    def success_url_for(self, result: ScopeVersion) -> str:
        return reverse("accreditation:scope_version_detail", args=[result.pk])


class _ScopeVersionActionView(StaffActionView):
    object: ScopeVersion

    def get_object(self) -> ScopeVersion:
        return get_object_or_404(
            selectors.scope_version_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"]
        )

    def success_url_for(self, result: Any) -> str:
        return reverse("accreditation:scope_version_detail", args=[self.object.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:scope_version_detail", args=[self.object.pk])


class ScopeItemAddView(_ScopeVersionActionView):
    form_class = ScopeItemForm
    title = _("Add a scope item")
    submit_label = _("Add item")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "shape": self.object.accreditation.programme.scope_shape}

    def perform(self, form: ScopeItemForm) -> ScopeItem:
        return scope_services.scope_item_add(
            version=self.object, actor=current_user(self.request), attributes=form.attributes()
        )

    def success_message(self, result: ScopeItem) -> Promise | str:
        return _("Scope item added.")


class ScopeVersionPublishView(_ScopeVersionActionView):
    form_class = ScopePublishForm
    title = _("Publish the draft")
    intro = _("The draft becomes the current issue and can no longer change; the issue it replaces is superseded.")
    submit_label = _("Publish")

    def perform(self, form: ScopePublishForm) -> ScopeVersion:
        return scope_services.scope_version_publish(
            version=self.object,
            actor=current_user(self.request),
            issued_on=form.cleaned_data["issued_on"],
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: ScopeVersion) -> Promise | str:
        return _("Issue {issue} of the scope is published.").format(issue=result.issue_number)


class ScopeVersionDiscardView(_ScopeVersionActionView):
    form_class = ConfirmForm
    title = _("Discard the draft")
    intro = _("The draft and its items are deleted; the current issue stays as it is.")
    submit_label = _("Discard draft")
    danger = True

    def perform(self, form: ConfirmForm) -> None:
        scope_services.scope_version_discard(version=self.object, actor=current_user(self.request))

    def success_message(self, result: None) -> Promise | str:
        return _("The draft is discarded.")

    def success_url_for(self, result: None) -> str:
        return reverse("accreditation:accreditation_detail", args=[self.object.accreditation_id])


class _ScopeItemActionView(StaffActionView):
    object: ScopeItem

    def get_object(self) -> ScopeItem:
        return get_object_or_404(
            selectors.scope_item_qs_for(current_user(self.request), "change"), pk=self.kwargs["pk"]
        )

    def success_url_for(self, result: Any) -> str:
        return reverse("accreditation:scope_version_detail", args=[self.object.version_id])

    def cancel_url(self) -> str:
        return reverse("accreditation:scope_version_detail", args=[self.object.version_id])


class ScopeItemUpdateView(_ScopeItemActionView):
    form_class = ScopeItemForm
    title = _("Edit a scope item")

    def get_form_kwargs(self) -> dict[str, Any]:
        shape = self.object.version.accreditation.programme.scope_shape
        return {**super().get_form_kwargs(), "shape": shape, "item": self.object}

    def perform(self, form: ScopeItemForm) -> ScopeItem:
        return scope_services.scope_item_update(
            item=self.object, actor=current_user(self.request), attributes=form.attributes()
        )

    def success_message(self, result: ScopeItem) -> Promise | str:
        return _("Scope item saved.")


class ScopeItemStatusView(_ScopeItemActionView):
    form_class = ScopeItemStatusForm
    title = _("Change a scope item's status")
    submit_label = _("Change status")

    def get_initial(self) -> dict[str, Any]:
        return {"status": self.object.status}

    def perform(self, form: ScopeItemStatusForm) -> ScopeItem:
        return scope_services.scope_item_set_status(
            item=self.object,
            actor=current_user(self.request),
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: ScopeItem) -> Promise | str:
        return _("The item is now {status}.").format(status=ScopeItemStatus(result.status).label)


class ScopeItemRemoveView(_ScopeItemActionView):
    form_class = ConfirmForm
    title = _("Remove a scope item")
    submit_label = _("Remove item")
    danger = True

    def get_intro(self) -> str | Promise:
        return str(self.object)

    def perform(self, form: ConfirmForm) -> None:
        scope_services.scope_item_remove(item=self.object, actor=current_user(self.request))

    def success_message(self, result: None) -> Promise | str:
        return _("Scope item removed.")
