"""Accreditation decisions on assessed applications.

Imported at the end of ``accreditation.models`` so that the app's models stay in one registry.

A decision maker who took no part in the assessment decides each applied scope item (grant,
refuse or defer) or, for a change notification, the change as a whole. Deferred items wait for
a later decision on the same application, so an application can have several decisions; it is
``decided`` once nothing is deferred. A decision is never edited: it records what was decided,
by whom, why, and what it changed in the register (the accreditation number, the scope version
published, the register fields updated).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import DecisionOutcome


class Decision(models.Model):
    """One decision on an application."""

    application = models.ForeignKey(
        "accreditation.Application", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("application")
    )
    sequence = models.PositiveSmallIntegerField(_("decision number on this application"))
    outcome = models.CharField(
        _("outcome of a change notification"),
        max_length=10,
        choices=DecisionOutcome.choices,
        blank=True,
        help_text=_("Only for a change notification; scope applications are decided item by item."),
    )
    reasons = models.TextField(_("reasons"), max_length=10000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    accreditation = models.ForeignKey(
        "accreditation.Accreditation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("accreditation"),
    )
    scope_version = models.ForeignKey(
        "accreditation.ScopeVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("scope version published"),
    )
    register_changes = models.JSONField(
        _("register changes"), default=dict, blank=True, help_text=_("Field: [old value, new value].")
    )

    class Meta:
        ordering = ["application", "sequence"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [models.UniqueConstraint(fields=["application", "sequence"], name="decision_unique_sequence")]

    def __str__(self) -> str:
        return str(
            _("Decision {sequence} on {application}").format(sequence=self.sequence, application=self.application)
        )


class DecisionItem(models.Model):
    """The decision on one applied scope item."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items", verbose_name=_("decision"))
    item = models.ForeignKey(
        "accreditation.ApplicationScopeItem",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("scope item"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=4000)

    class Meta:
        ordering = ["decision", "item__position", "item__pk"]
        verbose_name = _("item decision")
        verbose_name_plural = _("item decisions")
        constraints = [models.UniqueConstraint(fields=["decision", "item"], name="decision_item_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"
