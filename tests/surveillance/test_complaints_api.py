"""The complaints API: anonymous submission and status, the staff's list and moves."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.models import User
from surveillance.models import Complaint
from tests.surveillance.complaints_helpers import acknowledged, pdf, public_complaint

pytestmark = pytest.mark.django_db

PUBLIC = reverse("surveillance_api:public-complaint-list")
STAFF = reverse("surveillance_api:complaint-list")

SUBMISSION = {
    "kind": "fake_certificate",
    "certificate_number": "00124Q99999R0M",
    "subject": "证书疑似伪造",
    "description": "供应商出示的证书查不到。",
    "complainant_email": "wang.fang@example.cn",
}


def _public(complaint: Complaint) -> str:
    return reverse("surveillance_api:public-complaint-detail", args=[complaint.tracking_number])


def test_anyone_submits_a_complaint_and_gets_its_public_status(api_for: Any) -> None:
    response = api_for(None).post(PUBLIC, SUBMISSION, format="json")

    complaint = Complaint.objects.get()
    assert response.status_code == 201
    body = response.json()
    assert body["tracking_number"] == complaint.tracking_number
    assert (body["kind"], body["status"], body["outcome"], body["outcome_summary"]) == (
        "fake_certificate",
        "received",
        "",
        "",
    )
    assert body["acknowledge_due_on"] == complaint.acknowledge_due_on.isoformat()
    assert body["status_url"] == f"http://testserver/complaints/status/{complaint.tracking_number}/"
    assert complaint.channel == "public" and complaint.submitted_by is None


def test_files_go_as_multipart_and_a_wrong_one_is_refused(api_for: Any) -> None:
    client = api_for(None)

    stored = client.post(PUBLIC, {**SUBMISSION, "attachments": [pdf()]}, format="multipart")
    refused = client.post(PUBLIC, {**SUBMISSION, "attachments": [pdf("scan.pdf"), pdf("x.png")]}, format="multipart")

    assert stored.status_code == 201
    assert Complaint.objects.get().attachments.count() == 1
    assert (refused.status_code, refused.json()["code"]) == (400, "file_content_mismatch")
    assert Complaint.objects.count() == 1


def test_a_submission_without_a_contact_is_refused_with_the_field(api_for: Any) -> None:
    response = api_for(None).post(PUBLIC, {**SUBMISSION, "complainant_email": ""}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["detail"]) == ["complainant_email"]


def test_past_the_complaint_limit_the_api_answers_429_and_stores_nothing(api_for: Any, settings: Any) -> None:
    settings.COMPLAINT_PUBLIC_RATE = "1/hour"
    client = api_for(None)
    assert client.post(PUBLIC, SUBMISSION, format="json").status_code == 201

    response = client.post(PUBLIC, SUBMISSION, format="json")

    assert (response.status_code, response.json()["code"]) == (429, "too_many_complaints")
    assert Complaint.objects.count() == 1


def test_with_the_cache_down_a_complaint_is_still_taken(api_for: Any, monkeypatch: Any) -> None:
    from surveillance import abuse

    class DownCache:
        def add(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(abuse, "cache", DownCache())

    response = api_for(None).post(PUBLIC, SUBMISSION, format="json")

    assert response.status_code == 201
    assert Complaint.objects.count() == 1


def test_the_public_status_has_no_personal_data_and_an_unknown_number_is_404(api_for: Any, secretariat: User) -> None:
    complaint = acknowledged(secretariat)

    body = api_for(None).get(_public(complaint)).json()
    missing = api_for(None).get(reverse("surveillance_api:public-complaint-detail", args=["TS-2026-NOTHERE2"]))

    assert set(body) == {
        "tracking_number",
        "kind",
        "kind_label",
        "status",
        "status_label",
        "received_on",
        "acknowledge_due_on",
        "acknowledged_on",
        "resolution_due_on",
        "resolved_on",
        "outcome",
        "outcome_label",
        "outcome_summary",
        "status_url",
    }
    assert body["status"] == "acknowledged"
    assert "王芳" not in str(body) and "wang.fang" not in str(body)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_the_staff_list_has_the_details_and_others_see_nothing(
    api_for: Any, secretariat: User, decision_maker: User, cab_user: User
) -> None:
    complaint = public_complaint(attachments=[pdf()])

    staff = api_for(secretariat).get(STAFF).json()
    reader = api_for(decision_maker).get(STAFF).json()
    outsider = api_for(cab_user).get(STAFF).json()

    assert [row["tracking_number"] for row in staff["results"]] == [complaint.tracking_number]
    assert staff["results"][0]["complainant_email"] == "wang.fang@example.cn"
    assert staff["results"][0]["attachments"][0]["download_url"] == reverse(
        "surveillance:complaint_attachment", args=[complaint.attachments.get().pk]
    )
    assert reader["count"] == 1
    assert outsider["count"] == 0


def test_the_secretariat_moves_a_complaint_and_a_repeat_is_a_conflict(api_for: Any, secretariat: User) -> None:
    complaint = public_complaint()
    client = api_for(secretariat)
    acknowledge = reverse("surveillance_api:complaint-acknowledge", args=[complaint.pk])

    first = client.post(acknowledge, {"note": "收到"}, format="json")
    second = client.post(acknowledge, {}, format="json")
    investigating = client.post(
        reverse("surveillance_api:complaint-investigate", args=[complaint.pk]), {}, format="json"
    )
    resolved = client.post(
        reverse("surveillance_api:complaint-resolve", args=[complaint.pk]),
        {"outcome": "suspension", "outcome_summary": "暂停认可。"},
        format="json",
    )

    assert (first.status_code, first.json()["status"]) == (200, "acknowledged")
    assert (second.status_code, second.json()["code"]) == (409, "already_acknowledged")
    assert investigating.json()["status"] == "investigating"
    assert (resolved.json()["status"], resolved.json()["outcome"]) == ("resolved", "suspension")


def test_a_decision_maker_reads_but_may_not_move_a_complaint(api_for: Any, decision_maker: User) -> None:
    complaint = public_complaint()

    response = api_for(decision_maker).post(
        reverse("surveillance_api:complaint-acknowledge", args=[complaint.pk]), {}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (403, "not_secretariat")
    assert Complaint.objects.get().status == "received"
