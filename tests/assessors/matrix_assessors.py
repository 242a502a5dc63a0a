"""Permission-matrix entries of the assessors' pages and API (see ``tests/matrix.py``).

The record in play belongs to the assigned assessor (``m_assigned``): they and the secretariat
change it; decision makers read it and are refused changes (403); the other assessor and CAB
users do not see it (404).
"""

from __future__ import annotations

from typing import Any

from assessors.choices import QualificationRole
from tests.assessors.factories import D as day
from tests.assessors.factories import code, competence, conflict, profile_for, qualification, training, unavailable
from tests.matrix import DENY, HIDE, LISTS, OK, REFUSED, Case, World, api, secretariat_only, signed_in

# What the record's owner and the secretariat may do; staff readers see, others do not.
OWN = signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=OK)
SEES_OWN = signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK)
STAFF_PAGES = signed_in(DENY, secretariat=OK, decision_maker=OK)
# A decision: the secretariat only; whoever sees the record reaches the service and is refused (403).
DECIDE = signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY)
# Creating through the API names the assessor; an unseen assessor is invalid input (400).
CREATE = signed_in(REFUSED, secretariat=OK, decision_maker=DENY, assigned_assessor=OK)


def build(world: World) -> None:
    owner = world.users["assigned_assessor"]
    assert owner is not None
    profile = profile_for(owner, employer="中国计量科学研究院")
    world.extra.update(
        assessor_profile=profile,
        qualification=qualification(profile, programme_code="CL", role=QualificationRole.ASSESSOR),
        competence=competence(profile, code("MS", "IAF 28")),
        training=training(profile),
        conflict=conflict(profile, world.other_cab),
        unavailability=unavailable(profile, day(2030, 5, 1), day(2030, 5, 7)),
    )


def _pk(name: str) -> Any:
    return lambda w: {"pk": w.extra[name].pk}


profile_pk = _pk("assessor_profile")
QUALIFY = lambda w: {"programme": "ML", "role": "assessor", "valid_from": "2026-01-01"}  # noqa: E731
TRAIN = lambda w: {"title": "远程评审培训", "provider": "CNAS", "date": "2026-02-01", "hours": "8"}  # noqa: E731
DECLARE = lambda w: {"cab": w.cab.pk, "kind": "employment", "started_on": "2019-01-01"}  # noqa: E731
AWAY = lambda w: {"start": "2031-01-01", "end": "2031-01-05", "reason": "出差"}  # noqa: E731
REASON = lambda w: {"reason": "经评审员评价委员会评定"}  # noqa: E731


def _with_assessor(data: Any) -> Any:
    return lambda w: {"assessor": w.extra["assessor_profile"].pk, **data(w)}


PAGES: dict[str, list[Case]] = {
    "assessors:assessor_list": [Case(STAFF_PAGES, query=lambda w: {"programme": "CL", "q": "m_"})],
    "assessors:my_profile": [Case(signed_in(OK, cab_admin=DENY, cab_member=DENY, other_cab_admin=DENY))],
    "assessors:profile_create": [
        Case(secretariat_only()),
        Case(
            secretariat_only(),
            method="post",
            data=lambda w: {"user": getattr(w.users["unassigned_assessor"], "pk", None)},
        ),
    ],
    "assessors:approval_queue": [Case(STAFF_PAGES)],
    "assessors:assessor_detail": [Case(SEES_OWN, kwargs=profile_pk)],
    "assessors:profile_edit": [
        Case(OWN, kwargs=profile_pk),
        Case(OWN, method="post", kwargs=profile_pk, data=lambda w: {"region": "11", "languages": "中文"}),
    ],
    "assessors:qualification_request": [Case(OWN, method="post", kwargs=profile_pk, data=QUALIFY)],
    "assessors:competence_request": [
        Case(OWN, method="post", kwargs=profile_pk, data=lambda w: {"code": code("CL", "CL-01").pk})
    ],
    "assessors:training_add": [Case(OWN, method="post", kwargs=profile_pk, data=TRAIN)],
    "assessors:conflict_declare": [Case(OWN, method="post", kwargs=profile_pk, data=DECLARE)],
    "assessors:unavailability_add": [Case(OWN, method="post", kwargs=profile_pk, data=AWAY)],
    "assessors:qualification_decide": [
        Case(secretariat_only(), kwargs=_pk("qualification")),
        Case(
            secretariat_only(),
            method="post",
            kwargs=_pk("qualification"),
            data=lambda w: {"status": "approved", "reason": ""},
        ),
    ],
    "assessors:qualification_cancel": [Case(OWN, method="post", kwargs=_pk("qualification"))],
    "assessors:competence_decide": [
        Case(
            secretariat_only(),
            method="post",
            kwargs=_pk("competence"),
            data=lambda w: {"status": "rejected", "reason": "证据不足"},
        )
    ],
    "assessors:competence_cancel": [Case(OWN, method="post", kwargs=_pk("competence"))],
    "assessors:training_remove": [Case(OWN, method="post", kwargs=_pk("training"))],
    "assessors:conflict_end": [
        Case(OWN, method="post", kwargs=_pk("conflict"), data=lambda w: {"ended_on": "2026-01-31"})
    ],
    "assessors:unavailability_remove": [Case(OWN, method="post", kwargs=_pk("unavailability"))],
}

ENDPOINTS: dict[str, list[Case]] = {
    "assessors_api:assessor-list": [api(LISTS)],
    "assessors_api:assessor-detail": [api(SEES_OWN, kwargs=profile_pk)],
    "assessors_api:competence-code-list": [api(LISTS, query=lambda w: {"programme": "MS"})],
    "assessors_api:competence-code-detail": [api(LISTS, kwargs=lambda w: {"pk": code("MS", "IAF 28").pk})],
    "assessors_api:qualification-list": [api(LISTS), api(CREATE, method="post", data=_with_assessor(QUALIFY))],
    "assessors_api:qualification-detail": [
        api(SEES_OWN, kwargs=_pk("qualification")),
        api(OWN, method="delete", kwargs=_pk("qualification")),
    ],
    "assessors_api:qualification-approve": [api(DECIDE, method="post", kwargs=_pk("qualification"))],
    "assessors_api:qualification-reject": [api(DECIDE, method="post", kwargs=_pk("qualification"), data=REASON)],
    # A request cannot be suspended or withdrawn: the secretariat is told so (409).
    "assessors_api:qualification-suspend": [
        api({**DECIDE, "secretariat": REFUSED}, method="post", kwargs=_pk("qualification"), data=REASON)
    ],
    "assessors_api:qualification-withdraw": [
        api({**DECIDE, "secretariat": REFUSED}, method="post", kwargs=_pk("qualification"), data=REASON)
    ],
    "assessors_api:competence-list": [
        api(LISTS),
        api(CREATE, method="post", data=_with_assessor(lambda w: {"code": code("CL", "CL-01").pk})),
    ],
    "assessors_api:competence-detail": [
        api(SEES_OWN, kwargs=_pk("competence")),
        api(OWN, method="delete", kwargs=_pk("competence")),
    ],
    "assessors_api:competence-approve": [api(DECIDE, method="post", kwargs=_pk("competence"))],
    "assessors_api:competence-reject": [api(DECIDE, method="post", kwargs=_pk("competence"), data=REASON)],
    "assessors_api:training-record-list": [api(LISTS), api(CREATE, method="post", data=_with_assessor(TRAIN))],
    "assessors_api:training-record-detail": [
        api(SEES_OWN, kwargs=_pk("training")),
        api(OWN, method="delete", kwargs=_pk("training")),
    ],
    "assessors_api:conflict-list": [api(LISTS), api(CREATE, method="post", data=_with_assessor(DECLARE))],
    "assessors_api:conflict-detail": [api(SEES_OWN, kwargs=_pk("conflict"))],
    "assessors_api:conflict-end": [
        api(OWN, method="post", kwargs=_pk("conflict"), data=lambda w: {"ended_on": "2026-01-31"})
    ],
    "assessors_api:unavailability-list": [api(LISTS), api(CREATE, method="post", data=_with_assessor(AWAY))],
    "assessors_api:unavailability-detail": [
        api(SEES_OWN, kwargs=_pk("unavailability")),
        api(OWN, method="delete", kwargs=_pk("unavailability")),
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
