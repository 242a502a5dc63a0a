"""Each application type from the CAB's draft to its effect on the register, through the pages and through the API.

The same steps run on two channels: a ``Pages`` channel posts the forms each person sees, an
``Api`` channel calls the endpoints with each person's token. An initial application ends with an
accreditation number and a published scope; an extension adds its item; a voluntary reduction
(decided on its documents) removes one; a renewal keeps the current item, adds a new one and
starts a new cycle; a change notification updates the CAB's record. The assessments here find
nothing; the journey with a nonconformity and its corrective action is ``test_workflow_journey``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import REQUIRED_DOCUMENTS, ApplicationStatus, ApplicationType, checklist_for
from accreditation.models import Accreditation, Application, Cab, ScopeVersion
from assessors.choices import AssessmentStatus
from assessors.models_reports import AssessmentReport
from assessors.models_teams import Assessment, TeamMember
from core.audit import seal_pending_events, verify_chain
from core.dates import add_months
from core.models import User
from tests.accreditation.applications_helpers import PDF, media
from tests.assessors.teams_helpers import FOOD_ITEM, Pool, pool
from tests.conftest import LAB_ITEM

__all__ = ["media"]

pytestmark = pytest.mark.django_db

START, END = "2026-12-07", "2026-12-08"
NEW_ADDRESS = "北京市海淀区学院路35号"


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media


@dataclass
class People:
    secretariat: User
    decider: User
    lead: User


class Channel(Protocol):
    def create(self, user: User, cab: Cab, kind: str, changes: dict[str, Any] | None = None) -> int: ...
    def add_item(
        self, user: User, application: int, *, attributes: dict[str, str] | None = None, key: str = ""
    ) -> int: ...
    def submit(self, user: User, application: int, kind: str) -> None: ...
    def accept(self, user: User, application: int, kind: str) -> None: ...
    def plan(self, user: User, application: int, items: list[int], lead: User) -> int: ...
    def report(self, lead: User, assessment: int, items: list[int]) -> None: ...
    def decide(self, user: User, application: int, items: list[int]) -> None: ...


def _ok(response: Any) -> Any:
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


class Pages:
    """Each person in their own browser session, posting the forms the pages show."""

    def __init__(self, client_for: Any) -> None:
        self.client_for = client_for
        self.clients: dict[int, Any] = {}

    def _as(self, user: User) -> Any:
        if user.pk not in self.clients:
            self.clients[user.pk] = self.client_for(user)
        return self.clients[user.pk]

    def create(self, user: User, cab: Cab, kind: str, changes: dict[str, Any] | None = None) -> int:
        client = self._as(user)
        _ok(client.post(reverse("accreditation:application_create"), {"cab": cab.pk, "programme": "CL", "type": kind}))
        application = Application.objects.filter(cab=cab).latest("pk").pk
        if changes:
            fields = {"note": "", "change_kinds": list(changes)}
            for change_kind, values in changes.items():
                fields.update({f"{change_kind}__{name}": value for name, value in values.items()})
            _ok(client.post(reverse("accreditation:application_update", args=[application]), fields))
        return application

    def add_item(self, user: User, application: int, *, attributes: dict[str, str] | None = None, key: str = "") -> int:
        _ok(
            self._as(user).post(
                reverse("accreditation:application_item_add", args=[application]), attributes or {"key": key}
            )
        )
        return Application.objects.get(pk=application).items.latest("pk").pk

    def submit(self, user: User, application: int, kind: str) -> None:
        client = self._as(user)
        for document in REQUIRED_DOCUMENTS[kind]:
            _ok(
                client.post(
                    reverse("accreditation:application_document_add", args=[application]),
                    {"kind": document, "file": SimpleUploadedFile(f"{document}.pdf", PDF)},
                )
            )
        _ok(client.post(reverse("accreditation:application_submit", args=[application])))

    def accept(self, user: User, application: int, kind: str) -> None:
        checklist = [key for key, _question in checklist_for(kind)]
        _ok(
            self._as(user).post(
                reverse("accreditation:application_review", args=[application]),
                {"outcome": "accept", "checklist": checklist},
            )
        )

    def plan(self, user: User, application: int, items: list[int], lead: User) -> int:
        client = self._as(user)
        _ok(
            client.post(
                reverse("assessors:assessment_create", args=[application]),
                {"kind": "on_site", "planned_start": START, "planned_end": END, "scope_items": items},
            )
        )
        assessment = Assessment.objects.get(application_id=application).pk
        _ok(
            client.post(
                reverse("assessors:team_member_add", args=[assessment]), {"user": lead.pk, "role": "lead_assessor"}
            )
        )
        _ok(client.post(reverse("assessors:team_confirm", args=[assessment])))
        member = TeamMember.objects.get(assessment_id=assessment, user=lead).pk
        _ok(self._as(lead).post(reverse("assessors:team_member_accept", args=[member])))
        return assessment

    def report(self, lead: User, assessment: int, items: list[int]) -> None:
        client = self._as(lead)
        _ok(client.post(reverse("assessors:report_start", args=[assessment])))
        report = AssessmentReport.objects.get(assessment_id=assessment).pk
        for item in items:
            _ok(
                client.post(
                    reverse("assessors:report_recommendation", args=[report, item]), {"recommendation": "recommend"}
                )
            )
        _ok(client.post(reverse("assessors:report_submit", args=[report])))

    def decide(self, user: User, application: int, items: list[int]) -> None:
        fields: dict[str, Any] = {"reasons": "评定通过。"}
        if items:
            fields.update({f"item_{item}_outcome": "grant" for item in items})
        else:
            fields["outcome"] = "grant"
        _ok(self._as(user).post(reverse("accreditation:application_decide", args=[application]), fields))


def _body(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content.decode()[:3000]
    return response.json()


class Api:
    """Each person with their own token, calling the endpoints."""

    def __init__(self, api_for: Any) -> None:
        self.api_for = api_for

    def create(self, user: User, cab: Cab, kind: str, changes: dict[str, Any] | None = None) -> int:
        payload: dict[str, Any] = {"cab": cab.pk, "programme": "CL", "type": kind}
        if changes:
            payload.update(change_kinds=list(changes), proposed_changes=changes)
        return int(_body(self.api_for(user).post("/api/applications/", payload, format="json"), 201)["id"])

    def add_item(self, user: User, application: int, *, attributes: dict[str, str] | None = None, key: str = "") -> int:
        payload: dict[str, Any] = {"application": application}
        if attributes:
            payload["attributes"] = attributes
        else:
            payload["key"] = key
        return int(_body(self.api_for(user).post("/api/application-items/", payload, format="json"), 201)["id"])

    def submit(self, user: User, application: int, kind: str) -> None:
        client = self.api_for(user)
        for document in REQUIRED_DOCUMENTS[kind]:
            _body(
                client.post(
                    "/api/application-documents/",
                    {
                        "application": application,
                        "kind": document,
                        "file": SimpleUploadedFile(f"{document}.pdf", PDF),
                    },
                    format="multipart",
                ),
                201,
            )
        _body(client.post(f"/api/applications/{application}/submit/"), 200)

    def accept(self, user: User, application: int, kind: str) -> None:
        checklist = [key for key, _question in checklist_for(kind)]
        _body(
            self.api_for(user).post(
                f"/api/applications/{application}/accept/", {"checklist": checklist}, format="json"
            ),
            200,
        )

    def plan(self, user: User, application: int, items: list[int], lead: User) -> int:
        client = self.api_for(user)
        assessment = _body(
            client.post(
                "/api/assessments/",
                {
                    "application": application,
                    "kind": "on_site",
                    "planned_start": START,
                    "planned_end": END,
                    "scope_items": items,
                },
                format="json",
            ),
            201,
        )["id"]
        member = _body(
            client.post(
                "/api/team-members/",
                {"assessment": assessment, "user": lead.pk, "role": "lead_assessor"},
                format="json",
            ),
            201,
        )["id"]
        _body(client.post(f"/api/assessments/{assessment}/confirm-team/"), 200)
        _body(self.api_for(lead).post(f"/api/team-members/{member}/accept/"), 200)
        return int(assessment)

    def report(self, lead: User, assessment: int, items: list[int]) -> None:
        client = self.api_for(lead)
        report = _body(client.post("/api/reports/", {"assessment": assessment}, format="json"), 201)["id"]
        for item in items:
            _body(
                client.post(
                    f"/api/reports/{report}/recommendations/",
                    {"item": item, "recommendation": "recommend"},
                    format="json",
                ),
                200,
            )
        _body(client.post(f"/api/reports/{report}/submit/"), 200)

    def decide(self, user: User, application: int, items: list[int]) -> None:
        payload: dict[str, Any] = {"reasons": "评定通过。"}
        if items:
            payload["items"] = [{"item": item, "outcome": "grant"} for item in items]
        else:
            payload["outcome"] = "grant"
        _body(self.api_for(user).post(f"/api/applications/{application}/decide/", payload, format="json"), 201)


@pytest.fixture(params=["pages", "api"])
def channel(request: pytest.FixtureRequest, client_for: Any, api_for: Any) -> Channel:
    return Pages(client_for) if request.param == "pages" else Api(api_for)


@pytest.fixture
def people(cab: Cab, secretariat: User, decision_maker: User) -> People:
    team: Pool = pool(cab, secretariat)
    return People(secretariat=secretariat, decider=decision_maker, lead=team.wang.user)


def assessed_and_decided(channel: Channel, people: People, application: int, items: list[int]) -> None:
    """Accepted → an on-site assessment by the lead with nothing found → the decision maker grants everything."""
    assessment = channel.plan(people.secretariat, application, items, people.lead)
    channel.report(people.lead, assessment, items)
    assert Assessment.objects.get(pk=assessment).status == AssessmentStatus.COMPLETED
    channel.decide(people.decider, application, items)


def finish(application: int) -> Application:
    found = Application.objects.get(pk=application)
    assert found.status == ApplicationStatus.DECIDED
    seal_pending_events()  # as after the commits (the test's transaction never commits)
    assert verify_chain().ok
    return found


def scope_parameters(accreditation: Accreditation) -> list[str]:
    accreditation.refresh_from_db()
    scope: ScopeVersion | None = accreditation.current_scope
    assert scope is not None
    return sorted(item.attributes["parameter"] for item in scope.items.all())


def test_initial_accreditation(
    channel: Channel, people: People, other_cab: Cab, other_cab_user: User, client_for: Any
) -> None:
    application = channel.create(other_cab_user, other_cab, ApplicationType.INITIAL)
    item = channel.add_item(other_cab_user, application, attributes=FOOD_ITEM)
    channel.submit(other_cab_user, application, ApplicationType.INITIAL)
    channel.accept(people.secretariat, application, ApplicationType.INITIAL)
    assessed_and_decided(channel, people, application, [item])

    accreditation = finish(application).accreditation
    assert accreditation is not None
    assert accreditation.status == AccreditationStatus.ACCREDITED
    assert (accreditation.number or "").startswith("CNAS L")
    assert accreditation.cycle_start == timezone.localdate()
    assert scope_parameters(accreditation) == ["过氧化值"]
    public = client_for(None).get(reverse("accreditation:directory_cab", args=[other_cab.pk])).content.decode()
    assert accreditation.number in public and "过氧化值" in public


def test_scope_extension(
    channel: Channel, people: People, cab: Cab, cab_admin: User, accreditation: Accreditation, published_scope: Any
) -> None:
    application = channel.create(cab_admin, cab, ApplicationType.EXTENSION)
    item = channel.add_item(cab_admin, application, attributes=FOOD_ITEM)
    channel.submit(cab_admin, application, ApplicationType.EXTENSION)
    channel.accept(people.secretariat, application, ApplicationType.EXTENSION)
    assessed_and_decided(channel, people, application, [item])

    finish(application)
    assert scope_parameters(accreditation) == sorted([LAB_ITEM["parameter"], "过氧化值"])


def test_voluntary_scope_reduction_is_decided_on_its_documents(
    channel: Channel, people: People, cab: Cab, cab_admin: User, accreditation: Accreditation, published_scope: Any
) -> None:
    extra = {**LAB_ITEM, "parameter": "过氧化值", "method": "GB 5009.227-2016"}
    scope_key = _add_published_item(accreditation, people.secretariat, extra)
    application = channel.create(cab_admin, cab, ApplicationType.REDUCTION)
    item = channel.add_item(cab_admin, application, key=scope_key)
    channel.submit(cab_admin, application, ApplicationType.REDUCTION)
    channel.accept(people.secretariat, application, ApplicationType.REDUCTION)
    channel.decide(people.decider, application, [item])

    finish(application)
    assert scope_parameters(accreditation) == [LAB_ITEM["parameter"]]


def test_renewal_keeps_adds_and_starts_a_new_cycle(
    channel: Channel, people: People, cab: Cab, cab_admin: User, accreditation: Accreditation, published_scope: Any
) -> None:
    current_key = str(published_scope.items.get().key)
    application = channel.create(cab_admin, cab, ApplicationType.RENEWAL)
    kept = channel.add_item(cab_admin, application, key=current_key)
    added = channel.add_item(cab_admin, application, attributes=FOOD_ITEM)
    channel.submit(cab_admin, application, ApplicationType.RENEWAL)
    channel.accept(people.secretariat, application, ApplicationType.RENEWAL)
    assessed_and_decided(channel, people, application, [kept, added])

    finish(application)
    today = timezone.localdate()
    assert (accreditation.cycle_start, accreditation.cycle_end) == (today, add_months(today, 72) - dt.timedelta(days=1))
    assert scope_parameters(accreditation) == sorted([LAB_ITEM["parameter"], "过氧化值"])


def test_change_notification_updates_the_register(
    channel: Channel, people: People, cab: Cab, cab_admin: User, accreditation: Accreditation, client_for: Any
) -> None:
    changes = {"address": {"address_zh": NEW_ADDRESS}}
    application = channel.create(cab_admin, cab, ApplicationType.CHANGE, changes)
    channel.submit(cab_admin, application, ApplicationType.CHANGE)
    channel.accept(people.secretariat, application, ApplicationType.CHANGE)
    channel.decide(people.decider, application, [])

    finish(application)
    cab.refresh_from_db()
    assert cab.address_zh == NEW_ADDRESS
    register = client_for(people.secretariat).get(reverse("accreditation:cab_detail", args=[cab.pk]))
    assert NEW_ADDRESS in register.content.decode()


def _add_published_item(accreditation: Accreditation, secretariat: User, attributes: dict[str, str]) -> str:
    """A second item in the published scope, through the scope services, so that one can be given up."""
    from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish

    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    item = scope_item_add(version=draft, actor=secretariat, attributes=attributes)
    scope_version_publish(version=draft, actor=secretariat, reason="扩项")
    return str(item.key)
