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
    REPORTED = "reported", _("Report submitted, findings open")
    COMPLETED = "completed", _("Completed, ready for decision")


_S = AssessmentStatus
# ``reported`` → ``completed`` when every nonconformity is closed (or the report has none), or
# when the secretariat closes the case after an answer deadline has passed. An amended report
# that raises a new nonconformity takes a completed assessment back to ``reported``.
ASSESSMENT_TRANSITIONS: dict[str, set[str]] = {
    _S.PLANNING: {_S.TEAM_CONFIRMED},
    _S.TEAM_CONFIRMED: {_S.REPORTED},
    _S.REPORTED: {_S.COMPLETED},
    _S.COMPLETED: {_S.REPORTED},
}


class TeamRole(models.TextChoices):
    LEAD_ASSESSOR = "lead_assessor", _("Lead assessor")
    ASSESSOR = "assessor", _("Assessor")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert")
    TRAINEE = "trainee", _("Trainee assessor")


class TeamMemberStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    ACCEPTED = "accepted", _("Place accepted")
    DECLINED = "declined", _("Place declined")
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


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by an amendment")


_R = ReportStatus
#: A submitted report is locked; an amendment is a new version, and submitting it supersedes the old one.
REPORT_TRANSITIONS: dict[str, set[str]] = {
    _R.DRAFT: {_R.SUBMITTED},
    _R.SUBMITTED: {_R.SUPERSEDED},
    _R.SUPERSEDED: set(),
}


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend")
    RECOMMEND_WITH_CONDITIONS = "recommend_with_conditions", _("Recommend with conditions")
    DO_NOT_RECOMMEND = "do_not_recommend", _("Do not recommend")


class FindingKind(models.TextChoices):
    NONCONFORMITY = "nonconformity", _("Nonconformity")
    OBSERVATION = "observation", _("Observation")


class FindingGrade(models.TextChoices):
    """The grade of a nonconformity (observations have none)."""

    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")


class FindingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (report not yet submitted)")
    OPEN = "open", _("Open, waiting for the CAB's answer")
    ANSWERED = "answered", _("Answered, waiting for the assessor")
    CLOSED = "closed", _("Closed")
    LAPSED = "lapsed", _("Deadline passed without an accepted answer")
    NOTED = "noted", _("Noted (observation)")


_F = FindingStatus
#: A nonconformity is answered by the CAB and accepted (closed) or rejected (open again) by an assessor.
#: Once its deadline has passed without an answer, the secretariat may close the case: it lapses,
#: and the decision maker sees it as unresolved.
FINDING_TRANSITIONS: dict[str, set[str]] = {
    # Submitting the report opens each nonconformity and notes each observation.
    _F.DRAFT: {_F.OPEN, _F.NOTED},
    _F.OPEN: {_F.ANSWERED, _F.LAPSED},
    _F.ANSWERED: {_F.CLOSED, _F.OPEN},
    _F.CLOSED: set(),
    _F.LAPSED: set(),
    _F.NOTED: set(),
}


class CorrectiveActionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the assessor")
    ACCEPTED = "accepted", _("Answer accepted")
    REJECTED = "rejected", _("Answer rejected")


_CA = CorrectiveActionStatus
CORRECTIVE_ACTION_TRANSITIONS: dict[str, set[str]] = {
    _CA.SUBMITTED: {_CA.ACCEPTED, _CA.REJECTED},
    _CA.ACCEPTED: set(),
    _CA.REJECTED: set(),
}
