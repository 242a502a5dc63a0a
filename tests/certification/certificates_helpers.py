"""What the accreditation certificate tests share: a fixed signing key, a media folder, decisions.

``certificates_env`` (use it in every module, ``pytestmark = pytest.mark.usefixtures(...)``) puts
generated files under a temporary ``MEDIA_ROOT``, signs with the fixture key below and gives the
portal a public address for the QR code. ``fake_pdf`` replaces WeasyPrint with fixed bytes, for
the tests that are about the workflow rather than the document; the PDF tests render for real.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation, Cab, Decision
from accreditation.services.decisions import decision_record
from certification import services_certificates
from certification.choices import IssueReason
from certification.models import AccreditationCertificate
from certification.services_certificates import accreditation_certificate_issue
from core.models import User
from tests.accreditation.decisions_helpers import (
    FOOD_ITEM,
    METAL_ITEM,
    accepted_application,
    accepted_initial,
    all_items,
    assessed,
)
from tests.accreditation.factories import programme

#: A fixed key, so signatures in the tests are reproducible; never used outside the tests.
TEST_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
TEST_KEY_PEM = TEST_KEY.private_bytes(
    encoding=serialization.Encoding.PEM,
    format=serialization.PrivateFormat.PKCS8,
    encryption_algorithm=serialization.NoEncryption(),
).decode("ascii")
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
SITE_URL = "https://portal.example.cn"
FAKE_PDF = b"%PDF-1.7\n% a stand-in for the rendered certificate\n%%EOF\n"


@pytest.fixture
def certificates_env(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CERTIFICATE_SIGNING_KEY = TEST_KEY_PEM
    settings.SITE_URL = SITE_URL
    return tmp_path


#: The number of each certificate ``fake_pdf`` rendered, in order (emptied by the fixture).
_RENDERED: list[str] = []


def rendered_numbers() -> list[str]:
    return list(_RENDERED)


@pytest.fixture
def fake_pdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Rendering returns ``FAKE_PDF`` and notes the certificate's number (``rendered_numbers``)."""
    _RENDERED.clear()

    def render(certificate: AccreditationCertificate) -> bytes:
        _RENDERED.append(certificate.number)
        return FAKE_PDF

    monkeypatch.setattr(services_certificates, "certificate_pdf", render)
    yield _RENDERED
    _RENDERED.clear()


@pytest.fixture
def broken_pdf(monkeypatch: pytest.MonkeyPatch, fake_pdf: list[str]) -> Iterator[None]:
    """Rendering raises; it takes over from ``fake_pdf`` when a module uses both."""

    def render(certificate: AccreditationCertificate) -> bytes:
        raise OSError("font cache is not writable")

    monkeypatch.setattr(services_certificates, "certificate_pdf", render)
    yield


def grant_by_decision(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, callbacks: Any, *items: dict[str, Any]
) -> tuple[Decision, Accreditation]:
    """An initial application granted by a decision, with the commit hooks run (certificate issued)."""
    application = accepted_initial(cab, programme("CL"), cab_admin, secretariat, *(items or (FOOD_ITEM,)))
    assessed(application, secretariat)
    with callbacks(execute=True):
        decision = decision_record(
            application=application,
            actor=decision_maker,
            reasons="评审组建议认可",
            items=all_items(application, "grant"),
        )
    accreditation = Accreditation.objects.get(applications=application)
    return decision, accreditation


def extend_by_decision(
    accreditation: Accreditation, cab_admin: User, secretariat: User, decision_maker: User, callbacks: Any
) -> Decision:
    """An extension (one more item) of ``accreditation`` granted by a decision, hooks run."""
    application = accepted_application(
        accreditation.cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.EXTENSION,
        accreditation=accreditation,
        add=[METAL_ITEM],
    )
    assessed(application, secretariat)
    with callbacks(execute=True):
        return decision_record(
            application=application, actor=decision_maker, reasons="扩大范围", items=all_items(application, "grant")
        )


def reissue(
    accreditation: Accreditation, secretariat: User, callbacks: Any, *, execute: bool = True
) -> AccreditationCertificate:
    with callbacks(execute=execute):
        return accreditation_certificate_issue(
            accreditation=accreditation, reason=IssueReason.REISSUE, actor=secretariat, note="重新颁发"
        )


def fresh(certificate: AccreditationCertificate) -> AccreditationCertificate:
    return AccreditationCertificate.objects.select_related("accreditation", "superseded_by").get(pk=certificate.pk)


def today() -> dt.date:
    return timezone.localdate()
