"""The register: programmes, CABs with their sites, contacts and members, accreditations and scopes."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accreditation.choices import (
    LIVE_ACCREDITATION_STATUSES,
    AccreditationStatus,
    CabKind,
    CabStatus,
    Province,
    ScopeItemStatus,
    ScopeShape,
    ScopeVersionStatus,
)
from accreditation.validators import validate_credit_code
from core.errors import StateConflict


class BilingualNameMixin:
    """``name`` in the language of the current request, falling back to Chinese."""

    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        language = get_language() or "zh-hans"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh or self.name_en


class Programme(BilingualNameMixin, models.Model):
    """An accreditation programme (认可制度): one standard, one kind of CAB, one numbering and cycle."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    standard = models.CharField(_("standard"), max_length=100, help_text=_("e.g. ISO/IEC 17025:2017"))
    cab_kind = models.CharField(_("CAB kind"), max_length=40, choices=CabKind.choices)
    scope_shape = models.CharField(_("scope shape"), max_length=40, choices=ScopeShape.choices)
    number_pattern = models.CharField(
        _("accreditation number pattern"),
        max_length=60,
        help_text=_("A Python format with {n}, e.g. CNAS L{n:04d}"),
    )
    next_number = models.PositiveIntegerField(_("next number"), default=1)
    certificate_validity_months = models.PositiveSmallIntegerField(_("certificate validity (months)"), default=72)
    first_surveillance_months = models.PositiveSmallIntegerField(_("first surveillance within (months)"), default=12)
    max_onsite_interval_months = models.PositiveSmallIntegerField(
        _("maximum interval between on-site assessments (months)"), default=24
    )
    reassessment_interval_months = models.PositiveSmallIntegerField(_("reassessment interval (months)"), default=72)
    renewal_notice_months = models.PositiveSmallIntegerField(
        _("renewal application due before expiry (months)"), default=6
    )
    max_suspension_months = models.PositiveSmallIntegerField(_("maximum suspension (months)"), default=6)
    nc_answer_deadline_days = models.PositiveSmallIntegerField(_("nonconformity answer deadline (days)"), default=60)
    acceptance_review_working_days = models.PositiveSmallIntegerField(
        _("acceptance review target (working days)"), default=5
    )
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.name} ({self.standard})"

    def format_number(self, n: int) -> str:
        return self.number_pattern.format(n=n)


class Cab(BilingualNameMixin, models.Model):
    """A conformity assessment body (合格评定机构): one legal entity, identified by its credit code."""

    name_zh = models.CharField(_("legal name (Chinese)"), max_length=300)
    name_en = models.CharField(_("legal name (English)"), max_length=300, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("kind"), max_length=40, choices=CabKind.choices)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CabStatus.choices, default=CabStatus.ACTIVE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("CAB")
        verbose_name_plural = _("CABs")
        indexes = [models.Index(fields=["province", "kind"], name="cab_province_kind_idx")]

    def __str__(self) -> str:
        return self.name


class CabSite(models.Model):
    """A place where a CAB works: its main address or a further site named in its scope."""

    cab = models.ForeignKey(Cab, on_delete=models.CASCADE, related_name="sites", verbose_name=_("CAB"))
    name = models.CharField(_("site name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    province = models.CharField(_("province"), max_length=2, choices=Province.choices)
    is_main = models.BooleanField(_("main site"), default=False)

    class Meta:
        ordering = ["-is_main", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [models.UniqueConstraint(fields=["cab", "name"], name="cabsite_unique_name")]

    def __str__(self) -> str:
        return self.name


class CabContact(models.Model):
    """A person the accreditation body contacts at a CAB (quality manager, legal representative...)."""

    cab = models.ForeignKey(Cab, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("CAB"))
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class CabMembership(models.Model):
    """A user who works for a CAB in the portal; a CAB admin may invite colleagues."""

    cab = models.ForeignKey(Cab, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("CAB"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cab_memberships", verbose_name=_("user")
    )
    is_admin = models.BooleanField(_("CAB admin"), default=False)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("CAB membership")
        verbose_name_plural = _("CAB memberships")
        constraints = [models.UniqueConstraint(fields=["cab", "user"], name="cabmembership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.cab}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=14)


class CabInvitation(models.Model):
    """An invitation, sent by e-mail by a CAB admin, to open an account as a member of the CAB."""

    cab = models.ForeignKey(Cab, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("CAB"))
    email = models.EmailField(_("e-mail"))
    is_admin = models.BooleanField(_("CAB admin"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.cab}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Accreditation(models.Model):
    """One CAB's accreditation under one programme, from application to its end."""

    cab = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("CAB"))
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("programme")
    )
    number = models.CharField(_("accreditation number"), max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=AccreditationStatus.choices, default=AccreditationStatus.APPLICANT
    )
    granted_on = models.DateField(_("first granted"), null=True, blank=True)
    cycle_start = models.DateField(_("current cycle start"), null=True, blank=True)
    cycle_end = models.DateField(_("current cycle end (expiry)"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.UniqueConstraint(
                fields=["cab", "programme"],
                condition=Q(status__in=sorted(LIVE_ACCREDITATION_STATUSES)),
                name="accreditation_one_live_per_programme",
            )
        ]
        indexes = [models.Index(fields=["status", "cycle_end"], name="accreditation_status_end_idx")]

    def __str__(self) -> str:
        return self.number or str(
            _("{programme} application of {cab}").format(programme=self.programme.code, cab=self.cab)
        )

    @property
    def current_scope(self) -> ScopeVersion | None:
        return self.scope_versions.filter(status=ScopeVersionStatus.PUBLISHED).first()


class ScopeVersion(models.Model):
    """One issue of an accreditation's scope. Drafts change; a published issue never does."""

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.CASCADE, related_name="scope_versions", verbose_name=_("accreditation")
    )
    issue_number = models.PositiveIntegerField(_("issue number"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ScopeVersionStatus.choices, default=ScopeVersionStatus.DRAFT
    )
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["accreditation", "-issue_number"]
        verbose_name = _("scope version")
        verbose_name_plural = _("scope versions")
        constraints = [
            models.UniqueConstraint(fields=["accreditation", "issue_number"], name="scopeversion_unique_issue"),
            models.UniqueConstraint(
                fields=["accreditation"],
                condition=Q(status=ScopeVersionStatus.DRAFT),
                name="scopeversion_one_draft",
            ),
            models.UniqueConstraint(
                fields=["accreditation"],
                condition=Q(status=ScopeVersionStatus.PUBLISHED),
                name="scopeversion_one_published",
            ),
        ]

    def __str__(self) -> str:
        if self.issue_number is None:
            return str(_("Draft scope of {accreditation}").format(accreditation=self.accreditation))
        return str(
            _("Scope of {accreditation}, issue {issue}").format(
                accreditation=self.accreditation, issue=self.issue_number
            )
        )

    @property
    def is_draft(self) -> bool:
        return self.status == ScopeVersionStatus.DRAFT


class ScopeItem(models.Model):
    """One line of a scope of accreditation, shaped by its programme (``scope_shapes``).

    ``key`` stays the same when a new version copies the item, so versions can be compared.
    Items of a published version are frozen: saving or deleting one raises ``StateConflict``.
    """

    version = models.ForeignKey(ScopeVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version"))
    key = models.UUIDField(_("item key"), default=uuid.uuid4)
    position = models.PositiveIntegerField(_("position"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ScopeItemStatus.choices, default=ScopeItemStatus.ACTIVE
    )
    attributes = models.JSONField(_("attributes"), default=dict)

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="scopeitem_unique_key")]

    def __str__(self) -> str:
        from accreditation.scope_shapes import summary

        return summary(self.version.accreditation.programme.scope_shape, self.attributes)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self) -> None:
        # Read the version from the database: the copy in memory may predate its publication.
        status, issue = ScopeVersion.objects.filter(pk=self.version_id).values_list("status", "issue_number").get()
        if status != ScopeVersionStatus.DRAFT:
            raise StateConflict(
                "scope_version_published",
                _("Issue {issue} of this scope is published and cannot be changed; start a new draft.").format(
                    issue=issue
                ),
            )


class CabUserObjectPermission(UserObjectPermissionBase):
    """A sparse grant of a permission on one CAB to one user (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Cab, on_delete=models.CASCADE)


class CabGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Cab, on_delete=models.CASCADE)


class AccreditationUserObjectPermission(UserObjectPermissionBase):
    """A sparse grant on one accreditation, e.g. to an assessor or decision maker on its case."""

    content_object = models.ForeignKey(Accreditation, on_delete=models.CASCADE)


class AccreditationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Accreditation, on_delete=models.CASCADE)


# Applications live in their own module; importing them here registers them with the app.
from accreditation.models_applications import Application as Application  # noqa: E402
from accreditation.models_applications import ApplicationDocument as ApplicationDocument  # noqa: E402
from accreditation.models_applications import ApplicationScopeItem as ApplicationScopeItem  # noqa: E402
from accreditation.models_applications import Holiday as Holiday  # noqa: E402

# Decisions live in their own module; importing them here registers them with the app.
from accreditation.models_decisions import Decision as Decision  # noqa: E402
from accreditation.models_decisions import DecisionItem as DecisionItem  # noqa: E402
