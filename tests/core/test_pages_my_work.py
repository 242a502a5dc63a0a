"""'My work': each role sees the queues that concern it, with counts, overdue badges and links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Cab
from assessors.choices import TeamMemberStatus, TeamRole
from assessors.models_teams import TeamMember
from core.dashboard import Panel, panels_for, register_panels
from core.models import User
from tests.accreditation.factories import programme
from tests.assessors.teams_helpers import accepted_extension, plan

pytestmark = pytest.mark.django_db


def submitted(cab: Cab, actor: User, *, due: dt.date) -> Application:
    now = timezone.now()
    return Application.objects.create(
        reference=f"APP-{Application.objects.count() + 1}",
        cab=cab,
        programme=programme("CL"),
        type=ApplicationType.INITIAL,
        status=ApplicationStatus.SUBMITTED,
        created_by=actor,
        submitted_at=now,
        first_submitted_at=now,
        review_due_on=due,
    )


def test_the_secretariat_sees_the_acceptance_queue_with_its_overdue_count(
    client_for, secretariat: User, cab: Cab, cab_admin: User
) -> None:
    today = timezone.localdate()
    late = submitted(cab, cab_admin, due=today - dt.timedelta(days=2))
    submitted(cab, cab_admin, due=today + dt.timedelta(days=3))
    response = client_for(secretariat).get("/work/")
    assertContains(response, "Applications waiting for the acceptance review")
    panel = next(p for p in response.context["panels"] if p.key == "acceptance-review")
    assert (panel.count, panel.overdue) == (2, 1)
    assertContains(response, f'href="/applications/{late.pk}/"')
    assertContains(response, "1 overdue")


def test_the_secretariat_sees_accepted_applications_to_plan_and_teams_to_confirm(
    client_for, secretariat: User, cab: Cab, accreditation: Accreditation
) -> None:
    to_plan = accepted_extension(cab, accreditation, secretariat)
    planned = plan(accepted_extension(cab, accreditation, secretariat), secretariat)
    panels = {p.key: p for p in client_for(secretariat).get("/work/").context["panels"]}
    assert [row.url for row in panels["applications-to-plan"].rows] == [f"/applications/{to_plan.pk}/"]
    assert [row.url for row in panels["teams-to-confirm"].rows] == [f"/assessments/{planned.pk}/"]


def test_an_assessor_sees_the_team_places_to_answer(
    client_for, secretariat: User, assessor: User, cab: Cab, accreditation: Accreditation
) -> None:
    assessment = plan(accepted_extension(cab, accreditation, secretariat), secretariat)
    TeamMember.objects.create(
        assessment=assessment,
        user=assessor,
        role=TeamRole.LEAD_ASSESSOR,
        status=TeamMemberStatus.CONFIRMED,
        added_by=secretariat,
    )
    response = client_for(assessor).get("/work/")
    panel = next(p for p in response.context["panels"] if p.key == "team-places")
    assert panel.count == 1
    assertContains(response, f'href="/assessments/{assessment.pk}/"')
    assertNotContains(response, "Applications waiting for the acceptance review")


def test_a_cab_member_sees_returned_applications_first_and_never_the_staff_queues(
    client_for, cab_admin: User, cab: Cab, other_cab_user: User
) -> None:
    returned = Application.objects.create(
        reference="APP-R",
        cab=cab,
        programme=programme("CL"),
        type=ApplicationType.INITIAL,
        status=ApplicationStatus.RETURNED,
        created_by=cab_admin,
        review_reasons="请补充质量手册",
    )
    draft = Application.objects.create(
        cab=cab, programme=programme("CL"), type=ApplicationType.INITIAL, created_by=cab_admin
    )
    response = client_for(cab_admin).get("/work/")
    panel = next(p for p in response.context["panels"] if p.key == "applications-to-finish")
    assert (panel.count, panel.overdue) == (2, 0)
    assert [row.url for row in panel.rows] == [f"/applications/{returned.pk}/", f"/applications/{draft.pk}/"]
    assertContains(response, "请补充质量手册")
    assertContains(response, f'href="/applications/{returned.pk}/"')
    assertNotContains(response, "acceptance review")
    other = client_for(other_cab_user).get("/work/")
    assertNotContains(other, "APP-R")


def test_panels_with_work_come_first_and_a_provider_is_registered_once(secretariat: User) -> None:
    def provider(user: User) -> list[Panel]:
        return [
            Panel(key="empty", title="An empty queue", count=0, url="/", order=1),
            Panel(key="busy", title="A busy queue", count=3, url="/", order=99),
        ]

    register_panels(provider)
    register_panels(provider)
    try:
        keys = [panel.key for panel in panels_for(secretariat)]
        assert keys.count("busy") == 1
        assert keys.index("busy") < keys.index("empty")
    finally:
        from core import dashboard

        dashboard._providers.remove(provider)


def test_my_work_needs_a_login(client_for) -> None:
    response = client_for(None).get("/work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
