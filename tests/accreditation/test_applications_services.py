"""Applications and the acceptance review, move by move, with every refusal changing nothing.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Carol admin
and Chen plain member of ``cab``, Oscar admin of ``other_cab``. ``accreditation`` is ``cab``
accredited under CL with one published item (acid value of edible vegetable oil).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accreditation.choices_applications import ApplicationStatus, ApplicationType, ScopeAction
from accreditation.models import Accreditation, Application, Cab, Holiday, ScopeVersion
from accreditation.selectors_applications import application_diff
from accreditation.services.applications import (
    add_working_days,
    application_accept,
    application_add_item,
    application_create,
    application_refuse,
    application_remove_item,
    application_return,
    application_submit,
    application_update,
    application_withdraw,
)
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from tests.accreditation.applications_helpers import (
    MS_ITEM,
    NEW_ITEM,
    attach_required,
    draft_extension,
    draft_initial,
    media,
    nothing_changes,
    submitted_extension,
)
from tests.accreditation.factories import CabFactory, CabMembershipFactory, programme
from tests.accreditation.service_assertions import event_summary, new_events
from tests.conftest import LAB_ITEM

__all__ = ["media"]
EXTENSION_CHECKLIST = ["form_signed", "fees_agreed", "assessors_available", "scope_clear", "pt_evidence"]
INITIAL_CHECKLIST = [
    "form_signed",
    "fees_agreed",
    "assessors_available",
    "legal_status",
    "system_operating",
    "scope_clear",
]


@pytest.fixture(autouse=True)
def _media(media: Path) -> Path:
    return media


# --- Working days ------------------------------------------------------------------------------


def test_five_working_days_from_a_thursday_skip_the_weekend(db: None) -> None:
    assert add_working_days(dt.date(2026, 3, 5), 5) == dt.date(2026, 3, 12)


def test_working_days_skip_a_holiday_the_secretariat_entered(db: None) -> None:
    Holiday.objects.create(date=dt.date(2026, 3, 9), name="调休")

    assert add_working_days(dt.date(2026, 3, 5), 5) == dt.date(2026, 3, 13)


def test_a_holiday_on_a_saturday_does_not_count_twice(db: None) -> None:
    Holiday.objects.create(date=dt.date(2026, 3, 7), name="周六")

    assert add_working_days(dt.date(2026, 3, 5), 5) == dt.date(2026, 3, 12)


# --- Creating --------------------------------------------------------------------------------------


def test_a_cab_member_starts_an_extension_of_the_accreditation_it_holds(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    with new_events() as events:
        application = application_create(
            cab=cab, programme=accreditation.programme, type=ApplicationType.EXTENSION, actor=cab_user, note="扩项"
        )

    year = application.created_at.year
    assert application.reference == f"APP-{year}-{application.pk:06d}"
    assert (application.status, application.accreditation, application.created_by, application.note) == (
        "draft",
        accreditation,
        cab_user,
        "扩项",
    )
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "application.created",
            "actor": "chen",
            "aggregate": f"accreditation.application:{application.pk}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {},
            "new_values": {"reference": application.reference, "programme": "CL", "type": "extension"},
        }
    ]


def test_an_initial_application_has_no_accreditation_until_it_is_accepted(cab: Cab, cab_user: User) -> None:
    application = application_create(cab=cab, programme=programme("CL"), type="initial", actor=cab_user)

    assert (application.accreditation, Accreditation.objects.count()) == (None, 0)


def test_a_member_of_another_cab_cannot_apply_for_it(
    cab: Cab, other_cab_user: User, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        application_create(cab=cab, programme=programme("CL"), type="extension", actor=other_cab_user)

    assert refused.value.code == "not_cab_member"


def test_the_secretariat_does_not_apply_on_behalf_of_a_cab(
    cab: Cab, secretariat: User, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        application_create(cab=cab, programme=programme("CL"), type="extension", actor=secretariat)

    assert refused.value.code == "not_cab_member"


def test_an_extension_needs_an_accreditation_under_the_programme(cab: Cab, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_create(cab=cab, programme=programme("IB"), type="extension", actor=cab_user)

    assert refused.value.code == "not_accredited"


def test_an_initial_application_is_refused_when_the_cab_is_already_accredited(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_create(cab=cab, programme=programme("CL"), type="initial", actor=cab_user)

    assert refused.value.code == "accreditation_exists"


def test_a_second_open_initial_application_is_refused(cab: Cab, cab_user: User) -> None:
    application_create(cab=cab, programme=programme("CL"), type="initial", actor=cab_user)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_create(cab=cab, programme=programme("CL"), type="initial", actor=cab_user)

    assert refused.value.code == "application_open"


def test_an_unknown_type_is_refused(cab: Cab, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_create(cab=cab, programme=programme("CL"), type="merger", actor=cab_user)

    assert refused.value.code == "invalid_type"


def test_a_change_notification_keeps_its_changes_as_structured_values(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = application_create(
        cab=cab,
        programme=accreditation.programme,
        type="change",
        actor=cab_user,
        change_kinds=["address", "name"],
        proposed_changes={
            "name": {"name_zh": " 北京精准检测集团有限公司 ", "name_en": ""},
            "address": {"address_zh": "北京市朝阳区1号"},
        },
    )

    assert application.change_kinds == ["name", "address"]
    assert application.proposed_changes == {
        "name": {"name_zh": "北京精准检测集团有限公司"},
        "address": {"address_zh": "北京市朝阳区1号"},
    }


def test_a_change_with_a_bad_credit_code_or_a_missing_value_is_refused_field_by_field(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_create(
            cab=cab,
            programme=accreditation.programme,
            type="change",
            actor=cab_user,
            change_kinds=["legal_entity", "key_personnel"],
            proposed_changes={"legal_entity": {"name_zh": "新公司", "credit_code": "91110108000000000X"}},
        )

    assert refused.value.code == "invalid_changes"
    assert refused.value.detail == {
        "legal_entity.credit_code": "The check character of this unified social credit code is wrong: "
        "it is not a real code.",
        "key_personnel.people": "This field is required.",
    }


def test_changes_on_an_extension_are_refused(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_create(
            cab=cab, programme=accreditation.programme, type="extension", actor=cab_user, change_kinds=["name"]
        )

    assert refused.value.code == "changes_not_applicable"


# --- Editing ------------------------------------------------------------------------------------


def test_an_extension_adds_validated_items(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    item = application_add_item(application=application, actor=cab_user, attributes={**NEW_ITEM, "limitation": " "})

    assert (item.action, item.key, item.attributes, item.position) == (ScopeAction.ADD, None, NEW_ITEM, 1)


def test_an_item_with_a_missing_field_is_refused(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_add_item(application=application, actor=cab_user, attributes={"field": "食品"})

    assert (refused.value.code, sorted(refused.value.detail)) == (
        "invalid_scope_item",
        ["method", "parameter", "subject"],
    )


def test_a_reduction_names_items_of_the_current_scope_and_the_diff_shows_them_removed(
    cab: Cab, cab_user: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="reduction", actor=cab_user)
    current = published_scope.items.get()

    item = application_add_item(application=application, actor=cab_user, key=str(current.key))

    assert (item.action, item.key, item.attributes) == (ScopeAction.REMOVE, current.key, LAB_ITEM)
    diff = application_diff(application)
    assert (diff.added, diff.removed, diff.kept) == ([], [current], [])


def test_a_reduction_cannot_add_new_items(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="reduction", actor=cab_user)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    assert refused.value.code == "items_not_applicable"


def test_a_key_that_is_not_in_the_current_scope_is_refused(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="reduction", actor=cab_user)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_add_item(application=application, actor=cab_user, key="00000000-0000-0000-0000-000000000000")

    assert refused.value.code == "unknown_scope_item"


def test_the_same_current_item_cannot_be_named_twice(
    cab: Cab, cab_user: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="reduction", actor=cab_user)
    key = str(published_scope.items.get().key)
    application_add_item(application=application, actor=cab_user, key=key)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_add_item(application=application, actor=cab_user, key=key)

    assert refused.value.code == "item_already_listed"


def test_a_renewal_keeps_named_items_and_drops_the_others(
    cab: Cab, cab_user: User, accreditation: Accreditation, published_scope: ScopeVersion
) -> None:
    application = application_create(cab=cab, programme=accreditation.programme, type="renewal", actor=cab_user)
    added = application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    diff = application_diff(application)
    assert (diff.added, diff.removed, diff.kept) == ([added], [published_scope.items.get()], [])

    application_add_item(application=application, actor=cab_user, key=str(published_scope.items.get().key))
    diff = application_diff(application)
    assert (diff.added, diff.removed, diff.kept) == ([added], [], [published_scope.items.get()])


def test_a_change_notification_has_no_items(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = application_create(
        cab=cab,
        programme=accreditation.programme,
        type="change",
        actor=cab_user,
        change_kinds=["name"],
        proposed_changes={"name": {"name_zh": "新名称有限公司"}},
    )

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    assert refused.value.code == "items_not_applicable"


def test_an_item_is_taken_off_a_draft(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    item = application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    with new_events() as events:
        application_remove_item(item=item, actor=cab_user)

    assert application.items.count() == 0
    assert [e.event_type for e in events] == ["application.item_removed"]


def test_the_note_of_a_draft_is_edited_and_audited(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)

    with new_events() as events:
        application_update(application=application, actor=cab_user, note="新增过氧化值")

    application.refresh_from_db()
    assert application.note == "新增过氧化值"
    assert [(e.event_type, e.old_values, e.new_values) for e in events] == [
        ("application.updated", {"note": ""}, {"note": "新增过氧化值"})
    ]


def test_a_submitted_application_cannot_be_edited(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    assert refused.value.code == "not_editable"


# --- Submitting ---------------------------------------------------------------------------------


def test_submitting_starts_the_review_clock_in_working_days(
    cab: Cab, cab_user: User, accreditation: Accreditation, monkeypatch: Any
) -> None:
    application = draft_extension(cab, accreditation, cab_user)
    Holiday.objects.create(date=dt.date(2026, 10, 1), name="国庆节")
    thursday = timezone.make_aware(dt.datetime(2026, 9, 24, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: thursday)

    with new_events() as events:
        submitted = application_submit(application=application, actor=cab_user)

    # Fri 25, Mon 28, Tue 29, Wed 30, (Thu 1 Oct is a holiday), Fri 2 Oct.
    assert (submitted.status, submitted.submitted_at, submitted.review_due_on) == (
        "submitted",
        thursday,
        dt.date(2026, 10, 2),
    )
    assert [(e.event_type, e.old_values, e.new_values) for e in events] == [
        ("application.submitted", {"status": "draft"}, {"status": "submitted", "review_due_on": "2026-10-02"})
    ]


def test_an_application_is_overdue_only_after_its_due_date_while_submitted(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)
    assert application.is_overdue is False

    Application.objects.filter(pk=application.pk).update(review_due_on=timezone.localdate() - dt.timedelta(days=1))
    application.refresh_from_db()
    assert application.is_overdue is True

    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.ACCEPTED)
    application.refresh_from_db()
    assert application.is_overdue is False


def test_submitting_without_the_required_documents_lists_what_is_missing(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    application_add_item(application=application, actor=cab_user, attributes=NEW_ITEM)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_submit(application=application, actor=cab_user)

    assert (refused.value.code, refused.value.detail, str(refused.value.message)) == (
        "missing_documents",
        {"missing": ["application_form", "proficiency_testing"]},
        "Attach these documents first: Application form, Proficiency testing records.",
    )


def test_submitting_an_extension_without_items_is_refused(
    cab: Cab, cab_user: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user, complete=False)
    attach_required(application, cab_user)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_submit(application=application, actor=cab_user)

    assert refused.value.code == "no_scope_items"


def test_only_a_member_of_the_cab_submits(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = draft_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        application_submit(application=application, actor=secretariat)

    assert refused.value.code == "not_cab_member"


def test_submitting_twice_is_an_illegal_status_change(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_submit(application=application, actor=cab_user)

    assert (refused.value.code, refused.value.detail) == (
        "illegal_status_change",
        {"from": "submitted", "to": "submitted", "allowed": ["accepted", "not_accepted", "returned"]},
    )


# --- Withdrawing --------------------------------------------------------------------------------


def test_the_cab_withdraws_a_draft(cab: Cab, cab_admin: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_admin, complete=False)

    with new_events() as events:
        withdrawn = application_withdraw(application=application, actor=cab_admin, reason="计划推迟")

    assert withdrawn.status == "withdrawn"
    assert [(e.event_type, e.reason) for e in events] == [("application.withdrawn", "计划推迟")]


def test_a_submitted_application_cannot_be_withdrawn(cab: Cab, cab_user: User, accreditation: Accreditation) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_withdraw(application=application, actor=cab_user)

    assert refused.value.code == "illegal_status_change"


# --- The acceptance review ----------------------------------------------------------------------


def test_the_secretariat_accepts_a_complete_extension_with_every_check_ticked(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with new_events() as events:
        accepted = application_accept(application=application, actor=secretariat, checklist=EXTENSION_CHECKLIST)

    assert (accepted.status, accepted.reviewed_by, accepted.review_checklist, accepted.accreditation) == (
        "accepted",
        secretariat,
        dict.fromkeys(EXTENSION_CHECKLIST, True),
        accreditation,
    )
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "application.accepted",
            "actor": "alice",
            "aggregate": f"accreditation.application:{application.pk}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {"status": "submitted"},
            "new_values": {
                "status": "accepted",
                "checklist": dict.fromkeys(EXTENSION_CHECKLIST, True),
                "pre_visit": False,
                "accreditation": accreditation.pk,
            },
        }
    ]


def test_accepting_with_an_unticked_check_is_refused(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_accept(application=application, actor=secretariat, checklist=EXTENSION_CHECKLIST[:-1])

    assert (refused.value.code, refused.value.detail) == ("checklist_incomplete", {"missing": ["pt_evidence"]})


def test_an_unknown_checklist_item_is_refused(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_accept(application=application, actor=secretariat, checklist=[*EXTENSION_CHECKLIST, "bribe"])

    assert refused.value.code == "unknown_checklist_item"


def test_accepting_an_initial_application_opens_the_applicant_accreditation(
    cab: Cab, cab_user: User, secretariat: User
) -> None:
    application = application_submit(application=draft_initial(cab, programme("CL"), cab_user), actor=cab_user)

    with new_events() as events:
        accepted = application_accept(application=application, actor=secretariat, checklist=INITIAL_CHECKLIST)

    opened = Accreditation.objects.get()
    assert (accepted.accreditation, opened.cab, opened.programme.code, opened.status) == (
        opened,
        cab,
        "CL",
        "applicant",
    )
    assert [e.event_type for e in events] == ["accreditation.opened", "application.accepted"]


def test_a_new_certification_body_may_get_a_pre_visit(secretariat: User) -> None:
    body = CabFactory.create(kind="certification_body")
    member = CabMembershipFactory.create(cab=body).user
    application = application_submit(
        application=draft_initial(body, programme("MS"), member, item=MS_ITEM), actor=member
    )

    accepted = application_accept(
        application=application, actor=secretariat, checklist=INITIAL_CHECKLIST, pre_visit=True
    )

    assert accepted.pre_visit is True


def test_a_laboratory_gets_no_pre_visit(cab: Cab, cab_user: User, secretariat: User) -> None:
    application = application_submit(application=draft_initial(cab, programme("CL"), cab_user), actor=cab_user)

    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_accept(application=application, actor=secretariat, checklist=INITIAL_CHECKLIST, pre_visit=True)

    assert refused.value.code == "pre_visit_not_applicable"


def test_returning_needs_reasons_and_the_cab_resubmits(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)
    with nothing_changes(), pytest.raises(DomainError) as refused:
        application_return(application=application, actor=secretariat, reasons="  ")
    assert refused.value.code == "reason_required"

    returned = application_return(
        application=application, actor=secretariat, reasons="缺少能力验证报告", checklist=["form_signed"]
    )
    assert (returned.status, returned.review_reasons, returned.review_checklist["form_signed"]) == (
        "returned",
        "缺少能力验证报告",
        True,
    )
    application_update(application=returned, actor=cab_user, note="已补充")

    with new_events() as events:
        resubmitted = application_submit(application=returned, actor=cab_user)

    assert resubmitted.status == "submitted"
    assert [e.event_type for e in events] == ["application.resubmitted"]


def test_not_accepting_records_the_reasons(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    refused = application_refuse(application=application, actor=secretariat, reasons="无相应评审资源")

    assert (refused.status, refused.review_reasons, refused.reviewed_by) == (
        "not_accepted",
        "无相应评审资源",
        secretariat,
    )


def test_a_decision_maker_cannot_review(
    cab: Cab, cab_user: User, decision_maker: User, accreditation: Accreditation
) -> None:
    application = submitted_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        application_accept(application=application, actor=decision_maker, checklist=EXTENSION_CHECKLIST)

    assert refused.value.code == "not_secretariat"


def test_a_draft_cannot_be_reviewed(cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation) -> None:
    application = draft_extension(cab, accreditation, cab_user)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_refuse(application=application, actor=secretariat, reasons="x")

    assert refused.value.code == "illegal_status_change"


def test_of_two_reviewers_on_the_same_application_only_the_first_move_applies(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    """Bob loaded the application before Alice accepted it; his stale copy still says "submitted"."""
    application = submitted_extension(cab, accreditation, cab_user)
    alices_copy = Application.objects.get(pk=application.pk)
    bobs_copy = Application.objects.get(pk=application.pk)
    application_accept(application=alices_copy, actor=secretariat, checklist=EXTENSION_CHECKLIST)

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        application_refuse(application=bobs_copy, actor=secretariat, reasons="资料不全")

    assert (refused.value.code, refused.value.detail["from"]) == ("illegal_status_change", "accepted")
    application.refresh_from_db()
    assert (application.status, application.review_reasons) == ("accepted", "")


def test_every_review_reads_the_application_under_a_row_lock(
    cab: Cab, cab_user: User, secretariat: User, accreditation: Accreditation
) -> None:
    """The lock is what makes the status check and the write one step for concurrent reviewers."""
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite locks the whole database for a write; there is no row lock to see")
    application = submitted_extension(cab, accreditation, cab_user)

    with CaptureQueriesContext(connection) as queries:
        application_return(application=application, actor=secretariat, reasons="补充")

    reads = [q["sql"] for q in queries.captured_queries if 'FROM "accreditation_application"' in q["sql"]]
    assert reads[0].endswith("FOR UPDATE")
