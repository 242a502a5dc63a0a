"""Staff maintain a programme's rules (numbering, cycle) through one audited service."""

from __future__ import annotations

import pytest
from django.test import Client

from accreditation.services.programmes import PROGRAMME_FIELDS, programme_update
from core.errors import DomainError, NotPermitted
from core.models import AuditEvent, User
from tests.accreditation.factories import programme


def test_the_secretariat_changes_a_cycle_rule_and_the_change_is_audited(secretariat: User) -> None:
    lab = programme("CL")

    programme_update(programme=lab, actor=secretariat, reason="CNAS-RC01 修订", max_suspension_months=9)

    lab.refresh_from_db()
    assert lab.max_suspension_months == 9
    event = AuditEvent.objects.get(event_type="programme.updated")
    assert (event.actor, event.reason, event.old_values, event.new_values) == (
        secretariat,
        "CNAS-RC01 修订",
        {"max_suspension_months": 6},
        {"max_suspension_months": 9},
    )


def test_an_unchanged_value_writes_nothing(secretariat: User) -> None:
    programme_update(programme=programme("CL"), actor=secretariat, max_suspension_months=6)

    assert not AuditEvent.objects.filter(event_type="programme.updated").exists()


@pytest.mark.parametrize("pattern", ["CNAS L", "CNAS L{m:04d}", "CNAS {n} {x}"])
def test_a_number_pattern_without_exactly_n_is_refused(secretariat: User, pattern: str) -> None:
    with pytest.raises(DomainError) as refused:
        programme_update(programme=programme("CL"), actor=secretariat, number_pattern=pattern)

    assert refused.value.code == "invalid_number_pattern"
    assert programme("CL").number_pattern == "CNAS L{n:04d}"


def test_a_decision_maker_may_not_change_a_programme(decision_maker: User) -> None:
    with pytest.raises(NotPermitted) as refused:
        programme_update(programme=programme("CL"), actor=decision_maker, certificate_validity_months=60)

    assert refused.value.code == "not_secretariat"
    assert programme("CL").certificate_validity_months == 72


def test_the_code_and_scope_shape_cannot_be_changed_through_the_service(secretariat: User) -> None:
    with pytest.raises(TypeError, match="scope_shape"):
        programme_update(programme=programme("CL"), actor=secretariat, scope_shape="inspection")


def test_a_superuser_edits_a_programme_in_the_admin_through_the_service(db: None) -> None:
    admin = User.objects.create_superuser("root", "root@example.cn", "a-long-admin-password")
    lab = programme("CL")
    client = Client()
    client.force_login(admin)
    form = client.get(f"/admin/accreditation/programme/{lab.pk}/change/")
    assert form.status_code == 200
    data = {
        name: getattr(lab, name)
        for name in [
            "name_zh",
            "name_en",
            "standard",
            "number_pattern",
            "next_number",
            "certificate_validity_months",
            "first_surveillance_months",
            "max_onsite_interval_months",
            "reassessment_interval_months",
            "renewal_notice_months",
            "max_suspension_months",
            "nc_answer_deadline_days",
            "acceptance_review_working_days",
        ]
    }
    data.update(is_active="on", nc_answer_deadline_days=30)

    response = client.post(f"/admin/accreditation/programme/{lab.pk}/change/", data)

    assert response.status_code == 302
    assert programme("CL").nc_answer_deadline_days == 30
    assert AuditEvent.objects.get(event_type="programme.updated").new_values == {"nc_answer_deadline_days": 30}


def test_a_bad_number_pattern_in_the_admin_is_a_form_error_and_changes_nothing(db: None) -> None:
    admin = User.objects.create_superuser("root", "root@example.cn", "a-long-admin-password")
    lab = programme("CL")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    data = {name: getattr(lab, name) for name in PROGRAMME_FIELDS if name != "is_active"}
    data.update(is_active="on", number_pattern="CNAS L")

    response = client.post(f"/admin/accreditation/programme/{lab.pk}/change/", data)

    assert response.status_code == 200
    assert "The number pattern must contain {n}" in response.content.decode()
    assert programme("CL").number_pattern == "CNAS L{n:04d}"
    assert not AuditEvent.objects.filter(event_type="programme.updated").exists()
