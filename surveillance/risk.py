"""A risk score per CAB from its record, each factor with its points and a sentence saying why.

Computed in bulk for every CAB holding an accreditation (optionally under one programme) with a
fixed number of queries, whatever the number of bodies: one per source below, each an aggregate
grouped by CAB. The not-accredited certificate flags are counted with ``cb_id IN (...) AND NOT
is_accredited``, which the ``(cb, is_accredited)`` index serves at 10 million rows.

Points (``POINTS``) and bands (``HIGH_FROM``, ``MEDIUM_FROM``) are constants so a draw records
them with its inputs. What counts, over ``LOOKBACK_YEARS`` years:

- open nonconformities (major and minor weigh differently) and those raised recently;
- overdue corrective actions: nonconformities still open past their answer date, or lapsed;
- complaints received, and those whose outcome supported them (anything but "not supported");
- sanctions in force, and those decided recently (warnings included);
- CB-issued certificates flagged as not accredited (issued while suspended or outside the scope);
- the on-site cycle (``surveillance.cycle``): the next on-site assessment overdue, or the last one
  held long ago.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.models import Accreditation, Programme
from assessors.choices import FindingGrade, FindingKind, FindingStatus
from assessors.models_reports import Finding
from certification.models import IssuedCertificate
from core.dates import add_months
from surveillance.choices import ComplaintOutcome, RiskBand, SanctionStatus
from surveillance.cycle import CycleFacts, CycleRules, next_onsite_due
from surveillance.models import Complaint, Sanction
from surveillance.selectors_onsite import last_onsite_end
from surveillance.selectors_statistics import HOLDING_STATUSES

LOOKBACK_YEARS = 2
#: Points per item (or once, for the flags); see the module docstring.
POINTS: dict[str, int] = {
    "open_major": 4,
    "open_minor": 2,
    "recent_nonconformity": 1,
    "overdue_corrective_action": 5,
    "complaint": 2,
    "supported_complaint": 5,
    "sanction_in_force": 10,
    "recent_sanction": 5,
    "unaccredited_certificates": 4,
    "many_unaccredited_certificates": 8,
    "onsite_overdue": 10,
    "onsite_long_ago": 4,
}
#: Ten or more not-accredited certificates score ``many_unaccredited_certificates`` instead.
MANY_CERTIFICATES = 10
#: A last on-site assessment older than this scores ``onsite_long_ago`` (the due date is not yet past).
ONSITE_LONG_AGO_MONTHS = 18
#: Bands: a score at or above ``HIGH_FROM`` is high, at or above ``MEDIUM_FROM`` medium, else low.
HIGH_FROM = 20
MEDIUM_FROM = 8
#: Complaint outcomes that mean the complaint was supported.
SUPPORTED_OUTCOMES = sorted(set(ComplaintOutcome.values) - {ComplaintOutcome.NOT_SUPPORTED})
OPEN_FINDING_STATUSES = sorted({FindingStatus.OPEN, FindingStatus.ANSWERED})


@dataclass(frozen=True)
class Factor:
    code: str
    points: int
    reason: str


@dataclass
class CabRisk:
    cab_id: int
    name: str
    factors: list[Factor] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(factor.points for factor in self.factors)

    @property
    def band(self) -> str:
        return band_of(self.score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cab": self.cab_id,
            "name": self.name,
            "score": self.score,
            "band": self.band,
            "factors": [{"code": f.code, "points": f.points, "reason": f.reason} for f in self.factors],
        }


def band_of(score: int) -> str:
    if score >= HIGH_FROM:
        return RiskBand.HIGH
    if score >= MEDIUM_FROM:
        return RiskBand.MEDIUM
    return RiskBand.LOW


def _add(risk: CabRisk, code: str, count: int, reason: str) -> None:
    if count > 0:
        risk.factors.append(Factor(code, POINTS[code] * count, reason))


def risk_table(*, programme: Programme | None = None, today: dt.date | None = None) -> list[CabRisk]:
    """Every CAB holding an accreditation (under ``programme`` if given), highest score first."""
    today = today or timezone.localdate()
    since = add_months(today, -12 * LOOKBACK_YEARS)
    held = Accreditation.objects.filter(status__in=sorted(HOLDING_STATUSES), granted_on__isnull=False)
    if programme is not None:
        held = held.filter(programme=programme)
    accreditations = list(
        held.values_list("cab_id", "cab__name_zh", "programme_id", "granted_on", "cycle_start", "cycle_end")
        .annotate(last_onsite=last_onsite_end())
        .order_by("cab_id", "pk")
    )
    rules = {p.pk: CycleRules.of(p) for p in Programme.objects.all()}
    risks: dict[int, CabRisk] = {}
    due: dict[int, dt.date] = {}
    last: dict[int, dt.date | None] = {}
    for cab_id, name, programme_id, granted_on, cycle_start, cycle_end, last_onsite in accreditations:
        risks.setdefault(cab_id, CabRisk(cab_id, name))
        on = next_onsite_due(CycleFacts(rules[programme_id], granted_on, cycle_start, cycle_end, last_onsite)).due_on
        due[cab_id] = min(due.get(cab_id, on), on)
        if last_onsite is not None and (last.get(cab_id) is None or last_onsite > last[cab_id]):
            last[cab_id] = last_onsite
        else:
            last.setdefault(cab_id, None)
    ids = sorted(risks)

    findings = (
        Finding.objects.filter(kind=FindingKind.NONCONFORMITY, assessment__application__cab_id__in=ids)
        .exclude(status=FindingStatus.DRAFT)
        .values("assessment__application__cab_id")
        .annotate(
            open_major=Count("pk", filter=Q(status__in=OPEN_FINDING_STATUSES, grade=FindingGrade.MAJOR)),
            open_minor=Count("pk", filter=Q(status__in=OPEN_FINDING_STATUSES, grade=FindingGrade.MINOR)),
            recent=Count("pk", filter=Q(created_at__date__gte=since)),
            overdue=Count(
                "pk",
                filter=Q(status=FindingStatus.LAPSED) | Q(status=FindingStatus.OPEN, answer_due_on__lt=today),
            ),
        )
        .order_by()
    )
    for row in findings:
        risk = risks[row["assessment__application__cab_id"]]
        _add(risk, "open_major", row["open_major"], _("{n} open major nonconformities").format(n=row["open_major"]))
        _add(risk, "open_minor", row["open_minor"], _("{n} open minor nonconformities").format(n=row["open_minor"]))
        _add(
            risk,
            "recent_nonconformity",
            row["recent"],
            _("{n} nonconformities raised in the last {years} years").format(n=row["recent"], years=LOOKBACK_YEARS),
        )
        _add(
            risk,
            "overdue_corrective_action",
            row["overdue"],
            _("{n} corrective actions overdue (nonconformities open past their deadline)").format(n=row["overdue"]),
        )

    complaints = (
        Complaint.objects.filter(cab_id__in=ids, received_at__date__gte=since)
        .values("cab_id")
        .annotate(received=Count("pk"), supported=Count("pk", filter=Q(outcome__in=SUPPORTED_OUTCOMES)))
        .order_by()
    )
    for row in complaints:
        risk = risks[row["cab_id"]]
        _add(
            risk,
            "complaint",
            row["received"],
            _("{n} complaints received in the last {years} years").format(n=row["received"], years=LOOKBACK_YEARS),
        )
        _add(risk, "supported_complaint", row["supported"], _("{n} complaints supported").format(n=row["supported"]))

    sanctions = (
        Sanction.objects.filter(accreditation__cab_id__in=ids)
        .values("accreditation__cab_id")
        .annotate(
            in_force=Count("pk", filter=Q(status=SanctionStatus.IN_FORCE)),
            recent=Count("pk", filter=~Q(status=SanctionStatus.IN_FORCE) & Q(decided_at__date__gte=since)),
        )
        .order_by()
    )
    for row in sanctions:
        risk = risks[row["accreditation__cab_id"]]
        _add(risk, "sanction_in_force", row["in_force"], _("{n} sanctions in force").format(n=row["in_force"]))
        _add(
            risk,
            "recent_sanction",
            row["recent"],
            _("{n} other sanctions in the last {years} years").format(n=row["recent"], years=LOOKBACK_YEARS),
        )

    flags = (
        IssuedCertificate.objects.filter(cb_id__in=ids, is_accredited=False)
        .values("cb_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in flags:
        code = "many_unaccredited_certificates" if row["n"] >= MANY_CERTIFICATES else "unaccredited_certificates"
        _add(risks[row["cb_id"]], code, 1, _("{n} issued certificates flagged as not accredited").format(n=row["n"]))

    long_ago = add_months(today, -ONSITE_LONG_AGO_MONTHS)
    for cab_id, risk in risks.items():
        if due[cab_id] < today:
            _add(risk, "onsite_overdue", 1, _("On-site assessment overdue since {date}").format(date=due[cab_id]))
        elif last[cab_id] is not None and last[cab_id] < long_ago:  # type: ignore[operator]
            _add(
                risk,
                "onsite_long_ago",
                1,
                _("Last on-site assessment on {date}, over {months} months ago").format(
                    date=last[cab_id], months=ONSITE_LONG_AGO_MONTHS
                ),
            )
    return sorted(risks.values(), key=lambda r: (-r.score, r.cab_id))
