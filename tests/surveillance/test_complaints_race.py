"""Two secretariat members move the same complaint at the same moment: the moves are serialised on its row.

Two real database connections in two threads on PostgreSQL, released together by a barrier (as
in ``tests/assessors/test_report_race.py``); ``serialized_rollback`` restores the data
migrations' rows afterwards.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from core.audit import verify_chain
from core.errors import StateConflict
from core.models import AuditEvent, User
from core.roles import Role
from surveillance.choices import ComplaintOutcome
from surveillance.models import Complaint
from surveillance.services_complaints import complaint_acknowledge, complaint_resolve
from tests.accreditation.factories import UserFactory
from tests.concurrency import race
from tests.surveillance.complaints_helpers import acknowledged, public_complaint

pytestmark = [
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs row locks and concurrent connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _secretariat(username: str) -> User:
    user = UserFactory.create(username=username)
    user.groups.add(Group.objects.get(name=Role.SECRETARIAT.value))
    return user


def test_of_two_members_acknowledging_at_once_exactly_one_does_and_the_other_is_told() -> None:
    alice, bob = _secretariat("alice"), _secretariat("bob")
    complaint = public_complaint()

    results = race(
        lambda: complaint_acknowledge(complaint=Complaint.objects.get(pk=complaint.pk), actor=alice),
        lambda: complaint_acknowledge(complaint=Complaint.objects.get(pk=complaint.pk), actor=bob),
    )

    done = [r for r in results if isinstance(r, Complaint)]
    refused = [r for r in results if isinstance(r, StateConflict)]
    assert (len(done), len(refused)) == (1, 1), results
    assert refused[0].code == "already_acknowledged"
    assert AuditEvent.objects.filter(event_type="complaint.acknowledged").count() == 1
    assert Complaint.objects.get(pk=complaint.pk).handler == done[0].handler
    assert verify_chain().ok


def test_two_different_resolutions_at_once_keep_only_the_first() -> None:
    alice, bob = _secretariat("alice"), _secretariat("bob")
    complaint = acknowledged(alice)

    results = race(
        lambda: complaint_resolve(
            complaint=Complaint.objects.get(pk=complaint.pk),
            actor=alice,
            outcome=ComplaintOutcome.WARNING,
            outcome_summary="告诫",
        ),
        lambda: complaint_resolve(
            complaint=Complaint.objects.get(pk=complaint.pk),
            actor=bob,
            outcome=ComplaintOutcome.NOT_SUPPORTED,
            outcome_summary="不成立",
        ),
    )

    done = [r for r in results if isinstance(r, Complaint)]
    refused = [r for r in results if isinstance(r, StateConflict)]
    assert (len(done), len(refused)) == (1, 1), results
    assert refused[0].code == "already_resolved"
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.outcome, stored.outcome_summary) == (done[0].outcome, done[0].outcome_summary)
    assert AuditEvent.objects.filter(event_type="complaint.resolved").count() == 1
