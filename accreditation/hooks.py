"""Hooks between the register and the apps above it, which the register never imports.

**Signals** the register sends after a change commits, for higher apps to react to. When one
of them must react to a register change (certification issues a new accreditation certificate
when a decision grants or changes a scope; surveillance re-plans a cycle when an
accreditation's status changes), it connects a receiver in its ``AppConfig.ready``.

Every signal is sent from ``transaction.on_commit``: receivers see committed data, and a
rolled-back change sends nothing. Receivers should enqueue a Celery task rather than do slow
work inline.

``accreditation_status_changed(sender=Accreditation, accreditation_id, old_status, new_status, actor_id)``
``scope_version_published(sender=ScopeVersion, scope_version_id, accreditation_id, actor_id)``
``decision_recorded(sender=Decision, decision_id, application_id, application_type, accreditation_id,
scope_version_id, granted_item_ids, actor_id)``
    Sent once per accreditation decision. ``accreditation_id`` is set when the decision granted
    (initial), changed (extension, reduction, renewal) or updated (change) an accreditation;
    ``scope_version_id`` when it published a new scope version; ``granted_item_ids`` lists the
    applied scope items granted. This is the hook the certificates app subscribes to in order
    to issue or reissue the accreditation certificate.

**The assessment-facts provider.** A decision needs facts that live in the assessors app: who
took part in the assessments of an application (they may not decide it) and whether every
assessment is completed. The assessors app registers one provider with
``provide_assessment_facts`` in its ``AppConfig.ready``; the decision service asks
``assessment_facts(application)``. With no provider registered the service refuses to decide
(``ImproperlyConfigured``) rather than skip the independence check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.dispatch import Signal

if TYPE_CHECKING:
    from accreditation.models import Application

accreditation_status_changed = Signal()
scope_version_published = Signal()
decision_recorded = Signal()


@dataclass(frozen=True)
class AssessmentFacts:
    """What the assessors app knows about the assessments of one application."""

    #: Users who were on the team of any assessment of the application (removed members excluded).
    participant_ids: frozenset[int]
    #: True when the application may be decided: its assessments are completed.
    ready: bool
    #: Why it is not ready yet, as sentences for the decision maker (empty when ready).
    blockers: tuple[str, ...] = ()
    #: The latest submitted recommendation per applied scope item id, as its label.
    recommendations: Mapping[int, str] = field(default_factory=dict)
    #: Counts for the decision page: nonconformities raised, closed, still open.
    findings_summary: Mapping[str, int] = field(default_factory=dict)


class AssessmentFactsProvider(Protocol):
    def facts(self, application: Application) -> AssessmentFacts: ...

    def ready_q(self) -> Q:
        """A filter on ``Application`` that keeps the ones whose assessments allow a decision."""
        ...

    def participated_q(self, user_id: int) -> Q:
        """A filter on ``Application`` that keeps the ones the user took part in assessing."""
        ...


_provider: AssessmentFactsProvider | None = None


def provide_assessment_facts(provider: AssessmentFactsProvider) -> None:
    global _provider
    _provider = provider


def assessment_facts_provider() -> AssessmentFactsProvider:
    if _provider is None:
        raise ImproperlyConfigured("No assessment-facts provider is registered; is the assessors app installed?")
    return _provider


def assessment_facts(application: Application) -> AssessmentFacts:
    return assessment_facts_provider().facts(application)
