"""The appeals and special-supervision API: the happy paths and each refusal with its stable code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, Decision
from core.models import User
from surveillance.choices import AppealStatus, DrawStatus
from surveillance.models import Appeal, SupervisionDraw
from surveillance.services_appeals import appeal_assign_panel, appeal_lodge
from surveillance.services_draws import draw_publish, draw_run
from tests.accreditation.factories import UserFactory
from tests.surveillance.appeals_helpers import refused_extension, staff

pytestmark = pytest.mark.django_db

APPEALS = reverse("surveillance_api:appeal-list")
DRAWS = reverse("surveillance_api:supervision-draw-list")
PUBLIC_DRAWS = reverse("surveillance_api:public-supervision-draw-list")
RISK = reverse("surveillance_api:risk-table")


@pytest.fixture
def team_member() -> User:
    return staff("tina")


@pytest.fixture
def decision(
    accreditation: Accreditation, cab_admin: User, secretariat: User, decision_maker: User, team_member: User
) -> Decision:
    return refused_extension(
        accreditation, cab_admin=cab_admin, secretariat=secretariat, decider=decision_maker, team_member=team_member
    )


@pytest.fixture
def paula() -> User:
    return staff("paula")


@pytest.fixture
def appeal(decision: Decision, cab_user: User) -> Appeal:
    return appeal_lodge(decision=decision, actor=cab_user, grounds="评审组未考虑我们提交的证据。")


@pytest.fixture
def heard(appeal: Appeal, secretariat: User, paula: User) -> Appeal:
    return appeal_assign_panel(appeal=appeal, actor=secretariat, panel=[paula])


def _url(name: str, pk: int) -> str:
    return reverse(f"surveillance_api:{name}", args=[pk])


def _refused(response: Any) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    return response.status_code, body["code"]


# --- appeals ------------------------------------------------------------------------------------------


def test_a_cab_member_lodges_an_appeal_and_only_its_cab_and_staff_read_it(
    api_for: Any, decision: Decision, cab_user: User, other_cab_user: User, secretariat: User
) -> None:
    response = api_for(cab_user).post(APPEALS, {"decision": decision.pk, "grounds": "证据未被考虑。"}, format="json")

    assert response.status_code == 201
    appeal = Appeal.objects.get()
    body = response.json()
    assert (body["id"], body["reference"], body["status"], body["decision"]) == (
        appeal.pk,
        appeal.reference,
        AppealStatus.LODGED,
        decision.pk,
    )
    assert [a["id"] for a in api_for(cab_user).get(APPEALS).json()["results"]] == [appeal.pk]
    assert [a["id"] for a in api_for(secretariat).get(APPEALS).json()["results"]] == [appeal.pk]
    assert api_for(other_cab_user).get(APPEALS).json()["results"] == []
    assert api_for(other_cab_user).get(_url("appeal-detail", appeal.pk)).status_code == 404
    assert api_for(cab_user).get(_url("appeal-detail", appeal.pk)).json()["grounds"] == "证据未被考虑。"


def test_lodging_refusals_answer_their_codes(
    api_for: Any, decision: Decision, cab_user: User, other_cab_user: User, secretariat: User, settings: Any
) -> None:
    post = lambda user, grounds="理由": api_for(user).post(  # noqa: E731
        APPEALS, {"decision": decision.pk, "grounds": grounds}, format="json"
    )

    assert _refused(post(secretariat)) == (403, "not_cab_member")
    assert post(other_cab_user).status_code == 404
    assert _refused(post(cab_user, "   ")) == (400, "grounds_required")
    settings.APPEAL_WINDOW_DAYS = 30
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - dt.timedelta(days=31))
    closed = post(cab_user)
    assert _refused(closed) == (409, "appeal_window_closed")
    assert "deadline" in closed.json()["detail"]
    assert Appeal.objects.count() == 0
    settings.APPEAL_WINDOW_DAYS = 60
    assert post(cab_user).status_code == 201
    assert _refused(post(cab_user)) == (409, "appeal_running")
    assert Appeal.objects.count() == 1


def test_the_secretariat_assigns_an_uninvolved_panel(
    api_for: Any, appeal: Appeal, secretariat: User, decision_maker: User, team_member: User, paula: User
) -> None:
    url = _url("appeal-assign-panel", appeal.pk)

    assert _refused(api_for(decision_maker).post(url, {"panel": [paula.pk]}, format="json")) == (
        403,
        "not_secretariat",
    )
    involved = api_for(secretariat).post(url, {"panel": [paula.pk, team_member.pk, decision_maker.pk]}, format="json")
    assert _refused(involved) == (403, "panel_member_involved")
    assert involved.json()["detail"]["panel"] == sorted([team_member.pk, decision_maker.pk])
    assert _refused(api_for(secretariat).post(url, {"panel": []}, format="json")) == (400, "panel_required")
    outsider = UserFactory.create(username="olga")
    assert _refused(api_for(secretariat).post(url, {"panel": [outsider.pk]}, format="json")) == (
        400,
        "panel_member_not_staff",
    )
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.LODGED

    response = api_for(secretariat).post(url, {"panel": [paula.pk]}, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["panel"]) == (AppealStatus.UNDER_REVIEW, [paula.pk])


def test_a_panel_member_decides_and_nobody_decides_twice(
    api_for: Any, heard: Appeal, secretariat: User, paula: User
) -> None:
    url = _url("appeal-decide", heard.pk)
    outcome = {"outcome": "upheld", "reasons": "评审未考虑关键证据。"}

    assert _refused(api_for(secretariat).post(url, outcome, format="json")) == (403, "not_on_panel")
    assert _refused(api_for(paula).post(url, {"outcome": "upheld", "reasons": "  "}, format="json")) == (
        400,
        "reasons_required",
    )
    assert _refused(api_for(paula).post(url, {"outcome": "maybe", "reasons": "x"}, format="json")) == (400, "invalid")

    response = api_for(paula).post(url, outcome, format="json")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["outcome"], response.json()["decided_by"]) == (
        AppealStatus.DECIDED,
        "upheld",
        paula.pk,
    )
    assert _refused(api_for(paula).post(url, outcome, format="json")) == (409, "illegal_status_change")


def test_the_cab_withdraws_its_appeal_once(api_for: Any, heard: Appeal, cab_admin: User, secretariat: User) -> None:
    url = _url("appeal-withdraw", heard.pk)

    assert _refused(api_for(secretariat).post(url)) == (403, "not_cab_member")
    response = api_for(cab_admin).post(url)
    assert (response.status_code, response.json()["status"]) == (200, AppealStatus.WITHDRAWN)
    assert _refused(api_for(cab_admin).post(url)) == (409, "illegal_status_change")


# --- special supervision ------------------------------------------------------------------------------


def test_the_risk_table_is_forstaff(
    api_for: Any, accreditation: Accreditation, decision_maker: User, cab_admin: User
) -> None:
    response = api_for(decision_maker).get(RISK)

    assert response.status_code == 200
    body = response.json()
    assert [row["cab"] for row in body["rows"]] == [accreditation.cab_id]
    assert set(body["rows"][0]) == {"cab", "name", "score", "band", "factors"}
    assert body["programme"] is None
    assert api_for(decision_maker).get(RISK, {"programme": "CL"}).json()["programme"] == "CL"
    assert _refused(api_for(decision_maker).get(RISK, {"programme": "NOPE"}))[0] == 400
    assert api_for(cab_admin).get(RISK).status_code == 403


def test_the_secretariat_runs_publishes_and_records_a_draw(
    api_for: Any, accreditation: Accreditation, secretariat: User, decision_maker: User
) -> None:
    run = api_for(secretariat).post(DRAWS, {"body_count": 1, "random_share": 0, "programme": "CL"}, format="json")

    assert run.status_code == 201
    draw = SupervisionDraw.objects.get()
    body = run.json()
    assert (body["id"], body["status"], body["seed"], body["programme"]) == (draw.pk, DrawStatus.DRAFT, draw.seed, "CL")
    assert [b["cab"] for b in body["bodies"]] == [accreditation.cab_id]
    assert body["result"] == draw.result
    assert [d["id"] for d in api_for(decision_maker).get(DRAWS).json()["results"]] == [draw.pk]

    published = api_for(secretariat).post(_url("supervision-draw-publish", draw.pk))
    assert (published.status_code, published.json()["status"]) == (200, DrawStatus.PUBLISHED)
    assert _refused(api_for(secretariat).post(_url("supervision-draw-publish", draw.pk))) == (
        409,
        "illegal_status_change",
    )

    drawn = draw.bodies.get()
    recorded = api_for(secretariat).post(
        _url("drawn-body-outcome", drawn.pk), {"outcome": "未发现问题。"}, format="json"
    )
    assert (recorded.status_code, recorded.json()["outcome"]) == (200, "未发现问题。")


def test_draw_refusals_answer_their_codes(
    api_for: Any, accreditation: Accreditation, secretariat: User, decision_maker: User, cab_admin: User
) -> None:
    post = lambda user, **data: api_for(user).post(DRAWS, {"body_count": 1, "random_share": 0, **data}, format="json")  # noqa: E731

    assert _refused(post(decision_maker)) == (403, "not_secretariat")
    assert _refused(post(cab_admin)) == (403, "not_secretariat")
    assert _refused(post(secretariat, body_count=0)) == (400, "bad_body_count")
    assert _refused(post(secretariat, random_share=101)) == (400, "bad_random_share")
    assert _refused(post(secretariat, inspectors_per_body=11)) == (400, "bad_inspector_count")
    Accreditation.objects.filter(pk=accreditation.pk).update(status="withdrawn")
    assert _refused(post(secretariat)) == (400, "no_candidates")
    assert SupervisionDraw.objects.count() == 0


def test_publish_and_outcome_refusals(
    api_for: Any, accreditation: Accreditation, secretariat: User, decision_maker: User
) -> None:
    draw = draw_run(actor=secretariat, body_count=1, random_share=0)
    drawn = draw.bodies.get()

    assert _refused(api_for(decision_maker).post(_url("supervision-draw-publish", draw.pk))) == (403, "not_secretariat")
    outcome = _url("drawn-body-outcome", drawn.pk)
    assert _refused(api_for(decision_maker).post(outcome, {"outcome": "x"}, format="json")) == (403, "not_secretariat")
    assert _refused(api_for(secretariat).post(outcome, {"outcome": "  "}, format="json")) == (400, "outcome_required")
    assert SupervisionDraw.objects.get(pk=draw.pk).status == DrawStatus.DRAFT


def test_the_public_reads_only_published_draws_with_the_public_fields(
    api_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    draft = draw_run(actor=secretariat, body_count=1, random_share=0)
    published = draw_publish(draw=draw_run(actor=secretariat, body_count=1, random_share=0), actor=secretariat)

    listed = api_for(None).get(PUBLIC_DRAWS)

    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["id"] for row in rows] == [published.pk]
    assert set(rows[0]) == {"id", "reference", "published_at", "seed", "bodies"}
    assert rows[0]["bodies"] == [
        {"position": 1, "cab_name": accreditation.cab.name_zh, "inspectors": [], "outcome": ""}
    ]
    assert api_for(None).get(_url("public-supervision-draw-detail", draft.pk)).status_code == 404
    assert api_for(None).get(_url("public-supervision-draw-detail", published.pk)).json()["seed"] == published.seed
    # The staff endpoints tell the public nothing.
    assert api_for(None).get(DRAWS).status_code == 401
