"""Who sees which sanctions and withdrawal proposals, and the lists the sanction pages need.

Sanctions are the accreditation body's records: its staff (secretariat and decision makers) read
them all; only the secretariat decides them (the services check). Everybody else reads none here;
the public learns of them through the notices (``selectors_notices``).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accreditation.choices import ScopeItemStatus
from accreditation.models import Accreditation, ScopeItem
from core.models import User
from core.roles import is_staff_reader
from surveillance.choices import WithdrawalProposalStatus
from surveillance.models import Sanction, SanctionReason, WithdrawalProposal

AnyUser = User | AnonymousUser


def sanction_qs_for(user: AnyUser) -> QuerySet[Sanction]:
    if not is_staff_reader(user):
        return Sanction.objects.none()
    return Sanction.objects.select_related(
        "accreditation__cab", "accreditation__programme", "reason", "decided_by", "lifted_by", "complaint"
    )


def sanctions_of(accreditation: Accreditation, user: AnyUser) -> QuerySet[Sanction]:
    return (
        sanction_qs_for(user)
        .filter(accreditation=accreditation)
        .prefetch_related("scope_items")
        .order_by("-decided_at", "-pk")
    )


def sanctionable_accreditation_qs_for(user: AnyUser) -> QuerySet[Accreditation]:
    """Accreditations whose sanctions page the user may open (staff; any status, for the history)."""
    if not is_staff_reader(user):
        return Accreditation.objects.none()
    return Accreditation.objects.select_related("cab", "programme")


def proposal_qs_for(user: AnyUser) -> QuerySet[WithdrawalProposal]:
    if not is_staff_reader(user):
        return WithdrawalProposal.objects.none()
    return WithdrawalProposal.objects.select_related("sanction__accreditation__cab", "sanction__reason", "decided_by")


def open_proposals() -> QuerySet[WithdrawalProposal]:
    """The secretariat's queue: the longest-overdue suspension first."""
    return (
        WithdrawalProposal.objects.filter(status=WithdrawalProposalStatus.OPEN)
        .select_related("sanction__accreditation__cab")
        .order_by("sanction__suspended_until", "pk")
    )


def active_reasons() -> QuerySet[SanctionReason]:
    return SanctionReason.objects.filter(is_active=True).order_by("position", "code")


def current_items(accreditation: Accreditation) -> QuerySet[ScopeItem]:
    """The items of the current published scope issue, not withdrawn (what a sanction may concern)."""
    current = accreditation.current_scope
    if current is None:
        return ScopeItem.objects.none()
    return (
        current.items.exclude(status=ScopeItemStatus.WITHDRAWN)
        .select_related("version__accreditation__programme")
        .order_by("position", "pk")
    )
