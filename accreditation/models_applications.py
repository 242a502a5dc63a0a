"""Applications of CABs to the accreditation body, their proposed scope and documents, and holidays.

Imported at the end of ``accreditation.models`` so that the app's models stay in one registry.
An initial application has no accreditation until the secretariat accepts it: acceptance opens
the applicant ``Accreditation`` through ``accreditation_open`` and links it here, so a draft or
refused application never leaves an applicant row in the register. Other types name the CAB's
live accreditation under the programme from the start.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import (
    ApplicationStatus,
    ApplicationType,
    DocumentKind,
    ScopeAction,
)


class Holiday(models.Model):
    """A public holiday: a weekday on which acceptance-review deadlines do not run."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Application(models.Model):
    """One request of a CAB to the accreditation body, from draft to the acceptance review's outcome."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    cab = models.ForeignKey(
        "accreditation.Cab", on_delete=models.PROTECT, related_name="applications", verbose_name=_("CAB")
    )
    programme = models.ForeignKey(
        "accreditation.Programme", on_delete=models.PROTECT, related_name="applications", verbose_name=_("programme")
    )
    accreditation = models.ForeignKey(
        "accreditation.Accreditation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("accreditation"),
    )
    type = models.CharField(_("type"), max_length=20, choices=ApplicationType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    change_kinds = models.JSONField(_("changes notified"), default=list, blank=True)
    proposed_changes = models.JSONField(_("proposed new values"), default=dict, blank=True)
    note = models.TextField(_("note to the secretariat"), blank=True)
    # Empty only for a surveillance assessment the daily planner opened (no person acted).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    review_due_on = models.DateField(_("acceptance review due"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_reasons = models.TextField(_("reasons"), blank=True)
    review_checklist = models.JSONField(_("checklist answers"), default=dict, blank=True)
    pre_visit = models.BooleanField(_("pre-visit planned"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["status", "submitted_at"], name="application_status_sub_idx")]

    def __str__(self) -> str:
        return self.reference or str(_("Application {pk}").format(pk=self.pk))

    @property
    def is_overdue(self) -> bool:
        """Submitted and still waiting after its due date."""
        return (
            self.status == ApplicationStatus.SUBMITTED
            and self.review_due_on is not None
            and timezone.localdate() > self.review_due_on
        )

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationScopeItem(models.Model):
    """One line of an application's proposed scope: an item to add, one of the current scope to remove or keep."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="items", verbose_name=_("application")
    )
    action = models.CharField(_("action"), max_length=10, choices=ScopeAction.choices)
    key = models.UUIDField(_("key of the current item"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    attributes = models.JSONField(_("attributes"), default=dict)

    class Meta:
        ordering = ["application", "position", "pk"]
        verbose_name = _("applied scope item")
        verbose_name_plural = _("applied scope items")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"], condition=models.Q(key__isnull=False), name="appitem_unique_key"
            )
        ]

    def __str__(self) -> str:
        from accreditation.scope_shapes import summary

        return summary(self.application.programme.scope_shape, self.attributes)


def document_path(instance: ApplicationDocument, filename: str) -> str:
    """A generated name under ``applications/<id>/``; the uploaded name is never part of the path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}.{extension}"


class ApplicationDocument(models.Model):
    """A file the CAB attached to an application, stored under a generated name."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    label = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application", "kind", "pk"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.label
