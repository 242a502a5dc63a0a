"""Files attached to a report: checked like application documents, stored under generated names, downloaded
only by whoever may read the report version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accreditation.models import Accreditation, Cab
from assessors.models_reports import AssessmentReport, ReportAttachment
from assessors.services_reports import (
    report_attachment_add,
    report_attachment_remove,
    report_start,
    report_submit,
)
from core.errors import DomainError
from core.models import AuditEvent, User
from tests.assessors.reports_helpers import PDF, PNG, Team, nothing_changes, pdf, recommend_all, team_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def team(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Team:
    return team_ready(cab, accreditation, secretariat, cab_user)


@pytest.fixture
def draft(team: Team, media: Path) -> AssessmentReport:
    return report_start(assessment=team.assessment, actor=team.member)


def test_a_team_member_attaches_a_file_stored_under_a_generated_name(
    draft: AssessmentReport, team: Team, media: Path
) -> None:
    attachment = report_attachment_add(report=draft, actor=team.member, upload=pdf("../../现场 照片<1>.pdf"))

    assert attachment.label == "现场 照片_1_.pdf"
    assert attachment.file.name.startswith("reports/") and attachment.file.name.endswith(".pdf")
    assert "照片" not in attachment.file.name
    assert (media / attachment.file.name).read_bytes() == PDF
    assert AuditEvent.objects.get(event_type="report.attachment_added").new_values["label"] == "现场 照片_1_.pdf"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("run.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        ("photo.pdf", PNG, "file_content_mismatch"),
        ("empty.pdf", b"", "empty_file"),
    ],
)
def test_a_file_of_the_wrong_type_or_content_is_refused(
    draft: AssessmentReport, team: Team, media: Path, name: str, content: bytes, code: str
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as caught:
        report_attachment_add(report=draft, actor=team.member, upload=SimpleUploadedFile(name, content))
    assert caught.value.code == code
    assert list(media.rglob("*.*")) == []


def test_a_file_over_the_size_limit_is_refused(draft: AssessmentReport, team: Team, settings: Any) -> None:
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 10
    with nothing_changes(), pytest.raises(DomainError) as caught:
        report_attachment_add(report=draft, actor=team.member, upload=pdf())
    assert caught.value.code == "file_too_large"


def test_nothing_is_attached_to_or_removed_from_a_submitted_report(draft: AssessmentReport, team: Team) -> None:
    attachment = report_attachment_add(report=draft, actor=team.member, upload=pdf())
    recommend_all(draft, team.lead)
    report_submit(report=draft, actor=team.lead)

    for call, kwargs in (
        (report_attachment_add, {"report": draft, "upload": pdf()}),
        (report_attachment_remove, {"attachment": attachment}),
    ):
        with nothing_changes(), pytest.raises(DomainError) as caught:
            call(actor=team.lead, **kwargs)
        assert caught.value.code == "report_locked"


def test_removing_an_attachment_deletes_the_file_after_commit(
    draft: AssessmentReport, team: Team, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    attachment = report_attachment_add(report=draft, actor=team.member, upload=pdf())
    stored = media / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        report_attachment_remove(attachment=attachment, actor=team.lead)

    assert not ReportAttachment.objects.exists() and not stored.exists()


def test_the_team_downloads_a_draft_attachment_and_the_cab_only_once_submitted(
    draft: AssessmentReport, team: Team, client_for: Any, cab_user: User, other_cab_user: User, assessor: User
) -> None:
    attachment = report_attachment_add(report=draft, actor=team.member, upload=pdf("记录.pdf"))
    url = reverse("assessors:report_attachment_download", args=[attachment.pk])

    response = client_for(team.lead).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment;" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    assert client_for(cab_user).get(url).status_code == 404

    recommend_all(draft, team.lead)
    report_submit(report=draft, actor=team.lead)

    assert client_for(cab_user).get(url).status_code == 200
    for outsider in (other_cab_user, assessor):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_a_member_uploads_through_the_page_and_a_bad_file_is_explained(
    draft: AssessmentReport, team: Team, client_for: Any
) -> None:
    url = reverse("assessors:report_attachment_add", args=[draft.pk])
    refused = client_for(team.member).post(url, {"file": SimpleUploadedFile("scan.pdf", PNG)})
    assert refused.status_code == 200 and "The file&#x27;s content is not a PDF file." in refused.content.decode()

    response = client_for(team.member).post(url, {"file": pdf("scan.pdf")})

    assert response.status_code == 302
    assert ReportAttachment.objects.get().label == "scan.pdf"
