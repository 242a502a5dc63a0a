"""Drill: decision makers decide at the same moment (two browser tabs, two people, a double click).

Each decision runs in its own thread with its own database connection, released together by a
barrier just before the service call, on PostgreSQL; nothing wraps them in a test transaction, so
the decision's after-commit hook really issues (and renders) the accreditation certificate.
``tests/accreditation/test_decisions_race.py`` has the extension case at the service level; here:
the same initial application decided twice at once (one grant, one accreditation number, one
certificate; the other decision maker is told), and two different applications of one
accreditation decided at once (both apply, one after the other: two certificates numbered in
turn, the later one in force).
"""

from __future__ import annotations

import json
from collections import Counter

from django.contrib.auth.models import Group

from accreditation.choices import AccreditationStatus, ScopeVersionStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType, ChangeKind
from accreditation.models import Accreditation, Application, Cab, Decision
from accreditation.services.decisions import decision_record
from certification.choices import AccreditationCertificateStatus
from certification.models import AccreditationCertificate
from core.audit import verify_chain
from core.errors import StateConflict
from core.models import AuditEvent, Notification, User
from core.roles import Role
from tests.accreditation.decisions_helpers import (
    FOOD_ITEM,
    accepted_application,
    accepted_initial,
    all_items,
    assessed,
)
from tests.accreditation.factories import UserFactory, programme
from tests.concurrency import race
from tests.drills.harness import ON_POSTGRES

pytestmark = ON_POSTGRES


def _decision_makers() -> list[User]:
    people = [UserFactory.create(username=name) for name in ("dmitri", "dora")]
    for person in people:
        person.groups.add(Group.objects.get(name=Role.DECISION_MAKER.value))
    return people


def _no_notification_twice() -> None:
    sent = Counter((n.recipient_id, n.kind, json.dumps(n.params, sort_keys=True)) for n in Notification.objects.all())
    assert sent and max(sent.values()) == 1


def test_two_decision_makers_granting_one_initial_application_at_once_grant_it_once_with_one_certificate(
    cab: Cab, cab_admin: User, secretariat: User
) -> None:
    application = accepted_initial(cab, programme("CL"), cab_admin, secretariat, FOOD_ITEM)
    assessed(application, secretariat)
    items = all_items(application, "grant")

    results = race(
        *(
            lambda person=person: decision_record(
                application=Application.objects.get(pk=application.pk),
                actor=person,
                reasons="符合认可准则",
                items=items,
            )
            for person in _decision_makers()
        ),
        language="en",
        join_timeout=120,
    )

    # Exactly one decision is recorded; the other decision maker gets a clear refusal.
    decided = [result for result in results if isinstance(result, Decision)]
    refused = [result for result in results if isinstance(result, StateConflict)]
    assert (len(decided), len(refused)) == (1, 1), results
    assert (refused[0].code, str(refused[0].message)) == (
        "already_decided",
        f"Application {application.reference} is already decided.",
    )
    assert Decision.objects.filter(application=application).count() == 1
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DECIDED
    # The register changes once: one grant, one number, one published scope.
    assert application.accreditation_id is not None
    accreditation = Accreditation.objects.get(pk=application.accreditation_id)
    assert accreditation.status == AccreditationStatus.ACCREDITED and accreditation.number
    assert AuditEvent.objects.filter(event_type="accreditation.granted").count() == 1
    assert accreditation.scope_versions.filter(status=ScopeVersionStatus.PUBLISHED).count() == 1
    # One certificate is issued, and rendered.
    certificates = list(AccreditationCertificate.objects.filter(accreditation=accreditation))
    assert [(c.number, c.status) for c in certificates] == [
        (f"{accreditation.number}-01", AccreditationCertificateStatus.READY)
    ]
    _no_notification_twice()
    assert verify_chain().ok


def test_two_applications_of_one_accreditation_decided_at_once_both_apply_with_certificates_numbered_in_turn(
    cab: Cab, cab_admin: User, secretariat: User, accreditation: Accreditation
) -> None:
    extension = accepted_application(
        cab, accreditation.programme, cab_admin, ApplicationType.EXTENSION, accreditation=accreditation, add=[FOOD_ITEM]
    )
    renamed = {"name_zh": "北京精准检测认证有限公司", "name_en": "Beijing Precise Testing & Certification"}
    change = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.CHANGE,
        accreditation=accreditation,
        change_kinds=[ChangeKind.NAME],
        proposed_changes={ChangeKind.NAME: renamed},
    )
    for application in (extension, change):
        assessed(application, secretariat)
    dmitri, dora = _decision_makers()
    items = all_items(extension, "grant")

    results = race(
        lambda: decision_record(
            application=Application.objects.get(pk=extension.pk), actor=dmitri, reasons="扩项评审通过", items=items
        ),
        lambda: decision_record(
            application=Application.objects.get(pk=change.pk), actor=dora, reasons="变更材料齐全", outcome="grant"
        ),
        language="en",
        join_timeout=120,
    )

    # Both decisions apply, one after the other.
    assert all(isinstance(result, Decision) for result in results), results
    assert set(Application.objects.filter(pk__in=[extension.pk, change.pk]).values_list("status", flat=True)) == {
        ApplicationStatus.DECIDED
    }
    accreditation.refresh_from_db()
    current = accreditation.current_scope
    assert current is not None and current.items.count() == 2
    assert Cab.objects.get(pk=cab.pk).name_zh == renamed["name_zh"]
    # Two certificates numbered in turn; the later one is in force, the earlier superseded by it.
    certificates = list(AccreditationCertificate.objects.filter(accreditation=accreditation).order_by("number"))
    assert [c.number for c in certificates] == [f"{accreditation.number}-01", f"{accreditation.number}-02"]
    assert [c.status for c in certificates] == [
        AccreditationCertificateStatus.SUPERSEDED,
        AccreditationCertificateStatus.READY,
    ]
    assert certificates[0].superseded_by_id == certificates[1].pk
    _no_notification_twice()
    assert verify_chain().ok
