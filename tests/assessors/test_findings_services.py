"""Corrective actions: the CAB answers, an assessor of the team reviews, the secretariat closes after the deadline.

Each move is tested with who may make it, what it changes, the audit event and the inbox; each
refusal with its code and with nothing changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accreditation.models import Accreditation, Cab
from assessors.choices import (
    AssessmentStatus,
    CorrectiveActionStatus,
    FindingStatus,
    ReportStatus,
    TeamMemberStatus,
    TeamRole,
)
from assessors.models_reports import CorrectiveAction, Finding
from assessors.models_teams import Assessment
from assessors.services_findings import (
    assessment_close_after_deadline,
    corrective_action_review,
    corrective_action_submit,
    is_late,
)
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, Notification, User
from core.notifications import render
from tests.assessors.factories import assessor_user
from tests.assessors.findings_helpers import (
    ANSWER,
    PDF,
    PNG,
    Reported,
    answer,
    finding,
    in_days,
    nothing_changes,
    pdf,
    report,
    reported,
    team_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User, cab_admin: User) -> Reported:
    return reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user)


def inbox(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def status_of(finding_: Finding) -> str:
    finding_.refresh_from_db()
    return finding_.status


# --- the CAB answers ------------------------------------------------------------------------------


def test_a_member_of_the_cab_answers_an_open_nonconformity(case: Reported, cab_user: User, media: Path) -> None:
    corrective_action = corrective_action_submit(finding=case.nc, actor=cab_user, **ANSWER)

    assert (corrective_action.status, corrective_action.submitted_by, corrective_action.correction) == (
        CorrectiveActionStatus.SUBMITTED,
        cab_user,
        "已报名参加2027年能力验证。",
    )
    assert status_of(case.nc) == FindingStatus.ANSWERED
    assert is_late(corrective_action) is False
    event = AuditEvent.objects.get(event_type="corrective_action.submitted")
    assert (event.actor, event.cab_id, event.aggregate_id) == (
        cab_user,
        case.assessment.application.cab_id,
        str(corrective_action.pk),
    )
    assert event.old_values == {"finding_status": "open"}
    assert (event.new_values["finding_status"], event.new_values["late"], event.new_values["attachments"]) == (
        "answered",
        False,
        [],
    )
    assert inbox("corrective_action.submitted") == ["li", "wang"]


def test_the_team_is_told_of_an_answer_but_not_a_member_who_only_was_proposed(
    case: Reported, cab_user: User, secretariat: User
) -> None:
    team_member(
        case.assessment, assessor_user("zhao"), TeamRole.ASSESSOR, secretariat, status=TeamMemberStatus.PROPOSED
    )
    team_member(case.assessment, assessor_user("sun"), TeamRole.ASSESSOR, secretariat, status=TeamMemberStatus.DECLINED)

    corrective_action_submit(finding=case.nc, actor=cab_user, **ANSWER)

    assert inbox("corrective_action.submitted") == ["li", "wang"]


def test_an_answer_after_the_deadline_is_accepted_and_recorded_as_late(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    late_case = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(-1))

    corrective_action = corrective_action_submit(finding=late_case.nc, actor=cab_user, **ANSWER)

    assert is_late(corrective_action) is True
    assert status_of(late_case.nc) == FindingStatus.ANSWERED
    event = AuditEvent.objects.get(event_type="corrective_action.submitted")
    assert (event.new_values["late"], event.new_values["answer_due_on"]) == (True, str(in_days(-1)))
    assert inbox("corrective_action.submitted_late") == ["li", "wang"]
    assert inbox("corrective_action.submitted") == []


def test_an_answer_on_the_deadline_day_is_in_time(
    cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User
) -> None:
    due_today = reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(0))

    corrective_action = corrective_action_submit(finding=due_today.nc, actor=cab_user, **ANSWER)

    assert is_late(corrective_action) is False


def test_evidence_files_are_stored_under_generated_names_with_their_content(
    case: Reported, cab_user: User, media: Path
) -> None:
    uploads = [pdf("../校准记录.pdf"), SimpleUploadedFile("photo.PNG", PNG, content_type="image/png")]

    corrective_action = corrective_action_submit(finding=case.nc, actor=cab_user, uploads=uploads, **ANSWER)

    attachments = list(corrective_action.attachments.order_by("pk"))
    assert [(a.label, a.size, a.uploaded_by) for a in attachments] == [
        ("校准记录.pdf", len(PDF), cab_user),
        ("photo.PNG", len(PNG), cab_user),
    ]
    for attachment, content in zip(attachments, (PDF, PNG), strict=True):
        assert attachment.file.name.startswith("corrective-actions/")
        assert "校准" not in attachment.file.name and "photo" not in attachment.file.name
        assert (media / attachment.file.name).read_bytes() == content
    event = AuditEvent.objects.get(event_type="corrective_action.submitted")
    assert [a["label"] for a in event.new_values["attachments"]] == ["校准记录.pdf", "photo.PNG"]


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "file_type_not_allowed"),
        (SimpleUploadedFile("fake.pdf", b"not a pdf at all"), "file_content_mismatch"),
        (SimpleUploadedFile("empty.pdf", b""), "empty_file"),
    ],
)
def test_a_bad_file_refuses_the_whole_answer(
    case: Reported, cab_user: User, media: Path, upload: SimpleUploadedFile, code: str
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        corrective_action_submit(finding=case.nc, actor=cab_user, uploads=[pdf(), upload], **ANSWER)

    assert error.value.code == code
    assert list(media.rglob("*.*")) == []


def test_more_than_ten_files_are_refused(case: Reported, cab_user: User, media: Path) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        corrective_action_submit(finding=case.nc, actor=cab_user, uploads=[pdf() for _ in range(11)], **ANSWER)

    assert (error.value.code, error.value.detail) == ("too_many_files", {"count": 11, "limit": 10})


def test_an_answer_without_root_cause_or_action_is_refused(case: Reported, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        corrective_action_submit(finding=case.nc, actor=cab_user, correction="已纠正", root_cause="  ", action="")

    assert error.value.code == "answer_incomplete"
    assert sorted(error.value.detail) == ["action", "root_cause"]


def test_an_answer_too_long_is_refused(case: Reported, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        corrective_action_submit(finding=case.nc, actor=cab_user, **{**ANSWER, "evidence": "证" * 8001})

    assert (error.value.code, list(error.value.detail)) == ("answer_too_long", ["evidence"])


def test_an_observation_needs_no_answer(case: Reported, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        corrective_action_submit(finding=case.observation, actor=cab_user, **ANSWER)

    assert error.value.code == "not_a_nonconformity"


def test_answering_twice_is_refused_while_the_first_answer_waits(case: Reported, cab_user: User) -> None:
    corrective_action_submit(finding=case.nc, actor=cab_user, **ANSWER)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        corrective_action_submit(finding=case.nc, actor=cab_user, **ANSWER)

    assert error.value.code == "already_answered"


@pytest.mark.parametrize("status", [FindingStatus.CLOSED, FindingStatus.LAPSED])
def test_a_closed_or_lapsed_nonconformity_cannot_be_answered(case: Reported, cab_user: User, status: str) -> None:
    Finding.objects.filter(pk=case.nc.pk).update(status=status)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        corrective_action_submit(finding=case.nc, actor=cab_user, **ANSWER)

    assert (error.value.code, error.value.detail) == ("finding_not_open", {"status": status})


def test_a_finding_of_a_draft_report_cannot_be_answered(case: Reported, cab_user: User) -> None:
    draft = report(case.assessment, case.lead, version=2, status=ReportStatus.DRAFT)
    raised = finding(draft, number=4)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        corrective_action_submit(finding=raised, actor=cab_user, **ANSWER)

    assert error.value.code == "report_not_submitted"


@pytest.mark.parametrize("who", ["other_cab_user", "lead", "secretariat"])
def test_only_a_member_of_the_assessed_cab_answers(case: Reported, request: pytest.FixtureRequest, who: str) -> None:
    actor = case.lead if who == "lead" else request.getfixturevalue(who)

    with nothing_changes(), pytest.raises(NotPermitted) as error:
        corrective_action_submit(finding=case.nc, actor=actor, **ANSWER)

    assert error.value.code == "not_cab_member"


# --- the assessor reviews -------------------------------------------------------------------------


def test_an_assessor_on_the_team_accepts_an_answer_and_the_nonconformity_closes(case: Reported, cab_user: User) -> None:
    submitted = answer(case.nc, cab_user)

    reviewed = corrective_action_review(corrective_action=submitted, actor=case.colleague, accept=True, comment="")

    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_comment) == (
        CorrectiveActionStatus.ACCEPTED,
        case.colleague,
        "",
    )
    case.nc.refresh_from_db()
    assert case.nc.status == FindingStatus.CLOSED
    assert case.nc.closed_at == reviewed.reviewed_at
    event = AuditEvent.objects.get(event_type="corrective_action.accepted")
    assert (event.actor, event.old_values, event.new_values["finding_status"]) == (
        case.colleague,
        {"status": "submitted", "finding_status": "answered"},
        "closed",
    )
    # The major nonconformity is still open: the assessment keeps waiting.
    case.assessment.refresh_from_db()
    assert case.assessment.status == AssessmentStatus.REPORTED
    assert inbox("corrective_action.accepted") == ["carol", "chen"]


def test_accepting_the_last_open_nonconformity_completes_the_assessment(case: Reported, cab_user: User) -> None:
    Finding.objects.filter(pk=case.major.pk).update(status=FindingStatus.CLOSED)

    corrective_action_review(corrective_action=answer(case.nc, cab_user), actor=case.lead, accept=True, comment="好")

    case.assessment.refresh_from_db()
    assert case.assessment.status == AssessmentStatus.COMPLETED
    assert list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True))[-2:] == [
        "corrective_action.accepted",
        "assessment.completed",
    ]


def test_a_rejected_answer_opens_the_nonconformity_again_with_the_same_deadline(case: Reported, cab_user: User) -> None:
    due = case.nc.answer_due_on
    submitted = answer(case.nc, cab_user)

    reviewed = corrective_action_review(
        corrective_action=submitted, actor=case.lead, accept=False, comment=" 根本原因分析不充分。 "
    )

    assert (reviewed.status, reviewed.review_comment) == (CorrectiveActionStatus.REJECTED, "根本原因分析不充分。")
    case.nc.refresh_from_db()
    assert (case.nc.status, case.nc.answer_due_on, case.nc.closed_at) == (FindingStatus.OPEN, due, None)
    event = AuditEvent.objects.get(event_type="corrective_action.rejected")
    assert (event.reason, event.new_values["finding_status"]) == ("根本原因分析不充分。", "open")
    notification = Notification.objects.get(kind="corrective_action.rejected", recipient=cab_user)
    subject, body = render(notification)
    assert subject == "Your answer to NC-1 ISO/IEC 17025 7.7.1 was rejected"
    assert "根本原因分析不充分。" in body
    assert f"Answer it again by {due}." in body

    again = corrective_action_submit(finding=case.nc, actor=cab_user, **ANSWER)

    assert list(case.nc.corrective_actions.order_by("pk").values_list("status", flat=True)) == [
        CorrectiveActionStatus.REJECTED,
        CorrectiveActionStatus.SUBMITTED,
    ]
    assert again.pk != submitted.pk


def test_rejecting_without_a_comment_is_refused(case: Reported, cab_user: User) -> None:
    submitted = answer(case.nc, cab_user)

    with nothing_changes(), pytest.raises(DomainError) as error:
        corrective_action_review(corrective_action=submitted, actor=case.lead, accept=False, comment="   ")

    assert error.value.code == "comment_required"


def test_an_answer_is_reviewed_only_once(case: Reported, cab_user: User) -> None:
    submitted = answer(case.nc, cab_user)
    corrective_action_review(corrective_action=submitted, actor=case.lead, accept=True, comment="")

    with nothing_changes(), pytest.raises(StateConflict) as error:
        corrective_action_review(corrective_action=submitted, actor=case.colleague, accept=False, comment="不行")

    assert (error.value.code, error.value.detail) == ("already_reviewed", {"status": "accepted"})


@pytest.mark.parametrize("who", ["cab_user", "assessor", "secretariat", "decision_maker", "proposed"])
def test_only_an_assessor_working_on_the_team_reviews(
    case: Reported, cab_user: User, secretariat: User, request: pytest.FixtureRequest, who: str
) -> None:
    if who == "proposed":
        actor = assessor_user("zhao")
        team_member(case.assessment, actor, TeamRole.ASSESSOR, secretariat, status=TeamMemberStatus.PROPOSED)
    else:
        actor = request.getfixturevalue(who)
    submitted = answer(case.nc, cab_user)

    with nothing_changes(), pytest.raises(NotPermitted) as error:
        corrective_action_review(corrective_action=submitted, actor=actor, accept=True, comment="")

    assert error.value.code == "not_on_team"


# --- the secretariat closes after the deadline ----------------------------------------------------


@pytest.fixture
def overdue(cab: Cab, accreditation: Accreditation, secretariat: User, cab_user: User, cab_admin: User) -> Reported:
    return reported(cab, accreditation, secretariat=secretariat, cab_user=cab_user, due=in_days(-3))


def test_the_secretariat_closes_a_case_whose_deadlines_have_passed(
    overdue: Reported, secretariat: User, cab_user: User
) -> None:
    Finding.objects.filter(pk=overdue.major.pk).update(status=FindingStatus.CLOSED)

    assessment = assessment_close_after_deadline(
        assessment=overdue.assessment, actor=secretariat, reason="逾期未提交整改材料"
    )

    assert assessment.status == AssessmentStatus.COMPLETED
    assert [status_of(f) for f in (overdue.nc, overdue.major, overdue.observation)] == [
        FindingStatus.LAPSED,
        FindingStatus.CLOSED,
        FindingStatus.NOTED,
    ]
    events = list(AuditEvent.objects.order_by("id").values_list("event_type", "aggregate_id", "reason"))[-3:]
    assert events == [
        ("finding.lapsed", str(overdue.nc.pk), "逾期未提交整改材料"),
        ("assessment.closed_after_deadline", str(overdue.assessment.pk), "逾期未提交整改材料"),
        ("assessment.completed", str(overdue.assessment.pk), "逾期未提交整改材料"),
    ]
    closing = AuditEvent.objects.get(event_type="assessment.closed_after_deadline")
    assert closing.new_values == {"lapsed": [1]}
    assert inbox("assessment.closed_after_deadline") == ["carol", "chen", "li", "wang"]


def test_closing_lapses_every_overdue_nonconformity(overdue: Reported, secretariat: User) -> None:
    assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason="逾期")

    assert list(
        Finding.objects.filter(status=FindingStatus.LAPSED).order_by("number").values_list("number", flat=True)
    ) == [
        1,
        2,
    ]
    assert AuditEvent.objects.filter(event_type="finding.lapsed").count() == 2


def test_closing_before_every_deadline_has_passed_is_refused(overdue: Reported, secretariat: User) -> None:
    Finding.objects.filter(pk=overdue.major.pk).update(answer_due_on=in_days(0))

    with nothing_changes(), pytest.raises(StateConflict) as error:
        assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason="逾期")

    assert (error.value.code, error.value.detail) == ("deadline_not_passed", {"findings": [2]})


def test_closing_while_an_answer_waits_for_review_is_refused(
    overdue: Reported, secretariat: User, cab_user: User
) -> None:
    answer(overdue.major, cab_user)

    with nothing_changes(), pytest.raises(StateConflict) as error:
        assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason="逾期")

    assert (error.value.code, error.value.detail) == ("answers_waiting_for_review", {"findings": [2]})


def test_only_the_secretariat_closes_a_case(overdue: Reported, decision_maker: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as error:
        assessment_close_after_deadline(assessment=overdue.assessment, actor=overdue.lead, reason="逾期")

    assert error.value.code == "not_secretariat"
    with nothing_changes(), pytest.raises(NotPermitted):
        assessment_close_after_deadline(assessment=overdue.assessment, actor=decision_maker, reason="逾期")


def test_closing_needs_a_reason(overdue: Reported, secretariat: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as error:
        assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason=" ")

    assert error.value.code == "reason_required"


def test_a_completed_assessment_cannot_be_closed_again(overdue: Reported, secretariat: User) -> None:
    assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason="逾期")

    with nothing_changes(), pytest.raises(StateConflict) as error:
        assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason="逾期")

    assert (error.value.code, error.value.detail) == ("assessment_not_reported", {"status": "completed"})


def test_a_lapsed_nonconformity_can_no_longer_be_answered(overdue: Reported, secretariat: User, cab_user: User) -> None:
    assessment_close_after_deadline(assessment=overdue.assessment, actor=secretariat, reason="逾期")

    with nothing_changes(), pytest.raises(StateConflict) as error:
        corrective_action_submit(finding=overdue.nc, actor=cab_user, **ANSWER)

    assert error.value.code == "finding_not_open"
    assert Assessment.objects.get(pk=overdue.assessment.pk).status == AssessmentStatus.COMPLETED
    assert CorrectiveAction.objects.count() == 0
