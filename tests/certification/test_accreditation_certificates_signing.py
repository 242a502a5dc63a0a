"""Signing accreditation certificates: the payload, Ed25519 signatures, the key and its id."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ImproperlyConfigured

from accreditation.models import Accreditation, Cab
from certification.models import AccreditationCertificate
from certification.selectors_certificates import Standing, certificate_verification
from core import signing
from core.models import User
from tests.certification.certificates_helpers import (  # noqa: F401 - fixtures
    OTHER_KEY,
    TEST_KEY,
    TEST_KEY_PEM,
    certificates_env,
    fake_pdf,
    fresh,
    grant_by_decision,
    reissue,
    today,
)

pytestmark = pytest.mark.usefixtures("certificates_env", "fake_pdf")


@pytest.fixture
def certificate(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, django_capture_on_commit_callbacks: Any
) -> AccreditationCertificate:
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    return fresh(AccreditationCertificate.objects.get(accreditation=accreditation))


def _raw_public(key: Any) -> bytes:
    return key.public_key().public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


def test_the_payload_states_the_certificates_facts_and_a_digest_of_its_scope(
    certificate: AccreditationCertificate, cab: Cab
) -> None:
    accreditation = Accreditation.objects.get(pk=certificate.accreditation_id)
    scope = accreditation.current_scope
    assert scope is not None
    items = [
        {"attributes": item.attributes, "key": str(item.key), "status": "active"}
        for item in scope.items.order_by("position", "pk")
    ]
    digest = hashlib.sha256(
        json.dumps(items, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    ).hexdigest()

    assert certificate.payload == {
        "certificate_number": f"{accreditation.number}-01",
        "accreditation_number": accreditation.number,
        "cab_name_zh": "北京精准检测技术有限公司",
        "cab_name_en": "Beijing Precise Testing Co., Ltd.",
        "cab_credit_code": cab.credit_code,
        "programme_code": "CL",
        "programme_standard": "ISO/IEC 17025:2017",
        "issued_on": today().isoformat(),
        "valid_until": accreditation.cycle_end.isoformat(),  # type: ignore[union-attr]
        "scope_issue_number": 1,
        "scope_sha256": digest,
        "accreditation_status": "accredited",
    }
    assert [item["attributes"]["parameter"] for item in items] == ["过氧化值"]


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_chinese_as_utf8() -> None:
    assert signing.canonical_json({"b": [1, 2], "a": "认可"}) == '{"a":"认可","b":[1,2]}'.encode()


def test_the_signature_is_the_test_keys_ed25519_signature_of_the_canonical_payload(
    certificate: AccreditationCertificate,
) -> None:
    expected = TEST_KEY.sign(signing.canonical_json(certificate.payload))

    assert base64.b64decode(certificate.signature) == expected
    assert certificate.key_id == hashlib.sha256(_raw_public(TEST_KEY)).hexdigest()[:16]
    assert signing.verify(certificate.payload, certificate.signature, TEST_KEY.public_key())
    assert signing.verify(certificate.payload, certificate.signature, signing.public_key_pem(TEST_KEY.public_key()))


@pytest.mark.parametrize(
    ("field", "value"),
    [("cab_name_zh", "北京伪造检测有限公司"), ("valid_until", "2099-12-31"), ("scope_sha256", "0" * 64)],
)
def test_a_tampered_payload_does_not_verify(certificate: AccreditationCertificate, field: str, value: str) -> None:
    tampered = {**certificate.payload, field: value}

    assert not signing.verify(tampered, certificate.signature, TEST_KEY.public_key())


def test_a_signature_from_another_key_or_garbage_does_not_verify(certificate: AccreditationCertificate) -> None:
    assert not signing.verify(certificate.payload, certificate.signature, OTHER_KEY.public_key())
    assert not signing.verify(certificate.payload, "not base64!", TEST_KEY.public_key())
    assert not signing.verify(certificate.payload, base64.b64encode(b"short").decode(), TEST_KEY.public_key())
    assert not signing.verify(certificate.payload, certificate.signature, "-----BEGIN PUBLIC KEY-----\nxx\n")


def test_the_verification_reports_a_changed_row_as_invalid(certificate: AccreditationCertificate) -> None:
    AccreditationCertificate.objects.filter(pk=certificate.pk).update(
        payload={**certificate.payload, "valid_until": "2099-12-31"}
    )

    verification = certificate_verification(fresh(certificate))

    assert (verification.signature_valid, verification.standing) == (False, Standing.VALID)


def test_a_superseded_certificate_still_verifies_as_superseded(
    certificate: AccreditationCertificate, secretariat: User, django_capture_on_commit_callbacks: Any
) -> None:
    newer = reissue(certificate.accreditation, secretariat, django_capture_on_commit_callbacks)

    verification = certificate_verification(fresh(certificate))

    assert verification.signature_valid is True
    assert verification.standing == Standing.SUPERSEDED
    assert verification.current == newer
    assert certificate_verification(fresh(newer)).standing == Standing.VALID


def test_a_certificate_past_its_validity_is_expired_but_still_genuine(certificate: AccreditationCertificate) -> None:
    verification = certificate_verification(certificate, today=certificate.valid_until.replace(year=2099))

    assert (verification.signature_valid, verification.standing) == (True, Standing.EXPIRED)


def test_a_key_pasted_on_one_line_with_escaped_newlines_loads(settings: Any) -> None:
    settings.CERTIFICATE_SIGNING_KEY = TEST_KEY_PEM.strip().replace("\n", "\\n")

    assert signing.current_key_id() == hashlib.sha256(_raw_public(TEST_KEY)).hexdigest()[:16]


def test_a_key_that_is_not_ed25519_is_refused_with_the_settings_name(settings: Any) -> None:
    settings.CERTIFICATE_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"

    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_SIGNING_KEY"):
        signing.signing_key()


def test_with_debug_on_and_no_key_a_development_key_is_made_once_in_var(settings: Any, tmp_path: Path) -> None:
    path = tmp_path / "var" / "certificate-signing-key.pem"
    settings.CERTIFICATE_SIGNING_KEY = None
    settings.CERTIFICATE_DEVELOPMENT_KEY_PATH = path

    first = signing.current_key_id()
    second = signing.current_key_id()

    assert first == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.key_id_of(signing.load_private_key(path.read_text()).public_key()) == first


def test_without_debug_and_without_a_key_signing_refuses_to_run(settings: Any) -> None:
    settings.CERTIFICATE_SIGNING_KEY = None
    settings.CERTIFICATE_DEVELOPMENT_KEY_PATH = None

    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_SIGNING_KEY must be set"):
        signing.sign({"certificate_number": "CNAS L0001-01"})
