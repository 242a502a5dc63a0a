"""Permission-matrix entries of the register's pages and API (see ``tests/matrix.py``)."""

from __future__ import annotations

from tests.accreditation.factories import make_credit_code
from tests.conftest import LAB_ITEM
from tests.matrix import (
    DENY,
    HIDE,
    LISTS,
    OK,
    REFUSED,
    SEES_CAB,
    Case,
    acc_pk,
    api,
    cab_pk,
    draft_pk,
    everyone,
    item_pk,
    secretariat_only,
    signed_in,
)

NEW_CAB = {
    "name_zh": "杭州新建检测有限公司",
    "name_en": "Hangzhou New Testing Co., Ltd.",
    "credit_code": make_credit_code(987_654),
    "kind": "laboratory",
    "province": "33",
    "address_zh": "杭州市西湖区文三路1号",
}

PAGES: dict[str, list[Case]] = {
    "healthz": [Case(everyone(OK))],
    "home": [Case(everyone(OK))],
    "set_language": [Case(everyone(OK), method="post", data=lambda w: {"language": "en", "next": "/"})],
    "login": [Case(everyone(OK))],
    "logout": [Case(everyone(OK), method="post")],
    "password_change": [Case(signed_in(OK))],
    "password_change_done": [Case(signed_in(OK))],
    "password_reset": [Case(everyone(OK))],
    "password_reset_done": [Case(everyone(OK))],
    "password_reset_confirm": [Case(everyone(OK), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"})],
    "password_reset_complete": [Case(everyone(OK))],
    # The public directory.
    "accreditation:directory": [Case(everyone(OK), query=lambda w: {"q": "精准"})],
    "accreditation:directory_cab": [Case(everyone(OK), kwargs=cab_pk)],
    # The register.
    "accreditation:cab_list": [Case(signed_in(OK))],
    "accreditation:cab_create": [
        Case(secretariat_only()),
        Case(secretariat_only(), method="post", data=lambda w: NEW_CAB),
    ],
    "accreditation:cab_detail": [Case(SEES_CAB, kwargs=cab_pk)],
    "accreditation:cab_update": [
        Case(secretariat_only(), kwargs=cab_pk),
        Case(
            secretariat_only(),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {**NEW_CAB, "credit_code": w.cab.credit_code, "reason": "typo"},
        ),
    ],
    "accreditation:cab_site_add": [
        Case(
            secretariat_only(),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"name": "二号实验楼", "address": "北京市海淀区2号", "province": "11"},
        )
    ],
    "accreditation:cab_contact_add": [
        Case(secretariat_only(), method="post", kwargs=cab_pk, data=lambda w: {"name": "王芳", "role": "技术负责人"})
    ],
    "accreditation:accreditation_open": [
        Case(secretariat_only(), method="post", kwargs=cab_pk, data=lambda w: {"programme": "ML"})
    ],
    "accreditation:accreditation_detail": [Case(SEES_CAB, kwargs=acc_pk)],
    "accreditation:accreditation_grant": [
        Case(secretariat_only(), method="post", kwargs=lambda w: {"pk": w.applicant.pk}, data=lambda w: {})
    ],
    "accreditation:accreditation_status": [
        Case(secretariat_only(), method="post", kwargs=acc_pk, data=lambda w: {"status": "suspended", "reason": "r"})
    ],
    "accreditation:accreditation_partial_suspension": [
        Case(
            secretariat_only(),
            method="post",
            kwargs=lambda w: {"pk": w.accreditation.pk},
            data=lambda w: {"items": [str(w.published_item.key)], "reason": "r"},
            extra={"needs_no_draft": "1"},
        )
    ],
    "accreditation:scope_draft_start": [
        Case(secretariat_only(), method="post", kwargs=lambda w: {"pk": w.applicant.pk}, data=lambda w: {"note": "n"})
    ],
    "accreditation:scope_diff": [
        Case(SEES_CAB, kwargs=acc_pk, query=lambda w: {"old": w.published.pk, "new": w.draft.pk})
    ],
    "accreditation:scope_version_detail": [Case(SEES_CAB, kwargs=draft_pk)],
    "accreditation:scope_item_add": [
        Case(secretariat_only(), method="post", kwargs=draft_pk, data=lambda w: {**LAB_ITEM, "parameter": "过氧化值"})
    ],
    "accreditation:scope_version_publish": [Case(secretariat_only(), method="post", kwargs=draft_pk)],
    "accreditation:scope_version_discard": [Case(secretariat_only(), method="post", kwargs=draft_pk)],
    "accreditation:scope_item_update": [
        Case(secretariat_only(), method="post", kwargs=item_pk, data=lambda w: {**LAB_ITEM, "parameter": "水分"})
    ],
    "accreditation:scope_item_status": [
        Case(secretariat_only(), method="post", kwargs=item_pk, data=lambda w: {"status": "suspended", "reason": "r"})
    ],
    "accreditation:scope_item_remove": [Case(secretariat_only(), method="post", kwargs=item_pk)],
    # The CAB user's home.
    "accreditation:cab_home": [Case(signed_in(OK))],
    "accreditation:cab_home_detail": [Case(signed_in(HIDE, cab_admin=OK, cab_member=OK), kwargs=cab_pk)],
    "accreditation:cab_member_invite": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"email": "new.colleague@example.cn"},
        )
    ],
    "accreditation:cab_member_remove": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=lambda w: {"pk": w.cab.pk, "member_pk": w.member.pk},
        )
    ],
    "accreditation:cab_home_contact_add": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"name": "李强", "role": "质量负责人"},
        )
    ],
    "accreditation:cab_home_contact_update": [
        Case(
            signed_in(HIDE, cab_admin=OK, cab_member=DENY),
            method="post",
            kwargs=lambda w: {"pk": w.cab.pk, "contact_pk": w.contact.pk},
            data=lambda w: {"name": "张伟", "role": "最高管理者", "email": "", "phone": ""},
        )
    ],
    "accreditation:invitation_accept": [Case(everyone(OK), kwargs=lambda w: {"token": w.invitation.token})],
}


# Moves on an accreditation the user can see but not change are 404 through the "change" selector.
ACC_MOVE = signed_in(HIDE, secretariat=OK)
REASON = lambda w: {"reason": "checked on site"}  # noqa: E731

ENDPOINTS: dict[str, list[Case]] = {
    "core_api:token": [
        api(everyone(REFUSED), method="post", data=lambda w: {"username": "nobody", "password": "wrong"})
    ],
    "accreditation_api:api-root": [api(LISTS)],
    "accreditation_api:me": [api(LISTS)],
    "accreditation_api:programme-list": [api(LISTS)],
    "accreditation_api:programme-detail": [api(LISTS, kwargs=lambda w: {"code": "CL"})],
    "accreditation_api:cab-list": [
        api(LISTS),
        api(signed_in(DENY, secretariat=OK), method="post", data=lambda w: NEW_CAB),
    ],
    "accreditation_api:cab-detail": [
        api(SEES_CAB, kwargs=cab_pk),
        api(
            signed_in(HIDE, secretariat=OK, cab_admin=DENY),
            method="patch",
            kwargs=cab_pk,
            data=lambda w: {"name_en": "Renamed Co., Ltd."},
        ),
    ],
    "accreditation_api:cab-close": [
        api(signed_in(HIDE, secretariat=OK, cab_admin=DENY), method="post", kwargs=cab_pk, data=REASON)
    ],
    "accreditation_api:cab-reopen": [
        api(signed_in(HIDE, secretariat=REFUSED, cab_admin=DENY), method="post", kwargs=cab_pk, data=REASON)
    ],
    "accreditation_api:cab-invite": [
        api(
            signed_in(HIDE, secretariat=OK, cab_admin=OK),
            method="post",
            kwargs=cab_pk,
            data=lambda w: {"email": "new.colleague@example.cn"},
        )
    ],
    "accreditation_api:cab-site-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "name": "三号楼", "address": "北京市海淀区3号", "province": "11"},
        ),
    ],
    "accreditation_api:cab-site-detail": [
        api(SEES_CAB, kwargs=lambda w: {"pk": w.site.pk}),
        # A CAB admin may change its CAB's contacts but not its sites: the service refuses (403).
        api(signed_in(HIDE, secretariat=OK, cab_admin=DENY), method="delete", kwargs=lambda w: {"pk": w.site.pk}),
    ],
    "accreditation_api:cab-contact-list": [
        api(LISTS),
        api(
            signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=OK, cab_member=DENY),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "name": "赵敏", "role": "授权签字人"},
        ),
    ],
    "accreditation_api:cab-contact-detail": [
        api(SEES_CAB, kwargs=lambda w: {"pk": w.contact.pk}),
        api(
            signed_in(HIDE, secretariat=OK, cab_admin=OK),
            method="patch",
            kwargs=lambda w: {"pk": w.contact.pk},
            data=lambda w: {"phone": "010-12345678"},
        ),
        api(signed_in(HIDE, secretariat=OK, cab_admin=OK), method="delete", kwargs=lambda w: {"pk": w.contact.pk}),
    ],
    "accreditation_api:membership-list": [api(LISTS)],
    "accreditation_api:membership-detail": [
        api(
            signed_in(HIDE, secretariat=OK, decision_maker=OK, assigned_assessor=OK, cab_admin=OK, cab_member=OK),
            kwargs=lambda w: {"pk": w.member.pk},
        ),
        # Whoever sees a membership reaches the service, which lets only the secretariat and the CAB's admin remove it.
        api(
            signed_in(HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=OK, cab_member=DENY),
            method="delete",
            kwargs=lambda w: {"pk": w.member.pk},
        ),
    ],
    "accreditation_api:accreditation-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"cab": w.cab.pk, "programme": "ML"},
        ),
    ],
    "accreditation_api:accreditation-detail": [api(SEES_CAB, kwargs=acc_pk)],
    "accreditation_api:accreditation-grant": [
        api(ACC_MOVE, method="post", kwargs=lambda w: {"pk": w.applicant.pk}, data=lambda w: {})
    ],
    "accreditation_api:accreditation-suspend": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:accreditation-partially-suspend": [
        api(
            ACC_MOVE,
            method="post",
            kwargs=acc_pk,
            data=lambda w: {"reason": "r", "item_keys": [str(w.published_item.key)]},
            extra={"needs_no_draft": "1"},
        )
    ],
    "accreditation_api:accreditation-reinstate": [
        api(signed_in(HIDE, secretariat=REFUSED), method="post", kwargs=acc_pk, data=REASON)
    ],
    "accreditation_api:accreditation-withdraw": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:accreditation-cancel": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:accreditation-expire": [api(ACC_MOVE, method="post", kwargs=acc_pk, data=REASON)],
    "accreditation_api:scope-version-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"accreditation": w.applicant.pk},
        ),
    ],
    "accreditation_api:scope-version-detail": [api(SEES_CAB, kwargs=draft_pk)],
    "accreditation_api:scope-version-publish": [api(ACC_MOVE, method="post", kwargs=draft_pk, data=lambda w: {})],
    "accreditation_api:scope-version-discard": [api(ACC_MOVE, method="post", kwargs=draft_pk, data=lambda w: {})],
    "accreditation_api:scope-version-diff": [
        api(SEES_CAB, kwargs=draft_pk, query=lambda w: {"against": w.published.pk})
    ],
    "accreditation_api:scope-item-list": [
        api(LISTS),
        api(
            signed_in(
                HIDE, secretariat=OK, decision_maker=DENY, assigned_assessor=DENY, cab_admin=DENY, cab_member=DENY
            ),
            method="post",
            data=lambda w: {"version": w.draft.pk, "attributes": {**LAB_ITEM, "parameter": "铅"}},
        ),
    ],
    "accreditation_api:scope-item-detail": [
        api(SEES_CAB, kwargs=item_pk),
        api(ACC_MOVE, method="patch", kwargs=item_pk, data=lambda w: {"attributes": {**LAB_ITEM, "parameter": "镉"}}),
        api(ACC_MOVE, method="delete", kwargs=item_pk),
    ],
    "accreditation_api:scope-item-set-status": [
        api(ACC_MOVE, method="post", kwargs=item_pk, data=lambda w: {"status": "suspended", "reason": "r"})
    ],
    "accreditation_api:audit-event-list": [api(signed_in(DENY, secretariat=OK, decision_maker=OK))],
    "accreditation_api:audit-event-detail": [
        api(signed_in(DENY, secretariat=OK, decision_maker=OK), kwargs=lambda w: {"pk": w.audit_event.pk})
    ],
    "accreditation_api:public-cab-list": [api(everyone(OK), query=lambda w: {"q": "精准"})],
    "accreditation_api:public-cab-detail": [api(everyone(OK), kwargs=cab_pk)],
    "api-schema": [api(everyone(OK))],
    "api-docs": [api(everyone(OK))],
}


ENTRIES: dict[str, list[Case]] = {**PAGES, **ENDPOINTS}
