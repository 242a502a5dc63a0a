"""The public verification of accreditation certificates: the page, the PDF, the key and the JSON API.

No login anywhere here; the pages answer in Chinese and English, the API under the public rate limit.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from accreditation.models import Cab
from accreditation.services.accreditations import accreditation_withdraw
from certification.models import AccreditationCertificate
from core import signing
from core.api.throttling import PortalScopedRateThrottle
from core.models import User
from tests.certification.certificates_helpers import (  # noqa: F401 - fixtures
    FAKE_PDF,
    TEST_KEY,
    certificates_env,
    fake_pdf,
    fresh,
    grant_by_decision,
    reissue,
)

pytestmark = pytest.mark.usefixtures("certificates_env", "fake_pdf")


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no request counted; the shared cache would carry counts over."""
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.fixture
def certificate(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, django_capture_on_commit_callbacks: Any
) -> AccreditationCertificate:
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    return fresh(AccreditationCertificate.objects.get(accreditation=accreditation))


def _verify_url(certificate: AccreditationCertificate) -> str:
    return reverse("certification:verify", kwargs={"number": certificate.number})


def _api_url(number: str) -> str:
    return f"/api/public/accreditation-certificates/{quote(number)}/"


# --- The verification page --------------------------------------------------------------------


def test_anyone_verifies_a_certificate_by_its_number(
    client_for, certificate: AccreditationCertificate, cab: Cab
) -> None:
    response = client_for(None).get(_verify_url(certificate))

    assert response.status_code == 200
    page = response.content.decode()
    assert certificate.number in page
    assert 'data-signature="valid"' in page
    assert 'data-standing="valid"' in page
    assert cab.name_zh in page and cab.credit_code in page
    assert reverse("accreditation:directory_cab", kwargs={"pk": cab.pk}) in page
    assert reverse("certification:download", kwargs={"number": certificate.number}) in page
    assert certificate.signature in page


def test_the_verification_page_speaks_chinese(client_for, certificate: AccreditationCertificate, cab: Cab) -> None:
    response = client_for(None, language="zh-hans").get(_verify_url(certificate))

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert cab.name_zh in response.content.decode()


def test_a_changed_row_shows_an_invalid_signature(client_for, certificate: AccreditationCertificate) -> None:
    AccreditationCertificate.objects.filter(pk=certificate.pk).update(
        payload={**certificate.payload, "cab_name_zh": "北京伪造检测有限公司"}
    )

    page = client_for(None).get(_verify_url(certificate)).content.decode()

    assert 'data-signature="invalid"' in page
    assert "The signature is not valid" in page


def test_a_superseded_certificate_links_to_the_current_one(
    client_for, certificate: AccreditationCertificate, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    newer = reissue(certificate.accreditation, secretariat, django_capture_on_commit_callbacks)

    page = client_for(None).get(_verify_url(certificate)).content.decode()

    assert 'data-signature="valid"' in page
    assert 'data-standing="superseded"' in page
    assert f'href="{_verify_url(newer)}"' in page


def test_a_withdrawn_accreditation_shows_its_certificate_as_no_longer_in_force(
    client_for, certificate: AccreditationCertificate, secretariat: User
) -> None:
    accreditation_withdraw(accreditation=certificate.accreditation, actor=secretariat, reason="自愿撤销")

    page = client_for(None).get(_verify_url(certificate)).content.decode()

    assert 'data-standing="accreditation_not_in_force"' in page
    assert "Withdrawn" in page


def test_an_unknown_number_is_not_found(client_for, certificate: AccreditationCertificate) -> None:
    response = client_for(None).get(reverse("certification:verify", kwargs={"number": "CNAS L9999-01"}))

    assert response.status_code == 404


def test_the_pdf_is_downloaded_as_stored(client_for, certificate: AccreditationCertificate) -> None:
    response = client_for(None).get(reverse("certification:download", kwargs={"number": certificate.number}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == FAKE_PDF


def test_a_certificate_still_being_prepared_has_no_pdf_to_download(
    client_for, certificate: AccreditationCertificate, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    pending = reissue(certificate.accreditation, secretariat, django_capture_on_commit_callbacks, execute=False)

    page = client_for(None).get(_verify_url(pending)).content.decode()
    response = client_for(None).get(reverse("certification:download", kwargs={"number": pending.number}))

    assert 'data-standing="pending"' in page
    assert response.status_code == 404


def test_the_public_key_is_published_with_its_id(client_for) -> None:
    key_id = signing.key_id_of(TEST_KEY.public_key())

    page = client_for(None).get(reverse("certification:public_key")).content.decode()
    pem = client_for(None).get(reverse("certification:public_key_pem"))

    assert key_id in page
    assert "BEGIN PUBLIC KEY" in page
    assert pem.status_code == 200
    assert signing.key_id_of(signing.load_public_key(pem.content.decode())) == key_id


# --- The public API ---------------------------------------------------------------------------


def test_the_api_answers_the_same_facts_with_the_signed_data(
    api_for, certificate: AccreditationCertificate, cab: Cab
) -> None:
    response = api_for(None).get(_api_url(certificate.number))

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("number", "status", "standing", "signature_valid", "current_certificate")} == {
        "number": certificate.number,
        "status": "ready",
        "standing": "valid",
        "signature_valid": True,
        "current_certificate": None,
    }
    assert (body["payload"], body["signature"], body["key_id"]) == (
        certificate.payload,
        certificate.signature,
        certificate.key_id,
    )
    assert body["accreditation_status"] == "accredited"
    assert body["cab"]["name_zh"] == cab.name_zh
    assert body["cab"]["directory_url"] == f"http://testserver/directory/{cab.pk}/"
    assert body["pdf_url"] == "http://testserver" + reverse(
        "certification:download", kwargs={"number": certificate.number}
    )
    assert signing.verify(body["payload"], body["signature"], TEST_KEY.public_key())


def test_the_api_says_a_superseded_certificate_is_superseded_and_still_genuine(
    api_for, certificate: AccreditationCertificate, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    newer = reissue(certificate.accreditation, secretariat, django_capture_on_commit_callbacks)

    body = api_for(None).get(_api_url(certificate.number)).json()

    assert (body["standing"], body["signature_valid"], body["current_certificate"]) == (
        "superseded",
        True,
        newer.number,
    )


def test_the_api_reports_a_tampered_row(api_for, certificate: AccreditationCertificate) -> None:
    AccreditationCertificate.objects.filter(pk=certificate.pk).update(
        payload={**certificate.payload, "valid_until": "2099-12-31"}
    )

    assert api_for(None).get(_api_url(certificate.number)).json()["signature_valid"] is False


def test_the_api_answers_404_for_an_unknown_number(api_for, certificate: AccreditationCertificate) -> None:
    response = api_for(None).get(_api_url("CNAS L9999-01"))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_api_publishes_the_key(api_for) -> None:
    body = api_for(None).get("/api/public/certificate-key/").json()

    assert body["key_id"] == signing.key_id_of(TEST_KEY.public_key())
    assert body["algorithm"] == "Ed25519"
    assert signing.key_id_of(signing.load_public_key(body["public_key_pem"])) == body["key_id"]


def test_the_public_api_is_limited_per_client_address(api_for, certificate: AccreditationCertificate, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/minute"},
    }
    public = api_for(None)

    allowed = [public.get(_api_url(certificate.number)).status_code for _ in range(2)]
    refused = public.get(_api_url(certificate.number))

    assert allowed == [200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
