"""Was a CB-issued certificate covered by the body's accreditation on its issue date?

``AccreditationChecker.for_cb(cb)`` reads, in a handful of queries, everything the answer needs
for one certification body: its accreditations under the programmes that accredit certificates
(``Standard.programme``), each one's status history and each one's published scope issues with
their items. ``evaluate`` then answers from memory, so checking 100,000 rows costs no query per row.

**Status history.** The register writes an audit event for every status move of an accreditation
(``accreditation.granted``, ``.suspended``, ``.partially_suspended``, ``.reinstated``,
``.withdrawn``, ``.cancelled``, ``.expired``: ``new_values["status"]``). The status in force on a
day is the one of the last move on or before that day; the first grant counts from ``granted_on``
(a grant may be recorded later than the day it took effect). An accreditation with no recorded
move (imported before the trail existed) is taken to have held its present status since
``granted_on``.

**Scope history.** The scope issue in force on a day is the published (now current or superseded)
issue with the latest ``issued_on`` on or before it; when the grant is dated before the first issue
was published (a back-dated import) the first issue stands for that period. An item covers a
standard when its ``standard`` attribute names it (``GB/T 19001-2016 / ISO 9001:2015`` names ISO
9001:2015 through the alias), and, for management systems, a sector when its ``sectors`` list
holds it. Suspended items (a partial suspension) do not cover.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus, ScopeItemStatus, ScopeVersionStatus
from accreditation.models import Accreditation, Cab, ScopeItem, ScopeVersion
from certification.choices import CertificationType, NotAccreditedReason
from certification.rows import normalise_sector, standard_key, standard_lookup
from core.models import AuditEvent

#: The statuses under which certificates issued are accredited.
IN_FORCE = frozenset({AccreditationStatus.ACCREDITED, AccreditationStatus.PARTIALLY_SUSPENDED})
ENDED = frozenset({AccreditationStatus.WITHDRAWN, AccreditationStatus.CANCELLED, AccreditationStatus.EXPIRED})
ACCREDITATION_AGGREGATE = "accreditation.accreditation"
DETAIL_MAX = 500

_PARTS = re.compile(r"\s+/\s+|[;；,，、]")

#: When several accreditations could cover a standard and none does, the reason worth showing.
_REASON_RANK = {
    NotAccreditedReason.DURING_SUSPENSION: 5,
    NotAccreditedReason.OUTSIDE_SCOPE: 4,
    NotAccreditedReason.AFTER_ACCREDITATION: 3,
    NotAccreditedReason.BEFORE_ACCREDITATION: 2,
    NotAccreditedReason.NO_ACCREDITATION: 1,
}


@dataclass(frozen=True)
class Verdict:
    """Whether a certificate is accredited; when not, the reason and a sentence naming what was missing."""

    is_accredited: bool
    reason: str = ""
    detail: str = ""
    accreditation_id: int | None = None


@dataclass
class _Item:
    standards: frozenset[str]
    sectors: frozenset[str]
    active: bool


@dataclass
class _Scope:
    issued_on: dt.date
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Accreditation:
    pk: int
    number: str
    #: Days on which the status changed, ascending, and the status taken that day.
    days: list[dt.date] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    scopes: list[_Scope] = field(default_factory=list)

    def status_on(self, day: dt.date) -> str | None:
        index = bisect.bisect_right(self.days, day)
        return self.statuses[index - 1] if index else None

    def scope_on(self, day: dt.date) -> _Scope | None:
        if not self.scopes:
            return None
        index = bisect.bisect_right([scope.issued_on for scope in self.scopes], day)
        return self.scopes[index - 1] if index else self.scopes[0]


def item_standards(value: object, lookup: Mapping[str, str]) -> frozenset[str]:
    """The ``Standard.code`` values a scope item's ``standard`` attribute names."""
    text = str(value or "")
    whole = lookup.get(standard_key(text))
    if whole:
        return frozenset({whole})
    return frozenset(code for part in _PARTS.split(text) if (code := lookup.get(standard_key(part))))


def _sectors(values: object) -> frozenset[str]:
    if isinstance(values, str):
        values = _PARTS.split(values)
    if not isinstance(values, Iterable):
        return frozenset()
    return frozenset(normalise_sector(str(value)) or str(value).strip() for value in values)


class AccreditationChecker:
    """The accreditation facts of one certification body, loaded once, for checking many certificates."""

    def __init__(
        self, cb_id: int, accreditations: Mapping[int, list[_Accreditation]], standard_programmes: Mapping[str, int]
    ) -> None:
        self.cb_id = cb_id
        self._by_programme = accreditations
        self._standard_programmes = standard_programmes
        self._cache: dict[tuple[str, tuple[str, ...], tuple[str, ...], dt.date], Verdict] = {}

    @classmethod
    def for_cb(cls, cb: Cab) -> AccreditationChecker:
        from certification.models import Standard

        standard_programmes: dict[str, int] = dict(
            Standard.objects.filter(programme__isnull=False).values_list("code", "programme_id")
        )
        lookup = standard_lookup()
        programme_ids = set(standard_programmes.values())
        found = {
            row["pk"]: row
            for row in Accreditation.objects.filter(cab_id=cb.pk, programme_id__in=programme_ids).values(
                "pk", "programme_id", "number", "status", "granted_on"
            )
        }
        accreditations = {pk: _Accreditation(pk=pk, number=row["number"] or "") for pk, row in found.items()}

        moves: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
        events = (
            AuditEvent.objects.filter(
                aggregate_type=ACCREDITATION_AGGREGATE, aggregate_id__in=[str(pk) for pk in found]
            )
            .order_by("id")  # the order the changes were written in (an event's ``sequence`` comes at commit)
            .values_list("aggregate_id", "occurred_at", "event_type", "new_values")
        )
        for aggregate_id, occurred_at, event_type, new_values in events:
            status = (new_values or {}).get("status")
            if not status:
                continue
            pk = int(aggregate_id)
            day = timezone.localdate(occurred_at)
            granted_on: dt.date | None = found[pk]["granted_on"]
            if event_type == "accreditation.granted" and granted_on is not None:
                day = min(day, granted_on)
            moves[pk].append((day, status))
        for pk, row in found.items():
            history = moves.get(pk) or ([(row["granted_on"], row["status"])] if row["granted_on"] else [])
            target = accreditations[pk]
            for day, status in history:
                # Moves in one day: the last one stands; the history stays sorted by day.
                if target.days and target.days[-1] >= day:
                    while target.days and target.days[-1] >= day:
                        target.days.pop()
                        target.statuses.pop()
                target.days.append(day)
                target.statuses.append(status)

        scopes: dict[int, _Scope] = {}
        for version_pk, accreditation_id, issued_on in (
            ScopeVersion.objects.filter(
                accreditation_id__in=found,
                status__in=[ScopeVersionStatus.PUBLISHED, ScopeVersionStatus.SUPERSEDED],
                issued_on__isnull=False,
            )
            .order_by("accreditation_id", "issued_on", "issue_number")
            .values_list("pk", "accreditation_id", "issued_on")
        ):
            assert issued_on is not None  # filtered above
            scope = _Scope(issued_on=issued_on)
            scopes[version_pk] = scope
            accreditations[accreditation_id].scopes.append(scope)
        for version_id, status, attributes in ScopeItem.objects.filter(version_id__in=scopes).values_list(
            "version_id", "status", "attributes"
        ):
            attributes = attributes or {}
            scopes[version_id].items.append(
                _Item(
                    standards=item_standards(attributes.get("standard"), lookup),
                    sectors=_sectors(attributes.get("sectors") or []),
                    active=status == ScopeItemStatus.ACTIVE,
                )
            )

        by_programme: dict[int, list[_Accreditation]] = defaultdict(list)
        for pk, row in sorted(found.items()):
            by_programme[row["programme_id"]].append(accreditations[pk])
        return cls(cb.pk, by_programme, standard_programmes)

    def evaluate(
        self, certification_type: str, standards: Sequence[str], sectors: Sequence[str], issue_date: dt.date
    ) -> Verdict:
        key = (certification_type, tuple(standards), tuple(sectors), issue_date)
        verdict = self._cache.get(key)
        if verdict is None:
            verdict = self._evaluate(certification_type, standards, sectors, issue_date)
            self._cache[key] = verdict
        return verdict

    def _evaluate(
        self, certification_type: str, standards: Sequence[str], sectors: Sequence[str], issue_date: dt.date
    ) -> Verdict:
        if not standards:
            return self._refuse(NotAccreditedReason.NO_ACCREDITATION, _("The certificate names no standard."))
        check_sectors = certification_type == CertificationType.MANAGEMENT_SYSTEM
        covering: int | None = None
        for standard in standards:
            programme_id = self._standard_programmes.get(standard)
            candidates = self._by_programme.get(programme_id, []) if programme_id is not None else []
            if not candidates:
                return self._refuse(
                    NotAccreditedReason.NO_ACCREDITATION,
                    _("No accreditation of the body covers {standard}.").format(standard=standard),
                )
            failures: list[tuple[str, str]] = []
            for accreditation in candidates:
                failure = self._covers(accreditation, standard, sectors if check_sectors else (), issue_date)
                if failure is None:
                    covering = covering or accreditation.pk
                    break
                failures.append(failure)
            else:
                reason, detail = max(failures, key=lambda failure: _REASON_RANK[NotAccreditedReason(failure[0])])
                return self._refuse(reason, detail)
        return Verdict(is_accredited=True, accreditation_id=covering)

    @staticmethod
    def _refuse(reason: str, detail: object) -> Verdict:
        return Verdict(is_accredited=False, reason=reason, detail=str(detail)[:DETAIL_MAX])

    @staticmethod
    def _covers(
        accreditation: _Accreditation, standard: str, sectors: Sequence[str], day: dt.date
    ) -> tuple[str, str] | None:
        """None when the accreditation covered the standard (and sectors) on ``day``; else reason and detail."""
        number = accreditation.number
        status = accreditation.status_on(day)
        if status is None or status == AccreditationStatus.APPLICANT:
            first = accreditation.days[0] if accreditation.days else None
            return (
                NotAccreditedReason.BEFORE_ACCREDITATION,
                str(
                    _("Accreditation {number} was granted on {granted}, after the issue date {day}.").format(
                        number=number, granted=first.isoformat() if first else "-", day=day.isoformat()
                    )
                    if first
                    else _("Accreditation {number} has not been granted.").format(number=number)
                ),
            )
        if status == AccreditationStatus.SUSPENDED:
            return (
                NotAccreditedReason.DURING_SUSPENSION,
                str(_("Accreditation {number} was suspended on {day}.").format(number=number, day=day.isoformat())),
            )
        if status in ENDED:
            return (
                NotAccreditedReason.AFTER_ACCREDITATION,
                str(
                    _("Accreditation {number} was {status} on {day}.").format(
                        number=number, status=AccreditationStatus(status).label, day=day.isoformat()
                    )
                ),
            )
        scope = accreditation.scope_on(day)
        items = [item for item in (scope.items if scope else []) if standard in item.standards]
        active = [item for item in items if item.active]
        if not active:
            if items:
                return (
                    NotAccreditedReason.DURING_SUSPENSION,
                    str(
                        _("{standard} was suspended in the scope of accreditation {number} on {day}.").format(
                            standard=standard, number=number, day=day.isoformat()
                        )
                    ),
                )
            return (
                NotAccreditedReason.OUTSIDE_SCOPE,
                str(
                    _("{standard} was not in the scope of accreditation {number} on {day}.").format(
                        standard=standard, number=number, day=day.isoformat()
                    )
                ),
            )
        covered = frozenset().union(*(item.sectors for item in active))
        missing = [sector for sector in sectors if sector not in covered]
        if missing:
            suspended = frozenset().union(*(item.sectors for item in items if not item.active))
            reason = (
                NotAccreditedReason.DURING_SUSPENSION
                if all(sector in suspended for sector in missing)
                else NotAccreditedReason.OUTSIDE_SCOPE
            )
            return (
                reason,
                str(
                    _(
                        "{standard} in sectors {sectors} was not in force "
                        "in the scope of accreditation {number} on {day}."
                    ).format(standard=standard, sectors=", ".join(missing), number=number, day=day.isoformat())
                ),
            )
        return None
