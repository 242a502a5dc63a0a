"""Permission-matrix entries of the assessment and team pages and API (see ``tests/matrix.py``).

Two assessments of an accepted extension of ``cab``: one in planning with a proposed lead
assessor, and one whose confirmed team has the assigned assessor on it and a member the CAB
objected to. The unassigned assessor and the other CAB see neither (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from guardian.shortcuts import assign_perm

from assessors.choices import AssessmentStatus, QualificationRole, TeamMemberStatus, TeamRole
from assessors.models_teams import Assessment, TeamMember
from tests.assessors.factories import assessor_user, profile_for, qualification
from tests.assessors.teams_helpers import accepted_extension, plan
from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, Case, World, api, secretariat_only, signed_in

SEES_CONFIRMED = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK)
# A planning assessment: the staff and the CAB see it; only the secretariat moves it.
PLANNING_MOVE = signed_in(HIDE, secretariat=OK, decision_maker=DENY, cab_admin=DENY, cab_member=DENY)
OWN_PLACE_PAGE = signed_in(HIDE, assigned_assessor=OK)
OWN_PLACE_API = signed_in(
    HIDE, assigned_assessor=OK, secretariat=DENY, decision_maker=DENY, cab_admin=DENY, cab_member=DENY
)
OBJECT = signed_in(HIDE, cab_admin=OK, cab_member=OK, secretariat=DENY, decision_maker=DENY, assigned_assessor=DENY)
RESCHEDULE_API = signed_in(
    HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
)
RULE_API = signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY)


def build(world: World) -> None:
    secretariat = world.users["secretariat"]
    cab_admin = world.users["cab_admin"]
    assigned = world.users["assigned_assessor"]
    assert secretariat is not None and cab_admin is not None and assigned is not None
    application = accepted_extension(world.cab, world.accreditation, cab_admin)
    lead = assessor_user("m_lead", "王芳")
    qualification(profile_for(lead), role=QualificationRole.LEAD_ASSESSOR, approved_by=secretariat)
    spare = assessor_user("m_spare", "赵敏")
    qualification(profile_for(spare), role=QualificationRole.ASSESSOR, approved_by=secretariat)

    planning = plan(application, secretariat)
    proposed = TeamMember.objects.create(
        assessment=planning, user=lead, role=TeamRole.LEAD_ASSESSOR, added_by=secretariat
    )
    confirmed = plan(application, secretariat)
    Assessment.objects.filter(pk=confirmed.pk).update(status=AssessmentStatus.TEAM_CONFIRMED)
    place = TeamMember.objects.create(
        assessment=confirmed,
        user=assigned,
        role=TeamRole.ASSESSOR,
        status=TeamMemberStatus.CONFIRMED,
        added_by=secretariat,
    )
    objected = TeamMember.objects.create(
        assessment=confirmed,
        user=lead,
        role=TeamRole.LEAD_ASSESSOR,
        status=TeamMemberStatus.OBJECTED,
        objection_reason="曾为本机构提供咨询",
        objected_by=cab_admin,
        added_by=secretariat,
    )
    assign_perm("assessors.view_assessment", assigned, confirmed)
    world.extra.update(
        accepted_application=application,
        planning_assessment=planning,
        confirmed_assessment=confirmed,
        proposed_member=proposed,
        assigned_place=place,
        objected_member=objected,
        spare_assessor=spare,
    )


def _pk(name: str) -> Any:
    return lambda w: {"pk": w.extra[name].pk}


def _moved(w: World) -> dict[str, str]:
    start = timezone.localdate() + dt.timedelta(days=40)
    return {
        "planned_start": start.isoformat(),
        "planned_end": (start + dt.timedelta(days=1)).isoformat(),
        "reason": "与机构电话确认的新日期",
    }


PLAN = lambda w: {"kind": "on_site", "planned_start": "2026-12-07", "planned_end": "2026-12-09"}  # noqa: E731
REASON = lambda w: {"reason": "该评审员曾为本机构提供咨询"}  # noqa: E731


def _plan_page(w: World) -> dict[str, Any]:
    return {**PLAN(w), "scope_items": [i.pk for i in w.extra["accepted_application"].items.all()]}


def _pick(w: World) -> dict[str, Any]:
    return {"assessment": w.extra["planning_assessment"].pk, "user": w.extra["spare_assessor"].pk, "role": "assessor"}


PAGES: dict[str, list[Case]] = {
    "assessors:my_assignments": [Case(signed_in(DENY, assigned_assessor=OK, unassigned_assessor=OK))],
    "assessors:assessment_create": [
        Case(secretariat_only(), kwargs=_pk("accepted_application")),
        Case(secretariat_only(), method="post", kwargs=_pk("accepted_application"), data=_plan_page),
    ],
    "assessors:assessment_detail": [
        Case(SEES_CONFIRMED, kwargs=_pk("confirmed_assessment")),
        Case(
            signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK),
            kwargs=_pk("planning_assessment"),
        ),
    ],
    "assessors:team_propose": [Case(secretariat_only(), method="post", kwargs=_pk("planning_assessment"))],
    "assessors:team_confirm": [Case(secretariat_only(), method="post", kwargs=_pk("planning_assessment"))],
    "assessors:reschedule": [
        Case(secretariat_only(), kwargs=_pk("confirmed_assessment")),
        Case(secretariat_only(), method="post", kwargs=_pk("confirmed_assessment"), data=_moved),
    ],
    "assessors:team_member_add": [
        Case(secretariat_only(), kwargs=_pk("planning_assessment")),
        Case(
            secretariat_only(),
            method="post",
            kwargs=_pk("planning_assessment"),
            data=lambda w: {"user": w.extra["spare_assessor"].pk, "role": "assessor"},
        ),
    ],
    "assessors:team_member_remove": [Case(secretariat_only(), method="post", kwargs=_pk("proposed_member"))],
    "assessors:objection_rule": [
        Case(secretariat_only(), method="post", kwargs=_pk("objected_member"), data=lambda w: {"uphold": "0"})
    ],
    "assessors:team_member_accept": [Case(OWN_PLACE_PAGE, method="post", kwargs=_pk("assigned_place"))],
    "assessors:team_member_decline": [Case(OWN_PLACE_PAGE, method="post", kwargs=_pk("assigned_place"))],
    "assessors:team_member_object": [
        Case(OBJECT, kwargs=_pk("assigned_place")),
        Case(OBJECT, method="post", kwargs=_pk("assigned_place"), data=REASON),
    ],
}

ENDPOINTS: dict[str, list[Case]] = {
    "assessors_api:assessment-list": [
        api(LISTS),
        api(
            signed_in(REFUSED, secretariat=OK, cab_admin=DENY, cab_member=DENY),
            method="post",
            data=lambda w: {"application": w.extra["accepted_application"].pk, **PLAN(w)},
        ),
    ],
    "assessors_api:assessment-detail": [api(SEES_CONFIRMED, kwargs=_pk("confirmed_assessment"))],
    "assessors_api:assessment-propose-team": [api(PLANNING_MOVE, method="post", kwargs=_pk("planning_assessment"))],
    "assessors_api:assessment-confirm-team": [api(PLANNING_MOVE, method="post", kwargs=_pk("planning_assessment"))],
    "assessors_api:assessment-reschedule": [
        api(RESCHEDULE_API, method="post", kwargs=_pk("confirmed_assessment"), data=_moved)
    ],
    "assessors_api:team-member-list": [
        api(LISTS),
        api(
            signed_in(REFUSED, secretariat=OK, decision_maker=DENY, cab_admin=DENY, cab_member=DENY),
            method="post",
            data=_pick,
        ),
    ],
    "assessors_api:team-member-detail": [
        api(SEES_CONFIRMED, kwargs=_pk("assigned_place")),
        api(signed_in(HIDE, secretariat=OK, decision_maker=DENY), method="delete", kwargs=_pk("proposed_member")),
    ],
    "assessors_api:team-member-accept": [api(OWN_PLACE_API, method="post", kwargs=_pk("assigned_place"))],
    "assessors_api:team-member-decline": [api(OWN_PLACE_API, method="post", kwargs=_pk("assigned_place"))],
    "assessors_api:team-member-object": [api(OBJECT, method="post", kwargs=_pk("assigned_place"), data=REASON)],
    "assessors_api:team-member-rule": [
        api(RULE_API, method="post", kwargs=_pk("objected_member"), data=lambda w: {"uphold": True})
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
