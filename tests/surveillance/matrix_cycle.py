"""Permission-matrix entries of the cycle page, its API and the special assessment opened from a complaint.

The cycle is for the accreditation body's staff: the secretariat and decision makers read it; any
other signed-in user gets 403 (404 for one accreditation's page), the public is sent to log in
(401 from the API). Only the secretariat records an on-site assessment held before the portal. Opening a special
assessment is the secretariat's move (403 on the page for anyone else; from the API, 404 for
whoever cannot see the complaint, 403 for a decision maker, who sees it).
"""

from __future__ import annotations

from surveillance.choices import ComplaintChannel, ComplaintKind
from surveillance.services_complaints import complaint_acknowledge, complaint_start_investigation, complaint_submit
from tests.matrix import DENY, HIDE, OK, STAFF_READ, Case, World, acc_pk, api, secretariat_only, signed_in

STAFF = signed_in(DENY, secretariat=OK, decision_maker=OK)
API_MOVE = signed_in(HIDE, secretariat=OK, decision_maker=DENY)


def build(world: World) -> None:
    secretariat = world.users["secretariat"]
    assert secretariat is not None
    complaint = complaint_submit(
        channel=ComplaintChannel.STAFF,
        kind=ComplaintKind.AGAINST_CAB,
        actor=secretariat,
        cab=world.cab,
        subject="原始记录缺失",
        description="检测报告无原始记录支持。",
        complainant_name="李四",
    )
    complaint_acknowledge(complaint=complaint, actor=secretariat)
    world.extra["complaint_investigating"] = complaint_start_investigation(complaint=complaint, actor=secretariat)


investigating = lambda w: {"pk": w.extra["complaint_investigating"].pk}  # noqa: E731
special = lambda w: {  # noqa: E731
    "accreditation": w.accreditation.pk,
    "kind": "on_site",
    "planned_start": "2027-03-01",
    "planned_end": "2027-03-02",
}
special_api = lambda w: {"planned_start": "2027-03-01", "planned_end": "2027-03-02"}  # noqa: E731
past_onsite = lambda w: {  # noqa: E731
    "kind": "on_site",
    "held_from": "2025-03-03",
    "held_to": "2025-03-04",
    "reference": "CNAS-OLD-2025-017",
}

ENTRIES: dict[str, list[Case]] = {
    "surveillance:cycle": [Case(STAFF), Case(STAFF, query=lambda w: {"days": "365", "due_status": "overdue"})],
    "surveillance_api:cycle": [api(STAFF), api(STAFF, query=lambda w: {"days": "30", "due_status": "due_soon"})],
    # Staff read an accreditation's on-site history (404 for anyone else); the secretariat records.
    "surveillance:cycle_accreditation": [Case(STAFF_READ, kwargs=acc_pk)],
    "surveillance:past_onsite_record": [
        Case(secretariat_only(DENY), kwargs=acc_pk),
        Case(secretariat_only(DENY), method="post", kwargs=acc_pk, data=past_onsite),
    ],
    "surveillance_api:cycle-accreditation": [
        api(STAFF, kwargs=acc_pk),
        api(secretariat_only(DENY), method="post", kwargs=acc_pk, data=past_onsite),
    ],
    "surveillance:complaint_special_assessment": [
        Case(secretariat_only(DENY), kwargs=investigating),
        Case(secretariat_only(DENY), method="post", kwargs=investigating, data=special),
    ],
    "surveillance_api:complaint-special-assessment": [
        api(API_MOVE, method="post", kwargs=investigating, data=special_api)
    ],
}
