"""The application pages, as the CAB's members and the secretariat use them.

Chen is a plain member of ``cab`` (accredited under CL); Alice is the secretariat; Oscar is the
admin of another CAB; Dmitri a decision maker; Erin an assessor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, Application, ApplicationDocument, Cab, ScopeVersion
from accreditation.services.applications import (
    application_add_item,
    application_create,
    application_return,
    application_submit,
)
from core.models import User
from tests.accreditation.applications_helpers import (
    NEW_ITEM,
    PDF,
    PNG,
    attach_required,
    draft_extension,
    media,
    submitted_extension,
)
from tests.accreditation.factories import CabMembershipFactory, programme
from tests.conftest import LAB_ITEM

__all__ = ["media"]


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media


def url(name: str, *args: Any) -> str:
    return reverse(f"accreditation:{name}", args=args)


def test_a_cab_member_creates_a_draft_and_lands_on_its_page(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    response = client_for(cab_user).post(
        url("application_create"), {"cab": cab.pk, "programme": "CL", "type": "extension", "note": "扩项"}
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("application_detail", application.pk)
    assert (application.cab, application.type, application.created_by, application.note) == (
        cab,
        "extension",
        cab_user,
        "扩项",
    )


def test_the_create_form_shows_a_refusal_and_creates_nothing(client_for: Any, cab: Cab, cab_user: User) -> None:
    response = client_for(cab_user).post(
        url("application_create"), {"cab": cab.pk, "programme": "IB", "type": "extension"}
    )

    assert response.status_code == 200
    assert "holds no accreditation under Inspection bodies" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_cab_member_adds_an_item_and_sees_the_difference_from_the_published_scope(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    client = client_for(cab_user)

    response = client.post(url("application_item_add", application.pk), NEW_ITEM)
    assert response.status_code == 302

    page = client.get(url("application_detail", application.pk)).content.decode()
    assert "1 added" in page
    assert "0 removed" in page
    assert "1 unchanged" in page
    assert "过氧化值" in page
    assert "Still missing:" in page
    assert "Application form, Proficiency testing records" in page


def test_a_reduction_page_lists_the_current_items_to_remove(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="reduction", actor=cab_user)
    key = str(published_scope.items.get().key)
    client = client_for(cab_user)

    form = client.get(url("application_item_add", application.pk)).content.decode()
    assert f'value="{key}"' in form

    assert client.post(url("application_item_add", application.pk), {"key": key}).status_code == 302
    page = client.get(url("application_detail", application.pk)).content.decode()
    assert "1 removed" in page
    assert "酸价" in page


def test_an_invalid_item_shows_its_field_errors(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    response = client_for(cab_user).post(url("application_item_add", application.pk), {"field": "食品"})

    assert response.status_code == 200
    assert response.context["form"].errors["parameter"] == ["This field is required."]
    assert application.items.count() == 0


def test_a_document_is_uploaded_through_the_page_and_downloaded_under_its_label(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    client = client_for(cab_user)

    response = client.post(
        url("application_document_add", application.pk),
        {"kind": "application_form", "file": SimpleUploadedFile("申请书.pdf", PDF)},
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()

    download = client.get(url("application_document_download", document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert "%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf" in download["Content-Disposition"]


def test_a_disguised_file_is_refused_on_the_page(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    response = client_for(cab_user).post(
        url("application_document_add", application.pk),
        {"kind": "other", "file": SimpleUploadedFile("report.pdf", PNG)},
    )

    assert response.status_code == 200
    assert "The file&#x27;s content is not a PDF file." in response.content.decode()
    assert ApplicationDocument.objects.count() == 0


def test_submitting_without_documents_shows_what_is_missing(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    response = client_for(cab_user).post(url("application_submit", application.pk))

    assert response.status_code == 200
    assert "Attach these documents first: Application form, Proficiency testing records." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_complete_draft_is_submitted_from_its_page(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user)

    response = client_for(cab_user).post(url("application_submit", application.pk), follow=True)

    application.refresh_from_db()
    assert application.status == "submitted"
    assert f"Application {application.reference} submitted; the review is due by" in response.content.decode()


def test_the_cab_reads_the_reasons_of_a_return_and_resubmits(
    client_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)
    application_return(application=application, actor=secretariat, reasons="请补充能力验证报告")
    client = client_for(cab_user)

    page = client.get(url("application_detail", application.pk)).content.decode()
    assert "请补充能力验证报告" in page
    assert "Resubmit" in page

    client.post(url("application_submit", application.pk))
    application.refresh_from_db()
    assert application.status == "submitted"


def test_the_cab_withdraws_a_draft(client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    client_for(cab_user).post(url("application_withdraw", application.pk), {"reason": "暂缓"})

    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_a_change_notification_is_edited_with_its_new_values(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="change", actor=cab_user)

    response = client_for(cab_user).post(
        url("application_update", application.pk),
        {"note": "", "change_kinds": ["address"], "address__address_zh": "北京市朝阳区8号", "address__address_en": ""},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.change_kinds, application.proposed_changes) == (
        ["address"],
        {"address": {"address_zh": "北京市朝阳区8号"}},
    )
    page = client_for(cab_user).get(url("application_detail", application.pk)).content.decode()
    assert "北京市朝阳区8号" in page


def test_the_queue_lists_submitted_applications_oldest_first_with_an_overdue_badge(
    client_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    newer = submitted_extension(cab, accreditation, cab_user)
    older = submitted_extension(cab, accreditation, cab_user)
    Application.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=10), review_due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    draft_extension(cab, accreditation, cab_user)

    response = client_for(secretariat).get(url("application_queue"))

    assert [a.pk for a in response.context["applications"]] == [older.pk, newer.pk]
    assert response.content.decode().count("Overdue") == 1


def test_the_secretariat_accepts_from_the_review_page(
    client_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)
    checklist = ["form_signed", "fees_agreed", "assessors_available", "scope_clear", "pt_evidence"]

    form = client_for(secretariat).get(url("application_review", application.pk)).content.decode()
    assert "Is there proficiency testing or comparison evidence for the new items?" in form
    assert "pre-visit" not in form

    response = client_for(secretariat).post(
        url("application_review", application.pk), {"outcome": "accept", "checklist": checklist}
    )

    assert response.status_code == 302
    assert response["Location"] == url("application_queue")
    application.refresh_from_db()
    assert (application.status, application.reviewed_by) == ("accepted", secretariat)


def test_accepting_with_an_unticked_item_shows_the_refusal(
    client_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    response = client_for(secretariat).post(
        url("application_review", application.pk), {"outcome": "accept", "checklist": ["form_signed"]}
    )

    assert response.status_code == 200
    assert "Tick every item of the completeness checklist before accepting." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_stale_review_page_tells_the_second_reviewer_why(
    client_for: Any, cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)
    application_return(application=application, actor=secretariat, reasons="先到先得")

    response = client_for(secretariat).post(
        url("application_review", application.pk), {"outcome": "refuse", "reasons": "资料不全"}
    )

    assert response.status_code == 200
    assert "The status cannot change from “Returned for more information” to “Not accepted”." in (
        response.content.decode()
    )


def test_the_list_shows_a_cab_member_only_their_cabs_applications(
    client_for: Any, cab: Cab, cab_user: User, other_cab_user: User, accreditation: Accreditation
) -> None:
    draft_extension(cab, accreditation, cab_user)

    assert len(client_for(cab_user).get(url("application_list")).context["applications"]) == 1
    assert len(client_for(other_cab_user).get(url("application_list")).context["applications"]) == 0


def test_the_pages_read_in_chinese(client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user)

    page = client_for(cab_user, language="zh-hans").get(url("application_detail", application.pk))

    assert page.status_code == 200
    assert page.context["LANGUAGE_CODE"] == "zh-hans"


def test_the_cab_home_links_to_the_applications(client_for: Any, cab: Cab, cab_user: User) -> None:
    page = client_for(cab_user).get(url("cab_home_detail", cab.pk)).content.decode()

    assert url("application_create") in page
    assert f"{url('application_list')}?cab={cab.pk}" in page


def test_an_item_of_another_programme_shape_is_not_mixed_in(
    client_for: Any, cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    attach_required(application, cab_user)

    response = client_for(cab_user).post(
        url("application_item_add", application.pk), {**LAB_ITEM, "standard": "ISO 9001"}
    )

    assert response.status_code == 302
    assert application.items.get().attributes == LAB_ITEM


@pytest.mark.parametrize("kind", ["initial", "renewal", "change"])
def test_every_type_of_application_renders_for_the_cab_and_then_for_the_reviewer(
    client_for: Any, cab: Cab, cab_user: User, secretariat: User, other_cab: Cab, kind: str, published_scope: Any
) -> None:
    if kind == "initial":
        member = CabMembershipFactory.create(cab=other_cab).user
        application = application_create(cab=other_cab, programme=programme("IB"), type=kind, actor=member)
        application_add_item(
            application=application,
            actor=member,
            attributes={"field": "机械", "inspection_type": "A", "subject": "起重机械", "method": "TSG Q7015"},
        )
    else:
        member = cab_user
        changes: dict[str, Any] = {
            "change_kinds": ["name"],
            "proposed_changes": {"name": {"name_zh": "北京精准检测集团"}},
        }
        application = application_create(
            cab=cab, programme=programme("CL"), type=kind, actor=member, **(changes if kind == "change" else {})
        )
        if kind == "renewal":
            application_add_item(application=application, actor=member, key=str(published_scope.items.get().key))
    attach_required(application, member)

    draft_page = client_for(member).get(url("application_detail", application.pk))
    assert draft_page.status_code == 200
    assert client_for(member).get(url("application_item_add", application.pk)).status_code == 200
    assert client_for(member).get(url("application_update", application.pk)).status_code == 200

    application_submit(application=application, actor=member)
    review = client_for(secretariat).get(url("application_review", application.pk))
    assert review.status_code == 200
    assert len(review.context["form"].fields["checklist"].choices) >= 2
