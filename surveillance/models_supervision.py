"""Scheduled-job runs, sanctions, withdrawal proposals, public notices and the dishonesty list.

Imported by ``surveillance.models`` (Django finds the models there).

- **JobRun**: one run of a daily job for one day: when it started and ended, how many rows it
  changed, its per-part counts and its errors; staff read them. A job is idempotent for its day,
  and a lock keeps two beat processes from running it at once (a second run is recorded as
  skipped).
- **ReminderSent**: a reminder that went out, keyed so that it never goes out twice.
- **SanctionReason**: the maintained list of reasons for sanctions (starts with the seed report's).
- **Sanction**: one decided sanction on one accreditation, with its reason, the scope items it
  concerns (partial suspension, reduction), and its lifting.
- **WithdrawalProposal**: a suspension that ran past the programme's maximum, waiting for the
  secretariat to withdraw or dismiss.
- **PublicNotice**: one entry of the public notices page and feeds.
- **DishonestyEntry**: a body on the dishonesty list (失信名单), and its removal (credit repair).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation, Cab, Decision, ScopeItem
from surveillance.choices import (
    JobName,
    JobRunStatus,
    NoticeKind,
    SanctionKind,
    SanctionStatus,
    WithdrawalProposalStatus,
)


class JobRun(models.Model):
    job = models.CharField(_("job"), max_length=40, choices=JobName.choices)
    run_for = models.DateField(_("for the day"))
    status = models.CharField(_("status"), max_length=20, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_changed = models.PositiveIntegerField(_("rows changed"), default=0)
    summary = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        indexes = [models.Index(fields=["job", "run_for"], name="job_run_job_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_job_display()} {self.run_for}"


class ReminderSent(models.Model):
    """A reminder that went out; ``key`` (e.g. ``accreditation:12:expiry:180``) is never sent again."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    sent_on = models.DateField(_("sent on"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key


class SanctionReason(models.Model):
    """One reason staff may give for a sanction; retired reasons stay for the sanctions that cite them."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label_zh = models.CharField(_("reason (Chinese)"), max_length=200)
    label_en = models.CharField(_("reason (English)"), max_length=200)
    is_active = models.BooleanField(_("offered for new sanctions"), default=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("sanction reason")
        verbose_name_plural = _("sanction reasons")

    def __str__(self) -> str:
        return self.label_zh


class Sanction(models.Model):
    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.PROTECT, related_name="sanctions", verbose_name=_("accreditation")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SanctionKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=SanctionStatus.choices, default=SanctionStatus.IN_FORCE
    )
    reason = models.ForeignKey(
        SanctionReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
        verbose_name=_("reason"),
    )
    details = models.TextField(_("details"))
    scope_items = models.ManyToManyField(
        ScopeItem, blank=True, related_name="sanctions", verbose_name=_("scope items concerned")
    )
    complaint = models.ForeignKey(
        "surveillance.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
        verbose_name=_("complaint that led to it"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    effective_on = models.DateField(_("effective on"))
    #: For a suspension: the day the programme's maximum suspension runs out.
    suspended_until = models.DateField(_("suspension may last until"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("rectification verified"), blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [
            models.Index(fields=["status", "kind", "suspended_until"], name="sanction_status_kind_idx"),
            models.Index(fields=["accreditation", "decided_at"], name="sanction_accreditation_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.accreditation}"


class WithdrawalProposal(models.Model):
    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, related_name="withdrawal_proposal", verbose_name=_("suspension")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WithdrawalProposalStatus.choices,
        default=WithdrawalProposalStatus.OPEN,
    )
    proposed_on = models.DateField(_("proposed on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("withdrawal proposal")
        verbose_name_plural = _("withdrawal proposals")

    def __str__(self) -> str:
        return str(self.sanction)


class PublicNotice(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    cab = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="notices", verbose_name=_("CAB"))
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("accreditation"),
    )
    sanction = models.ForeignKey(
        Sanction, on_delete=models.PROTECT, null=True, blank=True, related_name="notices", verbose_name=_("sanction")
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="notices", verbose_name=_("decision")
    )
    #: The text as published, in both languages (a notice is a record: it is not re-rendered later).
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    effective_on = models.DateField(_("effective on"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [models.Index(fields=["kind", "published_at"], name="notice_kind_published_idx")]

    def __str__(self) -> str:
        return self.title_zh


class DishonestyEntry(models.Model):
    cab = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="dishonesty_entries", verbose_name=_("CAB"))
    reason = models.TextField(_("reason"))
    listed_on = models.DateField(_("listed on"))
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("listed by")
    )
    sanction = models.ForeignKey(
        Sanction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dishonesty_entries",
        verbose_name=_("sanction"),
    )
    #: Credit repair: the entry is removed (never deleted) once its conditions are met.
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("why removed (credit repair)"), blank=True)

    class Meta:
        ordering = ["-listed_on", "-pk"]
        verbose_name = _("dishonesty list entry")
        verbose_name_plural = _("dishonesty list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["cab"], condition=models.Q(removed_on__isnull=True), name="one_open_dishonesty_entry_per_cab"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cab} {self.listed_on}"
