"""Decisions: the decision maker's queue, the decision page of an application, and a decision's record.

The decision page reads the application through ``application_qs_for`` (unseen: 404) and is for
decision makers only (others who see the application get 403). It shows what the decision
needs (the applied items with the team's recommendation, the findings, the difference from the
current scope) and explains when this user may not decide; a POST always goes to
``decision_record``, which refuses a member of the team or an application not ready.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from accreditation.choices_applications import WHOLE_DECISION_TYPES, ApplicationStatus, ApplicationType, ChangeKind
from accreditation.forms_decisions import DecisionForm
from accreditation.hooks import AssessmentFacts, assessment_facts
from accreditation.models import Accreditation, Application, ApplicationScopeItem, Cab, Decision
from accreditation.scope_shapes import fields_of
from accreditation.selectors_applications import application_diff, application_qs_for
from accreditation.selectors_decisions import decision_qs_for, decision_queue_for, decisions_of
from accreditation.services.applications import CHANGE_FIELDS
from accreditation.services.decisions import decision_record, is_decision_maker, pending_items
from accreditation.views.applications import applied_rows, cell_text
from accreditation.views.base import REGISTER_PAGE_SIZE, ServiceFormView, current_user
from accreditation.views.presenters import scope_rows
from core.errors import DomainError
from core.roles import is_staff_reader


class DecisionMakerRequiredMixin(UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return is_decision_maker(self.request.user)


class DecisionQueueView(LoginRequiredMixin, DecisionMakerRequiredMixin, ListView):
    """Assessed applications waiting for a decision, oldest accepted first, without the user's own cases."""

    template_name = "accreditation/decisions/queue.html"
    paginate_by = REGISTER_PAGE_SIZE
    context_object_name = "applications"

    def get_queryset(self) -> QuerySet[Application]:
        return decision_queue_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [
            (application, (today - timezone.localdate(application.status_changed_at)).days)
            for application in context["applications"]
        ]
        return context


def change_rows(application: Application) -> list[dict[str, Any]]:
    """The changes a change notification proposes, with the register's current values beside them."""
    cab = application.cab
    rows = []
    for kind in application.change_kinds:
        values = []
        for name, label in CHANGE_FIELDS[kind]:
            current = getattr(cab, name, None) if name not in ("people", "sites", "credit_code") else None
            if name == "credit_code":
                current = cab.credit_code
            values.append((label, cell_text(current), application.proposed_changes.get(kind, {}).get(name) or "—"))
        rows.append({"label": ChangeKind(kind).label, "values": values})
    return rows


@dataclass
class DecideRow:
    item: ApplicationScopeItem
    cells: list[str]
    recommendation: str
    fields: Any = None


class ApplicationDecideView(LoginRequiredMixin, ServiceFormView):
    form_class = DecisionForm
    template_name = "accreditation/decisions/decide.html"
    title = _("Decide the application")
    submit_label = _("Record the decision")
    application: Application

    def get_object(self) -> Any:
        user = current_user(self.request)
        self.application = get_object_or_404(application_qs_for(user), pk=self.kwargs["pk"])
        if not is_decision_maker(user):
            raise PermissionDenied
        whole = self.application.type in WHOLE_DECISION_TYPES
        self.pending = [] if whole else pending_items(self.application)
        return self.application

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "application": self.application, "pending": self.pending}

    def _facts(self) -> AssessmentFacts | None:
        if self.application.status != ApplicationStatus.ACCEPTED:
            return None
        return assessment_facts(self.application)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        application, user = self.application, current_user(self.request)
        facts = self._facts()
        on_team = facts is not None and user.pk in facts.participant_ids
        shape = application.programme.scope_shape
        diff = application_diff(application)
        form = kwargs.get("form") or self.get_form()
        recommendations = facts.recommendations if facts else {}
        fields = {f.item.pk: f for f in form.item_fields()}
        rows = [
            DecideRow(row.item, row.cells, recommendations.get(row.item.pk, ""), fields.get(row.item.pk))
            for row in applied_rows(shape, list(application.items.all()))
        ]
        return super().get_context_data(
            application=application,
            facts=facts,
            on_team=on_team,
            can_decide=facts is not None and facts.ready and not on_team,
            columns=fields_of(shape),
            rows=rows,
            pending_count=len(self.pending),
            added=applied_rows(shape, diff.added),
            removed=scope_rows(shape, diff.removed),
            kept_count=len(diff.kept),
            has_scope=application.type not in WHOLE_DECISION_TYPES,
            changes=change_rows(application) if application.type == ApplicationType.CHANGE else [],
            decisions=list(decisions_of(application, user).prefetch_related("items")),
            **kwargs,
        )

    def perform(self, form: DecisionForm) -> Decision:
        try:
            return decision_record(
                application=self.application, actor=current_user(self.request), **form.service_arguments()
            )
        except DomainError as error:
            form.add_item_errors(error)
            raise

    def success_message(self, result: Decision) -> str | Promise:
        return _("Decision {sequence} on {reference} recorded.").format(
            sequence=result.sequence, reference=self.application.reference
        )

    def success_url_for(self, result: Decision) -> str:
        return reverse("accreditation:decision_detail", args=[result.pk])

    def cancel_url(self) -> str:
        return reverse("accreditation:application_detail", args=[self.application.pk])


def register_change_label(name: str) -> str:
    """A readable name for a key of ``Decision.register_changes``."""
    kind, __, subject = name.partition(": ")
    if subject and kind == "contact":
        return str(_("Contact {name}").format(name=subject))
    if subject and kind == "site":
        return str(_("Site {name}").format(name=subject))
    if name == "scope_issue":
        return str(_("Current scope issue"))
    for model in (Accreditation, Cab):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


class DecisionDetailView(LoginRequiredMixin, DetailView):
    """One decision as recorded: each item's outcome and reason, and what it changed in the register."""

    template_name = "accreditation/decisions/detail.html"
    context_object_name = "decision"

    def get_queryset(self) -> QuerySet[Decision]:
        return decision_qs_for(current_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        decision: Decision = self.object
        shape = decision.application.programme.scope_shape
        items = list(decision.items.select_related("item"))
        return super().get_context_data(
            columns=fields_of(shape),
            rows=[(entry, applied_rows(shape, [entry.item])[0].cells) for entry in items],
            register_changes=[
                (register_change_label(name), cell_text(values[0]), cell_text(values[1]))
                for name, values in decision.register_changes.items()
            ],
            is_staff=is_staff_reader(current_user(self.request)),
            **kwargs,
        )
