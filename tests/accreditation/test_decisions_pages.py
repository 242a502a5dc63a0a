"""The decision pages: the queue, the decision page of an application, a decision's record, and the
application page's decisions and "Decide" button.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
of ``cab``; Erin an assessor who sits on an assessment team here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType, ChangeKind
from accreditation.models import Accreditation, Application, Cab, Decision
from accreditation.services.decisions import decision_record
from assessors.choices import AssessmentStatus, Recommendation
from core.models import User
from core.roles import Role
from tests.accreditation.decisions_helpers import (
    FOOD_ITEM,
    METAL_ITEM,
    accepted_application,
    all_items,
    assessed,
    items_of,
    nothing_changes,
)
from tests.accreditation.factories import UserFactory


def _extension(cab: Cab, accreditation: Accreditation, actor: User, *items: Any) -> Application:
    return accepted_application(
        cab, accreditation.programme, actor, ApplicationType.EXTENSION, accreditation=accreditation, add=items
    )


@pytest.fixture
def ready(cab: Cab, cab_admin: User, secretariat: User, accreditation: Accreditation) -> Application:
    application = _extension(cab, accreditation, cab_admin, FOOD_ITEM, METAL_ITEM)
    food, metal = items_of(application)
    assessed(
        application,
        secretariat,
        team=[UserFactory.create(username="wang")],
        recommendations={food.pk: Recommendation.RECOMMEND, metal.pk: Recommendation.DO_NOT_RECOMMEND},
    )
    return application


def _decide_url(application: Application) -> str:
    return reverse("accreditation:application_decide", args=[application.pk])


# --- The queue ----------------------------------------------------------------------------------


def test_the_queue_lists_ready_applications_oldest_first_without_the_deciders_own_cases(
    client_for: Any,
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    assessor: User,
    accreditation: Accreditation,
) -> None:
    older = _extension(cab, accreditation, cab_admin, FOOD_ITEM)
    newer = _extension(cab, accreditation, cab_admin, METAL_ITEM)
    mine = _extension(cab, accreditation, cab_admin, METAL_ITEM)
    unfinished = _extension(cab, accreditation, cab_admin, METAL_ITEM)
    Application.objects.filter(pk=older.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=9))
    assessed(older, secretariat)
    assessed(newer, secretariat)
    assessed(mine, secretariat, team=[decision_maker])
    assessed(unfinished, secretariat, status=AssessmentStatus.TEAM_CONFIRMED)

    response = client_for(decision_maker).get(reverse("accreditation:decision_queue"))

    assert response.status_code == 200
    assert [application for application, _days in response.context["rows"]] == [older, newer]
    assert [days for _application, days in response.context["rows"]] == [9, 0]
    assert f'href="{_decide_url(older)}"' in response.content.decode()


def test_only_decision_makers_open_the_queue(client_for: Any, secretariat: User) -> None:
    assert client_for(secretariat).get(reverse("accreditation:decision_queue")).status_code == 403


# --- The decision page --------------------------------------------------------------------------


def test_the_decision_page_shows_the_recommendations_and_the_difference_from_the_scope(
    client_for: Any, ready: Application, decision_maker: User
) -> None:
    response = client_for(decision_maker).get(_decide_url(ready))

    assert response.status_code == 200
    assert response.context["can_decide"] is True
    assert [(row.item, row.recommendation) for row in response.context["rows"]] == [
        (items_of(ready)[0], "Recommend"),
        (items_of(ready)[1], "Do not recommend"),
    ]
    assert len(response.context["added"]) == 2
    assert response.context["kept_count"] == 1
    page = response.content.decode()
    assert f'name="item_{items_of(ready)[0].pk}_outcome"' in page
    assert "Record the decision" in page


def test_a_decision_maker_on_the_team_is_told_why_and_offered_no_form(
    client_for: Any, cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = _extension(cab, accreditation, cab_admin, FOOD_ITEM)
    assessed(application, secretariat, team=[decision_maker])

    response = client_for(decision_maker).get(_decide_url(application))

    assert response.status_code == 200
    page = response.content.decode()
    assert "You took part in the assessment of this application." in page
    assert "Record the decision" not in page


def test_a_decision_maker_on_the_team_who_posts_anyway_is_refused_by_the_service(
    client_for: Any, cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = _extension(cab, accreditation, cab_admin, FOOD_ITEM)
    assessed(application, secretariat, team=[decision_maker])
    item = items_of(application)[0]
    client = client_for(decision_maker)

    with nothing_changes():
        response = client.post(_decide_url(application), {"reasons": "认可", f"item_{item.pk}_outcome": "grant"})

    assert response.status_code == 200
    assert "You took part in the assessment of this application, so you may not decide it." in response.content.decode()


def test_an_unfinished_assessment_shows_its_blockers(
    client_for: Any, cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = _extension(cab, accreditation, cab_admin, FOOD_ITEM)
    assessed(application, secretariat, status=AssessmentStatus.REPORTED)

    response = client_for(decision_maker).get(_decide_url(application))

    page = response.content.decode()
    assert "On-site assessment is not completed: Report submitted, findings open." in page
    assert "Record the decision" not in page


def test_granting_through_the_page_records_the_decision_and_shows_it(
    client_for: Any, ready: Application, decision_maker: User, accreditation: Accreditation
) -> None:
    food, metal = items_of(ready)

    response = client_for(decision_maker).post(
        _decide_url(ready),
        {
            "reasons": "评审组建议部分认可",
            f"item_{food.pk}_outcome": "grant",
            f"item_{metal.pk}_outcome": "refuse",
            f"item_{metal.pk}_reason": "无检测经历",
        },
        follow=True,
    )

    decision = Decision.objects.get(application=ready)
    assert response.redirect_chain == [(reverse("accreditation:decision_detail", args=[decision.pk]), 302)]
    page = response.content.decode()
    assert "无检测经历" in page
    assert "<td>Current scope issue</td><td>1</td><td>2</td>" in page
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.DECIDED
    assert [(i.item, i.outcome) for i in decision.items.all()] == [(food, "grant"), (metal, "refuse")]


def test_a_refusal_without_a_reason_is_shown_beside_the_item_and_changes_nothing(
    client_for: Any, ready: Application, decision_maker: User
) -> None:
    food, metal = items_of(ready)
    client = client_for(decision_maker)

    with nothing_changes():
        response = client.post(
            _decide_url(ready),
            {"reasons": "部分认可", f"item_{food.pk}_outcome": "grant", f"item_{metal.pk}_outcome": "refuse"},
        )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"item_{metal.pk}_reason"] == ["Give a reason for refusing or deferring this item."]
    assert form.non_field_errors() == ["Give a reason for each item you refuse or defer; the CAB will read it."]


def test_a_change_notification_is_approved_through_the_page(
    client_for: Any, cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.CHANGE,
        accreditation=accreditation,
        change_kinds=[ChangeKind.ADDRESS],
        proposed_changes={ChangeKind.ADDRESS: {"address_zh": "北京市朝阳区建国路88号"}},
    )
    assessed(application, secretariat)
    page = client_for(decision_maker).get(_decide_url(application)).content.decode()
    assert "北京市朝阳区建国路88号" in page and cab.address_zh in page

    response = client_for(decision_maker).post(_decide_url(application), {"reasons": "材料齐全", "outcome": "grant"})

    assert response.status_code == 302
    cab.refresh_from_db()
    assert cab.address_zh == "北京市朝阳区建国路88号"


# --- The application page and a decision's record -----------------------------------------------


def test_the_application_page_offers_decide_to_an_eligible_decision_maker_only(
    client_for: Any, ready: Application, decision_maker: User, secretariat: User
) -> None:
    url = reverse("accreditation:application_detail", args=[ready.pk])
    on_team = UserFactory.create(username="wang")
    on_team.groups.add(Group.objects.get(name=Role.DECISION_MAKER.value))

    assert f'href="{_decide_url(ready)}"' in client_for(decision_maker).get(url).content.decode()
    assert f'href="{_decide_url(ready)}"' not in client_for(on_team).get(url).content.decode()
    assert f'href="{_decide_url(ready)}"' not in client_for(secretariat).get(url).content.decode()


def test_the_cab_reads_the_decisions_on_its_application(
    client_for: Any, ready: Application, decision_maker: User, cab_admin: User
) -> None:
    decision = decision_record(
        application=ready, actor=decision_maker, reasons="全部认可", items=all_items(ready, "grant")
    )

    detail = client_for(cab_admin).get(reverse("accreditation:application_detail", args=[ready.pk]))
    record = client_for(cab_admin).get(reverse("accreditation:decision_detail", args=[decision.pk]))

    assert reverse("accreditation:decision_detail", args=[decision.pk]) in detail.content.decode()
    assert record.status_code == 200
    page = record.content.decode()
    assert "全部认可" in page
    # The register's pages are for staff: the CAB sees the scope issue named, not linked.
    assert reverse("accreditation:scope_version_detail", args=[decision.scope_version_id]) not in page
    assert Accreditation.objects.get(pk=ready.accreditation_id).status == AccreditationStatus.ACCREDITED  # type: ignore[misc]
