"""Assessment reports, their findings and the CAB's corrective actions.

Imported at the end of ``assessors.models`` so that the app's models stay in one registry.

A report belongs to one assessment and is written by its team. Each version is a separate row:
the lead assessor submits a draft, which locks it; an amendment is a new draft version copied
from the last submitted one, and submitting it supersedes the old version. Findings belong to
the version that raised them and stay in force when the report is amended, so the corrective
actions the CAB already filed keep pointing at the same finding. A nonconformity is answered by
the CAB with corrective actions (one row per answer, never edited) until an assessor accepts one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import ApplicationScopeItem
from assessors.choices import (
    CorrectiveActionStatus,
    FindingGrade,
    FindingKind,
    FindingStatus,
    Recommendation,
    ReportStatus,
)
from assessors.models_teams import Assessment


class AssessmentReport(models.Model):
    """One version of the team's report on an assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("assessment")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True, max_length=20000)
    conclusion = models.TextField(_("overall conclusion"), blank=True, max_length=10000)
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True, max_length=4000)
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "-version"]
        verbose_name = _("assessment report")
        verbose_name_plural = _("assessment reports")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="report_unique_version"),
            models.UniqueConstraint(fields=["assessment"], condition=models.Q(status="draft"), name="report_one_draft"),
        ]

    def __str__(self) -> str:
        return str(_("Report v{version} of {assessment}").format(version=self.version, assessment=self.assessment))

    @property
    def is_locked(self) -> bool:
        return self.status != ReportStatus.DRAFT


class ItemRecommendation(models.Model):
    """The team's recommendation on one applied scope item, in one report version."""

    report = models.ForeignKey(
        AssessmentReport, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("report")
    )
    item = models.ForeignKey(
        ApplicationScopeItem, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("scope item")
    )
    recommendation = models.CharField(_("recommendation"), max_length=30, choices=Recommendation.choices)
    conditions = models.TextField(_("conditions or reasons"), blank=True, max_length=4000)

    class Meta:
        ordering = ["report", "item__position", "item__pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="recommendation_unique_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_recommendation_display()}"


class Finding(models.Model):
    """A nonconformity or an observation, raised in one report version."""

    report = models.ForeignKey(
        AssessmentReport, on_delete=models.PROTECT, related_name="findings", verbose_name=_("raised in report")
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="findings", verbose_name=_("assessment")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=FindingGrade.choices, blank=True)
    clause = models.CharField(
        _("clause"), max_length=100, help_text=_("The clause of the standard or rule, e.g. ISO/IEC 17025 7.7.1.")
    )
    statement = models.TextField(_("finding"), max_length=4000)
    evidence = models.TextField(_("objective evidence"), max_length=8000)
    item = models.ForeignKey(
        ApplicationScopeItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("scope item concerned"),
    )
    status = models.CharField(_("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.DRAFT)
    answer_due_on = models.DateField(_("answer due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="finding_unique_number"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="nonconformity", grade__in=["major", "minor"])
                    | models.Q(kind="observation", grade="")
                ),
                name="finding_grade_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_due_on"], name="finding_status_due_idx")]

    def __str__(self) -> str:
        prefix = "NC" if self.kind == FindingKind.NONCONFORMITY else "OBS"
        return f"{prefix}-{self.number} {self.clause}"

    @property
    def is_overdue(self) -> bool:
        """A nonconformity still open after its answer deadline."""
        return (
            self.status == FindingStatus.OPEN
            and self.answer_due_on is not None
            and timezone.localdate() > self.answer_due_on
        )


def attachment_path(instance: ReportAttachment | CorrectiveActionAttachment, filename: str) -> str:
    """A generated name; the uploaded name is never part of the path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    folder = "reports" if isinstance(instance, ReportAttachment) else "corrective-actions"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


class ReportAttachment(models.Model):
    """A file the team attached to a report version (photos, records, the signed report)."""

    report = models.ForeignKey(
        AssessmentReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    label = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self) -> str:
        return self.label


class CorrectiveAction(models.Model):
    """One answer of the CAB to a nonconformity, and the assessor's verdict on it."""

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="corrective_actions", verbose_name=_("nonconformity")
    )
    correction = models.TextField(_("correction"), max_length=8000, help_text=_("What was done to fix this case."))
    root_cause = models.TextField(_("root cause"), max_length=8000)
    action = models.TextField(
        _("corrective action"), max_length=8000, help_text=_("What was done so that it does not happen again.")
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=8000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CorrectiveActionStatus.choices,
        default=CorrectiveActionStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("assessor's comment"), blank=True, max_length=4000)

    class Meta:
        ordering = ["finding", "submitted_at", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        constraints = [
            models.UniqueConstraint(
                fields=["finding"], condition=models.Q(status="submitted"), name="corrective_action_one_pending"
            )
        ]

    def __str__(self) -> str:
        return str(_("Answer to {finding}").format(finding=self.finding))


class CorrectiveActionAttachment(models.Model):
    """A file of evidence attached to a corrective action."""

    corrective_action = models.ForeignKey(
        CorrectiveAction, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("corrective action")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    label = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["corrective_action", "pk"]
        verbose_name = _("corrective action attachment")
        verbose_name_plural = _("corrective action attachments")

    def __str__(self) -> str:
        return self.label
