"""Queries about assessments and teams, and the team proposal itself (it reads, it writes nothing).

``assessment_qs_for`` decides who sees which assessment: secretariat staff and decision makers
all; an assessor those they are on the team of (the team relation or the guardian grant); the
members of a CAB those of their CAB's applications; everybody else none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accreditation.models import ApplicationScopeItem
from accreditation.scope_shapes import summary
from accreditation.selectors import AnyUser, user_cabs
from assessors.choices import (
    ACTIVE_MEMBER_STATUSES,
    CompetenceStatus,
    QualificationRole,
    TeamMemberStatus,
    TeamRole,
)
from assessors.models import AssessorProfile, Competence, Qualification
from assessors.models_teams import Assessment, AssessmentUserObjectPermission, TeamMember
from assessors.selectors import (
    available,
    codes_for_scope_item,
    competence_coverage,
    conflicted_assessor_ids,
    valid_on,
)
from core.dates import add_months
from core.models import User
from core.roles import Role, has_role, is_staff_reader

VIEW_ASSESSMENT = "assessors.view_assessment"
#: Team statuses in which an assessor works on the assessment once the team is confirmed.
WORKING_STATUSES = frozenset(ACTIVE_MEMBER_STATUSES - {TeamMemberStatus.PROPOSED})


def assessment_qs_for(user: AnyUser) -> QuerySet[Assessment]:
    assessments = Assessment.objects.select_related("application__cab", "application__programme", "created_by")
    if not user.is_authenticated:
        return assessments.none()
    if is_staff_reader(user):
        return assessments
    visible = Q(application__cab__in=user_cabs(user))
    if has_role(user, Role.ASSESSOR):
        granted = AssessmentUserObjectPermission.objects.filter(
            user=user, permission__codename="view_assessment"
        ).values("content_object_id")
        visible |= Q(pk__in=granted) | Q(members__user=user, members__status__in=sorted(WORKING_STATUSES))
    return assessments.filter(visible).distinct()


def team_member_qs_for(user: AnyUser) -> QuerySet[TeamMember]:
    """Members of the visible assessments; a proposal is the staff's working draft until the team is confirmed."""
    members = TeamMember.objects.select_related("assessment__application__cab", "user").filter(
        assessment__in=assessment_qs_for(user)
    )
    return members if is_staff_reader(user) else members.exclude(status=TeamMemberStatus.PROPOSED)


def my_assignments(user: AnyUser) -> QuerySet[TeamMember]:
    """An assessor's places on confirmed teams, soonest assessment first."""
    if not user.is_authenticated:
        return TeamMember.objects.none()
    return (
        TeamMember.objects.filter(user=user, status__in=sorted(WORKING_STATUSES))
        .select_related("assessment__application__cab", "assessment__application__programme")
        .order_by("assessment__planned_start", "pk")
    )


def workload_days(*, user_ids: set[int], before: dt.date, exclude: Assessment | None = None) -> dict[int, int]:
    """Assessment days of each user in the 12 months up to ``before``, from their places on other teams."""
    since = add_months(before, -12)
    rows = TeamMember.objects.filter(
        user_id__in=user_ids,
        status__in=sorted(WORKING_STATUSES),
        assessment__planned_start__lte=before,
        assessment__planned_end__gte=since,
    )
    if exclude is not None:
        rows = rows.exclude(assessment=exclude)
    days: dict[int, int] = defaultdict(int)
    for user_id, start, end in rows.values_list("user_id", "assessment__planned_start", "assessment__planned_end"):
        days[user_id] += (min(end, before) - max(start, since)).days + 1
    return {user_id: days.get(user_id, 0) for user_id in user_ids}


def item_codes(assessment: Assessment) -> dict[int, list[str]]:
    """For each scope item of the assessment: the competence codes that cover it."""
    programme = assessment.application.programme
    return {
        item.pk: sorted(
            codes_for_scope_item(programme=programme, attributes=item.attributes).values_list("code", flat=True)
        )
        for item in assessment.scope_items.order_by("position", "pk")
    }


def item_label(item: ApplicationScopeItem, shape: str) -> str:
    return summary(shape, item.attributes)


def qualified_ids(*, assessment: Assessment, roles: tuple[str, ...]) -> set[int]:
    """Assessor profiles holding one of ``roles`` under the programme, valid on the first and the last planned day."""
    programme = assessment.application.programme
    ids: set[int] | None = None
    for day in (assessment.planned_start, assessment.planned_end):
        on_day = set(
            Qualification.objects.filter(valid_on(day), programme=programme, role__in=roles).values_list(
                "assessor_id", flat=True
            )
        )
        ids = on_day if ids is None else ids & on_day
    return ids or set()


@dataclass
class ProposedMember:
    profile: AssessorProfile
    role: str
    covers: list[str]
    workload_days: int
    explanation: str


@dataclass
class Proposal:
    members: list[ProposedMember] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: For each scope item id: the codes of the proposed members that cover it (empty: not covered).
    coverage: dict[int, list[str]] = field(default_factory=dict)


def _explain(*, covers: list[str], names: dict[str, str], lead_for: str | None, days: int) -> str:
    parts: list[str] = []
    if covers:
        parts.append(
            str(_("covers {codes}").format(codes=", ".join(f"{c} {names.get(c, '')}".strip() for c in covers)))
        )
    if lead_for:
        parts.append(str(_("lead assessor for {programme}").format(programme=lead_for)))
    parts.append(str(_("{days} assessment days in the last 12 months").format(days=days)))
    return "; ".join(parts)


def propose_team(assessment: Assessment) -> Proposal:
    """Choose a team: a lead assessor, then greedy set cover of the scope items, fewest recent days first.

    Conflicted and unavailable assessors are excluded, each with the reason the secretariat reads.
    A scope item nobody available covers is reported as a ``coverage_gap`` warning.
    """
    application = assessment.application
    programme = application.programme
    proposal = Proposal()
    needs = item_codes(assessment)
    all_roles = (QualificationRole.LEAD_ASSESSOR, QualificationRole.ASSESSOR, QualificationRole.TECHNICAL_EXPERT)
    candidates = qualified_ids(assessment=assessment, roles=all_roles)
    leads = qualified_ids(assessment=assessment, roles=(QualificationRole.LEAD_ASSESSOR,))
    assessors_ = qualified_ids(
        assessment=assessment, roles=(QualificationRole.LEAD_ASSESSOR, QualificationRole.ASSESSOR)
    )

    conflicted: dict[int, str] = {}
    for day in (assessment.planned_start, assessment.planned_end):
        for assessor_id, reason in conflicted_assessor_ids(cab=application.cab, on_date=day).items():
            conflicted.setdefault(assessor_id, reason)
    free = available(assessor_ids=candidates, start=assessment.planned_start, end=assessment.planned_end)
    profiles = {p.pk: p for p in AssessorProfile.objects.filter(pk__in=candidates).select_related("user")}
    for assessor_id in sorted(candidates, key=lambda pk: (profiles[pk].user.full_name, pk)):
        name = str(profiles[assessor_id].user)
        if assessor_id in conflicted:
            reason = str(_("conflict of interest: {reason}").format(reason=conflicted[assessor_id]))
            proposal.excluded.append(
                {"assessor_id": assessor_id, "name": name, "code": "conflict_of_interest", "reason": reason}
            )
        elif assessor_id not in free:
            reason = str(
                _("unavailable between {start} and {end}").format(
                    start=assessment.planned_start, end=assessment.planned_end
                )
            )
            proposal.excluded.append(
                {"assessor_id": assessor_id, "name": name, "code": "unavailable", "reason": reason}
            )
    eligible = {pk for pk in candidates if pk not in conflicted and pk in free}

    coverage = {
        code: holders & eligible
        for code, holders in competence_coverage(programme=programme, on_date=assessment.planned_start).items()
    }
    holds: dict[int, set[str]] = defaultdict(set)
    for code, holders in coverage.items():
        for holder in holders:
            holds[holder].add(code)
    load = workload_days(
        user_ids={profiles[pk].user_id for pk in eligible}, before=assessment.planned_start, exclude=assessment
    )
    days_of = {pk: load[profiles[pk].user_id] for pk in eligible}
    names = dict(
        programme.competence_codes.filter(code__in=[c for codes in needs.values() for c in codes]).values_list(
            "code", "name_zh"
        )
    )

    def items_covered(pk: int, open_items: set[int]) -> set[int]:
        return {item for item in open_items if holds[pk] & set(needs[item])}

    def codes_used(pk: int, items: set[int]) -> list[str]:
        return sorted({c for item in items for c in needs[item] if c in holds[pk]})

    open_items = set(needs)
    chosen: list[int] = []
    lead_choices = sorted(eligible & leads, key=lambda pk: (-len(items_covered(pk, open_items)), days_of[pk], pk))
    if lead_choices:
        lead = lead_choices[0]
        covered = items_covered(lead, open_items)
        open_items -= covered
        chosen.append(lead)
        proposal.members.append(
            ProposedMember(
                profile=profiles[lead],
                role=TeamRole.LEAD_ASSESSOR,
                covers=codes_used(lead, covered),
                workload_days=days_of[lead],
                explanation=_explain(
                    covers=codes_used(lead, covered), names=names, lead_for=programme.code, days=days_of[lead]
                ),
            )
        )
    else:
        proposal.warnings.append(
            {
                "code": "no_lead_assessor",
                "message": str(
                    _(
                        "No qualified lead assessor for {programme} is free of conflicts and available on these dates."
                    ).format(programme=programme.code)
                ),
            }
        )
    while open_items:
        options = [pk for pk in eligible - set(chosen) if items_covered(pk, open_items)]
        if not options:
            break
        best = min(options, key=lambda pk: (-len(items_covered(pk, open_items)), days_of[pk], pk))
        covered = items_covered(best, open_items)
        open_items -= covered
        chosen.append(best)
        proposal.members.append(
            ProposedMember(
                profile=profiles[best],
                role=TeamRole.ASSESSOR if best in assessors_ else TeamRole.TECHNICAL_EXPERT,
                covers=codes_used(best, covered),
                workload_days=days_of[best],
                explanation=_explain(covers=codes_used(best, covered), names=names, lead_for=None, days=days_of[best]),
            )
        )
    team_codes = {c for pk in chosen for c in holds[pk]}
    proposal.coverage = {item: sorted(set(codes) & team_codes) for item, codes in needs.items()}
    if open_items:
        shape = programme.scope_shape
        items = ApplicationScopeItem.objects.filter(pk__in=open_items).order_by("position", "pk")
        labels = [item_label(item, shape) for item in items]
        proposal.warnings.append(
            {
                "code": "coverage_gap",
                "message": str(_("No available assessor covers: {items}.").format(items="; ".join(labels))),
                "items": sorted(open_items),
            }
        )
    return proposal


@dataclass
class CoverageRow:
    item: ApplicationScopeItem
    label: str
    codes: list[str]
    #: Names of the team members holding one of ``codes``; empty: the item is not covered.
    covered_by: list[str]


def team_coverage(assessment: Assessment, members: list[TeamMember]) -> list[CoverageRow]:
    """For each scope item of the assessment: its codes and the members of ``members`` who hold one of them."""
    programme = assessment.application.programme
    held: dict[int, set[str]] = defaultdict(set)
    rows = Competence.objects.filter(
        status=CompetenceStatus.APPROVED,
        code__programme=programme,
        assessor__user_id__in=[m.user_id for m in members],
    ).values_list("assessor__user_id", "code__code")
    for user_id, code in rows:
        held[user_id].add(code)
    needs = item_codes(assessment)
    result = []
    for item in assessment.scope_items.order_by("position", "pk"):
        codes = needs[item.pk]
        result.append(
            CoverageRow(
                item=item,
                label=item_label(item, programme.scope_shape),
                codes=codes,
                covered_by=[str(m.user) for m in members if held[m.user_id] & set(codes)],
            )
        )
    return result


def assessor_users() -> QuerySet[User]:
    """Everyone with an assessor profile, for the secretariat's manual pick (the service checks the rest)."""
    return User.objects.filter(pk__in=AssessorProfile.objects.values("user_id")).order_by("full_name", "pk")
