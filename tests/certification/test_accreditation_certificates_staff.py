"""The staff's and the CAB's pages and API for accreditation certificates: lists, reissue, retry.

Alice (secretariat) sees and acts; Dmitri (decision maker) sees; Carol and Chen see their CAB's;
Oscar of another CAB and Erin the assessor see none (404); the public is sent to log in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import Accreditation, Cab
from certification.choices import AccreditationCertificateStatus
from certification.models import AccreditationCertificate
from core.models import AuditEvent, User
from tests.certification.certificates_helpers import (  # noqa: F401 - fixtures
    broken_pdf,
    certificates_env,
    fake_pdf,
    fresh,
    grant_by_decision,
    reissue,
)

pytestmark = pytest.mark.usefixtures("certificates_env", "fake_pdf")

_S = AccreditationCertificateStatus


@pytest.fixture
def granted(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, django_capture_on_commit_callbacks: Any
) -> Accreditation:
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    return accreditation


@pytest.fixture
def failed(
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
    request: pytest.FixtureRequest,
) -> AccreditationCertificate:
    request.getfixturevalue("broken_pdf")
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    return AccreditationCertificate.objects.get(accreditation=accreditation)


def _list_url(accreditation: Accreditation) -> str:
    return reverse("certification:accreditation_certificates", kwargs={"pk": accreditation.pk})


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("secretariat", 200), ("decision_maker", 200), ("cab_user", 200)])
def test_staff_and_the_cabs_members_list_its_certificates(
    request: pytest.FixtureRequest, client_for, granted: Accreditation, persona: str, status: int
) -> None:
    response = client_for(request.getfixturevalue(persona)).get(_list_url(granted))

    assert response.status_code == status
    assert f"{granted.number}-01" in response.content.decode()


@pytest.mark.parametrize("persona", ["other_cab_user", "assessor"])
def test_others_do_not_find_the_list(
    request: pytest.FixtureRequest, client_for, granted: Accreditation, persona: str
) -> None:
    assert client_for(request.getfixturevalue(persona)).get(_list_url(granted)).status_code == 404


def test_only_the_secretariat_is_offered_the_reissue(
    client_for, granted: Accreditation, secretariat: User, cab_user: User
) -> None:
    reissue_url = reverse("certification:certificate_reissue", kwargs={"pk": granted.pk})

    assert reissue_url in client_for(secretariat).get(_list_url(granted)).content.decode()
    assert reissue_url not in client_for(cab_user).get(_list_url(granted)).content.decode()


def test_the_secretariat_reissues_from_the_page(
    client_for, granted: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            reverse("certification:certificate_reissue", kwargs={"pk": granted.pk}), {"reason": "证书遗失"}
        )

    assert response.status_code == 302
    assert response["Location"] == _list_url(granted)
    newer = AccreditationCertificate.objects.get(sequence=2)
    assert (newer.reason, newer.status) == ("reissue", _S.READY)
    assert (
        AuditEvent.objects.get(event_type="accreditation_certificate.issued", aggregate_id=str(newer.pk)).reason
        == "证书遗失"
    )


def test_a_decision_maker_may_not_reissue_and_nothing_changes(
    client_for, granted: Accreditation, decision_maker: User
) -> None:
    response = client_for(decision_maker).post(
        reverse("certification:certificate_reissue", kwargs={"pk": granted.pk}), {"reason": "x"}
    )

    assert response.status_code == 403
    assert AccreditationCertificate.objects.count() == 1


def test_the_secretariat_retries_a_failed_certificate_from_the_list(
    client_for, failed: AccreditationCertificate, secretariat: User
) -> None:
    page = client_for(secretariat).get(_list_url(failed.accreditation)).content.decode()
    retry_url = reverse("certification:certificate_retry", kwargs={"pk": failed.pk})
    assert retry_url in page and "OSError: font cache is not writable" in page

    response = client_for(secretariat).post(retry_url)

    assert response.status_code == 302
    assert fresh(failed).status == _S.PENDING


def test_retrying_a_ready_certificate_shows_the_refusal(client_for, granted: Accreditation, secretariat: User) -> None:
    certificate = AccreditationCertificate.objects.get()

    response = client_for(secretariat).post(reverse("certification:certificate_retry", kwargs={"pk": certificate.pk}))

    assert response.status_code == 200
    assert "cannot change" in response.content.decode()
    assert fresh(certificate).status == _S.READY


def test_the_register_links_to_the_current_certificate(client_for, granted: Accreditation, cab_user: User) -> None:
    detail = client_for(cab_user).get(reverse("accreditation:accreditation_detail", kwargs={"pk": granted.pk}))
    current_url = reverse("certification:current_certificate", kwargs={"pk": granted.pk})
    assert current_url in detail.content.decode()

    response = client_for(cab_user).get(current_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("certification:verify", kwargs={"number": f"{granted.number}-01"})


def test_without_a_certificate_the_link_leads_back_to_the_register(
    client_for, accreditation: Accreditation, secretariat: User
) -> None:
    response = client_for(secretariat).get(
        reverse("certification:current_certificate", kwargs={"pk": accreditation.pk})
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accreditation:accreditation_detail", kwargs={"pk": accreditation.pk})


# --- API --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "count"),
    [("secretariat", 1), ("decision_maker", 1), ("cab_user", 1), ("other_cab_user", 0), ("assessor", 0)],
)
def test_the_api_lists_the_certificates_the_user_may_read(
    request: pytest.FixtureRequest, api_for, granted: Accreditation, persona: str, count: int
) -> None:
    body = api_for(request.getfixturevalue(persona)).get("/api/accreditation-certificates/").json()

    assert body["count"] == count
    assert [row["number"] for row in body["results"]] == [f"{granted.number}-01"][:count]


def test_the_api_shows_a_certificate_with_its_signed_data(api_for, granted: Accreditation, cab_user: User) -> None:
    certificate = AccreditationCertificate.objects.get()

    body = api_for(cab_user).get(f"/api/accreditation-certificates/{certificate.pk}/").json()

    assert (body["number"], body["status"], body["reason"], body["scope_issue_number"]) == (
        certificate.number,
        "ready",
        "grant",
        1,
    )
    assert (body["payload"], body["signature"], body["key_id"]) == (
        certificate.payload,
        certificate.signature,
        certificate.key_id,
    )


def test_the_api_hides_another_cabs_certificate(api_for, granted: Accreditation, other_cab_user: User) -> None:
    certificate = AccreditationCertificate.objects.get()

    assert api_for(other_cab_user).get(f"/api/accreditation-certificates/{certificate.pk}/").status_code == 404


def test_the_secretariat_reissues_through_the_api(
    api_for, granted: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(secretariat).post(
            "/api/accreditation-certificates/reissue/", {"accreditation": granted.pk, "reason": "换证"}, format="json"
        )

    assert response.status_code == 201
    assert (response.json()["number"], response.json()["reason"]) == (f"{granted.number}-02", "reissue")
    assert fresh(AccreditationCertificate.objects.get(sequence=1)).status == _S.SUPERSEDED


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("decision_maker", 403, "not_secretariat"),
        ("cab_admin", 403, "not_secretariat"),
        ("other_cab_user", 404, "not_found"),
    ],
)
def test_others_may_not_reissue_through_the_api(
    request: pytest.FixtureRequest, api_for, granted: Accreditation, persona: str, status: int, code: str
) -> None:
    response = api_for(request.getfixturevalue(persona)).post(
        "/api/accreditation-certificates/reissue/", {"accreditation": granted.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert AccreditationCertificate.objects.count() == 1


def test_reissuing_for_an_applicant_is_a_conflict(api_for, cab: Cab, secretariat: User) -> None:
    from accreditation.services.accreditations import accreditation_open
    from tests.accreditation.factories import programme

    applicant = accreditation_open(cab=cab, programme=programme("IB"), actor=secretariat)

    response = api_for(secretariat).post(
        "/api/accreditation-certificates/reissue/", {"accreditation": applicant.pk}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "accreditation_not_certifiable")


def test_the_secretariat_retries_through_the_api(api_for, failed: AccreditationCertificate, secretariat: User) -> None:
    response = api_for(secretariat).post(f"/api/accreditation-certificates/{failed.pk}/retry/")

    assert response.status_code == 200
    assert response.json()["status"] == "pending"


def test_a_cab_member_may_not_retry_through_the_api(api_for, failed: AccreditationCertificate, cab_admin: User) -> None:
    response = api_for(cab_admin).post(f"/api/accreditation-certificates/{failed.pk}/retry/")

    assert (response.status_code, response.json()["code"]) == (403, "not_secretariat")
    assert fresh(failed).status == _S.FAILED


def test_the_api_list_costs_the_same_queries_for_one_certificate_or_several(
    api_for, granted: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = api_for(secretariat)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/accreditation-certificates/").json()["count"] == 1
    for _ in range(3):
        reissue(granted, secretariat, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as four:
        assert client.get("/api/accreditation-certificates/").json()["count"] == 4

    assert len(four.captured_queries) == len(one.captured_queries)
