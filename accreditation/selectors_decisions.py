"""Queries of decisions. ``decision_qs_for`` decides who may read a decision.

- Staff (the secretariat and decision makers) read every decision.
- A CAB's members read the decisions on their CAB's applications.
- Everybody else (assessors, other CABs' members, the public) reads none.

``decision_queue_for`` is a decision maker's work list: accepted applications whose assessments
allow a decision (``ready_q`` of the assessment-facts provider), without those whose assessment
teams the user was on.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accreditation.choices_applications import ApplicationStatus
from accreditation.hooks import assessment_facts_provider
from accreditation.models import Application, Decision
from accreditation.selectors import AnyUser, user_cabs
from core.roles import Role, has_role, is_staff_reader


def decision_qs_for(user: AnyUser) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related(
        "application__cab", "application__programme", "decided_by", "accreditation", "scope_version"
    )
    if not user.is_authenticated:
        return decisions.none()
    if is_staff_reader(user):
        return decisions
    return decisions.filter(application__cab__in=user_cabs(user))


def decision_queue_for(user: AnyUser) -> QuerySet[Application]:
    """Applications awaiting this decision maker's decision, oldest accepted first.

    Readiness and "who took part" come from the assessment-facts provider as filters, so the
    register never reads the assessors' tables and the queue is one query.
    """
    if not has_role(user, Role.DECISION_MAKER) or user.pk is None:
        return Application.objects.none()
    provider = assessment_facts_provider()
    return (
        Application.objects.select_related("cab", "programme", "accreditation")
        .filter(Q(status=ApplicationStatus.ACCEPTED) & provider.ready_q())
        .exclude(provider.participated_q(user.pk))
        .order_by("status_changed_at", "pk")
    )


def decisions_of(application: Application, user: AnyUser) -> QuerySet[Decision]:
    """The decisions on one application that ``user`` may read, in order."""
    return decision_qs_for(user).filter(application=application).order_by("sequence")
