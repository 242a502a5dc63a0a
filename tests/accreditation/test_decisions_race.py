"""Two decision makers decide the same application at the same moment: exactly one decision applies.

Two real database connections in two threads on PostgreSQL, released together by a barrier
(``tests.concurrency.race``). The loser is told the application is already
decided, and the register shows one new scope issue.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Application, Decision
from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.decisions import decision_record
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.audit import verify_chain
from core.errors import StateConflict
from core.roles import Role
from tests.accreditation.decisions_helpers import FOOD_ITEM, accepted_application, all_items, assessed
from tests.accreditation.factories import CabFactory, UserFactory, programme
from tests.concurrency import race
from tests.conftest import LAB_ITEM

pytestmark = [
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs row locks and concurrent connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_of_two_decision_makers_deciding_at_once_exactly_one_decision_applies() -> None:
    alice = UserFactory.create(username="race_alice")
    alice.groups.add(Group.objects.get(name=Role.SECRETARIAT.value))
    deciders = [UserFactory.create(username=name) for name in ("race_dmitri", "race_dora")]
    for user in deciders:
        user.groups.add(Group.objects.get(name=Role.DECISION_MAKER.value))
    cab = CabFactory.create()
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=alice)
    draft = scope_draft_start(accreditation=accreditation, actor=alice)
    scope_item_add(version=draft, actor=alice, attributes=LAB_ITEM)
    scope_version_publish(version=draft, actor=alice)
    accreditation = accreditation_grant(accreditation=accreditation, actor=alice)
    application = accepted_application(
        cab, accreditation.programme, alice, ApplicationType.EXTENSION, accreditation=accreditation, add=[FOOD_ITEM]
    )
    assessed(application, alice)
    items = all_items(application, "grant")

    def decide(user: Any) -> Any:
        return decision_record(
            application=Application.objects.get(pk=application.pk), actor=user, reasons="认可", items=items
        )

    results = race(*(lambda user=user: decide(user) for user in deciders))

    refused = [r for r in results if isinstance(r, StateConflict)]
    applied = [r for r in results if isinstance(r, Decision)]
    assert (len(applied), len(refused)) == (1, 1), results
    assert refused[0].code == "already_decided"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED
    assert Decision.objects.filter(application=application).count() == 1
    assert accreditation.scope_versions.count() == 2
    assert verify_chain().ok
