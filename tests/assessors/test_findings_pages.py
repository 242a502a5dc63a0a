"""The corrective-action pages: the CAB answers with files, the team reviews, the secretariat chases and closes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, Cab
from assessors.choices import AssessmentStatus, CorrectiveActionStatus, FindingStatus, ReportStatus
from assessors.models_reports import CorrectiveAction, CorrectiveActionAttachment, Finding
from assessors.models_teams import Assessment
from core.models import User
from tests.assessors.findings_helpers import (
    ANSWER,
    PDF,
    Reported,
    answer,
    finding,
    in_days,
    nothing_changes,
    report,
    reported,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User) -> Reported:
    return reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user)


def url(name: str, pk: int) -> str:
    return reverse(f"assessors:{name}", args=[pk])


def test_the_finding_list_shows_each_finding_its_deadline_and_latest_answer(
    case: Reported, cab_user: User, client_for: Any
) -> None:
    Finding.objects.filter(pk=case.major.pk).update(answer_due_on=in_days(-1))
    answer(case.nc, cab_user)

    page = client_for(cab_user).get(url("finding_list", case.assessment.pk))

    assert page.status_code == 200
    rows = [(r.finding.number, r.finding.status, r.finding.is_overdue) for r in page.context["rows"]]
    assert rows == [(1, "answered", False), (2, "open", True), (3, "noted", False)]
    latest = page.context["rows"][0].latest
    assert (latest.corrective_action.status, latest.late) == (CorrectiveActionStatus.SUBMITTED, False)
    assert page.context["overdue_count"] == 1
    html = page.content.decode()
    assert html.count('class="tag tag-removed overdue"') == 2  # the header count and NC-2's row
    assert "ISO/IEC 17025 6.4.7" in html
    assert page.context["can_close"] is False


def test_the_cab_does_not_see_the_findings_of_a_draft_report(case: Reported, cab_user: User, client_for: Any) -> None:
    raised = finding(report(case.assessment, case.lead, version=2, status=ReportStatus.DRAFT), number=4)

    listed = client_for(cab_user).get(url("finding_list", case.assessment.pk))

    assert [r.finding.number for r in listed.context["rows"]] == [1, 2, 3]
    assert client_for(cab_user).get(url("finding_detail", raised.pk)).status_code == 404
    assert client_for(case.lead).get(url("finding_detail", raised.pk)).status_code == 200


@pytest.mark.parametrize("who", ["other_cab_user", "assessor"])
def test_another_cab_and_an_assessor_off_the_team_get_404(
    case: Reported, request: pytest.FixtureRequest, client_for: Any, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))

    assert client.get(url("finding_list", case.assessment.pk)).status_code == 404
    assert client.get(url("finding_detail", case.nc.pk)).status_code == 404
    assert client.post(url("corrective_action_submit", case.nc.pk), ANSWER).status_code == 404


def test_the_cab_answers_on_the_page_with_files_and_the_team_downloads_them(
    case: Reported, cab_user: User, client_for: Any, media: Path
) -> None:
    detail = client_for(cab_user).get(url("finding_detail", case.nc.pk))
    assert (detail.context["can_answer"], detail.context["can_review"]) == (True, False)
    assert 'enctype="multipart/form-data"' in detail.content.decode()

    response = client_for(cab_user).post(
        url("corrective_action_submit", case.nc.pk),
        {**ANSWER, "evidence_files": [SimpleUploadedFile("能力验证回执.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]},
    )

    assert response.status_code == 302
    assert response["Location"] == url("finding_detail", case.nc.pk)
    corrective_action = CorrectiveAction.objects.get(finding=case.nc)
    assert list(corrective_action.attachments.order_by("pk").values_list("label", flat=True)) == [
        "能力验证回执.pdf",
        "b.pdf",
    ]
    attachment = corrective_action.attachments.order_by("pk").first()
    assert attachment is not None
    download = client_for(case.lead).get(url("corrective_action_attachment_download", attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    review = client_for(case.lead).get(url("finding_detail", case.nc.pk))
    assert (review.context["can_answer"], review.context["can_review"]) == (False, True)
    assert review.context["pending"] == corrective_action


def test_a_file_of_another_cab_is_not_found(
    case: Reported, cab_user: User, other_cab_user: User, assessor: User, client_for: Any, media: Path
) -> None:
    corrective_action = answer(case.nc, cab_user)
    attachment = CorrectiveActionAttachment(
        corrective_action=corrective_action, label="a.pdf", size=len(PDF), uploaded_by=cab_user
    )
    attachment.file.save("upload.pdf", SimpleUploadedFile("a.pdf", PDF))

    for outsider in (other_cab_user, assessor):
        assert client_for(outsider).get(url("corrective_action_attachment_download", attachment.pk)).status_code == 404


def test_a_refused_answer_shows_its_message_and_changes_nothing(
    case: Reported, cab_user: User, client_for: Any, media: Path
) -> None:
    with nothing_changes():
        page = client_for(cab_user).post(
            url("corrective_action_submit", case.nc.pk),
            {**ANSWER, "evidence_files": [SimpleUploadedFile("setup.exe", b"MZ")]},
        )

    assert page.status_code == 200
    assert "Only PDF, Word (.docx), Excel (.xlsx), JPEG and PNG files may be attached." in page.content.decode()


def test_a_late_answer_is_shown_as_late(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User, client_for: Any
) -> None:
    late = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(-3))
    form = client_for(cab_user).get(url("corrective_action_submit", late.nc.pk))
    assert "Overdue" in form.content.decode()

    response = client_for(cab_user).post(url("corrective_action_submit", late.nc.pk), ANSWER, follow=True)

    html = response.content.decode()
    assert "Your answer was sent to the assessors; it was submitted after the deadline." in html
    assert "Submitted after the deadline" in html
    listed = client_for(late.lead).get(url("finding_list", late.assessment.pk))
    assert listed.context["rows"][0].latest.late is True


def test_an_assessor_may_not_answer_and_the_cab_may_not_review(case: Reported, cab_user: User, client_for: Any) -> None:
    corrective_action = answer(case.major, cab_user)

    with nothing_changes():
        assert client_for(case.lead).post(url("corrective_action_submit", case.nc.pk), ANSWER).status_code == 403
        refused = client_for(cab_user).post(url("corrective_action_review", corrective_action.pk), {"accept": "1"})
    assert refused.status_code == 403


def test_rejecting_without_a_comment_shows_why_and_changes_nothing(
    case: Reported, cab_user: User, client_for: Any
) -> None:
    corrective_action = answer(case.nc, cab_user)

    with nothing_changes():
        page = client_for(case.lead).post(url("corrective_action_review", corrective_action.pk), {"accept": "0"})

    assert page.status_code == 200
    assert "Say why the answer is rejected; the CAB will read it." in page.content.decode()


def test_the_team_rejects_then_accepts_and_the_last_acceptance_completes_the_assessment(
    case: Reported, cab_user: User, client_for: Any
) -> None:
    Finding.objects.filter(pk=case.major.pk).update(status=FindingStatus.CLOSED)
    first = answer(case.nc, cab_user)

    rejected = client_for(case.lead).post(
        url("corrective_action_review", first.pk), {"accept": "0", "comment": "证据不足。"}, follow=True
    )
    assert "The answer is rejected; the CAB answers again." in rejected.content.decode()
    assert Finding.objects.get(pk=case.nc.pk).status == FindingStatus.OPEN
    client_for(cab_user).post(url("corrective_action_submit", case.nc.pk), ANSWER)
    second = CorrectiveAction.objects.get(finding=case.nc, status=CorrectiveActionStatus.SUBMITTED)

    client_for(case.colleague).post(url("corrective_action_review", second.pk), {"accept": "1", "comment": ""})

    assert Finding.objects.get(pk=case.nc.pk).status == FindingStatus.CLOSED
    assert Assessment.objects.get(pk=case.assessment.pk).status == AssessmentStatus.COMPLETED
    detail = client_for(cab_user).get(url("finding_detail", case.nc.pk)).content.decode()
    assert "证据不足。" in detail
    assert detail.count('class="corrective-action"') == 2
    assert f"Answer of {timezone.localtime(first.submitted_at):%Y-%m-%d %H:%M} by {cab_user}" in detail


def test_the_cab_sees_its_nonconformities_to_answer_the_overdue_first(
    case: Reported, cab_user: User, secretariat: User, client_for: Any
) -> None:
    Finding.objects.filter(pk=case.major.pk).update(answer_due_on=in_days(-1))

    page = client_for(cab_user).get(reverse("assessors:findings_to_answer"))

    assert [f.number for f in page.context["findings"]] == [2, 1]
    assert 'class="tag tag-removed overdue"' in page.content.decode()
    assert client_for(secretariat).get(reverse("assessors:findings_to_answer")).status_code == 403


def test_an_assessor_sees_the_answers_to_review(case: Reported, cab_user: User, client_for: Any) -> None:
    corrective_action = answer(case.major, cab_user)

    page = client_for(case.colleague).get(reverse("assessors:answers_to_review"))

    assert [row.finding.number for row in page.context["rows"]] == [2]
    assert url("corrective_action_review", corrective_action.pk) in page.content.decode()
    assert client_for(cab_user).get(reverse("assessors:answers_to_review")).status_code == 403


def test_the_secretariat_queue_filters_overdue_cases_and_offers_the_close(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User, client_for: Any
) -> None:
    in_time = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user)
    overdue = reported(
        cab,
        accreditation,
        secretariat=secretariat,
        cab_user=cab_user,
        lead_name="wang2",
        colleague_name="li2",
        due=in_days(-2),
    )
    queue = reverse("assessors:corrective_action_queue")

    everything = client_for(secretariat).get(queue)
    only_overdue = client_for(secretariat).get(queue, {"show": "overdue"})

    assert [a.pk for a in everything.context["assessments"]] == [overdue.assessment.pk, in_time.assessment.pk]
    assert [a.pk for a in only_overdue.context["assessments"]] == [overdue.assessment.pk]
    html = everything.content.decode()
    assert url("assessment_close_after_deadline", overdue.assessment.pk) in html
    assert url("assessment_close_after_deadline", in_time.assessment.pk) not in html


def test_closing_before_the_deadline_is_refused_on_the_page(case: Reported, secretariat: User, client_for: Any) -> None:
    with nothing_changes():
        page = client_for(secretariat).post(
            url("assessment_close_after_deadline", case.assessment.pk), {"reason": "逾期"}
        )

    assert page.status_code == 200
    assert "has not passed yet" in page.content.decode()


def test_the_secretariat_closes_after_the_deadline_and_the_findings_show_as_lapsed(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User, decision_maker: User, client_for: Any
) -> None:
    overdue = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(-2))

    response = client_for(secretariat).post(
        url("assessment_close_after_deadline", overdue.assessment.pk), {"reason": "逾期未整改"}, follow=True
    )

    assert response.redirect_chain == [(url("finding_list", overdue.assessment.pk), 302)]
    assert [r.finding.status for r in response.context["rows"]] == ["lapsed", "lapsed", "noted"]
    assert "badge badge-lapsed" in response.content.decode()
    assert Assessment.objects.get(pk=overdue.assessment.pk).status == AssessmentStatus.COMPLETED
    seen = client_for(decision_maker).get(url("finding_detail", overdue.nc.pk))
    assert "Deadline passed without an accepted answer" in seen.content.decode()
