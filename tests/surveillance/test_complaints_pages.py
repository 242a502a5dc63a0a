"""The complaint pages: the public form and its abuse limits, receipt and status; the secretariat's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, Cab
from certification.choices import CertificateStatus
from core.dashboard import panels_for
from core.models import AuditEvent, User
from surveillance.choices import ComplaintStatus
from surveillance.models import Complaint, ComplaintAttachment
from tests.certification.lookup_helpers import certified
from tests.surveillance.complaints_helpers import PDF, PNG, acknowledged, pdf, public_complaint

pytestmark = pytest.mark.django_db

NEW = reverse("surveillance:complaint_new")
RECEIPT = reverse("surveillance:complaint_receipt")
LIST = reverse("surveillance:complaint_list")


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "fake_certificate",
        "certificate_number": "00124Q99999R0M",
        "subject": "证书疑似伪造",
        "description": "供应商出示的证书查不到。",
        "complainant_name": "王芳",
        "complainant_email": "wang.fang@example.cn",
        "complainant_phone": "",
        "website": "",
    }
    data.update(overrides)
    return data


def _status_url(complaint: Complaint) -> str:
    return reverse("surveillance:complaint_status", args=[complaint.tracking_number])


# --- The public form ------------------------------------------------------------------------------


def test_the_lookup_link_prefills_the_kind_the_certificate_and_the_body(
    client_for: Any, cab: Cab, accreditation: Accreditation
) -> None:
    response = client_for(None).get(NEW, {"kind": "fake_certificate", "certificate": "00124Q99999R0M", "cab": cab.pk})

    form = response.context["form"]
    assert response.status_code == 200
    assert (form["kind"].value(), form["certificate_number"].value()) == ("fake_certificate", "00124Q99999R0M")
    assert (form["cab"].value(), form["cab_name_given"].value()) == (cab.pk, "北京精准检测技术有限公司")


def test_a_prefill_ignores_an_unknown_kind_and_a_body_not_in_the_public_directory(client_for: Any, cab: Cab) -> None:
    response = client_for(None).get(NEW, {"kind": "bribe", "cab": cab.pk})

    form = response.context["form"]
    assert (form["kind"].value(), form["cab"].value(), form["cab_name_given"].value()) == (None, None, None)


def test_a_visitor_sends_a_complaint_with_evidence_and_sees_the_tracking_number(client_for: Any) -> None:
    client = client_for(None)

    response = client.post(NEW, _form(attachments=[pdf()]))

    complaint = Complaint.objects.get()
    assert (response.status_code, response["Location"]) == (302, RECEIPT)
    assert (complaint.channel, complaint.language, complaint.attachments.count()) == ("public", "en", 1)
    receipt = client.get(RECEIPT).content.decode()
    assert complaint.tracking_number in receipt
    assert "within 5 working days" in receipt
    assert _status_url(complaint) in receipt


def test_the_receipt_without_a_complaint_sends_back_to_the_form(client_for: Any) -> None:
    response = client_for(None).get(RECEIPT)

    assert (response.status_code, response["Location"]) == (302, NEW)


def test_past_the_limit_the_form_says_so_keeps_what_was_typed_and_stores_nothing(
    client_for: Any, settings: Any
) -> None:
    settings.COMPLAINT_PUBLIC_RATE = "2/hour"
    client = client_for(None)
    for _ in range(2):
        assert client.post(NEW, _form()).status_code == 302

    response = client.post(NEW, _form(subject="第三次投诉", attachments=[pdf()]))

    body = response.content.decode()
    assert response.status_code == 429
    assert "You have sent 2 complaints in a short time" in body
    assert 'value="第三次投诉"' in body
    assert (Complaint.objects.count(), ComplaintAttachment.objects.count()) == (2, 0)


def test_mistakes_do_not_count_towards_the_limit(client_for: Any, settings: Any) -> None:
    settings.COMPLAINT_PUBLIC_RATE = "1/hour"
    client = client_for(None)

    assert client.post(NEW, _form(complainant_email="")).status_code == 200
    assert client.post(NEW, _form()).status_code == 302
    assert Complaint.objects.count() == 1


def test_a_signed_in_user_is_counted_apart_from_the_address(client_for: Any, settings: Any, cab_user: User) -> None:
    settings.COMPLAINT_PUBLIC_RATE = "1/hour"

    assert client_for(None).post(NEW, _form()).status_code == 302
    assert client_for(cab_user).post(NEW, _form()).status_code == 302
    assert Complaint.objects.filter(submitted_by=cab_user).count() == 1


def test_a_filled_honeypot_stores_nothing(client_for: Any) -> None:
    response = client_for(None).post(NEW, _form(website="http://spam.example"))

    assert response.status_code == 200
    assert "Your complaint could not be accepted." in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_stored(client_for: Any) -> None:
    response = client_for(None).post(NEW, _form(attachments=[SimpleUploadedFile("scan.pdf", PNG)]))

    assert response.status_code == 200
    assert "scan.pdf: The file&#x27;s content is not a PDF file." in response.content.decode()
    assert (Complaint.objects.count(), ComplaintAttachment.objects.count()) == (0, 0)


def test_a_public_complaint_without_a_contact_is_refused_beside_the_e_mail_field(client_for: Any) -> None:
    response = client_for(None).post(NEW, _form(complainant_email=""))

    assert response.context["form"].errors["complainant_email"] == [
        "Give an e-mail address or a telephone number, so that we can answer you."
    ]
    assert Complaint.objects.count() == 0


def test_the_form_is_in_chinese_by_default(client_for: Any) -> None:
    response = client_for(None, language="zh-hans").get(NEW)

    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


# --- The public status page ----------------------------------------------------------------------------


def test_the_status_page_shows_where_the_complaint_stands_and_nothing_personal(
    client_for: Any, secretariat: User, cab: Cab
) -> None:
    complaint = acknowledged(
        secretariat, kind="against_cab", cab=cab, certificate_number="", complainant_phone="13912345678"
    )

    body = client_for(None).get(_status_url(complaint)).content.decode()

    assert complaint.tracking_number in body
    assert "Against a conformity assessment body" in body and "Acknowledged" in body
    assert timezone.localdate().isoformat() in body
    for private in ("王芳", "wang.fang@example.cn", "13912345678", "证书疑似伪造", "供应商出示的证书", cab.name_zh):
        assert private not in body


def test_the_outcome_shows_once_resolved(client_for: Any, secretariat: User) -> None:
    from surveillance.services_complaints import complaint_resolve

    complaint = complaint_resolve(
        complaint=acknowledged(secretariat), actor=secretariat, outcome="warning", outcome_summary="该机构已被告诫。"
    )

    body = client_for(None).get(_status_url(complaint)).content.decode()

    assert "Warning" in body and "该机构已被告诫。" in body


def test_an_unknown_tracking_number_is_a_clear_404_page(client_for: Any) -> None:
    response = client_for(None).get(reverse("surveillance:complaint_status", args=["TS-2026-NOTHERE2"]))

    assert response.status_code == 404
    assert "No complaint has this tracking number" in response.content.decode()


def test_the_lookup_box_normalises_the_number_typed(client_for: Any) -> None:
    complaint = public_complaint()
    typed = complaint.tracking_number.lower().replace("-2026-", "-2026- ")

    response = client_for(None).get(reverse("surveillance:complaint_status_lookup"), {"tracking": typed})

    assert response["Location"] == _status_url(complaint)
    assert client_for(None).get(response["Location"]).status_code == 200


# --- The lookup's links -------------------------------------------------------------------------------


def test_the_lookup_not_found_page_links_the_prefilled_form(client_for: Any, cab: Cab) -> None:
    body = client_for(None).get(reverse("certification:lookup"), {"q": "00124Q99999R0M"}).content.decode()

    assert "No certificate found" in body
    assert f'{NEW}?kind=fake_certificate&amp;certificate=00124Q99999R0M"' in body
    assert "Report a suspected fake certificate" in body


def test_a_certificate_page_links_the_form_with_its_number_and_body(client_for: Any, cab: Cab) -> None:
    shown = certified(cab, "杭州鑫淼科技有限公司", certificate_number="00124Q00088R0M", status=CertificateStatus.ACTIVE)

    body = client_for(None).get(reverse("certification:lookup_certificate", args=[shown.pk])).content.decode()

    assert f"{NEW}?kind=fake_certificate&amp;certificate={quote('00124Q00088R0M')}&amp;cab={cab.pk}" in body


# --- The secretariat's pages -----------------------------------------------------------------------------


def test_the_staff_page_escapes_what_the_complainant_typed(client_for: Any, secretariat: User) -> None:
    complaint = public_complaint(
        subject="<b>urgent</b>", description="<script>alert(1)</script>", complainant_name="<img src=x onerror=1>"
    )

    body = client_for(secretariat).get(reverse("surveillance:complaint_detail", args=[complaint.pk])).content.decode()

    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>urgent</b>" not in body and "&lt;b&gt;urgent&lt;/b&gt;" in body
    assert "<img src=x" not in body
    assert "Complaint received" in body  # the history, with its readable event name


def test_the_list_filters_overdue_complaints_and_marks_them(client_for: Any, secretariat: User) -> None:
    late, fresh = public_complaint(subject="逾期"), public_complaint(subject="新的")
    Complaint.objects.filter(pk=late.pk).update(acknowledge_due_on=timezone.localdate() - dt.timedelta(days=1))

    everything = client_for(secretariat).get(LIST)
    overdue = client_for(secretariat).get(LIST, {"overdue": "true"})
    on_time = client_for(secretariat).get(LIST, {"overdue": "false", "status": "received"})

    assert [c.pk for c in everything.context["complaints"]] == [fresh.pk, late.pk]
    assert everything.content.decode().count('class="tag tag-removed overdue"') == 1
    assert [c.pk for c in overdue.context["complaints"]] == [late.pk]
    assert [c.pk for c in on_time.context["complaints"]] == [fresh.pk]


def test_the_secretariat_acknowledges_from_a_confirmation_page_and_a_second_time_is_told(
    client_for: Any, secretariat: User
) -> None:
    complaint = public_complaint()
    url = reverse("surveillance:complaint_acknowledge", args=[complaint.pk])
    client = client_for(secretariat)

    assert "Acknowledge the complaint" in client.get(url).content.decode()
    done = client.post(url, {"note": "已登记"})
    again = client.post(url, {"note": "再次"})

    assert done["Location"] == reverse("surveillance:complaint_detail", args=[complaint.pk])
    assert Complaint.objects.get().status == ComplaintStatus.ACKNOWLEDGED
    assert again.status_code == 200
    assert "This complaint is already acknowledged." in again.content.decode()
    assert AuditEvent.objects.filter(event_type="complaint.acknowledged").count() == 1


def test_the_secretariat_investigates_then_resolves(client_for: Any, secretariat: User) -> None:
    complaint = acknowledged(secretariat)
    client = client_for(secretariat)

    client.post(reverse("surveillance:complaint_investigate", args=[complaint.pk]), {"note": ""})
    client.post(
        reverse("surveillance:complaint_resolve", args=[complaint.pk]),
        {"outcome": "kept_after_rectification", "outcome_summary": "机构已整改。"},
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("resolved", "kept_after_rectification")


def test_the_detail_offers_only_the_moves_the_status_allows(
    client_for: Any, secretariat: User, decision_maker: User
) -> None:
    complaint = acknowledged(secretariat)
    acknowledge = reverse("surveillance:complaint_acknowledge", args=[complaint.pk])
    resolve = reverse("surveillance:complaint_resolve", args=[complaint.pk])

    staff = client_for(secretariat).get(reverse("surveillance:complaint_detail", args=[complaint.pk])).content.decode()
    reader = client_for(decision_maker).get(reverse("surveillance:complaint_detail", args=[complaint.pk]))

    assert acknowledge not in staff and resolve in staff
    assert reader.status_code == 200 and resolve not in reader.content.decode()


def test_staff_download_an_attachment_under_its_uploaded_name(
    client_for: Any, secretariat: User, cab_user: User
) -> None:
    complaint = public_complaint(attachments=[pdf("证书照片.pdf")])
    attachment = complaint.attachments.get()
    url = reverse("surveillance:complaint_attachment", args=[attachment.pk])

    response = client_for(secretariat).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment;" in response["Content-Disposition"]
    assert client_for(cab_user).get(url).status_code == 404


def test_the_secretariat_records_a_letter(client_for: Any, secretariat: User, cab: Cab) -> None:
    response = client_for(secretariat).post(
        reverse("surveillance:complaint_record"),
        _form(
            kind="against_cab",
            cab_name_given="北京精准检测技术有限公司",
            certificate_number="",
            complainant_email="",
            received_on=(timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        ),
    )

    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("surveillance:complaint_detail", args=[complaint.pk])
    assert (complaint.channel, complaint.cab, complaint.submitted_by) == ("staff", cab, secretariat)


# --- CAB users ----------------------------------------------------------------------------------------------


def test_a_cab_user_submits_with_their_details_and_finds_it_in_their_list(client_for: Any, cab_user: User) -> None:
    client = client_for(cab_user)
    form = client.get(reverse("surveillance:complaint_cab_new")).context["form"]
    assert form["complainant_organisation"].value() == "北京精准检测技术有限公司"
    assert form["complainant_email"].value() == cab_user.email

    response = client.post(
        reverse("surveillance:complaint_cab_new"),
        _form(kind="against_accreditation_body", certificate_number="", complainant_email=cab_user.email),
    )

    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("surveillance:complaint_mine")
    assert (complaint.channel, complaint.submitted_by) == ("cab_user", cab_user)
    mine = client.get(reverse("surveillance:complaint_mine")).content.decode()
    assert complaint.tracking_number in mine and _status_url(complaint) in mine


def test_someone_who_works_for_no_cab_may_not_use_the_cab_form(client_for: Any, assessor: User) -> None:
    assert client_for(assessor).get(reverse("surveillance:complaint_cab_new")).status_code == 403


# --- My work ----------------------------------------------------------------------------------------------


def test_the_secretariat_sees_complaints_to_acknowledge_and_the_overdue_ones(secretariat: User, cab_user: User) -> None:
    waiting, late = public_complaint(), public_complaint()
    Complaint.objects.filter(pk=late.pk).update(
        acknowledge_due_on=timezone.localdate() - dt.timedelta(days=2),
        resolution_due_on=timezone.localdate() - dt.timedelta(days=1),
    )

    panels = {panel.key: panel for panel in panels_for(secretariat)}

    to_acknowledge = panels["complaints-to-acknowledge"]
    assert (to_acknowledge.count, to_acknowledge.overdue) == (2, 1)
    assert [(row.label.split(" · ")[0], row.overdue) for row in to_acknowledge.rows] == [
        (late.tracking_number, True),
        (waiting.tracking_number, False),
    ]
    assert (panels["complaints-overdue"].count, panels["complaints-overdue"].rows[0].label.split(" · ")[0]) == (
        1,
        late.tracking_number,
    )
    assert not {"complaints-to-acknowledge", "complaints-overdue"} & {p.key for p in panels_for(cab_user)}
