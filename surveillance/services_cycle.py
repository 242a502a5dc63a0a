"""Recording an on-site assessment held before the portal (``models_cycle``).

Only the secretariat records one, for an accreditation that has been granted. The visit is in
the past (it ends no later than today), lasts at most ``MAX_VISIT_DAYS``, is on site or hybrid
(the kinds the cycle counts), and its report reference is unique for the accreditation, so that
an import run twice records nothing twice. The record is audited; the cycle page, the planner
and the statistics count it from then on.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation
from accreditation.services.guards import require_secretariat
from core.audit import audit_record
from core.errors import DomainError, StateConflict
from core.models import User
from surveillance.cycle import HELD_ONSITE_KINDS
from surveillance.models import PastOnsiteAssessment

#: Longer than any real visit: a typing mistake in a year shows up as a refused period.
MAX_VISIT_DAYS = 31


@transaction.atomic
def past_onsite_record(
    *,
    accreditation: Accreditation,
    actor: User,
    kind: str,
    held_from: dt.date,
    held_to: dt.date,
    reference: str,
    note: str = "",
) -> PastOnsiteAssessment:
    """The secretariat records an on-site assessment of ``accreditation`` held before the portal."""
    require_secretariat(actor)
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.granted_on is None:
        raise StateConflict(
            "accreditation_not_granted",
            _("{accreditation} has not been granted; its assessments are in the portal.").format(
                accreditation=accreditation
            ),
        )
    if kind not in HELD_ONSITE_KINDS:
        raise DomainError(
            "invalid_kind", _("Only an on-site or hybrid assessment counts for the cycle."), detail={"kind": [kind]}
        )
    if held_to < held_from:
        raise DomainError(
            "invalid_period",
            _("The end date ({end}) is before the start date ({start}).").format(end=held_to, start=held_from),
            detail={"held_to": [str(held_to)]},
        )
    if held_to > timezone.localdate():
        raise DomainError(
            "not_held_yet",
            _("The assessment ended on {end}, which is in the future: plan it as an assessment instead.").format(
                end=held_to
            ),
            detail={"held_to": [str(held_to)]},
        )
    if (held_to - held_from).days + 1 > MAX_VISIT_DAYS:
        raise DomainError(
            "period_too_long",
            _("An on-site visit of more than {days} days is not plausible: check the dates.").format(
                days=MAX_VISIT_DAYS
            ),
            detail={"held_from": [str(held_from)], "held_to": [str(held_to)]},
        )
    reference = reference.strip()
    if not reference:
        raise DomainError(
            "reference_required", _("Give the report's reference in the old records."), detail={"reference": [""]}
        )
    try:
        with transaction.atomic():
            record = PastOnsiteAssessment.objects.create(
                accreditation=accreditation,
                kind=kind,
                held_from=held_from,
                held_to=held_to,
                reference=reference,
                note=note.strip(),
                recorded_by=actor,
            )
    except IntegrityError:
        raise StateConflict(
            "reference_recorded",
            _("An assessment with the reference {reference} is already recorded for {accreditation}.").format(
                reference=reference, accreditation=accreditation
            ),
            detail={"reference": [reference]},
        ) from None
    audit_record(
        instance=record,
        event_type="surveillance.past_onsite_recorded",
        actor=actor,
        new_values={
            "accreditation": str(accreditation),
            "kind": kind,
            "held_from": held_from,
            "held_to": held_to,
            "reference": reference,
        },
        cab_id=accreditation.cab_id,
    )
    return record
