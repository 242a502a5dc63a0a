"""On-site assessments held before the portal kept the register (imported history).

Imported by ``surveillance.models`` (Django finds the models there).

The cycle counts from the last on-site assessment held (``surveillance.cycle``). For an
accreditation granted before the portal, that visit is in the old files, not in the portal's
assessments: the secretariat records it here (date, kind, the old report's reference), and the
cycle page, the planner and the statistics count it like an assessment held in the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation
from assessors.choices import AssessmentKind


class PastOnsiteAssessment(models.Model):
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        related_name="past_onsite_assessments",
        verbose_name=_("accreditation"),
    )
    #: On site or hybrid: only those count for the cycle (``cycle.HELD_ONSITE_KINDS``).
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    held_from = models.DateField(_("held from"))
    held_to = models.DateField(_("held to"))
    reference = models.CharField(
        _("report reference"), max_length=60, help_text=_("The report's number or file reference in the old records.")
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-held_to", "-pk"]
        verbose_name = _("on-site assessment held before the portal")
        verbose_name_plural = _("on-site assessments held before the portal")
        constraints = [
            models.CheckConstraint(condition=models.Q(held_to__gte=models.F("held_from")), name="past_onsite_period"),
            models.UniqueConstraint(fields=["accreditation", "reference"], name="past_onsite_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.accreditation} {self.held_from:%Y-%m-%d}–{self.held_to:%Y-%m-%d} ({self.reference})"
