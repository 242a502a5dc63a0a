"""The API of the register's bodies: /api/me/, programmes, CABs, their sites, contacts and members.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Erin an
assessor with no grant, Carol admin of ``cab``, Chen a plain member of ``cab``, Oscar admin of
``other_cab``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.fields import DateTimeField

from accreditation.models import Cab, CabContact, CabInvitation, CabMembership, CabSite
from core.audit import seal_pending_events
from core.models import AuditEvent, User
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory, make_credit_code


def as_json_time(moment: dt.datetime) -> str:
    """A time as the API writes it (in the site's time zone)."""
    return str(DateTimeField().to_representation(moment))


def fresh(user: User) -> User:
    """The user as a new request would load it: no roles cached yet, so query counts are honest."""
    return User.objects.get(pk=user.pk)


def without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key not in names}


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- /api/me/ ---------------------------------------------------------------------------------


def test_me_shows_a_cab_admin_her_cab(api_for, cab: Cab, cab_admin: User) -> None:
    membership = CabMembership.objects.get(user=cab_admin)

    response = api_for(cab_admin).get("/api/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": cab_admin.pk,
        "username": "carol",
        "full_name": "Carol",
        "email": "carol@example.cn",
        "roles": [],
        "memberships": [
            {
                "id": membership.pk,
                "cab": cab.pk,
                "cab_name": "Beijing Precise Testing Co., Ltd.",
                "is_admin": True,
                "created_at": as_json_time(membership.created_at),
            }
        ],
    }


def test_me_shows_staff_their_roles(api_for, secretariat: User) -> None:
    response = api_for(secretariat).get("/api/me/")

    assert response.json()["roles"] == ["secretariat"]
    assert response.json()["memberships"] == []


def test_me_names_the_cab_in_the_language_asked_for(api_for, cab: Cab, cab_user: User) -> None:
    response = api_for(cab_user, language="zh-hans").get("/api/me/")

    assert response.json()["memberships"][0]["cab_name"] == "北京精准检测技术有限公司"
    assert response.json()["memberships"][0]["is_admin"] is False


# --- Programmes -------------------------------------------------------------------------------


def test_any_signed_in_user_lists_the_programmes_by_code(api_for, cab_user: User) -> None:
    response = api_for(cab_user).get("/api/programmes/")

    assert response.status_code == 200
    assert response.json()["count"] == 11
    assert [row["code"] for row in response.json()["results"]] == [
        "BB",
        "CL",
        "GHG",
        "IB",
        "ML",
        "MS",
        "PER",
        "PRD",
        "PTP",
        "RMP",
        "VV",
    ]


def test_a_programme_carries_its_cycle_rules_and_scope_fields(api_for, assessor: User) -> None:
    response = api_for(assessor).get("/api/programmes/MS/")

    assert response.status_code == 200
    body = response.json()
    assert without(body, "id", "scope_fields") == {
        "code": "MS",
        "name": "Management system certification bodies",
        "name_zh": "管理体系认证机构认可",
        "name_en": "Management system certification bodies",
        "standard": "ISO/IEC 17021-1:2015",
        "cab_kind": "certification_body",
        "scope_shape": "management_system",
        "number_pattern": "CNAS C{n:03d}-M",
        "is_active": True,
        "cycle": {
            "certificate_validity_months": 72,
            "first_surveillance_months": 12,
            "max_onsite_interval_months": 24,
            "reassessment_interval_months": 72,
            "renewal_notice_months": 6,
            "max_suspension_months": 6,
            "nc_answer_deadline_days": 60,
            "acceptance_review_working_days": 5,
        },
    }
    assert body["scope_fields"] == [
        {"name": "standard", "label": "Standard", "required": True, "many": False, "help_text": "e.g. ISO 9001:2015"},
        {
            "name": "sectors",
            "label": "IAF/EA technical sectors",
            "required": True,
            "many": True,
            "help_text": "e.g. IAF 28",
        },
        {
            "name": "certification_type",
            "label": "Certification type",
            "required": False,
            "many": False,
            "help_text": "e.g. initial, recertification",
        },
        {"name": "limitation", "label": "Limitation", "required": False, "many": False, "help_text": ""},
    ]


def test_the_programme_list_is_not_for_anonymous_callers(api_for) -> None:
    assert api_for(None).get("/api/programmes/").status_code == 401


def test_listing_programmes_takes_a_fixed_number_of_queries(api_for, cab_user: User, django_assert_num_queries) -> None:
    client = api_for(cab_user)
    with django_assert_num_queries(2):  # count, page
        client.get("/api/programmes/")


# --- CABs: reading ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("secretariat", {"cab", "other_cab"}),
        ("decision_maker", {"cab", "other_cab"}),
        ("assessor", set()),
        ("cab_admin", {"cab"}),
        ("cab_user", {"cab"}),
        ("other_cab_user", {"other_cab"}),
    ],
)
def test_each_persona_lists_exactly_the_cabs_it_may_see(
    request: pytest.FixtureRequest, api_for, cab: Cab, other_cab: Cab, persona: str, sees: set[str]
) -> None:
    user = request.getfixturevalue(persona)
    named = {"cab": cab.pk, "other_cab": other_cab.pk}

    response = api_for(user).get("/api/cabs/")

    assert response.status_code == 200
    assert ids(response) == {named[name] for name in sees}


def test_anonymous_callers_may_not_list_cabs(api_for, cab: Cab) -> None:
    response = api_for(None).get("/api/cabs/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_cab_user_cannot_read_another_cab(api_for, cab: Cab, other_cab_user: User) -> None:
    response = api_for(other_cab_user).get(f"/api/cabs/{cab.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_cab_reads_in_full(api_for, cab: Cab, cab_user: User) -> None:
    response = api_for(cab_user).get(f"/api/cabs/{cab.pk}/")

    assert response.status_code == 200
    assert without(response.json(), "created_at", "updated_at") == {
        "id": cab.pk,
        "name": "Beijing Precise Testing Co., Ltd.",
        "name_zh": "北京精准检测技术有限公司",
        "name_en": "Beijing Precise Testing Co., Ltd.",
        "credit_code": cab.credit_code,
        "kind": "laboratory",
        "province": "11",
        "address_zh": "北京市海淀区中关村大街1号",
        "address_en": "",
        "postcode": "",
        "website": "",
        "status": "active",
    }


def test_the_cab_list_filters_by_province_and_text(api_for, cab: Cab, other_cab: Cab, secretariat: User) -> None:
    client = api_for(secretariat)

    assert ids(client.get("/api/cabs/", {"province": "31"})) == {other_cab.pk}
    assert ids(client.get("/api/cabs/", {"q": "精准"})) == {cab.pk}
    assert ids(client.get("/api/cabs/", {"q": cab.credit_code.lower()})) == {cab.pk}


def test_listing_cabs_takes_the_same_queries_for_one_or_many(
    api_for, cab: Cab, secretariat: User, django_assert_num_queries
) -> None:
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):  # roles, count, page
        one = client.get("/api/cabs/")
    CabFactory.create_batch(5)
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):
        six = client.get("/api/cabs/")

    assert (one.json()["count"], six.json()["count"]) == (1, 6)


def test_listing_cabs_as_a_cab_user_takes_a_bounded_number_of_queries(
    api_for, cab: Cab, cab_user: User, django_assert_max_num_queries
) -> None:
    CabFactory.create_batch(5)
    client = api_for(fresh(cab_user))
    with django_assert_max_num_queries(5):  # roles, guardian's two look-ups (cached later), count, page
        response = client.get("/api/cabs/")

    assert ids(response) == {cab.pk}


# --- CABs: writing ----------------------------------------------------------------------------

NEW_CAB = {
    "name_zh": "广州华测检测有限公司",
    "name_en": "Guangzhou Huace Testing Co., Ltd.",
    "kind": "laboratory",
    "province": "44",
    "address_zh": "广州市天河区科韵路1号",
}


@pytest.mark.smoke
def test_the_secretariat_registers_a_cab(api_for, secretariat: User) -> None:
    code = make_credit_code(7, region="440106")

    response = api_for(secretariat).post(
        "/api/cabs/", {**NEW_CAB, "credit_code": code, "reason": "Applied for CL"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    cab = Cab.objects.get(pk=body["id"])
    assert without(body, "created_at", "updated_at") == {
        "id": cab.pk,
        "name": "Guangzhou Huace Testing Co., Ltd.",
        **NEW_CAB,
        "credit_code": code,
        "address_en": "",
        "postcode": "",
        "website": "",
        "status": "active",
    }
    event = AuditEvent.objects.get(event_type="cab.created")
    assert (event.cab_id, event.actor_id, event.reason) == (cab.pk, secretariat.pk, "Applied for CL")


@pytest.mark.smoke
def test_a_credit_code_with_a_wrong_check_character_is_refused_and_nothing_is_saved(api_for, secretariat: User) -> None:
    code = make_credit_code(7, region="440106")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    response = api_for(secretariat).post("/api/cabs/", {**NEW_CAB, "credit_code": wrong}, format="json")

    message = "The check character of this unified social credit code is wrong: it is not a real code."
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credit_code", "message": message, "detail": {"credit_code": [message]}}
    assert Cab.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_credit_code_already_registered_is_refused_and_nothing_is_saved(api_for, cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).post("/api/cabs/", {**NEW_CAB, "credit_code": cab.credit_code}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "duplicate_credit_code",
        "message": f"A CAB with the unified social credit code {cab.credit_code} is already registered.",
        "detail": {"credit_code": cab.credit_code},
    }
    assert Cab.objects.count() == 1


def test_a_cab_admin_may_not_register_a_cab(api_for, cab_admin: User) -> None:
    response = api_for(cab_admin).post(
        "/api/cabs/", {**NEW_CAB, "credit_code": make_credit_code(7, region="440106")}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_secretariat"
    assert Cab.objects.count() == 1


def test_the_secretariat_edits_a_cab_and_the_change_is_audited(api_for, cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).patch(
        f"/api/cabs/{cab.pk}/", {"postcode": "100080", "reason": "Moved"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["postcode"] == "100080"
    cab.refresh_from_db()
    assert cab.postcode == "100080"
    event = AuditEvent.objects.get(event_type="cab.updated")
    assert (event.old_values, event.new_values, event.reason) == ({"postcode": ""}, {"postcode": "100080"}, "Moved")


def test_an_edit_to_an_invalid_credit_code_changes_nothing(api_for, cab: Cab, secretariat: User) -> None:
    before = cab.credit_code

    response = api_for(secretariat).patch(f"/api/cabs/{cab.pk}/", {"credit_code": "91110108ABC"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credit_code"
    cab.refresh_from_db()
    assert cab.credit_code == before
    assert not AuditEvent.objects.filter(event_type="cab.updated").exists()


def test_a_cab_admin_may_not_edit_her_own_register_entry(api_for, cab: Cab, cab_admin: User) -> None:
    response = api_for(cab_admin).patch(f"/api/cabs/{cab.pk}/", {"postcode": "100080"}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "not_secretariat"
    cab.refresh_from_db()
    assert cab.postcode == ""


@pytest.mark.parametrize("persona", ["other_cab_user", "cab_user", "assessor"])
def test_users_who_may_not_change_a_cab_get_404_and_nothing_changes(
    request: pytest.FixtureRequest, api_for, cab: Cab, persona: str
) -> None:
    user = request.getfixturevalue(persona)

    response = api_for(user).patch(f"/api/cabs/{cab.pk}/", {"postcode": "100080"}, format="json")

    assert response.status_code == 404
    cab.refresh_from_db()
    assert cab.postcode == ""


def test_the_secretariat_closes_and_reopens_a_cab(api_for, cab: Cab, secretariat: User) -> None:
    client = api_for(secretariat)

    closed = client.post(f"/api/cabs/{cab.pk}/close/", {"reason": "Ceased trading"}, format="json")
    reopened = client.post(f"/api/cabs/{cab.pk}/reopen/", {"reason": "Resumed"}, format="json")

    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "active")
    assert list(AuditEvent.objects.order_by("id").values_list("event_type", "reason")) == [
        ("cab.closed", "Ceased trading"),
        ("cab.reopened", "Resumed"),
    ]


def test_closing_a_closed_cab_is_a_409_conflict(api_for, cab: Cab, secretariat: User) -> None:
    client = api_for(secretariat)
    client.post(f"/api/cabs/{cab.pk}/close/", {"reason": "Ceased trading"}, format="json")

    response = client.post(f"/api/cabs/{cab.pk}/close/", {"reason": "Again"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "code": "illegal_status_change",
        "message": "The status cannot change from “Closed” to “Closed”.",
        "detail": {"from": "closed", "to": "closed", "allowed": ["active"]},
    }
    assert AuditEvent.objects.filter(event_type="cab.closed").count() == 1


def test_closing_a_cab_needs_a_reason(api_for, cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).post(f"/api/cabs/{cab.pk}/close/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == {"reason": ["This field is required."]}
    cab.refresh_from_db()
    assert cab.status == "active"


# --- Sites ------------------------------------------------------------------------------------

SITE = {"name": "顺义实验室", "address": "北京市顺义区天竺镇1号", "province": "11", "is_main": False}


def test_the_secretariat_adds_a_site(api_for, cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).post("/api/cab-sites/", {"cab": cab.pk, **SITE}, format="json")

    assert response.status_code == 201
    site = CabSite.objects.get()
    assert response.json() == {"id": site.pk, "cab": cab.pk, **SITE}
    assert AuditEvent.objects.filter(event_type="cab.site_added", cab_id=cab.pk).count() == 1


def test_a_second_site_of_the_same_name_is_refused(api_for, cab: Cab, secretariat: User) -> None:
    client = api_for(secretariat)
    client.post("/api/cab-sites/", {"cab": cab.pk, **SITE}, format="json")

    response = client.post("/api/cab-sites/", {"cab": cab.pk, **SITE}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_site"
    assert CabSite.objects.count() == 1


def test_a_cab_admin_may_not_add_a_site_to_her_own_cab(api_for, cab: Cab, cab_admin: User) -> None:
    response = api_for(cab_admin).post("/api/cab-sites/", {"cab": cab.pk, **SITE}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "not_secretariat"
    assert CabSite.objects.count() == 0


def test_a_cab_user_naming_another_cab_gets_404_and_nothing_is_added(api_for, cab: Cab, other_cab_user: User) -> None:
    response = api_for(other_cab_user).post("/api/cab-sites/", {"cab": cab.pk, **SITE}, format="json")

    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": f"There is no CAB with id {cab.pk}, or you may not see it.",
        "detail": None,
    }
    assert CabSite.objects.count() == 0


def test_sites_are_listed_for_members_of_their_cab_only(
    api_for, cab: Cab, other_cab: Cab, cab_user: User, other_cab_user: User
) -> None:
    site = CabSite.objects.create(cab=cab, **SITE)
    CabSite.objects.create(cab=other_cab, name="浦东实验室", address="上海市浦东新区1号", province="31")

    assert ids(api_for(cab_user).get("/api/cab-sites/")) == {site.pk}
    assert api_for(other_cab_user).get(f"/api/cab-sites/{site.pk}/").status_code == 404


def test_the_secretariat_removes_a_site(api_for, cab: Cab, secretariat: User) -> None:
    site = CabSite.objects.create(cab=cab, **SITE)

    response = api_for(secretariat).delete(f"/api/cab-sites/{site.pk}/")

    assert response.status_code == 204
    assert CabSite.objects.count() == 0
    assert AuditEvent.objects.filter(event_type="cab.site_removed").count() == 1


def test_another_cab_cannot_remove_a_site(api_for, cab: Cab, other_cab_user: User) -> None:
    site = CabSite.objects.create(cab=cab, **SITE)

    response = api_for(other_cab_user).delete(f"/api/cab-sites/{site.pk}/")

    assert response.status_code == 404
    assert CabSite.objects.filter(pk=site.pk).exists()


def test_listing_sites_takes_the_same_queries_for_one_or_many(
    api_for, cab: Cab, secretariat: User, django_assert_num_queries
) -> None:
    CabSite.objects.create(cab=cab, **SITE)
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):  # roles, count, page
        client.get("/api/cab-sites/")
    for n in range(5):
        CabSite.objects.create(cab=CabFactory.create(), **{**SITE, "name": f"Site {n}"})
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):
        response = client.get("/api/cab-sites/")

    assert response.json()["count"] == 6


# --- Contacts ---------------------------------------------------------------------------------

CONTACT = {
    "name": "王芳",
    "role": "质量负责人",
    "email": "wang.fang@example.cn",
    "phone": "010-12345678",
    "is_primary": True,
}


def test_a_cab_admin_adds_a_contact_to_her_cab(api_for, cab: Cab, cab_admin: User) -> None:
    response = api_for(cab_admin).post("/api/cab-contacts/", {"cab": cab.pk, **CONTACT}, format="json")

    assert response.status_code == 201
    contact = CabContact.objects.get()
    assert response.json() == {"id": contact.pk, "cab": cab.pk, **CONTACT}
    assert AuditEvent.objects.get(event_type="cab.contact_added").actor_id == cab_admin.pk


def test_a_plain_member_may_not_add_a_contact(api_for, cab: Cab, cab_user: User) -> None:
    response = api_for(cab_user).post("/api/cab-contacts/", {"cab": cab.pk, **CONTACT}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "code": "outside_cab",
        "message": (
            "You may only make this change for a CAB you administer, "
            "and you do not administer Beijing Precise Testing Co., Ltd."
        ),
        "detail": None,
    }
    assert CabContact.objects.count() == 0


def test_another_cabs_admin_may_not_add_a_contact(api_for, cab: Cab, other_cab_user: User) -> None:
    response = api_for(other_cab_user).post("/api/cab-contacts/", {"cab": cab.pk, **CONTACT}, format="json")

    assert response.status_code == 404
    assert CabContact.objects.count() == 0


def test_a_contact_with_a_bad_email_is_refused(api_for, cab: Cab, cab_admin: User) -> None:
    response = api_for(cab_admin).post(
        "/api/cab-contacts/", {"cab": cab.pk, **CONTACT, "email": "not-an-address"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == {"email": ["Enter a valid email address."]}
    assert CabContact.objects.count() == 0


def test_a_cab_admin_edits_a_contact_but_not_its_cab(api_for, cab: Cab, other_cab: Cab, cab_admin: User) -> None:
    contact = CabContact.objects.create(cab=cab, **CONTACT)

    response = api_for(cab_admin).patch(
        f"/api/cab-contacts/{contact.pk}/", {"phone": "010-87654321", "cab": other_cab.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"id": contact.pk, "cab": cab.pk, **CONTACT, "phone": "010-87654321"}
    contact.refresh_from_db()
    assert (contact.cab_id, contact.phone) == (cab.pk, "010-87654321")


def test_another_cab_cannot_edit_or_remove_a_contact(api_for, cab: Cab, other_cab_user: User) -> None:
    contact = CabContact.objects.create(cab=cab, **CONTACT)
    client = api_for(other_cab_user)

    edited = client.patch(f"/api/cab-contacts/{contact.pk}/", {"phone": "110"}, format="json")
    removed = client.delete(f"/api/cab-contacts/{contact.pk}/")

    assert (edited.status_code, removed.status_code) == (404, 404)
    contact.refresh_from_db()
    assert contact.phone == "010-12345678"
    assert AuditEvent.objects.count() == 0


def test_a_cab_admin_removes_a_contact(api_for, cab: Cab, cab_admin: User) -> None:
    contact = CabContact.objects.create(cab=cab, **CONTACT)

    response = api_for(cab_admin).delete(f"/api/cab-contacts/{contact.pk}/")

    assert response.status_code == 204
    assert CabContact.objects.count() == 0
    assert AuditEvent.objects.filter(event_type="cab.contact_removed").count() == 1


def test_listing_contacts_takes_the_same_queries_for_one_or_many(
    api_for, cab: Cab, decision_maker: User, django_assert_num_queries
) -> None:
    CabContact.objects.create(cab=cab, **CONTACT)
    client = api_for(fresh(decision_maker))
    with django_assert_num_queries(3):  # roles, count, page
        client.get("/api/cab-contacts/")
    for _ in range(5):
        CabContact.objects.create(cab=CabFactory.create(), **CONTACT)
    client = api_for(fresh(decision_maker))
    with django_assert_num_queries(3):
        response = client.get("/api/cab-contacts/")

    assert response.json()["count"] == 6


# --- Memberships and invitations --------------------------------------------------------------


def test_members_see_their_own_cabs_members(
    api_for, cab: Cab, cab_admin: User, cab_user: User, other_cab_user: User
) -> None:
    response = api_for(cab_user).get("/api/memberships/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["user"]["username"], row["is_admin"], row["cab"]) for row in rows] == [
        ("carol", True, cab.pk),
        ("chen", False, cab.pk),
    ]
    assert rows[0]["user"] == {
        "id": cab_admin.pk,
        "username": "carol",
        "full_name": "Carol",
        "email": "carol@example.cn",
    }


def test_staff_see_every_membership_and_an_assessor_none(
    api_for, cab_admin: User, other_cab_user: User, decision_maker: User, assessor: User
) -> None:
    assert api_for(decision_maker).get("/api/memberships/").json()["count"] == 2
    assert api_for(assessor).get("/api/memberships/").json()["count"] == 0


def test_listing_memberships_takes_the_same_queries_for_one_or_many(
    api_for, cab_admin: User, secretariat: User, django_assert_num_queries
) -> None:
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):  # roles, count, page with users and CABs
        client.get("/api/memberships/")
    CabMembershipFactory.create_batch(5)
    client = api_for(fresh(secretariat))
    with django_assert_num_queries(3):
        response = client.get("/api/memberships/")

    assert response.json()["count"] == 6


def test_a_cab_admin_removes_a_member(api_for, cab: Cab, cab_admin: User, cab_user: User) -> None:
    membership = CabMembership.objects.get(user=cab_user)

    response = api_for(cab_admin).delete(f"/api/memberships/{membership.pk}/")

    assert response.status_code == 204
    assert not CabMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.get(event_type="cab.member_removed").old_values == {"user": "chen", "is_admin": False}


def test_a_plain_member_may_not_remove_a_colleague(api_for, cab: Cab, cab_admin: User, cab_user: User) -> None:
    membership = CabMembership.objects.get(user=cab_admin)

    response = api_for(cab_user).delete(f"/api/memberships/{membership.pk}/")

    assert response.status_code == 403
    assert response.json()["code"] == "outside_cab"
    assert CabMembership.objects.filter(pk=membership.pk).exists()


def test_another_cab_cannot_remove_a_member(api_for, cab_user: User, other_cab_user: User) -> None:
    membership = CabMembership.objects.get(user=cab_user)

    response = api_for(other_cab_user).delete(f"/api/memberships/{membership.pk}/")

    assert response.status_code == 404
    assert CabMembership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_of_a_cab_cannot_be_removed(api_for, cab_admin: User, secretariat: User) -> None:
    membership = CabMembership.objects.get(user=cab_admin)

    response = api_for(secretariat).delete(f"/api/memberships/{membership.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"
    assert CabMembership.objects.filter(pk=membership.pk).exists()


def test_a_cab_admin_invites_a_colleague_and_the_email_waits_for_commit(
    api_for, cab: Cab, cab_admin: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_for(cab_admin).post(
            f"/api/cabs/{cab.pk}/invite/", {"email": " Dora@Example.cn ", "is_admin": False}, format="json"
        )

    assert response.status_code == 201
    invitation = CabInvitation.objects.get()
    assert response.json() == {
        "id": invitation.pk,
        "cab": cab.pk,
        "email": "dora@example.cn",
        "is_admin": False,
        "created_at": as_json_time(invitation.created_at),
        "expires_at": as_json_time(invitation.expires_at),
    }
    assert "token" not in response.json()
    assert (invitation.invited_by_id, invitation.email) == (cab_admin.pk, "dora@example.cn")
    # The e-mail, and the audit trail's seal (``core.audit``).
    assert (len(callbacks), sum(callback is seal_pending_events for callback in callbacks)) == (2, 1)


@pytest.mark.parametrize("persona", ["other_cab_user", "cab_user"])
def test_only_the_cabs_admins_may_invite(request: pytest.FixtureRequest, api_for, cab: Cab, persona: str) -> None:
    user = request.getfixturevalue(persona)

    response = api_for(user).post(f"/api/cabs/{cab.pk}/invite/", {"email": "dora@example.cn"}, format="json")

    assert response.status_code == 404
    assert CabInvitation.objects.count() == 0


def test_inviting_a_member_again_is_refused(api_for, cab: Cab, cab_admin: User, cab_user: User) -> None:
    response = api_for(cab_admin).post(f"/api/cabs/{cab.pk}/invite/", {"email": "CHEN@example.cn"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "already_member"
    assert CabInvitation.objects.count() == 0


def test_an_invitation_to_a_malformed_address_is_refused(api_for, cab: Cab, secretariat: User) -> None:
    response = api_for(secretariat).post(f"/api/cabs/{cab.pk}/invite/", {"email": "dora"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_email", "message": "Enter a valid e-mail address.", "detail": None}
    assert CabInvitation.objects.count() == 0


def test_a_new_user_sees_no_memberships(api_for) -> None:
    user = UserFactory.create(username="nobody")

    response = api_for(user).get("/api/me/")

    assert response.json()["memberships"] == []
    assert response.json()["roles"] == []


def test_sites_contacts_and_members_filter_by_cab(
    api_for, cab: Cab, other_cab: Cab, cab_admin: User, other_cab_user: User, secretariat: User
) -> None:
    site = CabSite.objects.create(cab=other_cab, **SITE)
    CabSite.objects.create(cab=cab, **SITE)
    contact = CabContact.objects.create(cab=cab, **CONTACT)
    CabContact.objects.create(cab=other_cab, **CONTACT)
    client = api_for(secretariat)

    assert ids(client.get("/api/cab-sites/", {"cab": other_cab.pk})) == {site.pk}
    assert ids(client.get("/api/cab-contacts/", {"cab": cab.pk})) == {contact.pk}
    assert ids(client.get("/api/memberships/", {"cab": other_cab.pk})) == {
        CabMembership.objects.get(user=other_cab_user).pk
    }


def test_filtering_by_a_cab_the_user_cannot_see_finds_nothing(
    api_for, cab: Cab, other_cab: Cab, cab_user: User
) -> None:
    CabSite.objects.create(cab=other_cab, **SITE)

    response = api_for(cab_user).get("/api/cab-sites/", {"cab": other_cab.pk})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/me/"),
        ("get", "/api/programmes/"),
        ("get", "/api/cabs/"),
        ("post", "/api/cabs/"),
        ("get", "/api/cab-sites/"),
        ("get", "/api/cab-contacts/"),
        ("get", "/api/memberships/"),
        ("get", "/api/accreditations/"),
        ("post", "/api/accreditations/"),
        ("get", "/api/scope-versions/"),
        ("get", "/api/scope-items/"),
        ("get", "/api/audit-events/"),
    ],
)
def test_every_private_endpoint_refuses_anonymous_callers(api_for, method: str, url: str) -> None:
    response = getattr(api_for(None), method)(url, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert Cab.objects.count() == 0
