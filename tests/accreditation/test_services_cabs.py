"""Services that keep a CAB's register entry: the body itself, its sites and contacts.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
of ``cab``, Chen a plain member of ``cab``, Oscar admin of ``other_cab``.
"""

from __future__ import annotations

from typing import Any

import pytest

from accreditation.models import Cab, CabContact, CabSite
from accreditation.services.cabs import (
    cab_close,
    cab_contact_add,
    cab_contact_remove,
    cab_contact_update,
    cab_create,
    cab_reopen,
    cab_site_add,
    cab_site_remove,
    cab_update,
)
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from tests.accreditation.factories import make_credit_code
from tests.accreditation.service_assertions import event_summary, new_events, nothing_changes

SUZHOU_CODE = make_credit_code(7, region="320571")
WRONG_CHECK_CHARACTER = "914403001922038217"


def suzhou_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name_zh": "苏州市精密计量测试研究院",
        "name_en": "Suzhou Precision Metrology and Testing Research Institute",
        "credit_code": SUZHOU_CODE,
        "kind": "laboratory",
        "province": "32",
        "address_zh": "江苏省苏州市工业园区星湖街218号",
        "address_en": "No. 218 Xinghu Street, Suzhou Industrial Park, Suzhou, Jiangsu",
        "postcode": "215123",
        "website": "https://www.suzhou-metrology.example",
    }
    values.update(overrides)
    return values


# --- cab_create ---------------------------------------------------------------------------------


def test_the_secretariat_registers_a_cab_and_the_trail_records_every_field(secretariat: User) -> None:
    with new_events() as events:
        cab = cab_create(actor=secretariat, reason="受理认可申请", **suzhou_values())

    assert Cab.objects.get().name_zh == "苏州市精密计量测试研究院"
    assert cab.status == "active"
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.created",
            "actor": "alice",
            "aggregate": f"accreditation.cab:{cab.pk}",
            "cab_id": cab.pk,
            "reason": "受理认可申请",
            "old_values": {},
            "new_values": suzhou_values(),
        }
    ]
    assert events[0].actor == secretariat


def test_a_credit_code_typed_in_lower_case_with_spaces_is_stored_normalised(secretariat: User) -> None:
    cab = cab_create(actor=secretariat, **suzhou_values(credit_code=f"  {SUZHOU_CODE.lower()} "))

    assert Cab.objects.get(pk=cab.pk).credit_code == SUZHOU_CODE


def test_a_credit_code_with_a_wrong_check_character_is_refused(secretariat: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_create(actor=secretariat, **suzhou_values(credit_code=WRONG_CHECK_CHARACTER))

    assert refused.value.code == "invalid_credit_code"
    assert refused.value.message == (
        "The check character of this unified social credit code is wrong: it is not a real code."
    )
    assert refused.value.detail == {
        "credit_code": ["The check character of this unified social credit code is wrong: it is not a real code."]
    }
    assert refused.value.http_status == 400


def test_a_credit_code_of_the_wrong_length_is_refused_with_the_count(secretariat: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_create(actor=secretariat, **suzhou_values(credit_code=SUZHOU_CODE[:17]))

    assert refused.value.code == "invalid_credit_code"
    assert refused.value.message == "A unified social credit code has 18 characters; this one has 17."


def test_a_credit_code_already_registered_is_refused(secretariat: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_create(actor=secretariat, **suzhou_values(credit_code=cab.credit_code.lower()))

    assert refused.value.code == "duplicate_credit_code"
    assert refused.value.message == (
        f"A CAB with the unified social credit code {cab.credit_code} is already registered."
    )
    assert refused.value.detail == {"credit_code": cab.credit_code}


def test_other_invalid_fields_are_refused_with_a_message_per_field(secretariat: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_create(actor=secretariat, **suzhou_values(province="99", website="not a url"))

    assert refused.value.code == "invalid"
    assert refused.value.message == "Some fields are invalid."
    assert refused.value.detail == {
        "province": ["Value '99' is not a valid choice."],
        "website": ["Enter a valid URL."],
    }


def test_a_field_the_register_does_not_have_is_a_programming_error(secretariat: User) -> None:
    with nothing_changes(), pytest.raises(TypeError, match=r"unexpected fields: \['status'\]"):
        cab_create(actor=secretariat, status="closed", **suzhou_values())


@pytest.mark.parametrize("persona", ["decision_maker", "assessor", "cab_admin"])
def test_only_the_secretariat_registers_cabs(request: pytest.FixtureRequest, persona: str) -> None:
    actor: User = request.getfixturevalue(persona)

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_create(actor=actor, **suzhou_values())

    assert refused.value.code == "not_secretariat"
    assert refused.value.message == "Only the secretariat may make this change."
    assert refused.value.http_status == 403


def test_a_scheduled_job_acts_for_the_secretariat_and_is_recorded_as_the_system(db: None) -> None:
    with new_events() as events:
        cab = cab_create(actor=None, **suzhou_values())

    assert events[0].actor is None
    assert events[0].actor_label == "system"
    assert events[0].cab_id == cab.pk


# --- cab_update ---------------------------------------------------------------------------------


def test_an_update_records_only_the_fields_that_changed(secretariat: User, cab: Cab) -> None:
    with new_events() as events:
        cab_update(
            cab=cab,
            actor=secretariat,
            reason="变更地址",
            name_zh=cab.name_zh,
            address_zh="北京市海淀区学院路30号",
            postcode="100083",
        )

    cab.refresh_from_db()
    assert (cab.address_zh, cab.postcode) == ("北京市海淀区学院路30号", "100083")
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.updated",
            "actor": "alice",
            "aggregate": f"accreditation.cab:{cab.pk}",
            "cab_id": cab.pk,
            "reason": "变更地址",
            "old_values": {"address_zh": "北京市海淀区中关村大街1号", "postcode": ""},
            "new_values": {"address_zh": "北京市海淀区学院路30号", "postcode": "100083"},
        }
    ]


def test_an_update_that_changes_nothing_writes_nothing(secretariat: User, cab: Cab) -> None:
    with nothing_changes():
        cab_update(cab=cab, actor=secretariat, name_zh=cab.name_zh, province=cab.province)


def test_an_update_to_another_cabs_credit_code_is_refused(secretariat: User, cab: Cab, other_cab: Cab) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_update(cab=cab, actor=secretariat, credit_code=other_cab.credit_code)

    assert refused.value.code == "duplicate_credit_code"


def test_an_update_to_an_invalid_credit_code_is_refused(secretariat: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_update(cab=cab, actor=secretariat, credit_code=WRONG_CHECK_CHARACTER)

    assert refused.value.code == "invalid_credit_code"


def test_a_cab_admin_cannot_change_the_register_entry_of_her_own_cab(cab_admin: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_update(cab=cab, actor=cab_admin, name_en="Carol's Lab")

    assert refused.value.code == "not_secretariat"


# --- cab_close / cab_reopen -----------------------------------------------------------------------


def test_closing_and_reopening_a_cab_records_both_moves(secretariat: User, cab: Cab) -> None:
    with new_events() as events:
        cab_close(cab=cab, actor=secretariat, reason="机构注销登记")
        cab_reopen(cab=cab, actor=secretariat, reason="误操作，恢复")

    cab.refresh_from_db()
    assert cab.status == "active"
    assert [(e.event_type, e.reason, e.old_values, e.new_values) for e in events] == [
        ("cab.closed", "机构注销登记", {"status": "active"}, {"status": "closed"}),
        ("cab.reopened", "误操作，恢复", {"status": "closed"}, {"status": "active"}),
    ]


def test_closing_a_closed_cab_is_an_illegal_status_change(secretariat: User, cab: Cab) -> None:
    cab_close(cab=cab, actor=secretariat, reason="机构注销登记")

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        cab_close(cab=cab, actor=secretariat, reason="再次注销")

    assert refused.value.code == "illegal_status_change"
    assert refused.value.message == "The status cannot change from “Closed” to “Closed”."
    assert refused.value.detail == {"from": "closed", "to": "closed", "allowed": ["active"]}
    assert refused.value.http_status == 409


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_a_cab_needs_a_reason(secretariat: User, cab: Cab, reason: str) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_close(cab=cab, actor=secretariat, reason=reason)

    assert refused.value.code == "reason_required"
    assert refused.value.message == "Give a reason for this change."


def test_a_decision_maker_cannot_close_a_cab(decision_maker: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_close(cab=cab, actor=decision_maker, reason="试图注销")

    assert refused.value.code == "not_secretariat"


# --- sites ----------------------------------------------------------------------------------------


def test_the_secretariat_adds_and_removes_a_site(secretariat: User, cab: Cab) -> None:
    with new_events() as events:
        site = cab_site_add(
            cab=cab, actor=secretariat, name="昌平实验基地", address="北京市昌平区科技园路8号", province="11"
        )
        site_id = site.pk
        cab_site_remove(site=site, actor=secretariat, reason="基地搬迁")

    assert not CabSite.objects.filter(cab=cab).exists()
    values = {"name": "昌平实验基地", "address": "北京市昌平区科技园路8号", "province": "11", "is_main": False}
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.site_added",
            "actor": "alice",
            "aggregate": f"accreditation.cabsite:{site_id}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {},
            "new_values": values,
        },
        {
            "event_type": "cab.site_removed",
            "actor": "alice",
            "aggregate": f"accreditation.cabsite:{site_id}",
            "cab_id": cab.pk,
            "reason": "基地搬迁",
            "old_values": values,
            "new_values": {},
        },
    ]


def test_a_second_site_with_the_same_name_is_refused(secretariat: User, cab: Cab) -> None:
    cab_site_add(cab=cab, actor=secretariat, name="总部", address="北京市海淀区中关村大街1号", province="11")

    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_site_add(cab=cab, actor=secretariat, name="总部", address="北京市朝阳区安定路5号", province="11")

    assert refused.value.code == "duplicate_site"
    assert refused.value.message == "This CAB already has a site with that name."


def test_a_cab_admin_cannot_add_a_site(cab_admin: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_site_add(cab=cab, actor=cab_admin, name="分部", address="北京市朝阳区安定路5号", province="11")

    assert refused.value.code == "not_secretariat"


# --- contacts -------------------------------------------------------------------------------------


def test_a_cab_admin_adds_updates_and_removes_a_contact_of_her_cab(cab_admin: User, cab: Cab) -> None:
    with new_events() as events:
        contact = cab_contact_add(
            cab=cab, actor=cab_admin, name="王芳", role="质量负责人", email="wangfang@precise.example", is_primary=True
        )
        contact_id = contact.pk
        cab_contact_update(contact=contact, actor=cab_admin, reason="更换手机号", phone="13800138000", name="王芳")
        cab_contact_remove(contact=contact, actor=cab_admin, reason="离职")

    assert not CabContact.objects.filter(cab=cab).exists()
    added = {"name": "王芳", "role": "质量负责人", "email": "wangfang@precise.example", "phone": "", "is_primary": True}
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.contact_added",
            "actor": "carol",
            "aggregate": f"accreditation.cabcontact:{contact_id}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {},
            "new_values": added,
        },
        {
            "event_type": "cab.contact_updated",
            "actor": "carol",
            "aggregate": f"accreditation.cabcontact:{contact_id}",
            "cab_id": cab.pk,
            "reason": "更换手机号",
            "old_values": {"phone": ""},
            "new_values": {"phone": "13800138000"},
        },
        {
            "event_type": "cab.contact_removed",
            "actor": "carol",
            "aggregate": f"accreditation.cabcontact:{contact_id}",
            "cab_id": cab.pk,
            "reason": "离职",
            "old_values": {**added, "phone": "13800138000"},
            "new_values": {},
        },
    ]


def test_an_invalid_contact_e_mail_is_refused(cab_admin: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_contact_add(cab=cab, actor=cab_admin, name="王芳", role="质量负责人", email="wangfang")

    assert refused.value.code == "invalid"
    assert refused.value.detail == {"email": ["Enter a valid email address."]}


def test_a_cab_admin_cannot_add_a_contact_to_another_cab(other_cab_user: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_contact_add(cab=cab, actor=other_cab_user, name="奥斯卡", role="认可联络人")

    assert refused.value.code == "outside_cab"
    assert refused.value.message == (
        "You may only make this change for a CAB you administer, "
        "and you do not administer Beijing Precise Testing Co., Ltd."
    )
    assert refused.value.http_status == 403


def test_a_cab_admin_cannot_change_or_remove_another_cabs_contact(
    secretariat: User, other_cab_user: User, cab: Cab
) -> None:
    contact = cab_contact_add(cab=cab, actor=secretariat, name="王芳", role="质量负责人")

    with nothing_changes():
        with pytest.raises(NotPermitted) as update_refused:
            cab_contact_update(contact=contact, actor=other_cab_user, phone="13900000000")
        with pytest.raises(NotPermitted) as remove_refused:
            cab_contact_remove(contact=contact, actor=other_cab_user)

    assert (update_refused.value.code, remove_refused.value.code) == ("outside_cab", "outside_cab")


def test_a_plain_member_cannot_add_contacts_to_her_own_cab(cab_user: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_contact_add(cab=cab, actor=cab_user, name="陈晨", role="认可联络人")

    assert refused.value.code == "outside_cab"
