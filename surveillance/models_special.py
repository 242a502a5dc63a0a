"""Appeals against accreditation decisions, and the double-random draws of special supervision.

Imported at the end of ``surveillance.models`` so that the app's models stay in one registry.

An **appeal** (申诉) is lodged by a member of the CAB against one decision, within
``APPEAL_WINDOW_DAYS`` of it. The secretariat assigns a panel of people who took no part in the
decision (not its decider, not on any assessment team of the application); a panel member records
the outcome. The decision stays in force meanwhile: nothing in the register changes because of an
appeal, and an upheld appeal asks the secretariat to reconsider the decision through the ordinary
workflow.

A **draw** (双随机, "double random") picks N bodies, weighted by risk band for one share and purely at
random for the rest, then inspectors at random for each body among qualified, conflict-free
assessors. Its seed and every input (the candidates with their risk scores at draw time, the
eligible inspectors per body) are stored, so ``surveillance.services_draws.draw_reproduce`` can
recompute the result and show it is the one recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab, Decision, Programme
from surveillance.choices import AppealOutcome, AppealStatus, DrawStatus, RiskBand


class Appeal(models.Model):
    """One appeal of a CAB against one accreditation decision, from lodging to its outcome."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("decision"))
    cab = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("CAB"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lodged by")
    )
    lodged_at = models.DateTimeField(_("lodged"), default=timezone.now)
    grounds = models.TextField(_("grounds of the appeal"), max_length=10000)
    status = models.CharField(_("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.LODGED)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="appeal_panels", verbose_name=_("appeal panel")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=AppealOutcome.choices, blank=True)
    outcome_reasons = models.TextField(_("reasons for the outcome"), blank=True, max_length=10000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-lodged_at", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [models.Index(fields=["status", "lodged_at"], name="appeal_status_lodged_idx")]

    def __str__(self) -> str:
        return self.reference


class SupervisionDraw(models.Model):
    """One double-random draw: its inputs, its seed and the bodies and inspectors it drew."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=DrawStatus.choices, default=DrawStatus.DRAFT)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    run_at = models.DateTimeField(_("run"), default=timezone.now)
    seed = models.BigIntegerField(_("seed"))
    body_count = models.PositiveSmallIntegerField(_("bodies to draw"))
    random_share = models.PositiveSmallIntegerField(
        _("share drawn purely at random (%)"), help_text=_("The rest is drawn weighted by risk band.")
    )
    inspectors_per_body = models.PositiveSmallIntegerField(_("inspectors per body"), default=2)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    #: Everything the draw read: candidates with score and band, weights, eligible inspectors per body.
    inputs = models.JSONField(_("inputs"), default=dict)
    #: What it drew: ``[{"cab": id, "how": "weighted"|"random", "inspectors": [user ids]}]``, in draw order.
    result = models.JSONField(_("result"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-run_at", "-pk"]
        verbose_name = _("supervision draw")
        verbose_name_plural = _("supervision draws")

    def __str__(self) -> str:
        return self.reference


class DrawnBody(models.Model):
    """One body a draw picked, the inspectors drawn for it and, after the inspection, its outcome."""

    draw = models.ForeignKey(
        SupervisionDraw, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("supervision draw")
    )
    position = models.PositiveSmallIntegerField(_("order drawn"))
    cab = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="+", verbose_name=_("CAB"))
    how = models.CharField(_("drawn"), max_length=20)
    risk_score = models.PositiveSmallIntegerField(_("risk score at draw time"))
    risk_band = models.CharField(_("risk band at draw time"), max_length=10, choices=RiskBand.choices)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("inspectors")
    )
    outcome = models.TextField(_("inspection outcome"), blank=True, max_length=4000)

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("drawn body")
        verbose_name_plural = _("drawn bodies")
        constraints = [models.UniqueConstraint(fields=["draw", "cab"], name="drawn_body_unique_cab")]

    def __str__(self) -> str:
        return f"{self.draw}: {self.cab}"
