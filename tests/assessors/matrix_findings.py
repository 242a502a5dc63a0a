"""Permission-matrix entries of the findings and corrective-action pages and API (see ``tests/matrix.py``).

A reported assessment of ``cab`` whose team the assigned assessor leads: an open nonconformity,
and one the CAB answered with a file attached. A second reported assessment has a nonconformity
past its deadline, which the secretariat may close. The unassigned assessor and the other CAB
see none of it (404); those who see a finding but may not act on it get 403.
"""

from __future__ import annotations

import weakref
from typing import Any

from django.core.files.base import ContentFile

from assessors.choices import TeamRole
from assessors.models_reports import CorrectiveActionAttachment
from tests.assessors.findings_helpers import PDF, answer, in_days, reported, team_member
from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, Case, World, api, secretariat_only, signed_in

SEES = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK)
# A member of the assessed CAB answers; the staff and the team see the finding but may not.
ANSWERS = signed_in(HIDE, cab_admin=OK, cab_member=OK, secretariat=DENY, decision_maker=DENY, assigned_assessor=DENY)
# An assessor working on the team reviews; the staff and the CAB see the answer but may not.
REVIEWS = signed_in(HIDE, assigned_assessor=OK, secretariat=DENY, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)
CAB_QUEUE = signed_in(DENY, cab_admin=OK, cab_member=OK, other_cab_admin=OK)
ASSESSOR_QUEUE = signed_in(DENY, assigned_assessor=OK, unassigned_assessor=OK)
# Only the secretariat closes a case; who cannot even see the assessment (the overdue one has another
# team) is told that it does not exist (400, the body names an unknown assessment).
CLOSE_API = signed_in(REFUSED, secretariat=OK, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)


def build(world: World) -> None:
    secretariat = world.users["secretariat"]
    cab_admin = world.users["cab_admin"]
    assigned = world.users["assigned_assessor"]
    assert secretariat is not None and cab_admin is not None and assigned is not None
    case = reported(
        world.cab,
        world.accreditation,
        secretariat=secretariat,
        cab_user=cab_admin,
        lead_name="f_lead",
        colleague_name="f_colleague",
    )
    team_member(case.assessment, assigned, TeamRole.ASSESSOR, secretariat)
    corrective_action = answer(case.major, cab_admin)
    attachment = CorrectiveActionAttachment(
        corrective_action=corrective_action, label="校准记录.pdf", size=len(PDF), uploaded_by=cab_admin
    )
    # Into whatever MEDIA_ROOT is in force (another build may have pointed it at its own folder), gone after.
    attachment.file.save("upload.pdf", ContentFile(PDF), save=True)
    weakref.finalize(world, attachment.file.storage.delete, attachment.file.name)
    overdue = reported(
        world.cab,
        world.accreditation,
        secretariat=secretariat,
        cab_user=cab_admin,
        lead_name="f_lead2",
        colleague_name="f_colleague2",
        due=in_days(-5),
    )
    world.extra.update(
        f_assessment=case.assessment,
        f_open=case.nc,
        f_corrective_action=corrective_action,
        f_attachment=attachment,
        f_overdue_assessment=overdue.assessment,
    )


def _pk(name: str) -> Any:
    return lambda w: {"pk": w.extra[name].pk}


ANSWER = lambda w: {  # noqa: E731
    "correction": "已补做能力验证。",
    "root_cause": "年度计划遗漏。",
    "action": "修订能力验证计划程序。",
}
CLOSE = lambda w: {"reason": "逾期未提交整改材料"}  # noqa: E731


def _close_api(w: World) -> dict[str, Any]:
    return {"assessment": w.extra["f_overdue_assessment"].pk, **CLOSE(w)}


PAGES: dict[str, list[Case]] = {
    "assessors:finding_list": [Case(SEES, kwargs=_pk("f_assessment"))],
    "assessors:finding_detail": [Case(SEES, kwargs=_pk("f_open"))],
    "assessors:corrective_action_submit": [
        Case(ANSWERS, kwargs=_pk("f_open")),
        Case(ANSWERS, method="post", kwargs=_pk("f_open"), data=ANSWER),
    ],
    "assessors:corrective_action_review": [
        Case(REVIEWS, kwargs=_pk("f_corrective_action")),
        Case(REVIEWS, method="post", kwargs=_pk("f_corrective_action"), data=lambda w: {"accept": "1"}),
    ],
    "assessors:corrective_action_attachment_download": [Case(SEES, kwargs=_pk("f_attachment"))],
    "assessors:findings_to_answer": [Case(CAB_QUEUE)],
    "assessors:answers_to_review": [Case(ASSESSOR_QUEUE)],
    "assessors:corrective_action_queue": [
        Case(secretariat_only()),
        Case(secretariat_only(), query=lambda w: {"show": "overdue"}),
    ],
    "assessors:assessment_close_after_deadline": [
        Case(secretariat_only(), kwargs=_pk("f_overdue_assessment")),
        Case(secretariat_only(), method="post", kwargs=_pk("f_overdue_assessment"), data=CLOSE),
    ],
}

ENDPOINTS: dict[str, list[Case]] = {
    "assessors_api:finding-list": [api(LISTS), api(LISTS, query=lambda w: {"overdue": "true"})],
    "assessors_api:finding-detail": [api(SEES, kwargs=_pk("f_open"))],
    "assessors_api:finding-answer": [api(ANSWERS, method="post", kwargs=_pk("f_open"), data=ANSWER)],
    "assessors_api:finding-close-after-deadline": [api(CLOSE_API, method="post", data=_close_api)],
    "assessors_api:corrective-action-list": [api(LISTS)],
    "assessors_api:corrective-action-detail": [api(SEES, kwargs=_pk("f_corrective_action"))],
    "assessors_api:corrective-action-accept": [api(REVIEWS, method="post", kwargs=_pk("f_corrective_action"))],
    "assessors_api:corrective-action-reject": [
        api(REVIEWS, method="post", kwargs=_pk("f_corrective_action"), data=lambda w: {"comment": "根本原因不充分"})
    ],
    "assessors_api:corrective-action-attachment": [
        api(
            SEES,
            kwargs=lambda w: {"pk": w.extra["f_corrective_action"].pk, "attachment_pk": w.extra["f_attachment"].pk},
        )
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
