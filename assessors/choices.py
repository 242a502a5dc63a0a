"""Statuses and kinds of the assessors app, each status with its table of allowed moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualificationRole(models.TextChoices):
    LEAD_ASSESSOR = "lead_assessor", _("Lead assessor")
    ASSESSOR = "assessor", _("Assessor")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert")
    TRAINEE = "trainee", _("Trainee assessor")


class QualificationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_Q = QualificationStatus
QUALIFICATION_TRANSITIONS: dict[str, set[str]] = {
    _Q.REQUESTED: {_Q.APPROVED, _Q.REJECTED},
    _Q.APPROVED: {_Q.SUSPENDED, _Q.WITHDRAWN},
    # A suspension ends either way: the qualification is reinstated or withdrawn for good.
    _Q.SUSPENDED: {_Q.APPROVED, _Q.WITHDRAWN},
    _Q.REJECTED: set(),
    _Q.WITHDRAWN: set(),
}
#: A qualification in one of these statuses blocks a second request for the same programme and role.
OPEN_QUALIFICATION_STATUSES = frozenset({_Q.REQUESTED, _Q.APPROVED, _Q.SUSPENDED})


class CompetenceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


_C = CompetenceStatus
COMPETENCE_TRANSITIONS: dict[str, set[str]] = {
    _C.REQUESTED: {_C.APPROVED, _C.REJECTED},
    _C.APPROVED: set(),
    _C.REJECTED: set(),
}
OPEN_COMPETENCE_STATUSES = frozenset({_C.REQUESTED, _C.APPROVED})


class ConflictKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    CONSULTANCY = "consultancy", _("Consultancy")
    TRAINING_GIVEN = "training_given", _("Training given")
    FINANCIAL_TIES = "financial_ties", _("Financial ties")


class AssessmentKind(models.TextChoices):
    DOCUMENT_REVIEW = "document_review", _("Document review")
    ON_SITE = "on_site", _("On-site assessment")
    REMOTE = "remote", _("Remote assessment")
    HYBRID = "hybrid", _("Hybrid assessment")
    WITNESS = "witness", _("Witness assessment")
    EXTENSION = "extension", _("Extension assessment")


class AssessmentStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    TEAM_CONFIRMED = "team_confirmed", _("Team confirmed")


_S = AssessmentStatus
# Later issues (reports, findings, decisions) continue the table from ``team_confirmed``.
ASSESSMENT_TRANSITIONS: dict[str, set[str]] = {
    _S.PLANNING: {_S.TEAM_CONFIRMED},
    _S.TEAM_CONFIRMED: set(),
}


class TeamRole(models.TextChoices):
    LEAD_ASSESSOR = "lead_assessor", _("Lead assessor")
    ASSESSOR = "assessor", _("Assessor")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert")
    TRAINEE = "trainee", _("Trainee assessor")


class TeamMemberStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    OBJECTED = "objected", _("Objected to by the CAB")
    UPHELD = "upheld", _("Removed after objection")
    DISMISSED = "dismissed", _("Objection dismissed")


_T = TeamMemberStatus
TEAM_MEMBER_TRANSITIONS: dict[str, set[str]] = {
    _T.PROPOSED: {_T.CONFIRMED},
    _T.CONFIRMED: {_T.ACCEPTED, _T.DECLINED, _T.OBJECTED},
    _T.OBJECTED: {_T.UPHELD, _T.DISMISSED},
    _T.ACCEPTED: set(),
    _T.DECLINED: set(),
    _T.UPHELD: set(),
    _T.DISMISSED: {_T.ACCEPTED, _T.DECLINED},
}
#: Members in these statuses are on the team (they count for coverage, workload and access).
ACTIVE_MEMBER_STATUSES = frozenset({_T.PROPOSED, _T.CONFIRMED, _T.ACCEPTED, _T.OBJECTED, _T.DISMISSED})
