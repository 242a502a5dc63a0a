"""Kinds and statuses of applications, the allowed moves, and the data each type asks for.

The required documents and the completeness checklist are data in code, per application type,
so that the lead can review them in one place and the services, pages and API read the same.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ApplicationType(models.TextChoices):
    INITIAL = "initial", _("Initial accreditation")
    EXTENSION = "extension", _("Scope extension")
    REDUCTION = "reduction", _("Scope reduction")
    RENEWAL = "renewal", _("Reassessment (renewal)")
    CHANGE = "change", _("Change notification")
    # The accreditation body's own assessments of an accredited CAB: opened by the secretariat or
    # the surveillance planner (never by the CAB), accepted from the start, decided as a whole.
    SURVEILLANCE = "surveillance", _("Surveillance")
    SPECIAL = "special", _("Special assessment")


#: Types the accreditation body opens itself: no draft, no acceptance review, no CAB edits; they
#: cover the current scope unchanged and their decision ("accreditation maintained" or not)
#: changes nothing in the register.
BODY_INITIATED_TYPES = frozenset({ApplicationType.SURVEILLANCE, ApplicationType.SPECIAL})
#: Types decided as a whole (grant or refuse), not item by item.
WHOLE_DECISION_TYPES = frozenset({ApplicationType.CHANGE, *BODY_INITIATED_TYPES})


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for more information")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECIDED = "decided", _("Decided")


_A = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    _A.DRAFT: {_A.SUBMITTED, _A.WITHDRAWN},
    _A.SUBMITTED: {_A.ACCEPTED, _A.RETURNED, _A.NOT_ACCEPTED},
    _A.RETURNED: {_A.SUBMITTED, _A.WITHDRAWN},
    # Assessed, then decided; the CAB may still withdraw while it is being assessed.
    _A.ACCEPTED: {_A.DECIDED, _A.WITHDRAWN},
    _A.DECIDED: set(),
    _A.NOT_ACCEPTED: set(),
    _A.WITHDRAWN: set(),
}
#: The CAB may edit items, documents and change details only in these statuses.
EDITABLE_STATUSES = frozenset({_A.DRAFT, _A.RETURNED})


class ChangeKind(models.TextChoices):
    NAME = "name", _("Name")
    ADDRESS = "address", _("Address")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")
    KEY_PERSONNEL = "key_personnel", _("Key personnel")
    AUTHORISED_SIGNATORIES = "authorised_signatories", _("Authorised signatories")
    SITES = "sites", _("Sites")


class ScopeAction(models.TextChoices):
    ADD = "add", _("Add")
    REMOVE = "remove", _("Remove")
    KEEP = "keep", _("Keep")


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("Application form")
    QUALITY_MANUAL = "quality_manual", _("Quality manual")
    PROCEDURES_LIST = "procedures_list", _("List of procedures")
    PROFICIENCY_TESTING = "proficiency_testing", _("Proficiency testing records")
    ORGANISATION_CHART = "organisation_chart", _("Organisation chart")
    SUPPORTING_EVIDENCE = "supporting_evidence", _("Evidence of the change")
    OTHER = "other", _("Other")


_D = DocumentKind
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    ApplicationType.INITIAL: (_D.APPLICATION_FORM, _D.QUALITY_MANUAL, _D.PROCEDURES_LIST, _D.ORGANISATION_CHART),
    ApplicationType.EXTENSION: (_D.APPLICATION_FORM, _D.PROFICIENCY_TESTING),
    ApplicationType.REDUCTION: (_D.APPLICATION_FORM,),
    ApplicationType.RENEWAL: (_D.APPLICATION_FORM, _D.QUALITY_MANUAL, _D.PROFICIENCY_TESTING),
    ApplicationType.CHANGE: (_D.APPLICATION_FORM, _D.SUPPORTING_EVIDENCE),
    ApplicationType.SURVEILLANCE: (),
    ApplicationType.SPECIAL: (),
}

#: Types whose scope the CAB edits, and the actions each allows on its items.
SCOPE_ACTIONS: dict[str, frozenset[str]] = {
    ApplicationType.INITIAL: frozenset({ScopeAction.ADD}),
    ApplicationType.EXTENSION: frozenset({ScopeAction.ADD}),
    ApplicationType.REDUCTION: frozenset({ScopeAction.REMOVE}),
    ApplicationType.RENEWAL: frozenset({ScopeAction.ADD, ScopeAction.KEEP}),
    ApplicationType.CHANGE: frozenset(),
    # The body lists the current scope itself (``KEEP`` lines) when it opens one; nobody edits it.
    ApplicationType.SURVEILLANCE: frozenset(),
    ApplicationType.SPECIAL: frozenset(),
}

_COMMON_CHECKS: tuple[tuple[str, str | Promise], ...] = (
    ("form_signed", _("Is the application form complete and signed by the legal representative?")),
    ("fees_agreed", _("Has the CAB accepted the accreditation rules and the fees?")),
    ("assessors_available", _("Do we have assessors competent for the applied scope?")),
)
CHECKLISTS: dict[str, tuple[tuple[str, str | Promise], ...]] = {
    ApplicationType.INITIAL: (
        *_COMMON_CHECKS,
        ("legal_status", _("Is the CAB a legal entity, or part of one, that can be held responsible?")),
        (
            "system_operating",
            _("Has the management system run for six months, with an internal audit and a management review?"),
        ),
        ("scope_clear", _("Is the applied scope stated clearly, with methods identified?")),
    ),
    ApplicationType.EXTENSION: (
        *_COMMON_CHECKS,
        ("scope_clear", _("Is the applied scope stated clearly, with methods identified?")),
        ("pt_evidence", _("Is there proficiency testing or comparison evidence for the new items?")),
    ),
    ApplicationType.REDUCTION: (
        ("form_signed", _("Is the application form complete and signed by the legal representative?")),
        ("items_current", _("Are the items to remove part of the current published scope?")),
    ),
    ApplicationType.RENEWAL: (
        *_COMMON_CHECKS,
        ("no_open_findings", _("Are all nonconformities of the previous cycle closed?")),
        ("scope_clear", _("Is the applied scope stated clearly, with methods identified?")),
    ),
    ApplicationType.CHANGE: (
        ("form_signed", _("Is the application form complete and signed by the legal representative?")),
        ("evidence", _("Is there documentary evidence of each change (licence, appointment letters)?")),
    ),
    # No acceptance review: the body opened them itself.
    ApplicationType.SURVEILLANCE: (),
    ApplicationType.SPECIAL: (),
}


def checklist_for(application_type: str) -> tuple[tuple[str, str | Promise], ...]:
    return CHECKLISTS[application_type]


class DecisionOutcome(models.TextChoices):
    """The decision on one applied scope item, or on a change notification as a whole."""

    GRANT = "grant", _("Grant")
    REFUSE = "refuse", _("Refuse")
    DEFER = "defer", _("Defer")
