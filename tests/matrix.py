"""Shared vocabulary of the permission matrix (``tests/test_permission_matrix.py``).

Each app keeps its own entries in ``tests/<app>/matrix_*.py``: a module-level ``ENTRIES`` dict
from URL name to a list of ``Case`` and, when its routes need objects of their own, a
``build(world)`` function that creates them and stores them in ``world.extra``. The matrix test
discovers these modules, so adding an app's routes never means editing a shared file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accreditation.models import (
    Accreditation,
    Cab,
    CabContact,
    CabInvitation,
    CabMembership,
    CabSite,
    ScopeItem,
    ScopeVersion,
)
from core.models import AuditEvent, User

PERSONAS = (
    "secretariat",
    "decision_maker",
    "assigned_assessor",
    "unassigned_assessor",
    "cab_admin",
    "cab_member",
    "other_cab_admin",
    "anonymous",
)
OK, LOGIN, DENY, HIDE, NOT_ALLOWED, REFUSED = "ok", "login", "deny", "hide", "405", "refused"


@dataclass
class World:
    users: dict[str, User | None]
    cab: Cab
    other_cab: Cab
    accreditation: Accreditation
    applicant: Accreditation
    published: ScopeVersion
    published_item: ScopeItem
    draft: ScopeVersion
    draft_item: ScopeItem
    site: CabSite
    contact: CabContact
    member: CabMembership
    invitation: CabInvitation
    audit_event: AuditEvent
    #: Objects that other apps' ``build(world)`` functions add, by name.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    """One method on one route: how to build its URL and body, and what each persona gets."""

    expect: dict[str, str]
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    query: Callable[[World], dict[str, Any]] = lambda w: {}
    api: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def everyone(outcome: str, **overrides: str) -> dict[str, str]:
    table = dict.fromkeys(PERSONAS, outcome)
    table.update(overrides)
    return table


def signed_in(outcome: str, **overrides: str) -> dict[str, str]:
    """``outcome`` for every signed-in persona; the public is sent to log in."""
    return everyone(outcome, anonymous=LOGIN, **overrides)


def secretariat_only(others: str = DENY, **overrides: str) -> dict[str, str]:
    return signed_in(others, secretariat=OK, **overrides)


STAFF_READ = signed_in(HIDE, secretariat=OK, decision_maker=OK)
# Who sees the CAB ``cab`` (and its accreditations and scopes).
SEES_CAB = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK)
LISTS = signed_in(OK)

cab_pk = lambda w: {"pk": w.cab.pk}  # noqa: E731
acc_pk = lambda w: {"pk": w.accreditation.pk}  # noqa: E731
draft_pk = lambda w: {"pk": w.draft.pk}  # noqa: E731
item_pk = lambda w: {"pk": w.draft_item.pk}  # noqa: E731


def api(expect: dict[str, str], **kwargs: Any) -> Case:
    return Case(expect, api=True, **kwargs)
