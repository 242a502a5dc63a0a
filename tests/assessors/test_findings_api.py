"""The findings and corrective-actions API: a round trip, the filters, the refusals and the close after the deadline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentStatus, FindingStatus, ReportStatus
from assessors.models_reports import Finding
from assessors.models_teams import Assessment
from core.models import User
from tests.assessors.findings_helpers import (
    ANSWER,
    PDF,
    Reported,
    answer,
    finding,
    in_days,
    nothing_changes,
    report,
    reported,
)

pytestmark = pytest.mark.django_db

FINDINGS = "/api/findings/"
ANSWERS = "/api/corrective-actions/"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Reported:
    return reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user)


def test_a_round_trip_answer_with_a_file_review_and_completion(
    case: Reported, cab_user: User, api_for: Any, media: Path
) -> None:
    Finding.objects.filter(pk=case.major.pk).update(status=FindingStatus.CLOSED)

    answered = api_for(cab_user).post(
        f"{FINDINGS}{case.nc.pk}/answer/",
        {**ANSWER, "files": [SimpleUploadedFile("记录.pdf", PDF)]},
        format="multipart",
    )

    assert answered.status_code == 201, answered.json()
    body = answered.json()
    assert (body["status"], body["is_late"], body["finding"], body["submitted_by"]) == (
        "submitted",
        False,
        case.nc.pk,
        str(cab_user),
    )
    assert [(a["label"], a["size"]) for a in body["attachments"]] == [("记录.pdf", len(PDF))]
    download = api_for(case.lead).get(body["attachments"][0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    waiting = api_for(case.lead).get(FINDINGS, {"status": "answered"}).json()["results"]
    assert [f["number"] for f in waiting] == [1]
    assert waiting[0]["corrective_actions"][0]["id"] == body["id"]

    accepted = api_for(case.lead).post(f"{ANSWERS}{body['id']}/accept/", {"comment": "整改有效"}, format="json")

    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["review_comment"]) == ("accepted", "整改有效")
    detail = api_for(cab_user).get(f"{FINDINGS}{case.nc.pk}/").json()
    assert detail["status"] == "closed"
    assert Assessment.objects.get(pk=case.assessment.pk).status == AssessmentStatus.COMPLETED


def test_an_answer_in_json_without_files_is_accepted(case: Reported, cab_user: User, api_for: Any) -> None:
    response = api_for(cab_user).post(f"{FINDINGS}{case.nc.pk}/answer/", ANSWER, format="json")

    assert response.status_code == 201
    assert response.json()["attachments"] == []


def test_answering_twice_answers_409(case: Reported, cab_user: User, api_for: Any) -> None:
    api_for(cab_user).post(f"{FINDINGS}{case.nc.pk}/answer/", ANSWER, format="json")

    with nothing_changes():
        response = api_for(cab_user).post(f"{FINDINGS}{case.nc.pk}/answer/", ANSWER, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "already_answered"


def test_an_observation_answers_400(case: Reported, cab_user: User, api_for: Any) -> None:
    response = api_for(cab_user).post(f"{FINDINGS}{case.observation.pk}/answer/", ANSWER, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "not_a_nonconformity")


def test_rejecting_without_a_comment_answers_400_and_the_cab_may_not_review(
    case: Reported, cab_user: User, api_for: Any
) -> None:
    corrective_action = answer(case.nc, cab_user)

    with nothing_changes():
        bare = api_for(case.lead).post(f"{ANSWERS}{corrective_action.pk}/reject/", {}, format="json")
        by_cab = api_for(cab_user).post(f"{ANSWERS}{corrective_action.pk}/accept/", {}, format="json")
        by_lead = api_for(case.lead).post(f"{FINDINGS}{case.major.pk}/answer/", ANSWER, format="json")

    assert (bare.status_code, bare.json()["code"]) == (400, "comment_required")
    assert (by_cab.status_code, by_cab.json()["code"]) == (403, "not_on_team")
    assert (by_lead.status_code, by_lead.json()["code"]) == (403, "not_cab_member")


def test_a_rejection_reopens_the_finding_with_the_comment(case: Reported, cab_user: User, api_for: Any) -> None:
    corrective_action = answer(case.nc, cab_user)

    response = api_for(case.colleague).post(
        f"{ANSWERS}{corrective_action.pk}/reject/", {"comment": "根本原因不充分"}, format="json"
    )

    assert (response.status_code, response.json()["status"]) == (200, "rejected")
    assert api_for(cab_user).get(f"{FINDINGS}{case.nc.pk}/").json()["status"] == "open"


def test_outsiders_get_404(case: Reported, cab_user: User, other_cab_user: User, assessor: User, api_for: Any) -> None:
    corrective_action = answer(case.nc, cab_user)

    for outsider in (other_cab_user, assessor):
        client = api_for(outsider)
        assert client.get(f"{FINDINGS}{case.nc.pk}/").status_code == 404
        assert client.post(f"{FINDINGS}{case.major.pk}/answer/", ANSWER, format="json").status_code == 404
        assert client.post(f"{ANSWERS}{corrective_action.pk}/accept/", {}, format="json").status_code == 404
        assert client.get(FINDINGS).json()["results"] == []


def test_the_cab_never_sees_a_finding_of_a_draft_report(case: Reported, cab_user: User, api_for: Any) -> None:
    raised = finding(report(case.assessment, case.lead, version=2, status=ReportStatus.DRAFT), number=4)

    listed = api_for(cab_user).get(FINDINGS, {"assessment": case.assessment.pk}).json()["results"]

    assert [f["number"] for f in listed] == [1, 2, 3]
    assert api_for(cab_user).get(f"{FINDINGS}{raised.pk}/").status_code == 404
    assert api_for(case.lead).get(f"{FINDINGS}{raised.pk}/").status_code == 200


def test_the_overdue_filter(case: Reported, secretariat: User, api_for: Any) -> None:
    Finding.objects.filter(pk=case.major.pk).update(answer_due_on=in_days(-1))

    overdue = api_for(secretariat).get(FINDINGS, {"overdue": "true"}).json()["results"]
    in_time = api_for(secretariat).get(FINDINGS, {"overdue": "false"}).json()["results"]

    assert [(f["number"], f["is_overdue"]) for f in overdue] == [(2, True)]
    assert [f["number"] for f in in_time] == [1, 3]


def test_the_list_asks_the_same_number_of_queries_for_more_findings(
    case: Reported, cab_user: User, secretariat: User, api_for: Any
) -> None:
    answer(case.nc, cab_user)
    client = api_for(secretariat)
    with CaptureQueriesContext(connection) as few:
        client.get(FINDINGS)
    for number in range(4, 9):
        answer(finding(case.report, number=number), cab_user)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(FINDINGS).json()["results"]) == 8

    assert len(many) == len(few)


def test_the_secretariat_closes_after_the_deadline_through_the_api(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User, api_for: Any
) -> None:
    overdue = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(-1))
    body = {"assessment": overdue.assessment.pk, "reason": "逾期未整改"}

    refused = api_for(cab_user).post(f"{FINDINGS}close-after-deadline/", body, format="json")
    response = api_for(secretariat).post(f"{FINDINGS}close-after-deadline/", body, format="json")

    assert (refused.status_code, refused.json()["code"]) == (403, "not_secretariat")
    assert response.status_code == 200
    assert [(f["number"], f["status"]) for f in response.json()] == [(1, "lapsed"), (2, "lapsed"), (3, "noted")]
    assert Assessment.objects.get(pk=overdue.assessment.pk).status == AssessmentStatus.COMPLETED


def test_closing_before_the_deadline_answers_409(case: Reported, secretariat: User, api_for: Any) -> None:
    with nothing_changes():
        response = api_for(secretariat).post(
            f"{FINDINGS}close-after-deadline/", {"assessment": case.assessment.pk, "reason": "逾期"}, format="json"
        )

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["detail"]) == ("deadline_not_passed", {"findings": [1, 2]})
