"""The appeal pages: lodged from the decision page, a panel assigned and the outcome recorded by the panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accreditation.models import Accreditation, Decision
from core.models import User
from surveillance.choices import AppealOutcome, AppealStatus
from surveillance.models import Appeal
from surveillance.services_appeals import appeal_assign_panel, appeal_lodge
from tests.surveillance.appeals_helpers import refused_extension, staff

pytestmark = pytest.mark.django_db

APPEAL_LINK = "Appeal this decision"


@pytest.fixture
def team_member() -> User:
    """A decision maker who sat on the assessment team of the decided application."""
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
def appeal(decision: Decision, cab_admin: User) -> Appeal:
    return appeal_lodge(decision=decision, actor=cab_admin, grounds="评审组未考虑我们提交的证据。")


def _decision_page(decision: Decision) -> str:
    return reverse("accreditation:decision_detail", args=[decision.pk])


def test_a_cab_admin_lodges_an_appeal_from_the_decision_page(
    client_for: Any, decision: Decision, cab_admin: User
) -> None:
    client = client_for(cab_admin)
    lodge = reverse("surveillance:appeal_lodge", args=[decision.pk])

    page = client.get(_decision_page(decision)).content.decode()
    assert APPEAL_LINK in page
    assert f'href="{lodge}"' in page

    form = client.get(lodge)
    assert form.status_code == 200
    assert "Grounds of the appeal" in form.content.decode()
    response = client.post(lodge, {"grounds": "评审组未考虑我们提交的 <证据>。"}, follow=True)

    appeal = Appeal.objects.get()
    assert (appeal.decision_id, appeal.lodged_by, appeal.status) == (decision.pk, cab_admin, AppealStatus.LODGED)
    assert response.redirect_chain[-1][0] == reverse("surveillance:appeal_detail", args=[appeal.pk])
    body = response.content.decode()
    assert f"Appeal {appeal.reference} is lodged." in body
    assert "&lt;证据&gt;" in body and "<证据>" not in body


def test_another_cabs_user_and_staff_get_no_appeal_link(
    client_for: Any, decision: Decision, other_cab_user: User, secretariat: User
) -> None:
    other = client_for(other_cab_user)
    refused = other.get(_decision_page(decision))
    assert refused.status_code == 404
    assert APPEAL_LINK not in refused.content.decode()
    assert other.get(reverse("surveillance:appeal_lodge", args=[decision.pk])).status_code == 404
    assert other.post(reverse("surveillance:appeal_lodge", args=[decision.pk]), {"grounds": "理由"}).status_code == 404

    staff_page = client_for(secretariat).get(_decision_page(decision))
    assert staff_page.status_code == 200
    assert APPEAL_LINK not in staff_page.content.decode()
    assert Appeal.objects.count() == 0


def test_the_secretariat_assigns_the_panel_on_the_page(
    client_for: Any, appeal: Appeal, secretariat: User, paula: User
) -> None:
    client = client_for(secretariat)
    detail = reverse("surveillance:appeal_detail", args=[appeal.pk])
    assign = reverse("surveillance:appeal_assign_panel", args=[appeal.pk])
    assert f'href="{assign}"' in client.get(detail).content.decode()

    response = client.post(assign, {"panel": [paula.pk]}, follow=True)

    assert response.redirect_chain[-1][0] == detail
    assert "The panel is assigned." in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UNDER_REVIEW
    assert list(appeal.panel.all()) == [paula]


def test_an_involved_panel_member_is_refused_with_the_message_shown(
    client_for: Any, appeal: Appeal, secretariat: User, team_member: User, paula: User
) -> None:
    response = client_for(secretariat).post(
        reverse("surveillance:appeal_assign_panel", args=[appeal.pk]), {"panel": [paula.pk, team_member.pk]}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "took part in the decision or its assessment and may not hear the appeal." in body
    assert team_member.username in body
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.LODGED
    assert not appeal.panel.exists()


def test_a_panel_member_records_the_outcome_on_the_page(
    client_for: Any, appeal: Appeal, secretariat: User, paula: User, cab_admin: User
) -> None:
    appeal_assign_panel(appeal=appeal, actor=secretariat, panel=[paula])
    detail = reverse("surveillance:appeal_detail", args=[appeal.pk])
    decide = reverse("surveillance:appeal_decide", args=[appeal.pk])
    client = client_for(paula)
    assert f'href="{decide}"' in client.get(detail).content.decode()
    assert f'href="{decide}"' not in client_for(cab_admin).get(detail).content.decode()
    assert client_for(secretariat).get(decide).status_code == 403

    response = client.post(
        decide, {"outcome": AppealOutcome.DISMISSED, "reasons": "决定依据充分，维持原决定。"}, follow=True
    )

    assert response.redirect_chain[-1][0] == detail
    assert "The outcome is recorded." in response.content.decode()
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome, appeal.decided_by) == (
        AppealStatus.DECIDED,
        AppealOutcome.DISMISSED,
        paula,
    )
    assert "决定依据充分，维持原决定。" in response.content.decode()
