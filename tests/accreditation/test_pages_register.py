"""The secretariat's register: who sees which CAB page, and the actions on CABs and accreditations."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accreditation.choices import AccreditationStatus, ScopeItemStatus
from accreditation.models import Accreditation, Cab, CabContact, CabSite
from accreditation.services.accreditations import accreditation_open
from accreditation.services.members import cab_grant_view
from core.models import AuditEvent, User
from tests.accreditation.factories import CabFactory, make_credit_code, programme

pytestmark = pytest.mark.django_db

VALID_CAB = {
    "name_zh": "广州华南计量检测有限公司",
    "name_en": "Guangzhou South China Metrology Co., Ltd.",
    "credit_code": make_credit_code(777, region="440106"),
    "kind": "laboratory",
    "province": "44",
    "address_zh": "广州市天河区中山大道1号",
    "address_en": "",
    "postcode": "510000",
    "website": "",
    "reason": "New applicant",
}


def audit_count() -> int:
    return AuditEvent.objects.count()


# --- Who sees what ----------------------------------------------------------------------------


def test_the_secretariat_lists_every_cab(client_for, secretariat: User, cab: Cab, other_cab: Cab) -> None:
    response = client_for(secretariat).get("/register/")
    assertContains(response, "2 CABs")
    assertContains(response, cab.name_zh)
    assertContains(response, other_cab.name_zh)
    assertContains(response, 'href="/register/cabs/new/"')


def test_a_decision_maker_reads_the_register_but_is_offered_no_changes(
    client_for, decision_maker: User, accreditation: Accreditation
) -> None:
    client = client_for(decision_maker)
    list_page = client.get("/register/")
    assertContains(list_page, accreditation.cab.name_zh)
    assertNotContains(list_page, 'href="/register/cabs/new/"')
    detail = client.get(f"/register/cabs/{accreditation.cab_id}/")
    assertNotContains(detail, "/edit/")
    assertNotContains(client.get(f"/register/accreditations/{accreditation.pk}/"), 'action="/register/')


def test_a_decision_maker_may_not_register_a_cab(client_for, decision_maker: User) -> None:
    client = client_for(decision_maker)
    assert client.get("/register/cabs/new/").status_code == 403
    assert client.post("/register/cabs/new/", VALID_CAB).status_code == 403
    assert not Cab.objects.filter(name_zh=VALID_CAB["name_zh"]).exists()


def test_a_cab_user_sees_only_their_own_cab_in_the_register(client_for, other_cab_user: User, cab: Cab) -> None:
    response = client_for(other_cab_user).get("/register/")
    assertContains(response, "1 CAB")
    assertContains(response, "上海远东认证有限公司")
    assertNotContains(response, cab.name_zh)


def test_the_register_filters_by_text_province_and_accreditation_status(
    client_for, secretariat: User, accreditation: Accreditation, other_cab: Cab
) -> None:
    client = client_for(secretariat)
    assertNotContains(client.get("/register/", {"q": "远东"}), "北京精准检测技术有限公司")
    assertContains(client.get("/register/", {"q": "CNAS L0001"}), "北京精准检测技术有限公司")
    assertNotContains(client.get("/register/", {"province": "31"}), "北京精准检测技术有限公司")
    by_status = client.get("/register/", {"accreditation_status": "accredited", "programme": "CL"})
    assertContains(by_status, "北京精准检测技术有限公司")
    assertNotContains(by_status, "上海远东认证有限公司")


def test_the_register_pages_by_fifty(client_for, secretariat: User) -> None:
    CabFactory.create_batch(51)
    client = client_for(secretariat)
    assert len(client.get("/register/").context["cabs"]) == 50
    assert len(client.get("/register/", {"page": 2}).context["cabs"]) == 1


def test_the_register_list_needs_the_same_number_of_queries_for_more_cabs(
    client_for, secretariat: User, django_assert_num_queries
) -> None:
    client = client_for(secretariat)
    for cab in CabFactory.create_batch(2):
        accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    # session, user, two-factor device, roles, unread notifications, programme choices, count,
    # page of CABs, their accreditations with programmes
    with django_assert_num_queries(9):
        client.get("/register/")
    for cab in CabFactory.create_batch(8):
        accreditation_open(cab=cab, programme=programme("IB"), actor=secretariat)
    with django_assert_num_queries(9):
        client.get("/register/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat", 200),
        ("decision_maker", 200),
        ("cab_admin", 200),
        ("cab_user", 200),
        ("other_cab_user", 404),
        ("assessor", 404),
    ],
)
def test_who_may_open_a_cabs_register_pages(
    request, client_for, accreditation: Accreditation, published_scope, persona: str, status: int
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for url in [
        f"/register/cabs/{accreditation.cab_id}/",
        f"/register/accreditations/{accreditation.pk}/",
        f"/register/scopes/{published_scope.pk}/",
        f"/register/accreditations/{accreditation.pk}/scope/diff/",
    ]:
        assert client.get(url).status_code == status, url


@pytest.mark.smoke
def test_a_cab_user_of_another_cab_gets_not_found_and_never_this_cabs_data(
    client_for, other_cab_user: User, accreditation: Accreditation
) -> None:
    response = client_for(other_cab_user).get(f"/register/cabs/{accreditation.cab_id}/")
    assert response.status_code == 404
    assertNotContains(response, "北京精准检测技术有限公司", status_code=404)


def test_an_assessor_reads_a_cab_the_secretariat_granted_them(
    client_for, assessor: User, secretariat: User, cab: Cab
) -> None:
    cab_grant_view(cab=cab, user=assessor, actor=secretariat, reason="Assessment team")
    assertContains(client_for(assessor).get(f"/register/cabs/{cab.pk}/"), cab.credit_code)


def test_the_cab_page_shows_details_sites_contacts_members_accreditations_and_versions(
    client_for, secretariat: User, accreditation: Accreditation, cab_admin: User, published_scope
) -> None:
    cab = accreditation.cab
    CabSite.objects.create(cab=cab, name="海淀实验室", address="北京市海淀区1号", province="11", is_main=True)
    CabContact.objects.create(cab=cab, name="王质量", role="Quality manager", email="wang@example.cn")
    response = client_for(secretariat).get(f"/register/cabs/{cab.pk}/")
    for text in [cab.credit_code, "海淀实验室", "王质量", "carol", "CNAS L0001", "Issue 1", "Published (current)"]:
        assertContains(response, text)
    assertContains(response, f"{accreditation.cycle_end:%Y-%m-%d}")
    assertContains(response, f'href="/register/scopes/{published_scope.pk}/"')


# --- The audit history ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretariat", "decision_maker"])
def test_staff_see_the_cabs_history_with_actor_reason_and_values(
    request, client_for, accreditation: Accreditation, secretariat: User, persona: str
) -> None:
    client_for(secretariat).post(
        f"/register/accreditations/{accreditation.pk}/status/", {"target": "suspended", "reason": "Mark misused"}
    )
    response = client_for(request.getfixturevalue(persona)).get(f"/register/cabs/{accreditation.cab_id}/")
    assertContains(response, "History")
    assertContains(response, "Accreditation suspended")
    assertContains(response, "Mark misused")
    assertContains(response, "status</span>: <del>Accredited</del> → <ins>Suspended</ins>")
    assertContains(response, "Accreditation granted")


def test_cab_users_do_not_see_the_history(client_for, cab_admin: User, accreditation: Accreditation) -> None:
    response = client_for(cab_admin).get(f"/register/cabs/{accreditation.cab_id}/")
    assertNotContains(response, "Accreditation granted")
    assertNotContains(response, 'id="history"')


# --- Registering and editing a CAB --------------------------------------------------------------


def test_the_secretariat_registers_a_cab(client_for, secretariat: User) -> None:
    response = client_for(secretariat).post(
        "/register/cabs/new/", {**VALID_CAB, "credit_code": VALID_CAB["credit_code"].lower()}
    )
    cab = Cab.objects.get(name_zh=VALID_CAB["name_zh"])
    assertRedirects(response, f"/register/cabs/{cab.pk}/")
    assert cab.credit_code == VALID_CAB["credit_code"]
    event = AuditEvent.objects.get(event_type="cab.created", cab_id=cab.pk)
    assert (event.actor, event.reason) == (secretariat, "New applicant")


@pytest.mark.smoke
def test_an_invalid_credit_code_shows_the_message_and_registers_nothing(client_for, secretariat: User) -> None:
    bad = VALID_CAB["credit_code"][:17] + ("0" if VALID_CAB["credit_code"][17] != "0" else "1")
    before = audit_count()
    response = client_for(secretariat).post("/register/cabs/new/", {**VALID_CAB, "credit_code": bad})
    assertContains(response, "The check character of this unified social credit code is wrong: it is not a real code.")
    assert not Cab.objects.filter(name_zh=VALID_CAB["name_zh"]).exists()
    assert audit_count() == before


def test_a_credit_code_already_registered_is_refused(client_for, secretariat: User, cab: Cab) -> None:
    response = client_for(secretariat).post("/register/cabs/new/", {**VALID_CAB, "credit_code": cab.credit_code})
    assertContains(response, f"A CAB with the unified social credit code {cab.credit_code} is already registered.")
    assert Cab.objects.count() == 1


def test_a_missing_required_field_is_shown_beside_the_field(client_for, secretariat: User) -> None:
    response = client_for(secretariat).post("/register/cabs/new/", {**VALID_CAB, "name_zh": ""})
    assertContains(response, "This field is required.")
    assert not Cab.objects.exists()


def test_the_secretariat_edits_a_cab_with_a_reason(client_for, secretariat: User, cab: Cab) -> None:
    client = client_for(secretariat)
    form = client.get(f"/register/cabs/{cab.pk}/edit/")
    assertContains(form, 'value="北京精准检测技术有限公司"')
    data = {**form.context["form"].initial, "address_zh": "北京市海淀区新地址8号", "reason": "Moved"}
    data = {k: v for k, v in data.items() if v is not None}
    assertRedirects(client.post(f"/register/cabs/{cab.pk}/edit/", data), f"/register/cabs/{cab.pk}/")
    cab.refresh_from_db()
    assert cab.address_zh == "北京市海淀区新地址8号"
    event = AuditEvent.objects.get(event_type="cab.updated", cab_id=cab.pk)
    assert (event.old_values, event.new_values, event.reason) == (
        {"address_zh": "北京市海淀区中关村大街1号"},
        {"address_zh": "北京市海淀区新地址8号"},
        "Moved",
    )


def test_a_cab_admin_may_not_use_the_secretariats_edit_page(client_for, cab_admin: User, cab: Cab) -> None:
    assert client_for(cab_admin).post(f"/register/cabs/{cab.pk}/edit/", {**VALID_CAB}).status_code == 403
    cab.refresh_from_db()
    assert cab.name_zh == "北京精准检测技术有限公司"


def test_the_secretariat_adds_a_site_and_a_contact(client_for, secretariat: User, cab: Cab) -> None:
    client = client_for(secretariat)
    response = client.post(
        f"/register/cabs/{cab.pk}/sites/new/", {"name": "昌平基地", "address": "北京市昌平区2号", "province": "11"}
    )
    assertRedirects(response, f"/register/cabs/{cab.pk}/")
    assert list(cab.sites.values_list("name", "is_main")) == [("昌平基地", False)]
    response = client.post(
        f"/register/cabs/{cab.pk}/contacts/new/",
        {"name": "李法人", "role": "Legal representative", "email": "li@example.cn", "is_primary": "on"},
    )
    assertRedirects(response, f"/register/cabs/{cab.pk}/")
    assert list(cab.contacts.values_list("name", "is_primary")) == [("李法人", True)]


def test_a_second_site_with_the_same_name_is_refused(client_for, secretariat: User, cab: Cab) -> None:
    CabSite.objects.create(cab=cab, name="昌平基地", address="北京市昌平区2号", province="11")
    response = client_for(secretariat).post(
        f"/register/cabs/{cab.pk}/sites/new/", {"name": "昌平基地", "address": "别处", "province": "11"}
    )
    assertContains(response, "This CAB already has a site with that name.")
    assert cab.sites.count() == 1


# --- Accreditations ---------------------------------------------------------------------------


def test_the_secretariat_opens_and_grants_an_accreditation(client_for, secretariat: User, cab: Cab) -> None:
    client = client_for(secretariat)
    response = client.post(f"/register/cabs/{cab.pk}/accreditations/new/", {"programme": programme("IB").pk})
    accreditation = Accreditation.objects.get(cab=cab, programme__code="IB")
    assertRedirects(response, f"/register/accreditations/{accreditation.pk}/")
    assertContains(client.get(f"/register/accreditations/{accreditation.pk}/"), "Grant")
    response = client.post(f"/register/accreditations/{accreditation.pk}/grant/", {"granted_on": "2024-03-01"})
    assertRedirects(response, f"/register/accreditations/{accreditation.pk}/")
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.number, str(accreditation.cycle_end)) == (
        AccreditationStatus.ACCREDITED,
        "CNAS IB0001",
        "2030-02-28",
    )


def test_a_legacy_body_keeps_its_hand_given_number(client_for, secretariat: User, cab: Cab) -> None:
    accreditation = accreditation_open(cab=cab, programme=programme("IB"), actor=secretariat)
    client_for(secretariat).post(f"/register/accreditations/{accreditation.pk}/grant/", {"number": "CNAS IB0123"})
    accreditation.refresh_from_db()
    assert accreditation.number == "CNAS IB0123"


def test_a_hand_given_number_off_the_pattern_is_refused(client_for, secretariat: User, cab: Cab) -> None:
    accreditation = accreditation_open(cab=cab, programme=programme("IB"), actor=secretariat)
    response = client_for(secretariat).post(f"/register/accreditations/{accreditation.pk}/grant/", {"number": "IB-12"})
    assertContains(response, "IB-12 does not follow the programme&#x27;s numbering CNAS IB{n:04d}.")
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.number) == (AccreditationStatus.APPLICANT, None)


def test_opening_a_second_live_accreditation_under_a_programme_is_refused(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).post(
        f"/register/cabs/{accreditation.cab_id}/accreditations/new/", {"programme": programme("CL").pk}
    )
    assertContains(response, "already holds or applies for an accreditation under")
    assert Accreditation.objects.filter(cab=accreditation.cab).count() == 1


def test_the_secretariat_suspends_an_accreditation_with_a_reason(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).post(
        f"/register/accreditations/{accreditation.pk}/status/", {"target": "suspended", "reason": "Mark misused"}
    )
    assertRedirects(response, f"/register/accreditations/{accreditation.pk}/", fetch_redirect_response=False)
    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.SUSPENDED
    assert AuditEvent.objects.get(event_type="accreditation.suspended").reason == "Mark misused"


@pytest.mark.smoke
def test_an_illegal_status_move_shows_the_message_and_changes_nothing(client_for, secretariat: User, cab: Cab) -> None:
    applicant = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    before = audit_count()
    response = client_for(secretariat).post(
        f"/register/accreditations/{applicant.pk}/status/", {"target": "suspended", "reason": "Testing"}
    )
    assertContains(response, "The status cannot change from “Applicant” to “Suspended”.")
    applicant.refresh_from_db()
    assert applicant.status == AccreditationStatus.APPLICANT
    assert audit_count() == before


def test_a_status_change_without_a_reason_is_refused(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).post(
        f"/register/accreditations/{accreditation.pk}/status/", {"target": "withdrawn", "reason": " "}
    )
    assertContains(response, "This field is required.")
    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.ACCREDITED


def test_the_status_form_greys_out_the_moves_the_table_does_not_offer(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).get(f"/register/accreditations/{accreditation.pk}/")
    assertContains(response, '<option value="suspended">Suspend</option>', html=True)
    assertContains(response, '<option value="accredited" disabled>Reinstate</option>', html=True)


def test_a_decision_maker_may_not_change_a_status(
    client_for, decision_maker: User, accreditation: Accreditation
) -> None:
    response = client_for(decision_maker).post(
        f"/register/accreditations/{accreditation.pk}/status/", {"target": "withdrawn", "reason": "No"}
    )
    assert response.status_code == 403
    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.ACCREDITED


def test_the_secretariat_suspends_part_of_the_scope(
    client_for, secretariat: User, accreditation: Accreditation, published_scope
) -> None:
    item = published_scope.items.get()
    client = client_for(secretariat)
    form = client.get(f"/register/accreditations/{accreditation.pk}/partial-suspension/")
    assertContains(form, "食品 / 食用植物油 / 酸价 / GB 5009.229-2016")
    response = client.post(
        f"/register/accreditations/{accreditation.pk}/partial-suspension/",
        {"items": [str(item.key)], "reason": "No testing experience"},
    )
    assertRedirects(response, f"/register/accreditations/{accreditation.pk}/", fetch_redirect_response=False)
    accreditation.refresh_from_db()
    current = accreditation.current_scope
    assert accreditation.status == AccreditationStatus.PARTIALLY_SUSPENDED
    assert current is not None
    assert (current.issue_number, current.items.get().status) == (2, ScopeItemStatus.SUSPENDED)


def test_a_partial_suspension_without_items_is_refused(
    client_for, secretariat: User, accreditation: Accreditation
) -> None:
    response = client_for(secretariat).post(
        f"/register/accreditations/{accreditation.pk}/partial-suspension/", {"reason": "No items"}
    )
    assertContains(response, "This field is required.")
    accreditation.refresh_from_db()
    assert accreditation.status == AccreditationStatus.ACCREDITED
