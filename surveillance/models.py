"""Supervision records. So far: complaints, with their attachments.

A **complaint** (投诉) comes from the public form (no login), from a CAB's user, or is recorded by
staff. Each gets a tracking number the complainant uses on the public status page; the number is
random (not a sequence) so numbers cannot be walked to learn about other people's complaints, and
the status page shows no personal data anyway. The acknowledgement is due within
``COMPLAINT_ACKNOWLEDGE_WORKING_DAYS`` working days and the resolution by ``resolution_due_on``;
both are kept as dates so lists can flag what is overdue.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab
from surveillance.choices import ComplaintChannel, ComplaintKind, ComplaintOutcome, ComplaintStatus


class Complaint(models.Model):
    """One complaint, from receipt to its outcome."""

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    kind = models.CharField(_("about"), max_length=30, choices=ComplaintKind.choices)
    channel = models.CharField(_("received through"), max_length=20, choices=ComplaintChannel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    cab = models.ForeignKey(
        Cab,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("CAB complained about"),
    )
    cab_name_given = models.CharField(_("body named by the complainant"), max_length=300, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    complainant_name = models.CharField(_("complainant's name"), max_length=200, blank=True)
    complainant_organisation = models.CharField(_("complainant's organisation"), max_length=300, blank=True)
    complainant_email = models.EmailField(_("complainant's e-mail"), blank=True)
    complainant_phone = models.CharField(_("complainant's telephone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    acknowledge_due_on = models.DateField(_("acknowledgement due"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolution_due_on = models.DateField(_("resolution due"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=ComplaintOutcome.choices, blank=True)
    outcome_summary = models.TextField(_("outcome, as told to the complainant"), blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "received_at"], name="complaint_status_received_idx"),
            models.Index(fields=["cab", "received_at"], name="complaint_cab_received_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_acknowledgement_overdue(self) -> bool:
        return self.status == ComplaintStatus.RECEIVED and timezone.localdate() > self.acknowledge_due_on

    @property
    def is_resolution_overdue(self) -> bool:
        return self.status != ComplaintStatus.RESOLVED and timezone.localdate() > self.resolution_due_on

    @property
    def days_open(self) -> int:
        end: dt.datetime = self.resolved_at or timezone.now()
        return (end - self.received_at).days


def complaint_attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"complaints/{uuid.uuid4().hex}.{extension}"


class ComplaintAttachment(models.Model):
    """A file the complainant (or staff) attached; stored under a generated name, the uploaded name a label."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("complaint")
    )
    file = models.FileField(_("file"), upload_to=complaint_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")

    def __str__(self) -> str:
        return self.original_name


from surveillance.models_cycle import PastOnsiteAssessment  # noqa: E402
from surveillance.models_special import Appeal, DrawnBody, SupervisionDraw  # noqa: E402
from surveillance.models_supervision import (  # noqa: E402 - the app's other models, after these
    DishonestyEntry,
    JobRun,
    PublicNotice,
    ReminderSent,
    Sanction,
    SanctionReason,
    WithdrawalProposal,
)

__all__ = [
    "Appeal",
    "Complaint",
    "ComplaintAttachment",
    "DishonestyEntry",
    "DrawnBody",
    "JobRun",
    "PastOnsiteAssessment",
    "PublicNotice",
    "ReminderSent",
    "Sanction",
    "SanctionReason",
    "SupervisionDraw",
    "WithdrawalProposal",
]
