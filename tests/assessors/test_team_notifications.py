"""Who hears of each team step: the members of a confirmed team, the CAB, and the secretariat."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from accreditation.models import Accreditation, Application, Cab
from assessors.models_teams import Assessment, TeamMember
from assessors.services_teams import (
    team_confirm,
    team_member_decline,
    team_member_object,
    team_objection_rule,
    team_propose,
)
from core.models import Notification, User
from core.notifications import render
from tests.assessors.teams_helpers import Pool, accepted_extension, plan, pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cab: Cab, secretariat: User) -> Pool:
    return pool(cab, secretariat)


@pytest.fixture
def confirmed(cab: Cab, accreditation: Accreditation, cab_user: User, people: Pool, secretariat: User) -> Assessment:
    application: Application = accepted_extension(cab, accreditation, cab_user)
    assessment = plan(application, secretariat)
    team_propose(assessment=assessment, actor=secretariat)
    return team_confirm(assessment=assessment, actor=secretariat)


def kinds_of(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_confirming_the_team_tells_each_member_and_the_cab(
    django_capture_on_commit_callbacks,
    cab: Cab,
    accreditation: Accreditation,
    cab_user: User,
    people: Pool,
    secretariat: User,
) -> None:
    assessment = plan(accepted_extension(cab, accreditation, cab_user), secretariat)
    team_propose(assessment=assessment, actor=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        team_confirm(assessment=assessment, actor=secretariat)
    members = list(TeamMember.objects.filter(assessment=assessment).select_related("user"))
    assert members
    for member in members:
        assert kinds_of(member.user) == ["team.place_offered"]
    assert kinds_of(cab_user) == ["team.confirmed"]
    _, body = render(Notification.objects.get(recipient=cab_user))
    assert "王芳" in body and "Lead assessor" in body
    assert kinds_of(secretariat) == []
    assert {message.to[0] for message in mail.outbox} >= {cab_user.email, *(m.user.email for m in members)}


def test_a_declined_place_and_an_objection_reach_the_secretariat(
    confirmed: Assessment, people: Pool, cab_user: User, secretariat: User
) -> None:
    lead = TeamMember.objects.get(assessment=confirmed, user=people.wang.user)
    team_member_decline(member=lead, actor=people.wang.user, reason="出差")
    other = TeamMember.objects.exclude(pk=lead.pk).get(assessment=confirmed)
    team_member_object(member=other, actor=cab_user, reason="曾为本机构提供咨询")
    assert kinds_of(secretariat) == ["team.place_declined", "team.member_objected"]
    _, body = render(Notification.objects.get(recipient=secretariat, kind="team.member_objected"))
    assert "曾为本机构提供咨询" in body


@pytest.mark.parametrize(("uphold", "kind"), [(True, "team.objection_upheld"), (False, "team.objection_dismissed")])
def test_the_ruling_reaches_the_cab_and_the_member_concerned(
    confirmed: Assessment, people: Pool, cab_user: User, secretariat: User, uphold: bool, kind: str
) -> None:
    member = TeamMember.objects.filter(assessment=confirmed).exclude(user=people.wang.user).get()
    team_member_object(member=member, actor=cab_user, reason="利益冲突")
    team_objection_rule(member=member, actor=secretariat, uphold=uphold, reason="已核实")
    assert kinds_of(cab_user)[-1] == kind
    assert kinds_of(member.user)[-1] == kind
    assert kind not in kinds_of(secretariat)
