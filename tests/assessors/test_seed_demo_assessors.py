"""``manage.py seed_demo_assessors``: demonstration assessors on top of ``seed_demo``, idempotently."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from accreditation.models import Programme
from assessors.choices import CompetenceStatus, QualificationRole, QualificationStatus
from assessors.demo import _codes_needed
from assessors.models import AssessorProfile, Competence, ConflictOfInterest, Qualification, Unavailability
from assessors.models_teams import Assessment
from assessors.selectors import competence_coverage, pending_competences, pending_qualifications, qualified_assessors
from core.audit import verify_chain
from core.models import User
from tests.assessors.factories import assessor_snapshot

DEMO = {"DEBUG": True, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo_assessors", *args, stdout=out, no_color=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), override_settings(**DEMO):
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed_demo", stdout=StringIO())
        run()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_it_asks_for_seed_demo_first() -> None:
    assert not User.objects.filter(username="assessor").exists()
    with override_settings(**DEMO), pytest.raises(CommandError, match="Run seed_demo first"):
        run()


@pytest.mark.usefixtures("seeded")
@pytest.mark.django_db
class TestTheDemoAssessments:
    """Three extensions of the demo laboratory, one waiting at each step after the report."""

    def test_each_later_step_has_a_case_waiting_for_its_demo_login(self) -> None:
        from accreditation.selectors_decisions import decision_queue_for
        from assessors.selectors_findings import answers_to_review, findings_to_answer

        statuses = sorted(Assessment.objects.values_list("kind", "status"))
        assert statuses == [("on_site", "completed"), ("on_site", "reported"), ("remote", "reported")]
        lab_admin, lead, decider = (User.objects.get(username=name) for name in ("lab-admin", "assessor", "decider"))
        assert findings_to_answer(lab_admin).count() == 1
        assert answers_to_review(lead).count() == 1
        assert [a.type for a in decision_queue_for(decider)] == ["change", "extension"]
        remote = Assessment.objects.get(kind="remote")
        assert remote.ict_tools and remote.remote_sessions.count() == 2
        assert verify_chain().ok

    def test_running_it_again_adds_no_assessment(self) -> None:
        run()
        assert Assessment.objects.count() == 3


@pytest.mark.usefixtures("seeded")
@pytest.mark.django_db
class TestTheSeededAssessors:
    def test_there_are_twenty_five_assessors_with_profiles(self) -> None:
        assert AssessorProfile.objects.count() == 25
        assert AssessorProfile.objects.filter(user__username="assessor", region="11").exists()

    def test_the_demo_login_is_an_approved_lead_assessor(self) -> None:
        held = Qualification.objects.filter(assessor__user__username="assessor", status=QualificationStatus.APPROVED)
        assert sorted(held.values_list("programme__code", "role")) == [
            ("CL", "lead_assessor"),
            ("MS", "lead_assessor"),
        ]

    def test_every_programme_has_at_least_two_lead_assessors_today(self) -> None:
        today = timezone.localdate()
        counts = {
            p.code: qualified_assessors(programme=p, role=QualificationRole.LEAD_ASSESSOR, on_date=today).count()
            for p in Programme.objects.all()
        }
        assert min(counts.values()) >= 2

    def test_every_code_a_published_scope_needs_is_covered_twice(self) -> None:
        today = timezone.localdate()
        for programme in Programme.objects.all():
            coverage = competence_coverage(programme=programme, on_date=today)
            short = [c.code for c in _codes_needed(programme) if len(coverage.get(c.code, ())) < 2]
            assert short == [], programme.code

    def test_a_few_conflicts_periods_and_requests_await(self) -> None:
        assert ConflictOfInterest.objects.count() == 4
        assert Unavailability.objects.count() == 4
        assert pending_qualifications().count() == 1
        assert pending_competences().count() == 1
        assert Competence.objects.filter(status=CompetenceStatus.APPROVED).count() >= 100

    def test_running_again_changes_nothing(self) -> None:
        before = assessor_snapshot()
        with override_settings(**DEMO):
            assert run() == "The demo assessors are already there: nothing changed.\n"
        assert assessor_snapshot() == before
        assert verify_chain().ok

    def test_it_refuses_to_run_with_debug_off_unless_forced(self) -> None:
        with override_settings(DEBUG=False), pytest.raises(CommandError, match="runs only with DEBUG on"):
            run()
        with override_settings(DEBUG=False):
            assert "nothing changed" in run("--force")
