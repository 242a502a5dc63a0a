"""Assessments of an accepted application and the teams that carry them out.

Imported at the end of ``assessors.models`` so that the app's models stay in one registry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accreditation.models import Application, ApplicationScopeItem
from assessors.choices import AssessmentKind, AssessmentStatus, TeamMemberStatus, TeamRole


class Assessment(models.Model):
    """One assessment of an accepted application: its kind, planned dates, sites and the scope items to cover."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    sites = models.TextField(_("sites"), blank=True, max_length=2000)
    scope_items = models.ManyToManyField(
        ApplicationScopeItem, related_name="assessments", verbose_name=_("scope items to cover")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.PLANNING
    )
    ict_tools = models.TextField(
        _("ICT used"),
        blank=True,
        max_length=2000,
        help_text=_("For remote and hybrid assessments: the video, screen-sharing and file tools agreed with the CAB."),
    )
    ict_tested_on = models.DateField(_("ICT tested with the CAB on"), null=True, blank=True)
    ict_security = models.TextField(
        _("confidentiality and information security"),
        blank=True,
        max_length=2000,
        help_text=_("How recordings, screen captures and shared documents are protected (IAF MD 4)."),
    )
    proposal_warnings = models.JSONField(_("proposal warnings"), default=list, blank=True)
    proposal_excluded = models.JSONField(_("assessors excluded from the proposal"), default=list, blank=True)
    # Empty only for a surveillance assessment the daily planner planned (no person acted).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-planned_start", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return str(_("{kind} of {application}").format(kind=self.get_kind_display(), application=self.application))

    @property
    def days(self) -> int:
        return (self.planned_end - self.planned_start).days + 1


class RemoteSession(models.Model):
    """One live session of a remote or hybrid assessment: when, with which ICT, who took part."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="remote_sessions", verbose_name=_("assessment")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=300, help_text=_("What was assessed: a process, a witnessed test."))
    ict = models.CharField(_("ICT used"), max_length=200, blank=True)
    participants = models.TextField(
        _("participants"), max_length=4000, help_text=_("One per line: name, organisation and role.")
    )
    site = models.CharField(_("site of the CAB"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "starts_at", "pk"]
        verbose_name = _("remote session")
        verbose_name_plural = _("remote sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="remote_session_order")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.topic}"


class TeamMember(models.Model):
    """One assessor on one assessment's team, with the role, the status and why the portal proposed them."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="members", verbose_name=_("assessment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("assessor")
    )
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=TeamMemberStatus.choices, default=TeamMemberStatus.PROPOSED
    )
    is_manual = models.BooleanField(_("picked by the secretariat"), default=False)
    explanation = models.TextField(_("why proposed"), blank=True)
    covers = models.JSONField(_("competence codes covered"), default=list, blank=True)
    workload_days = models.PositiveIntegerField(_("assessment days in the last 12 months"), default=0)
    objection_reason = models.TextField(_("objection"), blank=True)
    objected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("objected by"),
    )
    ruling_reason = models.TextField(_("ruling"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now=True)

    class Meta:
        ordering = ["assessment", "role", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AssessmentUserObjectPermission(UserObjectPermissionBase):
    """A sparse grant on one assessment to one user (an assessor on its team)."""

    content_object = models.ForeignKey(Assessment, on_delete=models.CASCADE)


class AssessmentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Assessment, on_delete=models.CASCADE)
