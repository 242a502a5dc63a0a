"""Remote and hybrid assessments (IAF MD 4): the ICT details and the live sessions, as services and pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentKind
from assessors.models_teams import RemoteSession
from assessors.services_reports import assessment_remote_details_update, remote_session_add, remote_session_remove
from core.errors import DomainError
from core.models import AuditEvent, User
from tests.assessors.reports_helpers import Team, nothing_changes, team_ready

pytestmark = pytest.mark.django_db

STARTS = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 0))


@pytest.fixture
def team(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Team:
    return team_ready(cab, accreditation, secretariat, cab_user)


def session(team: Team, actor: User, **overrides: Any) -> RemoteSession:
    values: dict[str, Any] = {
        "starts_at": STARTS,
        "ends_at": STARTS + dt.timedelta(hours=2),
        "topic": "见证酸价检测",
        "participants": "王芳, 评审组长\n刘洋, 质量负责人",
        "ict": "腾讯会议",
        **overrides,
    }
    return remote_session_add(assessment=team.assessment, actor=actor, **values)


def test_the_lead_assessor_records_the_ict_details(team: Team) -> None:
    assessment = assessment_remote_details_update(
        assessment=team.assessment,
        actor=team.lead,
        ict_tools=" 腾讯会议；共享文件夹 ",
        ict_tested_on=dt.date(2026, 12, 1),
        ict_security="不录像；文件评审后删除",
    )

    assessment.refresh_from_db()
    assert (assessment.ict_tools, assessment.ict_tested_on) == ("腾讯会议；共享文件夹", dt.date(2026, 12, 1))
    event = AuditEvent.objects.get(event_type="assessment.remote_details_updated")
    assert (event.actor, event.old_values["ict_tools"], event.new_values["ict_tested_on"]) == (
        team.lead,
        "",
        "2026-12-01",
    )


def test_the_secretariat_records_them_too_but_not_another_team_member(team: Team, secretariat: User) -> None:
    assessment_remote_details_update(assessment=team.assessment, actor=secretariat, ict_tools="Zoom")
    with nothing_changes(), pytest.raises(DomainError) as caught:
        assessment_remote_details_update(assessment=team.assessment, actor=team.member, ict_tools="Teams")
    assert caught.value.code == "not_lead_assessor"


def test_an_on_site_assessment_has_no_ict_details_or_sessions(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    on_site = team_ready(cab, accreditation, secretariat, cab_user, kind=AssessmentKind.ON_SITE)
    with nothing_changes(), pytest.raises(DomainError) as caught:
        assessment_remote_details_update(assessment=on_site.assessment, actor=secretariat, ict_tools="Zoom")
    assert caught.value.code == "not_remote"
    with nothing_changes(), pytest.raises(DomainError) as caught:
        session(on_site, on_site.member)
    assert caught.value.code == "not_remote"


def test_a_team_member_records_and_removes_a_session(team: Team) -> None:
    recorded = session(team, team.member)

    assert (recorded.topic, recorded.created_by, recorded.ict) == ("见证酸价检测", team.member, "腾讯会议")
    remote_session_remove(session=recorded, actor=team.lead)
    assert not RemoteSession.objects.exists()
    assert list(
        AuditEvent.objects.filter(event_type__startswith="remote_session.")
        .order_by("id")
        .values_list("event_type", flat=True)
    ) == ["remote_session.added", "remote_session.removed"]


def test_a_session_ends_after_it_starts_and_says_who_took_part(team: Team, cab_user: User) -> None:
    for overrides, code in (
        ({"ends_at": STARTS}, "invalid_period"),
        ({"participants": "  "}, "invalid"),
        # Found by the API fuzzer: the year 766 was stored, then answered with an offset of +08:05:43.
        ({"starts_at": STARTS.replace(year=766)}, "invalid_period"),
        ({"ends_at": STARTS.replace(year=2474)}, "invalid_period"),
    ):
        with nothing_changes(), pytest.raises(DomainError) as caught:
            session(team, team.member, **overrides)
        assert caught.value.code == code
    with nothing_changes(), pytest.raises(DomainError) as caught:
        session(team, cab_user)
    assert caught.value.code == "not_team_member"


# --- pages ----------------------------------------------------------------------------------------


def test_the_assessment_page_shows_the_ict_details_and_sessions(team: Team, client_for: Any, cab_user: User) -> None:
    assessment_remote_details_update(assessment=team.assessment, actor=team.lead, ict_tools="腾讯会议")
    session(team, team.member)

    page = client_for(cab_user).get(reverse("assessors:assessment_detail", args=[team.assessment.pk]))

    body = page.content.decode()
    assert "Remote assessment (IAF MD 4)" in body and "腾讯会议" in body and "见证酸价检测" in body
    assert reverse("assessors:remote_details_edit", args=[team.assessment.pk]) not in body
    lead_page = client_for(team.lead).get(reverse("assessors:assessment_detail", args=[team.assessment.pk]))
    assert reverse("assessors:remote_details_edit", args=[team.assessment.pk]) in lead_page.content.decode()


def test_the_lead_edits_the_ict_details_in_the_browser(team: Team, client_for: Any) -> None:
    response = client_for(team.lead).post(
        reverse("assessors:remote_details_edit", args=[team.assessment.pk]),
        {"ict_tools": "腾讯会议", "ict_tested_on": "2026-12-01", "ict_security": "不录像"},
    )

    assert response.status_code == 302
    team.assessment.refresh_from_db()
    assert (team.assessment.ict_tools, team.assessment.ict_security) == ("腾讯会议", "不录像")


def test_a_member_records_a_session_in_the_browser_and_a_bad_period_is_explained(team: Team, client_for: Any) -> None:
    url = reverse("assessors:remote_session_add", args=[team.assessment.pk])
    data = {
        "starts_at": "2026-12-07T09:00",
        "ends_at": "2026-12-07T08:00",
        "topic": "文件评审",
        "participants": "李娜, 评审员",
    }
    refused = client_for(team.member).post(url, data)
    assert refused.status_code == 200
    assert "The session must end after it starts." in refused.content.decode()

    accepted = client_for(team.member).post(url, {**data, "ends_at": "2026-12-07T11:00"})

    assert accepted.status_code == 302
    assert RemoteSession.objects.get().topic == "文件评审"
    removed = client_for(team.member).post(
        reverse("assessors:remote_session_remove", args=[RemoteSession.objects.get().pk])
    )
    assert removed.status_code == 302 and not RemoteSession.objects.exists()
