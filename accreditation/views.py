"""Pages of the register: the public directory, the secretariat's register and the CAB user's home.

Every read starts from a selector, so an object outside the user's selector is a 404. Every
change is a POST that calls one service; a refused move (``DomainError``) shows its message on
the same form and changes nothing, because each service runs in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accreditation import selectors
from accreditation.choices import (
    LIVE_ACCREDITATION_STATUSES,
    AccreditationStatus,
    ScopeItemStatus,
    ScopeVersionStatus,
)
from accreditation.filtersets import CabFilterSet
from accreditation.forms import (
    AccreditationGrantForm,
    AccreditationOpenForm,
    AccreditationStatusForm,
    CabForm,
    ConfirmForm,
    ContactForm,
    DirectorySearchForm,
    DraftStartForm,
    InvitationAcceptForm,
    MemberInviteForm,
    PartialSuspensionForm,
    ReasonForm,
    ScopeDiffForm,
    ScopeItemForm,
    ScopeItemStatusForm,
    ScopePublishForm,
    SiteForm,
    add_domain_error,
)
from accreditation.models import Accreditation, Cab, CabContact, CabMembership, ScopeItem, ScopeVersion
from accreditation.scope_shapes import SHAPES, ShapeField, fields_of
from accreditation.services import accreditations as accreditation_services
from accreditation.services import cabs as cab_services
from accreditation.services import members as member_services
from accreditation.services import scopes as scope_services
from accreditation.services.guards import is_cab_admin
from core.errors import DomainError
from core.models import AuditEvent
from core.roles import is_secretariat, is_staff_reader

REGISTER_PAGE_SIZE = 50
DIRECTORY_PAGE_SIZE = 20
AUDIT_PAGE_SIZE = 50


# --- Presenting scope items and audit events ------------------------------------------------


@dataclass
class Cell:
    value: str
    changed: bool = False


@dataclass
class ScopeRow:
    item: ScopeItem
    cells: list[Cell]
    status_changed: bool = False


def _cell_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def scope_rows(shape: str, items: list[ScopeItem], changed: list[str] | None = None) -> list[ScopeRow]:
    """Items as table rows, one cell per field of the shape; ``changed`` names cells to highlight."""
    changed = changed or []
    return [
        ScopeRow(
            item=item,
            cells=[Cell(_cell_text(item.attributes.get(f.name)), f.name in changed) for f in fields_of(shape)],
            status_changed="status" in changed,
        )
        for item in items
    ]


@dataclass
class ChangedRow:
    before: ScopeRow
    after: ScopeRow


EVENT_LABELS: dict[str, Promise] = {
    "cab.created": _("CAB registered"),
    "cab.updated": _("CAB details changed"),
    "cab.closed": _("CAB closed"),
    "cab.reopened": _("CAB reopened"),
    "cab.site_added": _("Site added"),
    "cab.site_removed": _("Site removed"),
    "cab.contact_added": _("Contact added"),
    "cab.contact_updated": _("Contact changed"),
    "cab.contact_removed": _("Contact removed"),
    "cab.member_invited": _("Member invited"),
    "cab.member_joined": _("Member joined"),
    "cab.member_added": _("Member added"),
    "cab.member_removed": _("Member removed"),
    "cab.access_granted": _("Access granted"),
    "cab.access_revoked": _("Access revoked"),
    "accreditation.opened": _("Accreditation opened"),
    "accreditation.granted": _("Accreditation granted"),
    "accreditation.suspended": _("Accreditation suspended"),
    "accreditation.partially_suspended": _("Accreditation partially suspended"),
    "accreditation.reinstated": _("Accreditation reinstated"),
    "accreditation.withdrawn": _("Accreditation withdrawn"),
    "accreditation.cancelled": _("Accreditation cancelled"),
    "accreditation.expired": _("Accreditation expired"),
    "scope.draft_started": _("Scope draft started"),
    "scope.item_added": _("Scope item added"),
    "scope.item_updated": _("Scope item changed"),
    "scope.item_status_changed": _("Scope item status changed"),
    "scope.item_removed": _("Scope item removed"),
    "scope.published": _("Scope issue published"),
    "scope.draft_discarded": _("Scope draft discarded"),
}

#: Labels of values that events record but that are not fields of the changed model.
_EXTRA_VALUE_LABELS: dict[str, Promise] = {
    "programme": _("programme"),
    "number": _("accreditation number"),
    "based_on_issue": _("based on issue"),
    "current_issue": _("current issue"),
    "items": _("items"),
    "user": _("user"),
    "permission": _("permission"),
    "version": _("scope version"),
}
#: Values recorded for the machine (row ids) that mean nothing to a reader.
_HIDDEN_VALUES = frozenset({"version"})


def _shape_labels(shapes: list[str]) -> dict[str, Any]:
    """Labels of scope-item fields, from the CAB's own programmes' shapes first, then any shape."""
    labels: dict[str, Any] = {}
    for shape in [*shapes, *SHAPES]:
        for shape_field in SHAPES[shape]:
            labels.setdefault(shape_field.name, shape_field.label)
    return labels


@dataclass
class AuditChange:
    name: str
    old: str
    new: str


@dataclass
class AuditRow:
    event: AuditEvent
    label: str
    changes: list[AuditChange]


def _audit_model(aggregate_type: str) -> type[Model] | None:
    try:
        return apps.get_model(aggregate_type)
    except (LookupError, ValueError):
        return None


def _audit_value(model: type[Model] | None, name: str, value: Any, shape_labels: dict[str, Any]) -> tuple[str, str]:
    """The label of a recorded value and its text (a choice shows its label, not its code)."""
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            choices = dict(getattr(field, "flatchoices", None) or ())
            shown = choices.get(value, value) if isinstance(value, str) else value
            return str(getattr(field, "verbose_name", name)), _cell_text(shown)
    label = _EXTRA_VALUE_LABELS.get(name) or shape_labels.get(name) or name
    return str(label), _cell_text(value)


def audit_rows(events: Any, shapes: list[str]) -> list[AuditRow]:
    """Events as rows of a history table: a readable event name and each value before and after."""
    shape_labels = _shape_labels(shapes)
    rows = []
    for event in events:
        model = _audit_model(event.aggregate_type)
        names = [n for n in dict.fromkeys([*event.old_values, *event.new_values]) if n not in _HIDDEN_VALUES]
        changes = []
        for name in names:
            old_value, new_value = event.old_values.get(name), event.new_values.get(name)
            if old_value in (None, "", []) and new_value in (None, "", []):
                continue
            label, old = _audit_value(model, name, old_value, shape_labels)
            __, new = _audit_value(model, name, new_value, shape_labels)
            changes.append(AuditChange(label, old if name in event.old_values else "", new))
        rows.append(AuditRow(event, str(EVENT_LABELS.get(event.event_type, event.event_type)), changes))
    return rows


# --- Base classes ---------------------------------------------------------------------------


class SecretariatRequiredMixin(UserPassesTestMixin):
    """The secretariat's actions: anonymous users are sent to log in, other users get 403."""

    request: HttpRequest

    def test_func(self) -> bool:
        return is_secretariat(self.request.user)


class ServiceFormView(FormView):
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

    def get_object(self) -> Any:
        raise NotImplementedError

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def get_intro(self) -> str | Promise:
        return self.intro

    def success_message(self, result: Any) -> str | Promise:
        return ""

    def success_url_for(self, result: Any) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        raise NotImplementedError

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


def _user(request: HttpRequest) -> Any:
    return request.user


# --- The public directory -------------------------------------------------------------------


class DirectoryView(ListView):
    """Search the accredited bodies (no login). A one-character query is refused with a message."""

    template_name = "accreditation/directory.html"
    paginate_by = DIRECTORY_PAGE_SIZE
    context_object_name = "cabs"

    def get_queryset(self) -> QuerySet[Cab]:
        self.form = DirectorySearchForm(self.request.GET)
        if not self.form.is_valid():
            return selectors.public_cab_qs().none()
        return selectors.directory_search(**self.form.search_arguments())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form=self.form, **kwargs)


@dataclass
class PublicAccreditation:
    accreditation: Accreditation
    scope: ScopeVersion | None
    columns: tuple[ShapeField, ...]
    rows: list[ScopeRow]
    is_live: bool


class DirectoryCabView(DetailView):
    """A body's public page: its names, accreditations and their current published scopes only."""

    template_name = "accreditation/directory_cab.html"
    context_object_name = "cab"

    def get_queryset(self) -> QuerySet[Cab]:
        return selectors.public_cab_qs()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        accreditations = (
            selectors.public_accreditation_qs()
            .filter(cab=self.object)
            .prefetch_related(selectors.current_scope_prefetch())
        )
        shown = []
        for accreditation in accreditations:
            shape = accreditation.programme.scope_shape
            scope = accreditation.published_versions[0] if accreditation.published_versions else None  # type: ignore[attr-defined]
            shown.append(
                PublicAccreditation(
                    accreditation=accreditation,
                    scope=scope,
                    columns=fields_of(shape),
                    rows=scope_rows(shape, list(scope.items.all())) if scope else [],
                    is_live=accreditation.status in LIVE_ACCREDITATION_STATUSES,
                )
            )
        return super().get_context_data(accreditations=shown, **kwargs)


# --- The register (accreditation-body staff; CAB users and assessors see what their selector gives) ---


class CabListView(LoginRequiredMixin, ListView):
    template_name = "accreditation/cab_list.html"
    paginate_by = REGISTER_PAGE_SIZE
    context_object_name = "cabs"

    def get_queryset(self) -> QuerySet[Cab]:
        cabs = (
            selectors.cab_qs_for(_user(self.request))
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
        return selectors.cab_qs_for(_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, cab = _user(self.request), self.object
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
        return selectors.accreditation_qs_for(_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, accreditation = _user(self.request), self.object
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


class ScopeVersionDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/scope_version_detail.html"
    context_object_name = "version"

    def get_queryset(self) -> QuerySet[ScopeVersion]:
        return selectors.scope_version_qs_for(_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.object
        shape = version.accreditation.programme.scope_shape
        return super().get_context_data(
            accreditation=version.accreditation,
            columns=fields_of(shape),
            rows=scope_rows(shape, list(version.items.all())),
            can_edit=version.is_draft and is_secretariat(_user(self.request)),
            publish_form=ScopePublishForm(),
            **kwargs,
        )


class ScopeDiffView(LoginRequiredMixin, DetailView):
    """Compare any two versions of one accreditation's scope, item by item."""

    template_name = "accreditation/scope_diff.html"
    context_object_name = "accreditation"

    def get_queryset(self) -> QuerySet[Accreditation]:
        return selectors.accreditation_qs_for(_user(self.request))

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
        versions = selectors.scope_version_qs_for(_user(self.request)).filter(accreditation=accreditation)
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


# --- The secretariat's actions on the register ------------------------------------------------


class StaffActionView(SecretariatRequiredMixin, ServiceFormView):
    pass


class CabCreateView(StaffActionView):
    form_class = CabForm
    title = _("Register a CAB")
    submit_label = _("Register")

    def get_object(self) -> None:
        return None

    def perform(self, form: CabForm) -> Cab:
        return cab_services.cab_create(actor=_user(self.request), reason=form.cleaned_data["reason"], **form.values())

    def success_message(self, result: Cab) -> Promise | str:
        return _("{cab} is registered.").format(cab=result.name)

    def success_url_for(self, result: Cab) -> str:
        return reverse("accreditation:cab_detail", args=[result.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:cab_list")


class _CabActionView(StaffActionView):
    object: Cab

    def get_object(self) -> Cab:
        return get_object_or_404(selectors.cab_qs_for(_user(self.request), "change"), pk=self.kwargs["pk"])

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
            cab=self.object, actor=_user(self.request), reason=form.cleaned_data["reason"], **form.values()
        )

    def success_message(self, result: Cab) -> Promise | str:
        return _("The details of {cab} are saved.").format(cab=result.name)


class CabSiteAddView(_CabActionView):
    form_class = SiteForm
    title = _("Add a site")
    submit_label = _("Add site")

    def perform(self, form: SiteForm) -> Any:
        return cab_services.cab_site_add(cab=self.object, actor=_user(self.request), **form.values())

    def success_message(self, result: Any) -> Promise | str:
        return _("Site {site} added.").format(site=result.name)


class CabContactAddView(_CabActionView):
    form_class = ContactForm
    title = _("Add a contact")
    submit_label = _("Add contact")

    def perform(self, form: ContactForm) -> CabContact:
        return cab_services.cab_contact_add(cab=self.object, actor=_user(self.request), **form.values())

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
            actor=_user(self.request),
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("{cab} is an applicant under {programme}.").format(
            cab=result.cab.name, programme=result.programme.name
        )

    def success_url_for(self, result: Accreditation) -> str:
        return reverse("accreditation:accreditation_detail", args=[result.pk])


class _AccreditationActionView(StaffActionView):
    object: Accreditation

    def get_object(self) -> Accreditation:
        return get_object_or_404(selectors.accreditation_qs_for(_user(self.request), "change"), pk=self.kwargs["pk"])

    def success_url_for(self, result: Any) -> str:
        return reverse("accreditation:accreditation_detail", args=[self.object.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:accreditation_detail", args=[self.object.pk])


class AccreditationGrantView(_AccreditationActionView):
    form_class = AccreditationGrantForm
    title = _("Grant the accreditation")
    intro = _("The accreditation gets its number and its first cycle.")
    submit_label = _("Grant")

    def perform(self, form: AccreditationGrantForm) -> Accreditation:
        return accreditation_services.accreditation_grant(
            accreditation=self.object,
            actor=_user(self.request),
            granted_on=form.cleaned_data["granted_on"],
            number=form.cleaned_data["number"] or None,
            reason=form.cleaned_data["reason"],
        )

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("Accreditation {number} granted.").format(number=result.number)


class AccreditationStatusView(_AccreditationActionView):
    form_class = AccreditationStatusForm
    title = _("Change the accreditation's status")
    submit_label = _("Change status")
    danger = True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "current_status": self.object.status}

    def perform(self, form: AccreditationStatusForm) -> Accreditation:
        move = accreditation_services.MOVES_BY_TARGET[AccreditationStatus(form.cleaned_data["target"])]
        return move(accreditation=self.object, actor=_user(self.request), reason=form.cleaned_data["reason"])

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("The accreditation is now {status}.").format(status=result.get_status_display())


class AccreditationPartialSuspensionView(_AccreditationActionView):
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
            actor=_user(self.request),
            reason=form.cleaned_data["reason"],
            item_keys=form.cleaned_data["items"],
        )

    def success_message(self, result: Accreditation) -> Promise | str:
        return _("The chosen scope items are suspended.")


class ScopeDraftStartView(_AccreditationActionView):
    form_class = DraftStartForm
    title = _("Start a new draft of the scope")
    intro = _("The draft starts as a copy of the current issue.")
    submit_label = _("Start draft")

    def perform(self, form: DraftStartForm) -> ScopeVersion:
        return scope_services.scope_draft_start(
            accreditation=self.object, actor=_user(self.request), note=form.cleaned_data["note"]
        )

    def success_message(self, result: ScopeVersion) -> Promise | str:
        return _("A draft scope is started.")

    def success_url_for(self, result: ScopeVersion) -> str:
        return reverse("accreditation:scope_version_detail", args=[result.pk])


class _ScopeVersionActionView(StaffActionView):
    object: ScopeVersion

    def get_object(self) -> ScopeVersion:
        return get_object_or_404(selectors.scope_version_qs_for(_user(self.request), "change"), pk=self.kwargs["pk"])

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
            version=self.object, actor=_user(self.request), attributes=form.attributes()
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
            actor=_user(self.request),
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
        scope_services.scope_version_discard(version=self.object, actor=_user(self.request))

    def success_message(self, result: None) -> Promise | str:
        return _("The draft is discarded.")

    def success_url_for(self, result: None) -> str:
        return reverse("accreditation:accreditation_detail", args=[self.object.accreditation_id])


class _ScopeItemActionView(StaffActionView):
    object: ScopeItem

    def get_object(self) -> ScopeItem:
        return get_object_or_404(selectors.scope_item_qs_for(_user(self.request), "change"), pk=self.kwargs["pk"])

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
            item=self.object, actor=_user(self.request), attributes=form.attributes()
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
            actor=_user(self.request),
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
        scope_services.scope_item_remove(item=self.object, actor=_user(self.request))

    def success_message(self, result: None) -> Promise | str:
        return _("Scope item removed.")


# --- The CAB user's home ------------------------------------------------------------------------


class CabHomeView(LoginRequiredMixin, TemplateView):
    """Where a signed-in user who is not accreditation-body staff lands.

    A member of one CAB goes straight to its page; a member of several chooses; anyone else (an
    assessor) sees the CABs their grants let them read, or that they have none yet.
    """

    template_name = "accreditation/cab_home_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.own_cabs = list(selectors.user_cabs(_user(request)).order_by(selectors.pinyin_order("name_zh"), "pk"))
        if len(self.own_cabs) == 1:
            return redirect("accreditation:cab_home_detail", pk=self.own_cabs[0].pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = {"own_cabs": self.own_cabs}
        if not self.own_cabs:
            visible = selectors.cab_qs_for(_user(self.request)).order_by(selectors.pinyin_order("name_zh"), "pk")
            context["page_obj"] = Paginator(visible, REGISTER_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(**context, **kwargs)


@dataclass
class CabHomeAccreditation:
    accreditation: Accreditation
    scope: ScopeVersion | None
    columns: tuple[ShapeField, ...]
    rows: list[ScopeRow]


class CabHomeDetailView(LoginRequiredMixin, DetailView):
    template_name = "accreditation/cab_home.html"
    context_object_name = "cab"

    def get_queryset(self) -> QuerySet[Cab]:
        return selectors.user_cabs(_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, cab = _user(self.request), self.object
        accreditations = []
        for accreditation in (
            selectors.accreditation_qs_for(user).filter(cab=cab).prefetch_related(selectors.current_scope_prefetch())
        ):
            shape = accreditation.programme.scope_shape
            scope = accreditation.published_versions[0] if accreditation.published_versions else None  # type: ignore[attr-defined]
            rows = scope_rows(shape, list(scope.items.all())) if scope else []
            accreditations.append(CabHomeAccreditation(accreditation, scope, fields_of(shape), rows))
        admin = is_cab_admin(user, cab)
        return super().get_context_data(
            accreditations=accreditations,
            is_admin=admin,
            members=selectors.membership_qs_for(user).filter(cab=cab).order_by("user__username"),
            contacts=cab.contacts.all(),
            sites=cab.sites.all(),
            invitations=selectors.open_invitations_of_cab(cab) if admin else [],
            invite_form=MemberInviteForm(),
            **kwargs,
        )


class _OwnCabActionView(LoginRequiredMixin, ServiceFormView):
    """A CAB member's action on their own CAB; the service checks that they are its admin."""

    cab: Cab

    def get_cab(self) -> Cab:
        return get_object_or_404(selectors.user_cabs(_user(self.request)), pk=self.kwargs["pk"])

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
            actor=_user(self.request),
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
            selectors.membership_qs_for(_user(self.request)), pk=self.kwargs["member_pk"], cab=self.cab
        )

    def get_intro(self) -> str | Promise:
        return _("{user} will no longer see {cab} in the portal.").format(user=self.object.user, cab=self.cab.name)

    def perform(self, form: ReasonForm) -> None:
        member_services.cab_member_remove(
            membership=self.object, actor=_user(self.request), reason=form.cleaned_data["reason"]
        )

    def success_message(self, result: None) -> Promise | str:
        return _("{user} is no longer a member.").format(user=self.object.user)


class CabHomeContactAddView(_OwnCabActionView):
    form_class = ContactForm
    title = _("Add a contact")
    submit_label = _("Add contact")

    def perform(self, form: ContactForm) -> CabContact:
        return cab_services.cab_contact_add(cab=self.cab, actor=_user(self.request), **form.values())

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
        return cab_services.cab_contact_update(contact=self.object, actor=_user(self.request), **form.values())

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
