"""Decisions on assessed applications: what each type does to the register, and every refusal.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Erin an
assessor, Carol admin and Chen plain member of ``cab``. ``accreditation`` is ``cab`` accredited
under CL with one published item (acid value of edible vegetable oil).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accreditation import hooks
from accreditation.choices import AccreditationStatus, ScopeVersionStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType, ChangeKind
from accreditation.models import Accreditation, Application, Cab, CabContact, CabSite, Decision
from accreditation.services.accreditations import accreditation_open, accreditation_renew_cycle
from accreditation.services.cabs import cab_contact_add, cab_site_add
from accreditation.services.decisions import decision_record, pending_items
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from assessors.choices import AssessmentStatus
from core.dates import add_months
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import Notification, User
from core.roles import Role
from tests.accreditation.decisions_helpers import (
    FOOD_ITEM,
    METAL_ITEM,
    WATER_ITEM,
    accepted_application,
    accepted_initial,
    all_items,
    assessed,
    items_of,
    nothing_changes,
)
from tests.accreditation.factories import UserFactory, programme
from tests.accreditation.service_assertions import event_summary, new_events
from tests.conftest import LAB_ITEM


def _attributes(version: Any) -> list[dict[str, Any]]:
    return [item.attributes for item in version.items.order_by("position", "pk")]


def _extension(cab: Cab, accreditation: Accreditation, cab_admin: User, secretariat: User, *items: Any) -> Application:
    application = accepted_application(
        cab, accreditation.programme, cab_admin, ApplicationType.EXTENSION, accreditation=accreditation, add=items
    )
    assessed(application, secretariat)
    return application


def _with_items(accreditation: Accreditation, secretariat: User, *items: dict[str, Any]) -> list[str]:
    """Publish a new issue holding the current items and ``items``; the keys of all, in order."""
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    for attributes in items:
        scope_item_add(version=draft, actor=secretariat, attributes=attributes)
    version = scope_version_publish(version=draft, actor=secretariat)
    return [str(key) for key in version.items.order_by("position", "pk").values_list("key", flat=True)]


# --- Initial accreditation ----------------------------------------------------------------------


def test_granting_an_initial_application_gives_the_number_the_cycle_and_the_first_scope(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User
) -> None:
    cl = programme("CL")
    expected_number = cl.format_number(cl.next_number)
    application = accepted_initial(cab, cl, cab_admin, secretariat, FOOD_ITEM, METAL_ITEM)
    assessed(application, secretariat)
    today = timezone.localdate()

    decision = decision_record(
        application=application, actor=decision_maker, reasons="评审组建议认可", items=all_items(application, "grant")
    )

    accreditation = Accreditation.objects.get(applications=application)
    assert accreditation.status == AccreditationStatus.ACCREDITED
    assert accreditation.number == expected_number
    assert (accreditation.granted_on, accreditation.cycle_start) == (today, today)
    assert accreditation.cycle_end == add_months(today, cl.certificate_validity_months) - dt.timedelta(days=1)
    scope = accreditation.current_scope
    assert scope is not None and scope.issue_number == 1
    assert _attributes(scope) == [FOOD_ITEM, METAL_ITEM]
    decision.refresh_from_db()
    application.refresh_from_db()
    assert (decision.sequence, decision.accreditation, decision.scope_version) == (1, accreditation, scope)
    assert decision.register_changes == {
        "status": ["applicant", "accredited"],
        "number": [None, expected_number],
        "cycle_start": [None, today.isoformat()],
        "cycle_end": [None, accreditation.cycle_end.isoformat()],
        "scope_issue": [None, 1],
    }
    assert application.status == ApplicationStatus.DECIDED
    assert [i.outcome for i in decision.items.all()] == ["grant", "grant"]


def test_a_partly_deferred_initial_application_is_granted_now_and_completed_by_a_second_decision(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User
) -> None:
    application = accepted_initial(cab, programme("CL"), cab_admin, secretariat, FOOD_ITEM, METAL_ITEM)
    assessed(application, secretariat)
    food, metal = items_of(application)

    first = decision_record(
        application=application,
        actor=decision_maker,
        reasons="部分项目需补充能力验证",
        items={food.pk: ("grant", ""), metal.pk: ("defer", "待补充能力验证结果")},
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert pending_items(application) == [metal]
    accreditation = Accreditation.objects.get(applications=application)
    assert accreditation.status == AccreditationStatus.ACCREDITED
    assert _attributes(first.scope_version) == [FOOD_ITEM]

    second = decision_record(
        application=application, actor=decision_maker, reasons="能力验证满意", items={metal.pk: ("grant", "")}
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED
    assert second.sequence == 2
    scope = accreditation.current_scope
    assert scope == second.scope_version and scope is not None
    assert (scope.issue_number, _attributes(scope)) == (2, [FOOD_ITEM, METAL_ITEM])
    assert second.register_changes == {"scope_issue": [1, 2]}


def test_refusing_every_item_of_an_initial_application_cancels_the_applicant(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User
) -> None:
    application = accepted_initial(cab, programme("CL"), cab_admin, secretariat, FOOD_ITEM)
    assessed(application, secretariat)

    with new_events() as events:
        decision = decision_record(
            application=application,
            actor=decision_maker,
            reasons="管理体系未有效运行",
            items=all_items(application, "refuse", "内审未覆盖全部要素"),
        )

    accreditation = Accreditation.objects.get(applications=application)
    assert accreditation.status == AccreditationStatus.CANCELLED
    assert accreditation.number is None
    assert not accreditation.scope_versions.exists()
    assert (decision.accreditation, decision.scope_version) == (None, None)
    assert decision.register_changes == {"status": ["applicant", "cancelled"]}
    assert [e.event_type for e in events] == ["accreditation.cancelled", "application.decided", "decision.recorded"]
    assert events[0].reason == f"Decision 1 on {application.reference}: 管理体系未有效运行"
    assert events[0].actor_label == "dmitri"


# --- Extension, reduction, renewal --------------------------------------------------------------


def test_an_extension_publishes_the_current_scope_with_the_granted_items_only(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    before = accreditation.current_scope
    assert before is not None
    old_key = before.items.get().key
    application = _extension(cab, accreditation, cab_admin, secretariat, FOOD_ITEM, METAL_ITEM)
    food, metal = items_of(application)

    with new_events() as events:
        decision = decision_record(
            application=application,
            actor=decision_maker,
            reasons="部分认可",
            items={food.pk: ("grant", ""), metal.pk: ("refuse", "无检测经历")},
        )

    scope = accreditation.current_scope
    assert scope is not None and scope == decision.scope_version
    assert (scope.issue_number, _attributes(scope)) == (2, [LAB_ITEM, FOOD_ITEM])
    assert scope.items.order_by("position").values_list("key", flat=True)[0] == old_key
    before.refresh_from_db()
    assert before.status == ScopeVersionStatus.SUPERSEDED
    assert decision.accreditation == accreditation
    assert [e.event_type for e in events] == [
        "scope.draft_started",
        "scope.item_added",
        "scope.published",
        "application.decided",
        "decision.recorded",
    ]
    assert {e.actor_label for e in events} == {"dmitri"}
    assert event_summary(events[-1]) == {
        "event_type": "decision.recorded",
        "actor": "dmitri",
        "aggregate": f"accreditation.decision:{decision.pk}",
        "cab_id": cab.pk,
        "reason": "部分认可",
        "old_values": {"application_status": "accepted"},
        "new_values": {
            "application": application.reference,
            "sequence": 1,
            "outcome": "",
            "items": {str(food.pk): "grant", str(metal.pk): "refuse"},
            "application_status": "decided",
            "accreditation": accreditation.pk,
            "scope_version": scope.pk,
            "register_changes": {"scope_issue": [1, 2]},
        },
    }


def test_an_extension_refused_entirely_publishes_nothing(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = _extension(cab, accreditation, cab_admin, secretariat, FOOD_ITEM)

    decision = decision_record(
        application=application,
        actor=decision_maker,
        reasons="不予扩项",
        items=all_items(application, "refuse", "无能力"),
    )

    assert accreditation.scope_versions.count() == 1
    assert (decision.accreditation, decision.scope_version, decision.register_changes) == (None, None, {})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED


def test_a_reduction_takes_the_granted_items_off_the_scope_by_key(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    lab_key, food_key, metal_key = _with_items(accreditation, secretariat, FOOD_ITEM, METAL_ITEM)
    application = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.REDUCTION,
        accreditation=accreditation,
        keys=[food_key, metal_key],
    )
    assessed(application, secretariat)
    food, metal = items_of(application)

    decision = decision_record(
        application=application,
        actor=decision_maker,
        reasons="自愿缩小",
        items={food.pk: ("grant", ""), metal.pk: ("defer", "需确认在检客户")},
    )

    scope = accreditation.current_scope
    assert scope is not None and scope == decision.scope_version
    assert [str(k) for k in scope.items.values_list("key", flat=True)] == [lab_key, metal_key]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_a_renewal_keeps_the_granted_items_adds_the_new_ones_and_renews_the_cycle(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    lab_key, food_key, metal_key = _with_items(accreditation, secretariat, FOOD_ITEM, METAL_ITEM)
    application = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.RENEWAL,
        accreditation=accreditation,
        keys=[lab_key, food_key],
        add=[WATER_ITEM],
    )
    assessed(application, secretariat)
    lab, food, water = items_of(application)
    old_end = accreditation.cycle_end
    today = timezone.localdate()

    with new_events() as events:
        decision = decision_record(
            application=application,
            actor=decision_maker,
            reasons="复评审通过",
            items={lab.pk: ("grant", ""), food.pk: ("refuse", "未参加能力验证"), water.pk: ("grant", "")},
        )

    accreditation.refresh_from_db()
    assert accreditation.cycle_start == today
    assert accreditation.cycle_end == add_months(today, 72) - dt.timedelta(days=1)
    scope = accreditation.current_scope
    assert scope is not None and scope == decision.scope_version
    keys = [str(k) for k in scope.items.order_by("position").values_list("key", flat=True)]
    assert keys[0] == lab_key
    assert food_key not in keys and metal_key not in keys
    assert _attributes(scope) == [LAB_ITEM, WATER_ITEM]
    assert decision.register_changes == {
        "cycle_start": [str(accreditation.granted_on), today.isoformat()],
        "cycle_end": [str(old_end), accreditation.cycle_end.isoformat()],
        "scope_issue": [2, 3],
    }
    assert [e.event_type for e in events][:2] == ["accreditation.cycle_renewed", "scope.draft_started"]


def test_a_renewal_item_deferred_stays_until_a_later_decision_refuses_it(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    lab_key, food_key = _with_items(accreditation, secretariat, FOOD_ITEM)
    application = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.RENEWAL,
        accreditation=accreditation,
        keys=[lab_key, food_key],
    )
    assessed(application, secretariat)
    lab, food = items_of(application)
    decision_record(
        application=application,
        actor=decision_maker,
        reasons="部分延期",
        items={lab.pk: ("grant", ""), food.pk: ("defer", "待验证")},
    )
    cycle_end = Accreditation.objects.get(pk=accreditation.pk).cycle_end

    second = decision_record(
        application=application, actor=decision_maker, reasons="验证不通过", items={food.pk: ("refuse", "不满足")}
    )

    accreditation.refresh_from_db()
    assert accreditation.cycle_end == cycle_end
    assert second.scope_version is not None
    assert [str(k) for k in second.scope_version.items.values_list("key", flat=True)] == [lab_key]
    assert second.register_changes == {"scope_issue": [3, 4]}


# --- Change notifications -----------------------------------------------------------------------

CHANGES: dict[str, dict[str, str]] = {
    ChangeKind.NAME: {"name_zh": "北京精准检测认证有限公司", "name_en": "Beijing Precise Testing & Certification"},
    ChangeKind.ADDRESS: {"address_zh": "北京市朝阳区建国路88号"},
    ChangeKind.KEY_PERSONNEL: {"people": "刘洋, 技术负责人\n王强，质量负责人"},
    ChangeKind.AUTHORISED_SIGNATORIES: {"people": "赵敏, 食品检测报告"},
    ChangeKind.SITES: {"sites": "二号实验楼, 北京市朝阳区建国路90号\n一号实验楼, 北京市海淀区2号"},
}


def _change(cab: Cab, accreditation: Accreditation, actor: User, secretariat: User) -> Application:
    application = accepted_application(
        cab,
        accreditation.programme,
        actor,
        ApplicationType.CHANGE,
        accreditation=accreditation,
        change_kinds=list(CHANGES),
        proposed_changes=CHANGES,
    )
    assessed(application, secretariat)
    return application


def test_an_approved_change_notification_updates_the_register(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    cab_contact_add(cab=cab, actor=secretariat, name="刘洋", role="质量负责人")
    cab_site_add(cab=cab, actor=secretariat, name="一号实验楼", address="北京市海淀区1号", province="11", is_main=True)
    application = _change(cab, accreditation, cab_admin, secretariat)
    old_name, old_address = cab.name_zh, cab.address_zh

    decision = decision_record(application=application, actor=decision_maker, reasons="变更材料齐全", outcome="grant")

    cab.refresh_from_db()
    assert (cab.name_zh, cab.name_en, cab.address_zh) == (
        "北京精准检测认证有限公司",
        "Beijing Precise Testing & Certification",
        "北京市朝阳区建国路88号",
    )
    contacts = {c.name: c.role for c in CabContact.objects.filter(cab=cab)}
    assert contacts == {"刘洋": "技术负责人", "王强": "质量负责人", "赵敏": "授权签字人: 食品检测报告"}
    sites = {s.name: (s.address, s.is_main) for s in CabSite.objects.filter(cab=cab)}
    assert sites == {"一号实验楼": ("北京市海淀区2号", True), "二号实验楼": ("北京市朝阳区建国路90号", False)}
    assert decision.outcome == "grant"
    assert decision.accreditation == accreditation
    assert decision.register_changes == {
        "name_zh": [old_name, "北京精准检测认证有限公司"],
        "name_en": ["Beijing Precise Testing Co., Ltd.", "Beijing Precise Testing & Certification"],
        "address_zh": [old_address, "北京市朝阳区建国路88号"],
        "contact: 刘洋": ["质量负责人", "技术负责人"],
        "contact: 王强": [None, "质量负责人"],
        "contact: 赵敏": [None, "授权签字人: 食品检测报告"],
        "site: 二号实验楼": [None, "北京市朝阳区建国路90号"],
        "site: 一号实验楼": ["北京市海淀区1号", "北京市海淀区2号"],
    }
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED


def test_a_refused_change_notification_changes_nothing_in_the_register(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = _change(cab, accreditation, cab_admin, secretariat)
    name = cab.name_zh

    with new_events() as events:
        decision = decision_record(application=application, actor=decision_maker, reasons="证明不足", outcome="refuse")

    cab.refresh_from_db()
    assert cab.name_zh == name
    assert not CabContact.objects.filter(cab=cab).exists()
    assert (decision.outcome, decision.register_changes, decision.accreditation) == ("refuse", {}, None)
    assert [e.event_type for e in events] == ["application.decided", "decision.recorded"]


def test_a_change_notification_is_approved_or_refused_never_deferred_nor_itemised(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = _change(cab, accreditation, cab_admin, secretariat)

    with nothing_changes(), pytest.raises(DomainError) as deferred:
        decision_record(application=application, actor=decision_maker, reasons="待定", outcome="defer")
    with nothing_changes(), pytest.raises(DomainError) as itemised:
        decision_record(application=application, actor=decision_maker, reasons="待定", items={1: ("grant", "")})

    assert deferred.value.code == "invalid_outcome"
    assert itemised.value.code == "items_not_applicable"


# --- Refusals -----------------------------------------------------------------------------------


@pytest.fixture
def ready_extension(cab: Cab, cab_admin: User, secretariat: User, accreditation: Accreditation) -> Application:
    return _extension(cab, accreditation, cab_admin, secretariat, FOOD_ITEM, METAL_ITEM)


@pytest.mark.parametrize("persona", ["secretariat", "cab_admin", "assessor"])
def test_only_a_decision_maker_may_decide(
    request: pytest.FixtureRequest, persona: str, ready_extension: Application
) -> None:
    user = request.getfixturevalue(persona)

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        decision_record(
            application=ready_extension, actor=user, reasons="认可", items=all_items(ready_extension, "grant")
        )

    assert refused.value.code == "not_decision_maker"


def test_it_refuses_a_decision_by_a_member_of_the_assessment_team(
    cab: Cab, cab_admin: User, secretariat: User, accreditation: Accreditation, decision_maker: User
) -> None:
    application = accepted_application(
        cab, accreditation.programme, cab_admin, ApplicationType.EXTENSION, accreditation=accreditation, add=[FOOD_ITEM]
    )
    assessed(application, secretariat, team=[UserFactory.create(username="lead"), decision_maker])

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        decision_record(
            application=application, actor=decision_maker, reasons="认可", items=all_items(application, "grant")
        )

    assert refused.value.code == "decider_on_team"


def test_it_refuses_an_application_whose_assessment_is_not_completed(
    cab: Cab, cab_admin: User, secretariat: User, accreditation: Accreditation, decision_maker: User
) -> None:
    application = accepted_application(
        cab, accreditation.programme, cab_admin, ApplicationType.EXTENSION, accreditation=accreditation, add=[FOOD_ITEM]
    )
    assessed(application, secretariat, status=AssessmentStatus.REPORTED)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        decision_record(
            application=application, actor=decision_maker, reasons="认可", items=all_items(application, "grant")
        )

    assert refused.value.code == "not_ready_for_decision"
    assert refused.value.detail == {
        "status": "accepted",
        "blockers": ["On-site assessment is not completed: Report submitted, findings open."],
    }


def test_it_refuses_an_application_never_assessed(
    cab: Cab, cab_admin: User, accreditation: Accreditation, decision_maker: User
) -> None:
    application = accepted_application(
        cab, accreditation.programme, cab_admin, ApplicationType.EXTENSION, accreditation=accreditation, add=[FOOD_ITEM]
    )

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        decision_record(
            application=application, actor=decision_maker, reasons="认可", items=all_items(application, "grant")
        )

    assert refused.value.code == "not_ready_for_decision"
    assert refused.value.detail["blockers"] == ["No assessment has been planned for this application."]


def test_it_refuses_an_application_that_was_not_accepted(ready_extension: Application, decision_maker: User) -> None:
    Application.objects.filter(pk=ready_extension.pk).update(status=ApplicationStatus.WITHDRAWN)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        decision_record(
            application=ready_extension, actor=decision_maker, reasons="认可", items=all_items(ready_extension, "grant")
        )

    assert refused.value.code == "not_ready_for_decision"


@pytest.mark.parametrize(
    ("outcomes", "reasons", "code", "detail_items"),
    [
        (("grant", None), "认可", "outcomes_missing", [1]),
        (("refuse", "grant"), "认可", "item_reason_required", [0]),
        (("grant", "defer"), "认可", "item_reason_required", [1]),
        (("grant", "approve"), "认可", "invalid_outcome", [1]),
        (("grant", "grant"), "   ", "reasons_required", None),
    ],
)
def test_it_refuses_a_decision_with_an_item_undecided_or_a_reason_missing(
    ready_extension: Application,
    decision_maker: User,
    outcomes: tuple[str, str | None],
    reasons: str,
    code: str,
    detail_items: list[int] | None,
) -> None:
    items = items_of(ready_extension)
    given = {item.pk: (outcome, "") for item, outcome in zip(items, outcomes, strict=True) if outcome}

    with nothing_changes(), pytest.raises(DomainError) as refused:
        decision_record(application=ready_extension, actor=decision_maker, reasons=reasons, items=given)

    assert refused.value.code == code
    if detail_items is not None:
        assert refused.value.detail["items"] == [items[i].pk for i in detail_items]


def test_it_refuses_an_outcome_for_an_item_of_another_application(
    ready_extension: Application, decision_maker: User, cab: Cab, cab_admin: User, accreditation: Accreditation
) -> None:
    other = accepted_application(
        cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.EXTENSION,
        accreditation=accreditation,
        add=[WATER_ITEM],
    )
    items = {**all_items(ready_extension, "grant"), **all_items(other, "grant")}

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        decision_record(application=ready_extension, actor=decision_maker, reasons="认可", items=items)

    assert refused.value.code == "unknown_items"
    assert refused.value.detail == {"items": [items_of(other)[0].pk]}


def test_it_refuses_to_decide_an_application_twice(ready_extension: Application, decision_maker: User) -> None:
    items = all_items(ready_extension, "grant")
    decision_record(application=ready_extension, actor=decision_maker, reasons="认可", items=items)
    other_maker = UserFactory.create(username="dora")
    other_maker.groups.add(Group.objects.get(name=Role.DECISION_MAKER.value))

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        decision_record(application=ready_extension, actor=other_maker, reasons="认可", items=items)

    assert refused.value.code == "already_decided"
    assert Decision.objects.filter(application=ready_extension).count() == 1


def test_it_refuses_to_publish_over_a_scope_draft_the_secretariat_has_open(
    ready_extension: Application, decision_maker: User, accreditation: Accreditation, secretariat: User
) -> None:
    scope_draft_start(accreditation=accreditation, actor=secretariat)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        decision_record(
            application=ready_extension, actor=decision_maker, reasons="认可", items=all_items(ready_extension, "grant")
        )

    assert refused.value.code == "scope_draft_open"


def test_the_decision_authority_does_not_outlive_the_decision(
    ready_extension: Application, decision_maker: User, accreditation: Accreditation
) -> None:
    decision_record(
        application=ready_extension, actor=decision_maker, reasons="认可", items=all_items(ready_extension, "grant")
    )

    with pytest.raises(NotPermitted) as refused:
        scope_draft_start(accreditation=accreditation, actor=decision_maker)

    assert refused.value.code == "not_secretariat"


# --- The hook and the notifications -------------------------------------------------------------


def test_the_decision_recorded_hook_is_sent_after_commit_with_what_was_decided(
    ready_extension: Application,
    decision_maker: User,
    accreditation: Accreditation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append({"sender": sender, **{k: v for k, v in kwargs.items() if k != "signal"}})

    food, metal = items_of(ready_extension)
    hooks.decision_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decision = decision_record(
                application=ready_extension,
                actor=decision_maker,
                reasons="部分认可",
                items={food.pk: ("grant", ""), metal.pk: ("defer", "待补充")},
            )
            assert received == []
    finally:
        hooks.decision_recorded.disconnect(receiver)

    assert received == [
        {
            "sender": Decision,
            "decision_id": decision.pk,
            "application_id": ready_extension.pk,
            "application_type": "extension",
            "accreditation_id": accreditation.pk,
            "scope_version_id": decision.scope_version_id,
            "granted_item_ids": [food.pk],
            "actor_id": decision_maker.pk,
        }
    ]


def test_a_rolled_back_decision_sends_no_hook(
    ready_extension: Application, decision_maker: User, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[Any] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    hooks.decision_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            decision_record(
                application=ready_extension,
                actor=decision_maker,
                reasons="认可",
                items=all_items(ready_extension, "grant"),
            )
            transaction.set_rollback(True)
    finally:
        hooks.decision_recorded.disconnect(receiver)

    assert callbacks == []
    assert received == []
    assert not Decision.objects.exists()


def test_the_cab_and_the_secretariat_are_told_of_the_decision(
    ready_extension: Application,
    decision_maker: User,
    secretariat: User,
    cab_admin: User,
    cab_user: User,
    other_cab_user: User,
) -> None:
    food, metal = items_of(ready_extension)

    decision = decision_record(
        application=ready_extension,
        actor=decision_maker,
        reasons="部分认可",
        items={food.pk: ("grant", ""), metal.pk: ("refuse", "无能力")},
    )

    sent = Notification.objects.filter(kind="decision.recorded").order_by("recipient__username")
    assert [n.recipient.username for n in sent] == ["alice", "carol", "chen"]
    assert sent[0].link == f"/decisions/{decision.pk}/"
    assert {k: sent[0].params[k] for k in ("reference", "granted", "refused", "deferred", "reasons")} == {
        "reference": ready_extension.reference,
        "granted": 1,
        "refused": 1,
        "deferred": 0,
        "reasons": "部分认可",
    }


def test_renewing_the_cycle_of_an_applicant_is_refused(cab: Cab, secretariat: User) -> None:
    applicant = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        accreditation_renew_cycle(accreditation=applicant, actor=secretariat)

    assert refused.value.code == "not_accredited"


def test_renewing_the_cycle_starts_it_on_the_given_day_for_the_programmes_validity(
    accreditation: Accreditation, secretariat: User
) -> None:
    with new_events() as events:
        renewed = accreditation_renew_cycle(
            accreditation=accreditation, actor=secretariat, renewed_on=dt.date(2027, 1, 31), reason="复评审"
        )

    assert (renewed.cycle_start, renewed.cycle_end) == (dt.date(2027, 1, 31), dt.date(2033, 1, 30))
    assert [(e.event_type, e.new_values) for e in events] == [
        ("accreditation.cycle_renewed", {"cycle_start": "2027-01-31", "cycle_end": "2033-01-30"})
    ]
