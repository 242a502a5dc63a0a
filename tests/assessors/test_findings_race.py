"""Two people act on the same nonconformity at the same moment: exactly one move applies.

Two real database connections in two threads on PostgreSQL, released together by a barrier (as
``tests/accreditation/test_applications_race.py``). The data migrations' rows are restored
afterwards by ``serialized_rollback``.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.db.models import Max

from accreditation.services.accreditations import accreditation_grant, accreditation_open
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from assessors.choices import FindingStatus
from assessors.models_reports import CorrectiveAction, Finding
from assessors.models_teams import Assessment
from assessors.services_findings import (
    assessment_close_after_deadline,
    corrective_action_review,
    corrective_action_submit,
)
from core.audit import verify_chain
from core.errors import StateConflict
from core.models import AuditEvent, User
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, programme
from tests.assessors.findings_helpers import ANSWER, Reported, answer, in_days, reported
from tests.concurrency import race
from tests.conftest import LAB_ITEM

pytestmark = [
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="needs row locks and concurrent connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _case(*, due_in_days: int = 60) -> tuple[Reported, User, User, User]:
    secretariat = UserFactory.create(username="race_alice")
    secretariat.groups.add(Group.objects.get(name="secretariat"))
    cab = CabFactory.create()
    chen = CabMembershipFactory.create(cab=cab, user=UserFactory.create(username="race_chen")).user
    carol = CabMembershipFactory.create(cab=cab, user=UserFactory.create(username="race_carol")).user
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=LAB_ITEM)
    scope_version_publish(version=draft, actor=secretariat)
    accreditation = accreditation_grant(accreditation=accreditation, actor=secretariat)
    case = reported(cab, accreditation, secretariat=secretariat, cab_user=chen, due=in_days(due_in_days))
    return case, secretariat, chen, carol


def test_of_two_assessors_reviewing_one_answer_at_once_exactly_one_verdict_applies() -> None:
    case, _secretariat, chen, _carol = _case()
    submitted = answer(case.nc, chen)
    last_before = AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0

    results = race(
        lambda: corrective_action_review(
            corrective_action=CorrectiveAction.objects.get(pk=submitted.pk), actor=case.lead, accept=True
        ),
        lambda: corrective_action_review(
            corrective_action=CorrectiveAction.objects.get(pk=submitted.pk),
            actor=case.colleague,
            accept=False,
            comment="证据不足",
        ),
    )

    applied = [r for r in results if isinstance(r, CorrectiveAction)]
    refused = [r for r in results if isinstance(r, StateConflict)]
    assert (len(applied), len(refused)) == (1, 1), results
    assert refused[0].code == "already_reviewed"
    expected = FindingStatus.CLOSED if applied[0].status == "accepted" else FindingStatus.OPEN
    assert Finding.objects.get(pk=case.nc.pk).status == expected
    verdicts = AuditEvent.objects.filter(id__gt=last_before, event_type__startswith="corrective_action.")
    assert verdicts.count() == 1
    assert verify_chain().ok


def test_of_two_cab_members_answering_at_once_exactly_one_answer_is_kept() -> None:
    case, _secretariat, chen, carol = _case()

    results = race(
        lambda: corrective_action_submit(finding=Finding.objects.get(pk=case.nc.pk), actor=chen, **ANSWER),
        lambda: corrective_action_submit(finding=Finding.objects.get(pk=case.nc.pk), actor=carol, **ANSWER),
    )

    applied = [r for r in results if isinstance(r, CorrectiveAction)]
    refused = [r for r in results if isinstance(r, StateConflict)]
    assert (len(applied), len(refused)) == (1, 1), results
    assert refused[0].code == "already_answered"
    assert CorrectiveAction.objects.filter(finding=case.nc).count() == 1
    assert verify_chain().ok


def test_an_answer_and_a_close_after_the_deadline_at_once_never_both_apply() -> None:
    case, secretariat, chen, _carol = _case(due_in_days=-1)

    results = race(
        lambda: corrective_action_submit(finding=Finding.objects.get(pk=case.nc.pk), actor=chen, **ANSWER),
        lambda: assessment_close_after_deadline(
            assessment=Assessment.objects.get(pk=case.assessment.pk), actor=secretariat, reason="逾期"
        ),
    )

    answered, closed = results
    if isinstance(answered, CorrectiveAction):
        assert isinstance(closed, StateConflict) and closed.code == "answers_waiting_for_review"
        assert Finding.objects.get(pk=case.nc.pk).status == FindingStatus.ANSWERED
    else:
        assert isinstance(answered, StateConflict) and answered.code == "finding_not_open", results
        assert isinstance(closed, Assessment)
        assert Finding.objects.get(pk=case.nc.pk).status == FindingStatus.LAPSED
    assert verify_chain().ok
