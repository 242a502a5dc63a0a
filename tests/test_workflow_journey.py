"""The whole workflow, as its users go through it: a scope extension from the CAB's draft to the public directory.

Once through the pages (each person in their own browser session, with the forms they see) and
once through the API (each person with their own token). The CAB applies to extend its scope by
one item; the secretariat accepts and plans a remote assessment with a lead assessor; the lead
records the ICT and a session, reports a nonconformity and submits; the CAB answers it; the lead
accepts the answer; an independent decision maker grants the item; the public directory shows it.
Every step is in the audit trail, which still verifies, and each person heard of their turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accreditation.choices_applications import REQUIRED_DOCUMENTS, ApplicationType, checklist_for
from accreditation.models import Accreditation, Application, Cab, ScopeVersion
from assessors.choices import AssessmentStatus, FindingStatus
from assessors.models_reports import AssessmentReport, CorrectiveAction, Finding
from assessors.models_teams import Assessment, TeamMember
from core.audit import seal_pending_events, verify_chain
from core.audit_labels import event_label
from core.models import AuditEvent, Notification, User
from tests.accreditation.applications_helpers import PDF, media
from tests.assessors.teams_helpers import FOOD_ITEM, Pool, pool

__all__ = ["media"]

pytestmark = pytest.mark.django_db

START, END = "2026-12-07", "2026-12-08"
CHECKLIST = [key for key, _question in checklist_for(ApplicationType.EXTENSION)]


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media


@pytest.fixture
def people(cab: Cab, secretariat: User) -> Pool:
    return pool(cab, secretariat)


def ok(response: Any) -> Any:
    """A page move succeeded: it redirected (a form shown again means it was refused)."""
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def kinds_of(user: User) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def assert_trail(cab: Cab) -> None:
    seal_pending_events()  # as after the commits (the test's transaction never commits)
    assert verify_chain().ok
    events = AuditEvent.objects.filter(cab_id=cab.pk)
    types = set(events.values_list("event_type", flat=True))
    assert {
        "application.submitted",
        "application.accepted",
        "assessment.team_confirmed",
        "report.submitted",
        "corrective_action.submitted",
        "corrective_action.accepted",
        "assessment.completed",
        "decision.recorded",
        "scope.published",
    } <= types
    assert [t for t in types if event_label(t) == t] == []


def test_a_scope_extension_through_the_pages(
    client_for: Any,
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    accreditation: Accreditation,
    published_scope: ScopeVersion,
    people: Pool,
) -> None:
    lab, office, lead, decider = (
        client_for(cab_admin),
        client_for(secretariat),
        client_for(people.wang.user),
        client_for(decision_maker),
    )

    # The CAB drafts the extension, adds the item, attaches the documents and submits.
    ok(lab.post(reverse("accreditation:application_create"), {"cab": cab.pk, "programme": "CL", "type": "extension"}))
    application = Application.objects.get(cab=cab)
    ok(lab.post(reverse("accreditation:application_item_add", args=[application.pk]), FOOD_ITEM))
    page = lab.get(reverse("accreditation:application_detail", args=[application.pk])).content.decode()
    assert "过氧化值" in page
    for kind in REQUIRED_DOCUMENTS[ApplicationType.EXTENSION]:
        ok(
            lab.post(
                reverse("accreditation:application_document_add", args=[application.pk]),
                {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)},
            )
        )
    ok(lab.post(reverse("accreditation:application_submit", args=[application.pk])))

    # The secretariat finds it on My work, accepts it and plans a remote assessment.
    assert reverse("accreditation:application_detail", args=[application.pk]) in office.get("/work/").content.decode()
    ok(
        office.post(
            reverse("accreditation:application_review", args=[application.pk]),
            {"outcome": "accept", "checklist": CHECKLIST},
        )
    )
    item = application.items.get()
    ok(
        office.post(
            reverse("assessors:assessment_create", args=[application.pk]),
            {"kind": "remote", "planned_start": START, "planned_end": END, "scope_items": [item.pk]},
        )
    )
    assessment = Assessment.objects.get(application=application)
    ok(
        office.post(
            reverse("assessors:team_member_add", args=[assessment.pk]),
            {"user": people.wang.user_id, "role": "lead_assessor"},
        )
    )
    ok(office.post(reverse("assessors:team_confirm", args=[assessment.pk])))

    # The lead accepts the place, records the ICT and a session, and files the report with a nonconformity.
    member = TeamMember.objects.get(assessment=assessment, user=people.wang.user)
    assert reverse("assessors:assessment_detail", args=[assessment.pk]) in lead.get("/work/").content.decode()
    ok(lead.post(reverse("assessors:team_member_accept", args=[member.pk])))
    ok(
        lead.post(
            reverse("assessors:remote_details_edit", args=[assessment.pk]),
            {"ict_tools": "腾讯会议", "ict_tested_on": "2026-12-01", "ict_security": "不录像；资料加密传输"},
        )
    )
    ok(
        lead.post(
            reverse("assessors:remote_session_add", args=[assessment.pk]),
            {
                "starts_at": f"{START}T09:00",
                "ends_at": f"{START}T12:00",
                "topic": "方法确认记录远程查阅",
                "participants": "王芳，评审组长\n质量负责人",
            },
        )
    )
    ok(lead.post(reverse("assessors:report_start", args=[assessment.pk])))
    report = AssessmentReport.objects.get(assessment=assessment)
    ok(
        lead.post(
            reverse("assessors:report_edit", args=[report.pk]), {"summary": "远程评审。", "conclusion": "建议批准。"}
        )
    )
    ok(
        lead.post(
            reverse("assessors:report_recommendation", args=[report.pk, item.pk]),
            {"recommendation": "recommend_with_conditions", "conditions": "不符合项关闭后推荐"},
        )
    )
    ok(
        lead.post(
            reverse("assessors:finding_add", args=[report.pk]),
            {
                "kind": "nonconformity",
                "grade": "minor",
                "clause": "ISO/IEC 17025:2017 7.2.2",
                "statement": "方法确认记录不完整。",
                "evidence": "缺少检出限验证数据。",
                "item": item.pk,
            },
        )
    )
    ok(lead.post(reverse("assessors:report_submit", args=[report.pk])))
    finding = Finding.objects.get(assessment=assessment)
    assert finding.status == FindingStatus.OPEN and finding.answer_due_on is not None

    # The CAB sees the finding to answer and answers it with evidence.
    finding_page = reverse("assessors:finding_detail", args=[finding.pk])
    assert finding_page in lab.get(reverse("assessors:findings_to_answer")).content.decode()
    ok(
        lab.post(
            reverse("assessors:corrective_action_submit", args=[finding.pk]),
            {
                "correction": "已补做检出限验证。",
                "root_cause": "方法确认程序未规定检出限验证。",
                "action": "修订程序并培训。",
                "evidence_files": [SimpleUploadedFile("验证报告.pdf", PDF)],
            },
        )
    )

    # The lead accepts the answer; the assessment is completed.
    answer = CorrectiveAction.objects.get(finding=finding)
    assert finding_page in lead.get(reverse("assessors:answers_to_review")).content.decode()
    ok(lead.post(reverse("assessors:corrective_action_review", args=[answer.pk]), {"accept": "1", "comment": "有效"}))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED

    # A decision maker who was not on the team grants the item.
    decide = reverse("accreditation:application_decide", args=[application.pk])
    assert decide in decider.get(reverse("accreditation:decision_queue")).content.decode()
    assert "Recommend with conditions" in decider.get(decide).content.decode()
    ok(decider.post(decide, {"reasons": "评审结论支持扩项。", f"item_{item.pk}_outcome": "grant"}))
    application.refresh_from_db()
    assert application.status == "decided"

    # The public sees the extended scope.
    public = client_for(None).get(reverse("accreditation:directory_cab", args=[cab.pk])).content.decode()
    assert "过氧化值" in public

    assert_trail(cab)
    assert_everyone_heard(cab_admin, secretariat, people.wang.user)


def assert_everyone_heard(cab_admin: User, secretariat: User, lead: User) -> None:
    assert {
        "application.accepted",
        "team.confirmed",
        "report.submitted",
        "corrective_action.accepted",
        "decision.recorded",
    } <= kinds_of(cab_admin)
    assert {"application.submitted", "report.submitted_secretariat", "decision.recorded"} <= kinds_of(secretariat)
    assert {"team.place_offered", "corrective_action.submitted"} <= kinds_of(lead)


def created(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    body: dict[str, Any] = response.json()
    return body


def test_the_same_extension_through_the_api(
    api_for: Any,
    client_for: Any,
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    accreditation: Accreditation,
    published_scope: ScopeVersion,
    people: Pool,
) -> None:
    lab, office, lead, decider = (
        api_for(cab_admin),
        api_for(secretariat),
        api_for(people.wang.user),
        api_for(decision_maker),
    )

    application = created(
        lab.post("/api/applications/", {"cab": cab.pk, "programme": "CL", "type": "extension"}, format="json")
    )["id"]
    item = created(
        lab.post("/api/application-items/", {"application": application, "attributes": FOOD_ITEM}, format="json")
    )["id"]
    for kind in REQUIRED_DOCUMENTS[ApplicationType.EXTENSION]:
        created(
            lab.post(
                "/api/application-documents/",
                {"application": application, "kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)},
                format="multipart",
            )
        )
    created(lab.post(f"/api/applications/{application}/submit/"), 200)
    created(office.post(f"/api/applications/{application}/accept/", {"checklist": CHECKLIST}, format="json"), 200)

    assessment = created(
        office.post(
            "/api/assessments/",
            {
                "application": application,
                "kind": "remote",
                "planned_start": START,
                "planned_end": END,
                "scope_items": [item],
            },
            format="json",
        )
    )["id"]
    member = created(
        office.post(
            "/api/team-members/",
            {"assessment": assessment, "user": people.wang.user_id, "role": "lead_assessor"},
            format="json",
        )
    )["id"]
    created(office.post(f"/api/assessments/{assessment}/confirm-team/"), 200)
    created(lead.post(f"/api/team-members/{member}/accept/"), 200)
    created(
        lead.post(
            "/api/remote-sessions/details/",
            {"assessment": assessment, "ict_tools": "腾讯会议", "ict_tested_on": "2026-12-01"},
            format="json",
        ),
        200,
    )
    created(
        lead.post(
            "/api/remote-sessions/",
            {
                "assessment": assessment,
                "starts_at": f"{START}T09:00:00+08:00",
                "ends_at": f"{START}T12:00:00+08:00",
                "topic": "方法确认记录远程查阅",
                "participants": "王芳，评审组长",
            },
            format="json",
        )
    )
    report = created(lead.post("/api/reports/", {"assessment": assessment}, format="json"))["id"]
    created(
        lead.post(
            f"/api/reports/{report}/recommendations/",
            {"item": item, "recommendation": "recommend_with_conditions", "conditions": "不符合项关闭后推荐"},
            format="json",
        ),
        200,
    )
    finding = created(
        lead.post(
            "/api/report-findings/",
            {
                "report": report,
                "kind": "nonconformity",
                "grade": "minor",
                "clause": "ISO/IEC 17025:2017 7.2.2",
                "statement": "方法确认记录不完整。",
                "evidence": "缺少检出限验证数据。",
                "item": item,
            },
            format="json",
        )
    )["id"]
    created(lead.post(f"/api/reports/{report}/submit/"), 200)

    to_answer = created(lab.get("/api/findings/", {"status": "open"}), 200)
    assert [row["id"] for row in to_answer["results"]] == [finding]
    answer = created(
        lab.post(
            f"/api/findings/{finding}/answer/",
            {"correction": "已补做检出限验证。", "root_cause": "程序未规定。", "action": "修订程序并培训。"},
            format="json",
        )
    )["id"]
    created(lead.post(f"/api/corrective-actions/{answer}/accept/", {"comment": "有效"}, format="json"), 200)
    assert Assessment.objects.get(pk=assessment).status == AssessmentStatus.COMPLETED

    queue = created(decider.get("/api/applications/decision-queue/"), 200)
    assert application in [row["id"] for row in queue.get("results", queue)]
    created(
        decider.post(
            f"/api/applications/{application}/decide/",
            {"reasons": "评审结论支持扩项。", "items": [{"item": item, "outcome": "grant"}]},
            format="json",
        )
    )

    public = created(api_for(None).get(f"/api/public/cabs/{cab.pk}/"), 200)
    assert "过氧化值" in str(public)
    assert_trail(cab)
    assert_everyone_heard(cab_admin, secretariat, people.wang.user)
