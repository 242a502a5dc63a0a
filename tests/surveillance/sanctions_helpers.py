"""What the sanction and notice tests share: reasons from the seeded list, a two-item scope, snapshots."""

from __future__ import annotations

from typing import Any

from accreditation.models import Accreditation, ScopeItem, ScopeVersion
from core.models import AuditEvent, User
from surveillance.models import DishonestyEntry, PublicNotice, Sanction, SanctionReason, WithdrawalProposal
from tests.accreditation.decisions_helpers import METAL_ITEM


def reason(code: str = "data_altered_or_untraceable") -> SanctionReason:
    return SanctionReason.objects.get(code=code)


def with_second_item(accreditation: Accreditation, secretariat: User) -> tuple[ScopeItem, ScopeItem]:
    """Give ``accreditation`` a second active item (a new issue); both current items, in order."""
    from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish

    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=METAL_ITEM)
    scope_version_publish(version=draft, actor=secretariat)
    scope = accreditation.current_scope
    assert scope is not None
    first, second = scope.items.order_by("position")
    return first, second


def item_statuses(accreditation: Accreditation) -> list[str]:
    scope = accreditation.current_scope
    assert scope is not None
    return list(scope.items.order_by("position").values_list("status", flat=True))


def snapshot(accreditation: Accreditation) -> dict[str, Any]:
    """Everything a refused sanction move must leave as it was."""
    accreditation.refresh_from_db()
    return {
        "status": accreditation.status,
        "versions": ScopeVersion.objects.filter(accreditation=accreditation).count(),
        "sanctions": list(Sanction.objects.values_list("pk", "status")),
        "proposals": list(WithdrawalProposal.objects.values_list("pk", "status")),
        "notices": PublicNotice.objects.count(),
        "dishonesty": list(DishonestyEntry.objects.values_list("pk", "removed_on")),
        "events": AuditEvent.objects.count(),
    }
