"""Assessors: their profiles, qualifications per programme, competence codes, training, conflicts and absences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accreditation.choices import Province
from accreditation.models import BilingualNameMixin, Cab, Programme
from assessors.choices import (
    COMPETENCE_TRANSITIONS,
    OPEN_COMPETENCE_STATUSES,
    QUALIFICATION_TRANSITIONS,
    CompetenceStatus,
    ConflictKind,
    QualificationRole,
    QualificationStatus,
)


class AssessorProfile(models.Model):
    """One assessor (评审员): the user in the assessor group, with what the secretariat needs to pick them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessor_profile", verbose_name=_("user")
    )
    region = models.CharField(_("region"), max_length=2, choices=Province.choices, blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Working languages, e.g. 中文, English")
    )
    employer = models.CharField(_("employer"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    cv = models.TextField(_("short CV"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["user__full_name", "pk"]
        verbose_name = _("assessor profile")
        verbose_name_plural = _("assessor profiles")

    def __str__(self) -> str:
        return str(self.user)


class CompetenceCode(BilingualNameMixin, models.Model):
    """One entry of a programme's code list: an IAF/EA sector, a laboratory field, an inspection field...

    A scope item is matched to a code by the code itself (``IAF 28``, ``CPC 4631``) or by its
    Chinese name (a laboratory's ``field`` such as 食品).
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="competence_codes", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["programme__code", "position", "code"]
        verbose_name = _("competence code")
        verbose_name_plural = _("competence codes")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="competencecode_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Qualification(models.Model):
    """One assessor's qualification for one role under one programme, valid between two dates once approved."""

    assessor = models.ForeignKey(
        AssessorProfile, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("assessor")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="assessor_qualifications", verbose_name=_("programme")
    )
    role = models.CharField(_("role"), max_length=30, choices=QualificationRole.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=QualificationStatus.choices, default=QualificationStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["programme__code", "role", "-valid_from", "pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        indexes = [models.Index(fields=["programme", "role", "status"], name="qualification_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.assessor} · {self.programme.code} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == QualificationStatus.REQUESTED

    @property
    def can_move(self) -> bool:
        """Whether any decision is still open on it (rejected and withdrawn are final)."""
        return bool(QUALIFICATION_TRANSITIONS.get(self.status))


class Competence(models.Model):
    """One assessor holding (or asking for) one competence code."""

    assessor = models.ForeignKey(
        AssessorProfile, on_delete=models.CASCADE, related_name="competences", verbose_name=_("assessor")
    )
    code = models.ForeignKey(
        CompetenceCode, on_delete=models.PROTECT, related_name="competences", verbose_name=_("competence code")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CompetenceStatus.choices, default=CompetenceStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["code__programme__code", "code__position", "code__code", "pk"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "code"],
                condition=Q(status__in=sorted(OPEN_COMPETENCE_STATUSES)),
                name="competence_one_open_per_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} · {self.code.code}"

    @property
    def is_pending(self) -> bool:
        return self.status == CompetenceStatus.REQUESTED

    @property
    def can_move(self) -> bool:
        return bool(COMPETENCE_TRANSITIONS.get(self.status))


class TrainingRecord(models.Model):
    """One training course an assessor attended."""

    assessor = models.ForeignKey(
        AssessorProfile, on_delete=models.CASCADE, related_name="training_records", verbose_name=_("assessor")
    )
    title = models.CharField(_("course"), max_length=300)
    provider = models.CharField(_("provider"), max_length=300)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class ConflictOfInterest(models.Model):
    """A tie an assessor declared with one CAB, from a date and possibly until a date."""

    assessor = models.ForeignKey(
        AssessorProfile, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("assessor")
    )
    cab = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="assessor_conflicts", verbose_name=_("CAB"))
    kind = models.CharField(_("kind"), max_length=30, choices=ConflictKind.choices)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        indexes = [models.Index(fields=["cab", "started_on"], name="conflict_cab_idx")]

    def __str__(self) -> str:
        return f"{self.assessor} · {self.cab} · {self.get_kind_display()}"


class Unavailability(models.Model):
    """A period, both days included, when an assessor cannot be on an assessment."""

    assessor = models.ForeignKey(
        AssessorProfile, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("assessor")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        indexes = [models.Index(fields=["assessor", "start", "end"], name="unavailability_period_idx")]

    def __str__(self) -> str:
        return f"{self.assessor} {self.start}–{self.end}"


# Assessments and teams live in their own module; importing them here registers them with the app.
# Reports, findings and corrective actions live in their own module.
from assessors.models_reports import AssessmentReport as AssessmentReport  # noqa: E402
from assessors.models_reports import CorrectiveAction as CorrectiveAction  # noqa: E402
from assessors.models_reports import CorrectiveActionAttachment as CorrectiveActionAttachment  # noqa: E402
from assessors.models_reports import Finding as Finding  # noqa: E402
from assessors.models_reports import ItemRecommendation as ItemRecommendation  # noqa: E402
from assessors.models_reports import ReportAttachment as ReportAttachment  # noqa: E402
from assessors.models_teams import Assessment as Assessment  # noqa: E402
from assessors.models_teams import AssessmentGroupObjectPermission as AssessmentGroupObjectPermission  # noqa: E402
from assessors.models_teams import AssessmentUserObjectPermission as AssessmentUserObjectPermission  # noqa: E402
from assessors.models_teams import RemoteSession as RemoteSession  # noqa: E402
from assessors.models_teams import TeamMember as TeamMember  # noqa: E402
