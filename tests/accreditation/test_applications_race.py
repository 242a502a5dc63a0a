"""Two secretariat staff act on the same application at the same moment: exactly one move applies.

This runs two real database connections in two threads on PostgreSQL; a barrier releases them
together. The data migrations' rows (roles, programmes, code lists) are restored afterwards by
``serialized_rollback``, because a transactional test empties every table when it ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db.models import Max

from accreditation.choices_applications import checklist_for
from accreditation.models import Application
from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.applications import application_accept, application_return
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.audit import verify_chain
from core.errors import StateConflict
from core.models import AuditEvent, User
from tests.accreditation.applications_helpers import submitted_extension
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, programme
from tests.concurrency import race
from tests.conftest import LAB_ITEM

pytestmark = [
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs row locks and concurrent connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_of_two_reviewers_acting_at_once_exactly_one_move_applies(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path

    alice = UserFactory.create(username="race_alice")
    bob = UserFactory.create(username="race_bob")
    for user in (alice, bob):
        user.groups.add(Group.objects.get(name="secretariat"))
    cab = CabFactory.create()
    member: User = CabMembershipFactory.create(cab=cab, user=UserFactory.create(username="race_member")).user
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=alice)
    draft = scope_draft_start(accreditation=accreditation, actor=alice)
    scope_item_add(version=draft, actor=alice, attributes=LAB_ITEM)
    scope_version_publish(version=draft, actor=alice)
    accreditation = accreditation_grant(accreditation=accreditation, actor=alice)
    application = submitted_extension(cab, accreditation, member)
    checklist = [key for key, _label in checklist_for(application.type)]
    last_before = AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0

    results = race(
        lambda: application_accept(
            application=Application.objects.get(pk=application.pk), actor=alice, checklist=checklist
        ),
        lambda: application_return(
            application=Application.objects.get(pk=application.pk), actor=bob, reasons="请补充质量手册"
        ),
    )

    refused = [r for r in results if isinstance(r, StateConflict)]
    applied = [r for r in results if isinstance(r, Application)]
    assert (len(applied), len(refused)) == (1, 1), results
    assert refused[0].code == "illegal_status_change"
    application.refresh_from_db()
    assert application.status == applied[0].status
    # One review event, written by whoever won; nothing from the refused move.
    review_events = AuditEvent.objects.filter(id__gt=last_before, aggregate_id=str(application.pk))
    assert review_events.count() == 1
    assert verify_chain().ok
