"""The certificate's PDF, rendered for real with WeasyPrint: Chinese text in a CJK font, the scope annex.

These tests take a second or two each (WeasyPrint with the Noto CJK fonts); every other
certificate test replaces the renderer with fixed bytes (``fake_pdf``).
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
import segno
from pypdf import PdfReader

from accreditation.models import Cab
from certification.choices import AccreditationCertificateStatus, IssueReason
from certification.models import AccreditationCertificate
from certification.services_certificates import accreditation_certificate_issue, certificate_pdf, verification_url
from core.models import User
from tests.accreditation.decisions_helpers import FOOD_ITEM, METAL_ITEM
from tests.certification.certificates_helpers import certificates_env, fresh, grant_by_decision  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("certificates_env")


def _fonts(reader: PdfReader) -> set[str]:
    names: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object().get("/BaseFont", "")))
    return names


@pytest.fixture
def rendered(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, django_capture_on_commit_callbacks: Any
) -> AccreditationCertificate:
    """``cab`` granted two laboratory items by a decision; the certificate rendered in the same go."""
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks, FOOD_ITEM, METAL_ITEM
    )
    return fresh(AccreditationCertificate.objects.get(accreditation=accreditation))


def test_a_granted_accreditation_gets_a_ready_pdf_whose_hash_is_recorded(rendered: AccreditationCertificate) -> None:
    assert rendered.status == AccreditationCertificateStatus.READY
    data = rendered.pdf.read()
    assert data.startswith(b"%PDF-")
    assert rendered.content_hash == hashlib.sha256(data).hexdigest()
    assert rendered.rendered_at is not None
    assert rendered.pdf.name.startswith("accreditation-certificates/") and rendered.pdf.name.endswith(".pdf")


def test_the_pdf_embeds_a_cjk_font_and_holds_the_chinese_and_english_names(
    rendered: AccreditationCertificate, cab: Cab
) -> None:
    reader = PdfReader(io.BytesIO(rendered.pdf.read()))

    assert any("CJK" in name for name in _fonts(reader)), _fonts(reader)
    text = "".join(page.extract_text() for page in reader.pages)
    assert cab.name_zh in text
    assert "认可证书" in text and "ACCREDITATION CERTIFICATE" in text
    assert rendered.number in text


def test_the_annex_lists_each_scope_item_in_the_programmes_columns(rendered: AccreditationCertificate) -> None:
    reader = PdfReader(io.BytesIO(rendered.pdf.read()))
    annex = "".join(page.extract_text() for page in reader.pages[1:])

    for heading in ("Field", "Object or product", "Parameter", "Method or standard"):
        assert heading in annex
    for value in (FOOD_ITEM["parameter"], FOOD_ITEM["method"], METAL_ITEM["subject"], METAL_ITEM["method"]):
        assert value in annex


def test_the_qr_code_points_to_the_absolute_verification_url(
    rendered: AccreditationCertificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    make = segno.make

    def spy(content: str, **kwargs: Any) -> Any:
        encoded.append(content)
        return make(content, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    pdf = certificate_pdf(rendered)

    url = f"https://portal.example.cn/certificates/verify/{rendered.number.replace(' ', '%20')}/"
    assert verification_url(rendered) == url
    assert encoded == [url]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert url in text.replace("\n", "")


def test_the_qr_code_and_the_signature_stay_on_the_certificate_face_for_the_longest_facts(
    rendered: AccreditationCertificate, secretariat: User
) -> None:
    """A reason for issue that takes two lines once pushed the verification block to page 2."""
    accreditation = rendered.accreditation
    accreditation.cab.name_en = "Shenzhen Precision Measurement and Testing Technology Research Institute Co., Ltd."
    accreditation.cab.save(update_fields=["name_en"])
    changed = accreditation_certificate_issue(
        accreditation=accreditation, reason=IssueReason.REGISTER_CHANGE, actor=secretariat
    )

    face = PdfReader(io.BytesIO(certificate_pdf(changed))).pages[0]

    assert verification_url(changed) in face.extract_text().replace("\n", "")
    # The QR code sits beside these in one unbreakable block (``.verification``).
    assert changed.signature in face.extract_text().replace("\n", "")


def test_rendering_twice_changes_nothing(rendered: AccreditationCertificate) -> None:
    from certification.tasks import render_accreditation_certificate

    before = (rendered.pdf.name, rendered.content_hash, rendered.rendered_at)
    render_accreditation_certificate.delay(rendered.pk)

    again = fresh(rendered)
    assert (again.pdf.name, again.content_hash, again.rendered_at) == before
