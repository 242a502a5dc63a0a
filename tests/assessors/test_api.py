"""The assessors API: reads through the selectors, writes through the services, refusals as {code, message, detail}."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import Cab
from assessors.models import AssessorProfile, Unavailability
from core.models import User
from tests.assessors.factories import (
    D,
    assessor_user,
    code,
    competence,
    conflict,
    nothing_changes,
    profile_for,
    qualification,
    unavailable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(assessor: User) -> AssessorProfile:
    return profile_for(assessor)


def test_an_assessor_lists_only_themself(api_for, erin: AssessorProfile) -> None:
    profile_for(assessor_user("frank"))
    body = api_for(erin.user).get("/api/assessors/").json()
    assert [row["id"] for row in body["results"]] == [erin.pk]
    assert body["results"][0]["user"]["username"] == "erin"


def test_the_assessor_list_takes_a_fixed_number_of_queries(api_for, secretariat: User) -> None:
    for n in range(5):
        profile_for(assessor_user(f"assessor{n}"))
    client = api_for(secretariat)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/assessors/")
    assert response.json()["count"] == 5
    assert len(queries) == 3  # the user's roles, the count, the page (users joined)


def test_competence_codes_filter_by_programme(api_for, cab_user: User) -> None:
    body = api_for(cab_user).get("/api/competence-codes/", {"programme": "ML"}).json()
    assert [row["code"] for row in body["results"]] == [f"ML-0{n}" for n in range(1, 8)]
    assert body["results"][0] == {
        "id": code("ML", "ML-01").pk,
        "programme": "ML",
        "code": "ML-01",
        "name_zh": "临床化学",
        "name_en": "Clinical chemistry",
        "is_active": True,
    }


def test_an_assessor_requests_a_qualification_and_the_secretariat_approves_it(
    api_for, erin: AssessorProfile, secretariat: User
) -> None:
    created = api_for(erin.user).post(
        "/api/qualifications/",
        {"assessor": erin.pk, "programme": "PRD", "role": "technical_expert", "valid_from": "2026-03-01"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["status"] == "requested"
    approved = api_for(secretariat).post(f"/api/qualifications/{created.json()['id']}/approve/", {}, format="json")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", secretariat.pk)


def test_an_assessor_approving_their_own_request_gets_403_with_the_code(api_for, erin: AssessorProfile) -> None:
    pending = qualification(erin)
    with nothing_changes():
        response = api_for(erin.user).post(f"/api/qualifications/{pending.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_secretariat",
        "message": "Only the secretariat may make this change.",
        "detail": None,
    }


def test_deciding_twice_answers_409(api_for, erin: AssessorProfile, secretariat: User) -> None:
    approved = qualification(erin, approved_by=secretariat)
    with nothing_changes():
        response = api_for(secretariat).post(
            f"/api/qualifications/{approved.pk}/reject/", {"reason": "r"}, format="json"
        )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_status_change"


def test_a_competence_is_requested_rejected_with_a_reason_and_listed(
    api_for, erin: AssessorProfile, secretariat: User
) -> None:
    created = api_for(erin.user).post(
        "/api/competences/", {"assessor": erin.pk, "code": code("CL", "CL-05").pk}, format="json"
    )
    assert created.status_code == 201
    rejected = api_for(secretariat).post(
        f"/api/competences/{created.json()['id']}/reject/", {"reason": "缺少化学分析经历"}, format="json"
    )
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "缺少化学分析经历")
    listed = api_for(erin.user).get("/api/competences/", {"programme": "CL"}).json()["results"]
    assert [(row["code_label"], row["status"]) for row in listed] == [("CL-05", "rejected")]


def test_an_assessor_cannot_file_for_someone_else_through_the_api(api_for, erin: AssessorProfile) -> None:
    frank = profile_for(assessor_user("frank"))
    with nothing_changes():
        response = api_for(erin.user).post(
            "/api/unavailability/", {"assessor": frank.pk, "start": "2026-01-01", "end": "2026-01-02"}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["detail"]) == ["assessor"]


def test_an_overlapping_period_is_refused_with_its_code(api_for, erin: AssessorProfile) -> None:
    unavailable(erin, D(2026, 8, 1), D(2026, 8, 10))
    with nothing_changes():
        response = api_for(erin.user).post(
            "/api/unavailability/", {"assessor": erin.pk, "start": "2026-08-10", "end": "2026-08-11"}, format="json"
        )
    assert response.status_code == 409
    assert response.json()["code"] == "overlapping_unavailability"


def test_an_end_before_the_start_is_an_invalid_period(api_for, erin: AssessorProfile) -> None:
    response = api_for(erin.user).post(
        "/api/unavailability/", {"assessor": erin.pk, "start": "2026-08-10", "end": "2026-08-01"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_period")
    assert not Unavailability.objects.exists()


def test_a_conflict_is_declared_and_ended(api_for, erin: AssessorProfile, cab: Cab) -> None:
    client = api_for(erin.user)
    created = client.post(
        "/api/conflicts/",
        {"assessor": erin.pk, "cab": cab.pk, "kind": "financial_ties", "started_on": "2021-05-01"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["cab_name"] == "Beijing Precise Testing Co., Ltd."
    ended = client.post(f"/api/conflicts/{created.json()['id']}/end/", {"ended_on": "2024-05-01"}, format="json")
    assert ended.json()["ended_on"] == "2024-05-01"
    again = client.post(f"/api/conflicts/{created.json()['id']}/end/", {"ended_on": "2024-06-01"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "conflict_already_ended")


def test_a_cab_user_sees_no_conflicts_declared_against_their_cab(
    api_for, erin: AssessorProfile, cab: Cab, cab_admin: User
) -> None:
    conflict(erin, cab)
    assert api_for(cab_admin).get("/api/conflicts/").json()["count"] == 0


def test_a_pending_competence_is_deleted_by_its_assessor(api_for, erin: AssessorProfile) -> None:
    pending = competence(erin, code("CL", "CL-01"))
    assert api_for(erin.user).delete(f"/api/competences/{pending.pk}/").status_code == 204
    assert not erin.competences.exists()


def test_training_records_are_added_and_removed(api_for, erin: AssessorProfile) -> None:
    client = api_for(erin.user)
    created = client.post(
        "/api/training-records/",
        {"assessor": erin.pk, "title": "见证评审实务", "provider": "CNAS", "date": "2025-10-01", "hours": "12.5"},
        format="json",
    )
    assert created.json()["hours"] == "12.5"
    assert client.delete(f"/api/training-records/{created.json()['id']}/").status_code == 204
    assert not erin.training_records.exists()
