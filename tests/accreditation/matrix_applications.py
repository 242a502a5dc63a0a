"""Permission-matrix entries of the application pages and API (see ``tests/matrix.py``).

``build`` gives ``cab`` (accredited under CL) a complete draft extension, with one item and one
document, and a submitted extension, both prepared by the CAB admin. Files go to a temporary
media folder that is removed when the world is.

Who is who here: CAB members (admin and plain member) prepare their CAB's applications; staff
do not see a draft that was never submitted (404) and get 403 on the CAB's own moves of a
submitted one; the secretariat reviews; assessors and the other CAB's admin see nothing.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from accreditation.choices_applications import REQUIRED_DOCUMENTS
from accreditation.services.applications import (
    application_add_item,
    application_attach_document,
    application_create,
    application_submit,
)
from tests.conftest import LAB_ITEM
from tests.matrix import DENY, HIDE, LOGIN, OK, REFUSED, Case, World, api, everyone, signed_in

PDF = b"%PDF-1.7\n%%EOF\n"
NEW_ITEM = {**LAB_ITEM, "parameter": "过氧化值"}
CHECKLIST = ["form_signed", "fees_agreed", "assessors_available", "scope_clear", "pt_evidence"]


def build(world: World) -> None:
    media = tempfile.mkdtemp(prefix="portal-matrix-")
    override = override_settings(MEDIA_ROOT=media)
    override.enable()

    def cleanup() -> None:
        override.disable()
        shutil.rmtree(media, ignore_errors=True)

    weakref.finalize(world, cleanup)
    admin = world.users["cab_admin"]
    assert admin is not None
    made = []
    for _ in range(2):
        application = application_create(
            cab=world.cab, programme=world.accreditation.programme, type="extension", actor=admin
        )
        item = application_add_item(application=application, actor=admin, attributes=NEW_ITEM)
        for kind in REQUIRED_DOCUMENTS["extension"]:
            document = application_attach_document(
                application=application, actor=admin, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", PDF)
            )
        made.append((application, item, document))
    world.extra["app_draft"], world.extra["app_item"], world.extra["app_document"] = made[0]
    world.extra["app_submitted"] = application_submit(application=made[1][0], actor=admin)
    world.extra["app_submitted_document"] = made[1][2]


def upload(world: World) -> dict[str, Any]:
    return {"kind": "other", "file": SimpleUploadedFile("extra.pdf", PDF)}


draft_pk = lambda w: {"pk": w.extra["app_draft"].pk}  # noqa: E731
submitted_pk = lambda w: {"pk": w.extra["app_submitted"].pk}  # noqa: E731
item_pk = lambda w: {"pk": w.extra["app_item"].pk}  # noqa: E731
document_pk = lambda w: {"pk": w.extra["app_document"].pk}  # noqa: E731
submitted_document_pk = lambda w: {"pk": w.extra["app_submitted_document"].pk}  # noqa: E731

# The CAB's members reach a draft; nobody else even sees it.
MEMBERS = signed_in(HIDE, cab_admin=OK, cab_member=OK)
# A submitted application: staff read it, the CAB's members too.
SEES_SUBMITTED = signed_in(HIDE, secretariat=OK, decision_maker=OK, cab_admin=OK, cab_member=OK)
# The review: the secretariat only; everybody else signed in is refused by role first.
REVIEW = signed_in(DENY, secretariat=OK)

PAGES: dict[str, list[Case]] = {
    "accreditation:application_list": [Case(signed_in(OK))],
    "accreditation:application_queue": [Case(signed_in(DENY, secretariat=OK))],
    "accreditation:application_create": [
        Case(signed_in(DENY, cab_admin=OK, cab_member=OK, other_cab_admin=OK)),
        Case(
            signed_in(DENY, cab_admin=OK, cab_member=OK, other_cab_admin=OK),
            method="post",
            # Oscar may open the form for his own CAB, but ``cab`` is not among his choices.
            data=lambda w: {"cab": w.cab.pk, "programme": "CL", "type": "extension"},
        ),
    ],
    "accreditation:application_detail": [
        Case(MEMBERS, kwargs=draft_pk),
        Case(SEES_SUBMITTED, kwargs=submitted_pk),
    ],
    "accreditation:application_update": [
        Case(MEMBERS, kwargs=draft_pk),
        Case(MEMBERS, method="post", kwargs=draft_pk, data=lambda w: {"note": "补充说明"}),
    ],
    "accreditation:application_item_add": [
        Case(MEMBERS, kwargs=draft_pk),
        Case(MEMBERS, method="post", kwargs=draft_pk, data=lambda w: {**LAB_ITEM, "parameter": "铅"}),
    ],
    "accreditation:application_item_remove": [Case(MEMBERS, method="post", kwargs=item_pk)],
    "accreditation:application_document_add": [
        Case(MEMBERS, kwargs=draft_pk),
        Case(MEMBERS, method="post", kwargs=draft_pk, data=upload),
    ],
    "accreditation:application_document_remove": [Case(MEMBERS, method="post", kwargs=document_pk)],
    "accreditation:application_document_download": [
        Case(MEMBERS, kwargs=document_pk),
        Case(SEES_SUBMITTED, kwargs=submitted_document_pk),
    ],
    "accreditation:application_submit": [
        Case(MEMBERS, method="post", kwargs=draft_pk),
        # Staff see a submitted application but may not make the CAB's moves on it.
        Case(
            signed_in(HIDE, secretariat=DENY, cab_admin=OK, cab_member=OK),
            method="post",
            kwargs=submitted_pk,
        ),
    ],
    "accreditation:application_withdraw": [Case(MEMBERS, method="post", kwargs=draft_pk)],
    "accreditation:application_review": [
        Case(REVIEW, kwargs=submitted_pk),
        Case(REVIEW, method="post", kwargs=submitted_pk, data=lambda w: {"outcome": "refuse", "reasons": "资料不全"}),
    ],
}

# The API answers a move it refuses by state with 409 (REFUSED) and by role with 403.
API_MEMBERS = signed_in(HIDE, cab_admin=OK, cab_member=OK)
API_REVIEW = signed_in(HIDE, secretariat=OK, cab_admin=DENY, cab_member=DENY)

ENDPOINTS: dict[str, list[Case]] = {
    "accreditation_api:application-list": [
        api(signed_in(OK)),
        api(
            signed_in(HIDE, secretariat=DENY, decision_maker=DENY, assigned_assessor=DENY, cab_admin=OK, cab_member=OK),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "programme": "CL", "type": "extension"},
        ),
    ],
    "accreditation_api:application-detail": [
        api(MEMBERS, kwargs=draft_pk),
        api(SEES_SUBMITTED, kwargs=submitted_pk),
        api(MEMBERS, method="patch", kwargs=draft_pk, data=lambda w: {"note": "补充说明"}),
    ],
    "accreditation_api:application-submit": [
        api(MEMBERS, method="post", kwargs=draft_pk),
        api(
            signed_in(HIDE, secretariat=DENY, cab_admin=REFUSED, cab_member=REFUSED),
            method="post",
            kwargs=submitted_pk,
        ),
    ],
    "accreditation_api:application-withdraw": [api(MEMBERS, method="post", kwargs=draft_pk)],
    "accreditation_api:application-accept": [
        api(API_REVIEW, method="post", kwargs=submitted_pk, data=lambda w: {"checklist": CHECKLIST})
    ],
    "accreditation_api:application-return": [
        api(API_REVIEW, method="post", kwargs=submitted_pk, data=lambda w: {"reasons": "缺少能力验证记录"})
    ],
    "accreditation_api:application-refuse": [
        api(API_REVIEW, method="post", kwargs=submitted_pk, data=lambda w: {"reasons": "资料不全"})
    ],
    "accreditation_api:application-item-list": [
        api(signed_in(OK)),
        api(
            MEMBERS,
            method="post",
            data=lambda w: {"application": w.extra["app_draft"].pk, "attributes": {**LAB_ITEM, "parameter": "铅"}},
        ),
    ],
    "accreditation_api:application-item-detail": [
        api(MEMBERS, kwargs=item_pk),
        api(MEMBERS, method="delete", kwargs=item_pk),
    ],
    "accreditation_api:application-document-list": [api(signed_in(OK))],
    "accreditation_api:application-document-detail": [
        api(MEMBERS, kwargs=document_pk),
        api(MEMBERS, method="delete", kwargs=document_pk),
    ],
    "accreditation_api:application-document-download": [
        api(MEMBERS, kwargs=document_pk),
        api(SEES_SUBMITTED, kwargs=submitted_document_pk),
    ],
}

ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
__all__ = ["ENTRIES", "LOGIN", "build", "everyone"]
