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
