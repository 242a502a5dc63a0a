"""The schema documents what the API answers (``core.api.schema``), and unknown API addresses answer JSON.

Each case here is a defect the API fuzzer (``tests/test_api_fuzz.py``) found, pinned on one
example so that a regression names itself without a fuzzing run.
"""

from __future__ import annotations

from typing import Any

import pytest

from accreditation.uploads import MEDIA_TYPES, media_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_for: Any) -> dict[str, Any]:
    response = api_for(None).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _responses(schema: dict[str, Any], path: str, method: str = "get") -> set[str]:
    return set(schema["paths"][path][method]["responses"])


def test_an_operation_behind_a_login_documents_401_and_403(schema: dict[str, Any]) -> None:
    assert {"401", "403"} <= _responses(schema, "/api/cabs/{id}/")
    assert {"401", "403"} <= _responses(schema, "/api/accreditations/")


def test_a_public_operation_documents_no_401_but_its_rate_limit(schema: dict[str, Any]) -> None:
    responses = _responses(schema, "/api/public/cabs/{id}/")

    assert "401" not in responses
    assert "403" not in responses
    assert {"404", "429"} <= responses


def test_a_paginated_list_documents_404_for_a_page_past_the_last(schema: dict[str, Any], api_for: Any) -> None:
    operation = schema["paths"]["/api/public/notices/"]["get"]

    assert "page" in operation["responses"]["404"]["description"]
    response = api_for(None).get("/api/public/notices/", {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Invalid page.", "detail": None}


def test_a_filtered_list_documents_400_and_a_body_documents_400_and_415(schema: dict[str, Any]) -> None:
    assert "400" in _responses(schema, "/api/accreditations/")
    assert {"400", "415"} <= _responses(schema, "/api/cabs/", "post")
    assert not {"400", "415"} & _responses(schema, "/api/notifications/read-all/", "post")


def test_an_api_address_that_matches_no_route_answers_json_404(client_for: Any) -> None:
    response = client_for(None).get("/api/cabs/0.5/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "Not found.", "detail": None}


def test_a_page_address_that_matches_no_route_still_answers_the_404_page(client_for: Any) -> None:
    response = client_for(None).get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_read_only_choice_of_a_blank_model_field_may_be_empty(schema: dict[str, Any]) -> None:
    outcome = schema["components"]["schemas"]["Decision"]["properties"]["outcome"]

    assert {"$ref": "#/components/schemas/BlankEnum"} in outcome["oneOf"]


def test_a_read_only_relation_over_a_nullable_foreign_key_may_be_null(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]

    assert components["Application"]["properties"]["reviewed_by"]["nullable"] is True
    assert components["AccreditationCertificate"]["properties"]["superseded_by"]["nullable"] is True
    assert components["AccreditationCertificate"]["properties"]["pdf_url"]["nullable"] is True


def test_a_read_only_blank_email_is_an_email_or_empty(schema: dict[str, Any]) -> None:
    email = schema["components"]["schemas"]["Complaint"]["properties"]["complainant_email"]

    assert "format" not in email
    assert email["anyOf"] == [{"format": "email"}, {"maxLength": 0}]


def test_the_certificate_lookup_documents_one_page_object_not_a_list(schema: dict[str, Any]) -> None:
    ok = schema["paths"]["/api/public/certificates/"]["get"]["responses"]["200"]

    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PublicIssuedCertificatePage"}


def test_downloads_document_each_media_type_they_are_served_as(schema: dict[str, Any]) -> None:
    ok = schema["paths"]["/api/report-attachments/{id}/download/"]["get"]["responses"]["200"]

    assert set(ok["content"]) == set(MEDIA_TYPES.values())


def test_an_upload_is_served_as_its_extension_says_whatever_the_hosts_mime_table() -> None:
    assert media_type("检测报告.docx") == MEDIA_TYPES["docx"]
    assert media_type("photo.JPG") == "image/jpeg"
    assert media_type("no-extension") == "application/octet-stream"


def test_closing_findings_after_their_deadline_documents_the_list_it_answers(schema: dict[str, Any]) -> None:
    ok = schema["paths"]["/api/findings/close-after-deadline/"]["post"]["responses"]["200"]

    assert ok["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Finding"},
    }
