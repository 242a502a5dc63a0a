"""Kinds and statuses of the supervision app, each status with its table of allowed moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintKind(models.TextChoices):
    """What a complaint is about (DOMAIN.md: complaints and appeals)."""

    AGAINST_CAB = "against_cab", _("Against a conformity assessment body")
    AGAINST_ACCREDITATION_BODY = "against_accreditation_body", _("Against the accreditation body")
    FAKE_CERTIFICATE = "fake_certificate", _("Suspected fake certificate")
    FALSE_CLAIM = "false_claim", _("False claim of accreditation")


class ComplaintChannel(models.TextChoices):
    """Who filed it: a member of the public, a CAB's user, or staff recording one received otherwise."""

    PUBLIC = "public", _("Public form")
    CAB_USER = "cab_user", _("CAB user")
    STAFF = "staff", _("Recorded by staff")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Under investigation")
    RESOLVED = "resolved", _("Resolved")


_C = ComplaintStatus
COMPLAINT_TRANSITIONS: dict[str, set[str]] = {
    _C.RECEIVED: {_C.ACKNOWLEDGED},
    _C.ACKNOWLEDGED: {_C.INVESTIGATING, _C.RESOLVED},
    _C.INVESTIGATING: {_C.RESOLVED},
    _C.RESOLVED: set(),
}


class ComplaintOutcome(models.TextChoices):
    """How a complaint ended (the outcomes the seed report counts)."""

    WITHDRAWAL = "withdrawal", _("Accreditation withdrawn")
    SUSPENSION = "suspension", _("Accreditation suspended")
    WARNING = "warning", _("Warning")
    KEPT_AFTER_RECTIFICATION = "kept_after_rectification", _("Accreditation kept after rectification")
    NOT_SUPPORTED = "not_supported", _("Complaint not supported")


# --- scheduled jobs ------------------------------------------------------------------------------------


class JobName(models.TextChoices):
    """The daily jobs Celery beat starts (``surveillance/jobs.py``)."""

    SURVEILLANCE_PLANNER = "surveillance_planner", _("Surveillance planner")
    EXPIRY_SWEEP = "expiry_sweep", _("Expiry sweep")
    SUSPENSION_WATCHDOG = "suspension_watchdog", _("Suspension watchdog")
    DEADLINE_WATCHDOG = "deadline_watchdog", _("Deadline watchdog")
    QUALIFICATION_REMINDERS = "qualification_reminders", _("Assessor qualification reminders")


class JobRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped: another run held the lock")


# --- sanctions ----------------------------------------------------------------------------------------


class SanctionKind(models.TextChoices):
    """Accreditation sanctions (认可约束) and the CAB's own requests that have the same effects."""

    WARNING = "warning", _("Warning")
    SUSPENSION = "suspension", _("Suspension of the whole scope")
    PARTIAL_SUSPENSION = "partial_suspension", _("Suspension of part of the scope")
    SCOPE_REDUCTION = "scope_reduction", _("Scope reduction")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    VOLUNTARY_SUSPENSION = "voluntary_suspension", _("Voluntary suspension at the CAB's request")
    CANCELLATION = "cancellation", _("Cancellation at the CAB's request")


#: Kinds that suspend something and so can be lifted after verified rectification.
SUSPENDING_KINDS = frozenset(
    {SanctionKind.SUSPENSION, SanctionKind.PARTIAL_SUSPENSION, SanctionKind.VOLUNTARY_SUSPENSION}
)
#: Kinds that need a reason from the maintained list (the CAB's own requests need none).
KINDS_WITH_LISTED_REASON = frozenset(
    {
        SanctionKind.WARNING,
        SanctionKind.SUSPENSION,
        SanctionKind.PARTIAL_SUSPENSION,
        SanctionKind.SCOPE_REDUCTION,
        SanctionKind.WITHDRAWAL,
    }
)


class SanctionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    LIFTED = "lifted", _("Lifted after rectification")
    ENDED = "ended", _("Ended by a later sanction")


_SS = SanctionStatus
SANCTION_TRANSITIONS: dict[str, set[str]] = {
    _SS.IN_FORCE: {_SS.LIFTED, _SS.ENDED},
    _SS.LIFTED: set(),
    _SS.ENDED: set(),
}


class WithdrawalProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the secretariat")
    WITHDRAWN = "withdrawn", _("Accreditation withdrawn")
    DISMISSED = "dismissed", _("Dismissed")


_WP = WithdrawalProposalStatus
WITHDRAWAL_PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    _WP.OPEN: {_WP.WITHDRAWN, _WP.DISMISSED},
    _WP.WITHDRAWN: set(),
    _WP.DISMISSED: set(),
}


# --- public notices -------------------------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    """What a public notice (认可公示) announces."""

    GRANT = "grant", _("Accreditation granted")
    SUSPENSION = "suspension", _("Accreditation suspended")
    RESTORATION = "restoration", _("Accreditation restored")
    WITHDRAWAL = "withdrawal", _("Accreditation withdrawn")
    SCOPE_REDUCTION = "scope_reduction", _("Scope reduced")
    FALSE_CLAIM = "false_claim", _("Statement on a false claim of accreditation")
    DISHONESTY_LISTING = "dishonesty_listing", _("Entered on the dishonesty list")
    CREDIT_REPAIR = "credit_repair", _("Removed from the dishonesty list")


# --- appeals ------------------------------------------------------------------------------------------


class AppealStatus(models.TextChoices):
    LODGED = "lodged", _("Lodged")
    UNDER_REVIEW = "under_review", _("Under review by the panel")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn by the CAB")


_AP = AppealStatus
APPEAL_TRANSITIONS: dict[str, set[str]] = {
    _AP.LODGED: {_AP.UNDER_REVIEW, _AP.WITHDRAWN},
    # Assigning the panel again while under review replaces it (no status move).
    _AP.UNDER_REVIEW: {_AP.DECIDED, _AP.WITHDRAWN},
    _AP.DECIDED: set(),
    _AP.WITHDRAWN: set(),
}


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the decision is to be reconsidered")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld: the decision is to be reconsidered in part")
    DISMISSED = "dismissed", _("Dismissed: the decision stands")


# --- special supervision --------------------------------------------------------------------------------


class RiskBand(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DrawStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


DRAW_TRANSITIONS: dict[str, set[str]] = {
    DrawStatus.DRAFT: {DrawStatus.PUBLISHED},
    DrawStatus.PUBLISHED: set(),
}
