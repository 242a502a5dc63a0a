"""Permission-matrix entries of the report and remote-assessment pages and API (see ``tests/matrix.py``).

``build`` plans three remote assessments of an accepted extension of ``cab``, each with a
confirmed team led by the assigned assessor (accepted): the first has a draft report ready to
submit (a recommendation per item, a finding, an attachment) and a remote session; the second
a submitted report with an attachment; the third no report yet. Files go to a temporary media
folder (see ``_temporary_media``).

Who is who here: the team (the assigned assessor, its lead) writes, submits and amends; staff
read every version but may not write the report (403); the secretariat keeps the ICT details
and sessions with the team; the CAB reads only the submitted version (a draft is 404 to it) and
is refused the team's moves (403); the unassigned assessor and the other CAB see nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import weakref
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone
from guardian.shortcuts import assign_perm

from assessors.choices import AssessmentKind, AssessmentStatus, TeamMemberStatus, TeamRole
from assessors.models_teams import Assessment, TeamMember
from assessors.services_reports import (
    remote_session_add,
    report_attachment_add,
    report_start,
    report_submit,
)
from assessors.services_teams import assessment_create
from core.models import User
from tests.assessors.reports_helpers import PDF, nonconformity, recommend_all
from tests.assessors.teams_helpers import END, START, accepted_extension
from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, Case, World, api, signed_in

# A draft: staff and the team read it; the team (led by the assigned assessor) writes it.
READ_DRAFT = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK)
TEAM_DRAFT = signed_in(HIDE, secretariat=DENY, decision_maker=DENY, assigned_assessor=OK)
# A submitted version: the CAB reads it too, and is refused the team's moves.
READ_SUBMITTED = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK)
TEAM_SUBMITTED = signed_in(
    HIDE, secretariat=DENY, decision_maker=DENY, assigned_assessor=OK, cab_admin=DENY, cab_member=DENY
)
# The assessment: the CAB sees it; the team starts the report.
START_REPORT = TEAM_SUBMITTED
# A remote assessment and its sessions: whoever sees the assessment.
SEES_ASSESSMENT = READ_SUBMITTED
# ICT details and sessions: the secretariat and the team.
REMOTE_MOVE = signed_in(
    HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=OK, cab_admin=DENY, cab_member=DENY
)
# A new object naming a parent the user cannot see: the body is refused (400), as elsewhere in the API.
REMOTE_CREATE = {**REMOTE_MOVE, "unassigned_assessor": REFUSED, "other_cab_admin": REFUSED}
FINDING_CREATE = signed_in(REFUSED, secretariat=DENY, decision_maker=DENY, assigned_assessor=OK)
REPORT_CREATE = signed_in(
    REFUSED, secretariat=DENY, decision_maker=DENY, assigned_assessor=OK, cab_admin=DENY, cab_member=DENY
)


def _assessment(world: World, lead: User, secretariat: User, cab_admin: User) -> Assessment:
    application = accepted_extension(world.cab, world.accreditation, cab_admin)
    assessment = assessment_create(
        application=application, actor=secretariat, kind=AssessmentKind.REMOTE, planned_start=START, planned_end=END
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.TEAM_CONFIRMED)
    assessment.refresh_from_db()
    TeamMember.objects.create(
        assessment=assessment,
        user=lead,
        role=TeamRole.LEAD_ASSESSOR,
        status=TeamMemberStatus.ACCEPTED,
        added_by=secretariat,
    )
    assign_perm("assessors.view_assessment", lead, assessment)
    return assessment


def upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("现场记录.pdf", PDF)}


def _temporary_media(world: World) -> None:
    """Files go to a temporary folder: the one an earlier ``build`` already set, or one of our own.

    Overriding a folder another build set would hide that build's files from its downloads.
    """
    if str(settings.MEDIA_ROOT).startswith(tempfile.gettempdir()):
        return
    media = tempfile.mkdtemp(prefix="portal-matrix-reports-")
    override = override_settings(MEDIA_ROOT=media)
    override.enable()

    def cleanup() -> None:
        override.disable()
        shutil.rmtree(media, ignore_errors=True)

    weakref.finalize(world, cleanup)


def build(world: World) -> None:
    _temporary_media(world)
    secretariat = world.users["secretariat"]
    cab_admin = world.users["cab_admin"]
    lead = world.users["assigned_assessor"]
    assert secretariat is not None and cab_admin is not None and lead is not None

    drafting = _assessment(world, lead, secretariat, cab_admin)
    draft = report_start(assessment=drafting, actor=lead)
    recommend_all(draft, lead)
    finding = nonconformity(draft, lead)
    attachment = report_attachment_add(report=draft, actor=lead, upload=SimpleUploadedFile("照片.pdf", PDF))
    starts = timezone.now()
    session = remote_session_add(
        assessment=drafting,
        actor=lead,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        topic="文件评审",
        participants="评审组长",
    )

    reported = _assessment(world, lead, secretariat, cab_admin)
    submitted = report_start(assessment=reported, actor=lead)
    recommend_all(submitted, lead)
    sent_attachment = report_attachment_add(report=submitted, actor=lead, upload=SimpleUploadedFile("签字.pdf", PDF))
    submitted = report_submit(report=submitted, actor=lead)

    world.extra.update(
        report_drafting=drafting,
        report_draft=draft,
        report_draft_item=draft.assessment.scope_items.order_by("pk").first(),
        report_finding=finding,
        report_attachment=attachment,
        report_session=session,
        report_submitted=submitted,
        report_sent_attachment=sent_attachment,
        report_unstarted=_assessment(world, lead, secretariat, cab_admin),
    )


def _pk(name: str) -> Any:
    return lambda w: {"pk": w.extra[name].pk}


def _recommendation_kwargs(w: World) -> dict[str, Any]:
    return {"pk": w.extra["report_draft"].pk, "item_pk": w.extra["report_draft_item"].pk}


FINDING = lambda w: {  # noqa: E731
    "kind": "observation",
    "grade": "",
    "clause": "6.4.13",
    "statement": "设备标识可更清晰。",
    "evidence": "现场查看。",
}
SESSION = lambda w: {  # noqa: E731
    "starts_at": "2026-12-07T09:00",
    "ends_at": "2026-12-07T10:00",
    "topic": "见证检测",
    "participants": "评审组长",
}
REASON = lambda w: {"reason": "更正结论"}  # noqa: E731
RECOMMEND = lambda w: {"recommendation": "recommend", "conditions": ""}  # noqa: E731
ICT = lambda w: {"ict_tools": "腾讯会议", "ict_tested_on": "2026-12-01", "ict_security": "不录像"}  # noqa: E731

PAGES: dict[str, list[Case]] = {
    "assessors:report_start": [Case(START_REPORT, method="post", kwargs=_pk("report_unstarted"))],
    "assessors:report_detail": [
        Case(READ_DRAFT, kwargs=_pk("report_draft")),
        Case(READ_SUBMITTED, kwargs=_pk("report_submitted")),
    ],
    "assessors:report_edit": [
        Case(TEAM_DRAFT, kwargs=_pk("report_draft")),
        Case(
            TEAM_DRAFT, method="post", kwargs=_pk("report_draft"), data=lambda w: {"summary": "有效", "conclusion": ""}
        ),
        Case(TEAM_SUBMITTED, method="post", kwargs=_pk("report_submitted"), data=lambda w: {"summary": "改"}),
    ],
    "assessors:report_recommendation": [Case(TEAM_DRAFT, method="post", kwargs=_recommendation_kwargs, data=RECOMMEND)],
    "assessors:finding_add": [Case(TEAM_DRAFT, method="post", kwargs=_pk("report_draft"), data=FINDING)],
    "assessors:finding_edit": [
        Case(TEAM_DRAFT, kwargs=_pk("report_finding")),
        Case(TEAM_DRAFT, method="post", kwargs=_pk("report_finding"), data=FINDING),
    ],
    "assessors:finding_remove": [Case(TEAM_DRAFT, method="post", kwargs=_pk("report_finding"))],
    "assessors:report_attachment_add": [Case(TEAM_DRAFT, method="post", kwargs=_pk("report_draft"), data=upload)],
    "assessors:report_attachment_download": [
        Case(READ_DRAFT, kwargs=_pk("report_attachment")),
        Case(READ_SUBMITTED, kwargs=_pk("report_sent_attachment")),
    ],
    "assessors:report_attachment_remove": [Case(TEAM_DRAFT, method="post", kwargs=_pk("report_attachment"))],
    "assessors:report_submit": [Case(TEAM_DRAFT, method="post", kwargs=_pk("report_draft"))],
    "assessors:report_amend": [Case(TEAM_SUBMITTED, method="post", kwargs=_pk("report_submitted"), data=REASON)],
    "assessors:remote_details_edit": [
        Case(REMOTE_MOVE, kwargs=_pk("report_drafting")),
        Case(REMOTE_MOVE, method="post", kwargs=_pk("report_drafting"), data=ICT),
    ],
    "assessors:remote_session_add": [Case(REMOTE_MOVE, method="post", kwargs=_pk("report_drafting"), data=SESSION)],
    "assessors:remote_session_remove": [Case(REMOTE_MOVE, method="post", kwargs=_pk("report_session"))],
}


def _finding_body(w: World) -> dict[str, Any]:
    return {"report": w.extra["report_draft"].pk, **FINDING(w)}


def _session_body(w: World) -> dict[str, Any]:
    return {
        "assessment": w.extra["report_drafting"].pk,
        "starts_at": "2026-12-07T09:00:00+08:00",
        "ends_at": "2026-12-07T10:00:00+08:00",
        "topic": "见证检测",
        "participants": "评审组长",
    }


ENDPOINTS: dict[str, list[Case]] = {
    "assessors_api:report-list": [
        api(LISTS),
        api(REPORT_CREATE, method="post", data=lambda w: {"assessment": w.extra["report_unstarted"].pk}),
    ],
    "assessors_api:report-detail": [
        api(READ_DRAFT, kwargs=_pk("report_draft")),
        api(READ_SUBMITTED, kwargs=_pk("report_submitted")),
        api(TEAM_DRAFT, method="patch", kwargs=_pk("report_draft"), data=lambda w: {"summary": "有效"}),
    ],
    "assessors_api:report-submit": [api(TEAM_DRAFT, method="post", kwargs=_pk("report_draft"))],
    "assessors_api:report-amend": [api(TEAM_SUBMITTED, method="post", kwargs=_pk("report_submitted"), data=REASON)],
    "assessors_api:report-recommendations": [
        api(
            TEAM_DRAFT,
            method="post",
            kwargs=_pk("report_draft"),
            data=lambda w: {"item": w.extra["report_draft_item"].pk, **RECOMMEND(w)},
        )
    ],
    # The matrix sends JSON, so the team member's request has no file (400); the others are refused first.
    "assessors_api:report-attachments": [
        api({**TEAM_DRAFT, "assigned_assessor": REFUSED}, method="post", kwargs=_pk("report_draft"))
    ],
    "assessors_api:report-attachment-list": [api(LISTS)],
    "assessors_api:report-attachment-detail": [
        api(READ_DRAFT, kwargs=_pk("report_attachment")),
        api(TEAM_DRAFT, method="delete", kwargs=_pk("report_attachment")),
    ],
    "assessors_api:report-attachment-download": [
        api(READ_DRAFT, kwargs=_pk("report_attachment")),
        api(READ_SUBMITTED, kwargs=_pk("report_sent_attachment")),
    ],
    "assessors_api:report-finding-list": [api(LISTS), api(FINDING_CREATE, method="post", data=_finding_body)],
    "assessors_api:report-finding-detail": [
        api(READ_DRAFT, kwargs=_pk("report_finding")),
        api(TEAM_DRAFT, method="patch", kwargs=_pk("report_finding"), data=lambda w: {"clause": "7.7.2"}),
        api(TEAM_DRAFT, method="delete", kwargs=_pk("report_finding")),
    ],
    "assessors_api:remote-session-list": [api(LISTS), api(REMOTE_CREATE, method="post", data=_session_body)],
    "assessors_api:remote-session-detail": [
        api(SEES_ASSESSMENT, kwargs=_pk("report_session")),
        api(REMOTE_MOVE, method="delete", kwargs=_pk("report_session")),
    ],
    "assessors_api:remote-session-details": [
        api(
            REMOTE_CREATE,
            method="post",
            data=lambda w: {"assessment": w.extra["report_drafting"].pk, "ict_tools": "腾讯会议"},
        )
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
