"""Maintaining the programmes' rules (numbering, cycle), which staff edit in the admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accreditation.models import Programme
from accreditation.services.guards import assign_changes, field_values, full_clean_or_raise, require_secretariat
from core.audit import audit_record
from core.errors import DomainError
from core.models import User

#: What staff may change; code and scope shape are fixed once accreditations exist.
PROGRAMME_FIELDS = [
    "name_zh",
    "name_en",
    "standard",
    "number_pattern",
    "next_number",
    "certificate_validity_months",
    "first_surveillance_months",
    "max_onsite_interval_months",
    "reassessment_interval_months",
    "renewal_notice_months",
    "max_suspension_months",
    "nc_answer_deadline_days",
    "acceptance_review_working_days",
    "is_active",
]


def check_number_pattern(pattern: str) -> None:
    """Refuse a pattern that does not number accreditations with exactly ``{n}``."""
    try:
        formatted = pattern.format(n=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise DomainError(
            "invalid_number_pattern",
            _("The number pattern must contain {n} and nothing else in braces, e.g. CNAS L{n:04d}."),
        ) from exc
    if formatted == pattern:
        raise DomainError("invalid_number_pattern", _("The number pattern must contain {n}, e.g. CNAS L{n:04d}."))


@transaction.atomic
def programme_update(*, programme: Programme, actor: User | None, reason: str = "", **values: Any) -> Programme:
    require_secretariat(actor)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    old = assign_changes(programme, values, allowed=PROGRAMME_FIELDS)
    if not old:
        return programme
    if "number_pattern" in old:
        check_number_pattern(programme.number_pattern)
    full_clean_or_raise(programme)
    programme.save(update_fields=list(old))
    audit_record(
        instance=programme,
        event_type="programme.updated",
        actor=actor,
        reason=reason,
        old_values=old,
        new_values=field_values(programme, list(old)),
    )
    return programme
