"""The applications API: each move a POST action, refusals as ``{"code", "message", "detail"}``.

Chen is a plain member of ``cab`` (accredited under CL); Alice is the secretariat; Oscar the
admin of another CAB; Dmitri a decision maker; Erin an assessor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import Accreditation, Application, ApplicationDocument, Cab, ScopeVersion
from core.models import User
from tests.accreditation.applications_helpers import (
    NEW_ITEM,
    PDF,
    PNG,
    draft_extension,
    media,
    nothing_changes,
    submitted_extension,
)

__all__ = ["media"]
#: The count, the page of applications (with CAB and programme) and their documents: none per row.
QUERIES = 3
#: Here the user's roles are read too (the secretariat's user object had them cached by ``roles_of``).
QUERIES_WITH_DRAFTS = 4
CHECKLIST = ["form_signed", "fees_agreed", "assessors_available", "scope_clear", "pt_evidence"]


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media


def test_an_extension_goes_from_draft_to_accepted_through_the_api(
    api_for: Any,
    cab: Cab,
    cab_user: User,
    secretariat: User,
    accreditation: Accreditation,
    published_scope: ScopeVersion,
) -> None:
    chen, alice = api_for(cab_user), api_for(secretariat)

    created = chen.post(
        "/api/applications/", {"cab": cab.pk, "programme": "CL", "type": "extension", "note": "扩项"}, format="json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (created.json()["status"], created.json()["missing_documents"]) == (
        "draft",
        ["application_form", "proficiency_testing"],
    )

    item = chen.post("/api/application-items/", {"application": pk, "attributes": NEW_ITEM}, format="json")
    assert (item.status_code, item.json()["action"], item.json()["key"]) == (201, "add", None)
    for kind in ("application_form", "proficiency_testing"):
        uploaded = chen.post(
            "/api/application-documents/",
            {"application": pk, "kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)},
            format="multipart",
        )
        assert uploaded.status_code == 201

    submitted = chen.post(f"/api/applications/{pk}/submit/")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert submitted.json()["diff"]["added"][0]["attributes"] == NEW_ITEM
    assert len(submitted.json()["diff"]["kept"]) == 1

    accepted = alice.post(f"/api/applications/{pk}/accept/", {"checklist": CHECKLIST}, format="json")
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["review_checklist"]) == (
        "accepted",
        dict.fromkeys(CHECKLIST, True),
    )


def test_submitting_without_documents_answers_400_with_the_missing_kinds(
    api_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    api_for(cab_user).post(
        "/api/application-items/", {"application": application.pk, "attributes": NEW_ITEM}, format="json"
    )

    with nothing_changes():
        response = api_for(cab_user).post(f"/api/applications/{application.pk}/submit/")

    assert response.status_code == 400
    assert response.json() == {
        "code": "missing_documents",
        "message": "Attach these documents first: Application form, Proficiency testing records.",
        "detail": {"missing": ["application_form", "proficiency_testing"]},
    }


def test_the_second_reviewer_gets_409_illegal_status_change(
    api_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)
    alice = api_for(secretariat)
    assert (
        alice.post(f"/api/applications/{application.pk}/return/", {"reasons": "补充"}, format="json").status_code == 200
    )

    with nothing_changes():
        response = alice.post(f"/api/applications/{application.pk}/refuse/", {"reasons": "不予受理"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "illegal_status_change")


def test_returning_without_reasons_is_refused(
    api_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes():
        response = api_for(secretariat).post(
            f"/api/applications/{application.pk}/return/", {"reasons": ""}, format="json"
        )

    assert (response.status_code, response.json()["code"]) == (400, "reason_required")


def test_a_cab_member_cannot_review_their_own_application(
    api_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes():
        response = api_for(cab_user).post(
            f"/api/applications/{application.pk}/accept/", {"checklist": CHECKLIST}, format="json"
        )

    assert (response.status_code, response.json()["code"]) == (403, "not_secretariat")


def test_a_disguised_upload_is_refused_with_its_code(
    api_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation, media: Path
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    with nothing_changes(media):
        response = api_for(cab_user).post(
            "/api/application-documents/",
            {"application": application.pk, "kind": "other", "file": SimpleUploadedFile("x.pdf", PNG)},
            format="multipart",
        )

    assert (response.status_code, response.json()["code"]) == (400, "file_content_mismatch")


def test_a_document_downloads_for_the_secretariat_once_submitted_and_never_for_another_cab(
    api_for: Any, cab: Cab, cab_user: User, secretariat: User, other_cab_user: User, accreditation: Accreditation
) -> None:
    draft = draft_extension(cab, accreditation, cab_user)
    document = ApplicationDocument.objects.filter(application=draft).first()
    assert document is not None
    path = f"/api/application-documents/{document.pk}/download/"

    assert api_for(secretariat).get(path).status_code == 404
    assert api_for(other_cab_user).get(path).status_code == 404
    assert api_for(None).get(path).status_code == 401
    mine = api_for(cab_user).get(path)
    assert (mine.status_code, b"".join(mine.streaming_content)) == (200, PDF)

    api_for(cab_user).post(f"/api/applications/{draft.pk}/submit/")
    assert api_for(secretariat).get(path).status_code == 200


def test_a_draft_is_edited_with_patch_and_a_submitted_one_is_not(
    api_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    draft = draft_extension(cab, accreditation, cab_user)
    chen = api_for(cab_user)

    edited = chen.patch(f"/api/applications/{draft.pk}/", {"note": "补充说明"}, format="json")
    assert (edited.status_code, edited.json()["note"]) == (200, "补充说明")

    chen.post(f"/api/applications/{draft.pk}/submit/")
    with nothing_changes():
        refused = chen.patch(f"/api/applications/{draft.pk}/", {"note": "再改"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_editable")


def test_a_reduction_names_current_items_by_key(
    api_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    chen = api_for(cab_user)
    pk = chen.post("/api/applications/", {"cab": cab.pk, "programme": "CL", "type": "reduction"}, format="json").json()[
        "id"
    ]
    key = str(published_scope.items.get().key)

    item = chen.post("/api/application-items/", {"application": pk, "key": key}, format="json")

    assert (item.status_code, item.json()["action"], item.json()["key"]) == (201, "remove", key)
    assert chen.get(f"/api/applications/{pk}/").json()["diff"]["removed"][0]["key"] == key


def test_the_list_is_filtered_by_status_and_pins_its_query_count(
    api_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    for _ in range(3):
        submitted_extension(cab, accreditation, cab_user)
    draft_extension(cab, accreditation, cab_user)
    alice = api_for(secretariat)

    with CaptureQueriesContext(connection) as queries:
        response = alice.get("/api/applications/", {"status": "submitted"})

    assert response.json()["count"] == 3
    assert len(queries) == QUERIES
    with CaptureQueriesContext(connection) as queries:
        mine = api_for(cab_user).get("/api/applications/").json()["results"]
    assert len(queries) == QUERIES_WITH_DRAFTS
    assert [a["status"] for a in mine] == [
        "draft",
        "submitted",
        "submitted",
        "submitted",
    ]


def test_staff_see_no_unsubmitted_drafts_and_outsiders_see_nothing(
    api_for: Any,
    cab: Cab,
    cab_user: User,
    secretariat: User,
    decision_maker: User,
    assessor: User,
    other_cab_user: User,
    accreditation: Accreditation,
) -> None:
    submitted = submitted_extension(cab, accreditation, cab_user)
    draft_extension(cab, accreditation, cab_user)

    def ids(user: User | None) -> list[int]:
        response = api_for(user).get("/api/applications/")
        return [a["id"] for a in response.json()["results"]] if response.status_code == 200 else []

    assert ids(secretariat) == [submitted.pk]
    assert ids(decision_maker) == [submitted.pk]
    assert len(ids(cab_user)) == 2
    assert ids(assessor) == []
    assert ids(other_cab_user) == []
    assert ids(None) == []
    assert Application.objects.count() == 2
