"""Permission-matrix entries of the complaint pages and API (see ``tests/matrix.py``).

The public form, receipt and status pages are for everyone. The complaints themselves are for the
accreditation body's staff: the secretariat and decision makers read them, only the secretariat
moves them; anyone else gets 404 on a complaint (403 on the list and the action pages, which say
who may use them). A CAB's members have their own form. The POSTs to the public form send an
incomplete complaint, so the matrix never counts towards the abuse limit; the services' tests
store real ones.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from surveillance.choices import ComplaintChannel, ComplaintKind
from surveillance.services_complaints import complaint_acknowledge, complaint_submit
from tests.matrix import (
    DENY,
    HIDE,
    LISTS,
    OK,
    REFUSED,
    STAFF_READ,
    Case,
    World,
    api,
    everyone,
    secretariat_only,
    signed_in,
)

PDF = b"%PDF-1.4\n%%EOF\n"


def _temporary_media(world: World) -> None:
    """Files go to a temporary folder: the one an earlier ``build`` already set, or one of our own."""
    if str(settings.MEDIA_ROOT).startswith(tempfile.gettempdir()):
        return
    media = tempfile.mkdtemp(prefix="portal-matrix-complaints-")
    override = override_settings(MEDIA_ROOT=media)
    override.enable()

    def cleanup() -> None:
        override.disable()
        shutil.rmtree(media, ignore_errors=True)

    weakref.finalize(world, cleanup)


def build(world: World) -> None:
    _temporary_media(world)
    secretariat = world.users["secretariat"]
    assert secretariat is not None
    received = complaint_submit(
        channel=ComplaintChannel.PUBLIC,
        kind=ComplaintKind.AGAINST_CAB,
        cab=world.cab,
        subject="报告数据疑似篡改",
        description="检测报告与原始记录不符。",
        complainant_email="matrix@example.cn",
        attachments=[SimpleUploadedFile("记录.pdf", PDF)],
    )
    taken_on = complaint_acknowledge(
        complaint=complaint_submit(
            channel=ComplaintChannel.PUBLIC,
            kind=ComplaintKind.FAKE_CERTIFICATE,
            certificate_number="00124Q99999R0M",
            subject="证书疑似伪造",
            description="查不到该证书。",
            complainant_phone="13800000000",
        ),
        actor=secretariat,
    )
    world.extra.update(
        complaint=received, complaint_acknowledged=taken_on, complaint_attachment=received.attachments.get()
    )


received = lambda w: {"pk": w.extra["complaint"].pk}  # noqa: E731
taken_on = lambda w: {"pk": w.extra["complaint_acknowledged"].pk}  # noqa: E731
tracking = lambda w: {"tracking": w.extra["complaint"].tracking_number}  # noqa: E731
api_tracking = lambda w: {"tracking_number": w.extra["complaint"].tracking_number}  # noqa: E731
attachment = lambda w: {"pk": w.extra["complaint_attachment"].pk}  # noqa: E731
# No subject, no description: the form answers again with its errors and stores nothing.
incomplete = lambda w: {"kind": "against_cab", "cab_name_given": "某检测公司"}  # noqa: E731
resolution = lambda w: {"outcome": "not_supported", "outcome_summary": "投诉不成立。"}  # noqa: E731

CAB_MEMBERS = signed_in(DENY, cab_admin=OK, cab_member=OK, other_cab_admin=OK)
STAFF_LIST = signed_in(DENY, secretariat=OK, decision_maker=OK)
# A complaint the user cannot see is 404; a decision maker sees it but may not move it (403).
API_MOVE = signed_in(HIDE, secretariat=OK, decision_maker=DENY)

PAGES: dict[str, list[Case]] = {
    "surveillance:complaint_new": [Case(everyone(OK)), Case(everyone(OK), method="post", data=incomplete)],
    "surveillance:complaint_receipt": [Case(everyone(OK))],
    "surveillance:complaint_status_lookup": [Case(everyone(OK)), Case(everyone(OK), query=lambda w: {"tracking": "x"})],
    "surveillance:complaint_status": [
        Case(everyone(OK), kwargs=tracking),
        Case(everyone(HIDE), kwargs=lambda w: {"tracking": "TS-2026-NOTHERE2"}),
    ],
    "surveillance:complaint_cab_new": [Case(CAB_MEMBERS), Case(CAB_MEMBERS, method="post", data=incomplete)],
    "surveillance:complaint_mine": [Case(signed_in(OK))],
    "surveillance:complaint_list": [Case(STAFF_LIST)],
    "surveillance:complaint_record": [
        Case(secretariat_only(DENY)),
        Case(secretariat_only(DENY), method="post", data=incomplete),
    ],
    "surveillance:complaint_detail": [Case(STAFF_READ, kwargs=received)],
    "surveillance:complaint_acknowledge": [
        Case(secretariat_only(DENY), kwargs=received),
        Case(secretariat_only(DENY), method="post", kwargs=received),
    ],
    "surveillance:complaint_investigate": [
        Case(secretariat_only(DENY), kwargs=taken_on),
        Case(secretariat_only(DENY), method="post", kwargs=taken_on),
    ],
    "surveillance:complaint_resolve": [
        Case(secretariat_only(DENY), kwargs=taken_on),
        Case(secretariat_only(DENY), method="post", kwargs=taken_on, data=resolution),
    ],
    "surveillance:complaint_attachment": [Case(STAFF_READ, kwargs=attachment)],
}

ENDPOINTS: dict[str, list[Case]] = {
    "surveillance_api:public-complaint-list": [api(everyone(REFUSED), method="post", data=incomplete)],
    "surveillance_api:public-complaint-detail": [
        api(everyone(OK), kwargs=api_tracking),
        api(everyone(HIDE), kwargs=lambda w: {"tracking_number": "TS-2026-NOTHERE2"}),
    ],
    "surveillance_api:complaint-list": [api(LISTS)],
    "surveillance_api:complaint-detail": [api(STAFF_READ, kwargs=received)],
    "surveillance_api:complaint-acknowledge": [api(API_MOVE, method="post", kwargs=received)],
    "surveillance_api:complaint-investigate": [api(API_MOVE, method="post", kwargs=taken_on)],
    "surveillance_api:complaint-resolve": [api(API_MOVE, method="post", kwargs=taken_on, data=resolution)],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
