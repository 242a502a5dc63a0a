"""The accreditation check: a certificate is accredited when the body's scope held it on the issue date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accreditation.models import Cab
from accreditation.services.accreditations import (
    accreditation_partially_suspend,
    accreditation_reinstate,
    accreditation_suspend,
    accreditation_withdraw,
)
from certification.accreditation_check import AccreditationChecker
from certification.choices import NotAccreditedReason
from core.models import User
from tests.certification.registry_helpers import GRANTED, accredit_for_management_systems, certification_body

pytestmark = pytest.mark.django_db
MS = "management_system"
BEFORE = dt.date(2025, 5, 1)


@pytest.fixture
def cb() -> Cab:
    return certification_body(name_zh="中国质量认证测试中心")


def check(cb: Cab, standards: list[str], sectors: list[str], day: dt.date, kind: str = MS) -> tuple[bool, str, str]:
    verdict = AccreditationChecker.for_cb(cb).evaluate(kind, standards, sectors, day)
    return verdict.is_accredited, verdict.reason, verdict.detail


def test_a_certificate_inside_the_scope_is_accredited_by_that_accreditation(cb: Cab, secretariat: User) -> None:
    accreditation = accredit_for_management_systems(cb, secretariat)
    verdict = AccreditationChecker.for_cb(cb).evaluate(MS, ["ISO 9001:2015"], ["IAF 28", "IAF 34"], BEFORE)
    assert verdict.is_accredited and verdict.accreditation_id == accreditation.pk and verdict.reason == ""


def test_another_standard_is_outside_the_scope(cb: Cab, secretariat: User) -> None:
    accredit_for_management_systems(cb, secretariat)
    accredited, reason, detail = check(cb, ["ISO 9001:2015", "ISO 14001:2015"], ["IAF 28"], BEFORE)
    assert (accredited, reason) == (False, NotAccreditedReason.OUTSIDE_SCOPE)
    assert detail.startswith("ISO 14001:2015 was not in the scope of accreditation CNAS C")


def test_another_sector_is_outside_the_scope(cb: Cab, secretariat: User) -> None:
    accredit_for_management_systems(cb, secretariat)
    accredited, reason, detail = check(cb, ["ISO 9001:2015"], ["IAF 28", "IAF 35"], BEFORE)
    assert (accredited, reason) == (False, NotAccreditedReason.OUTSIDE_SCOPE)
    assert "sectors IAF 35 " in detail


def test_sectors_are_not_checked_for_other_certification_types(cb: Cab, secretariat: User) -> None:
    accredit_for_management_systems(cb, secretariat)
    # ISO 9001 is accredited under MS; a product type still needs a product scheme's programme.
    assert check(cb, ["GB/T 19630-2019"], [], BEFORE, kind="product")[1] == NotAccreditedReason.NO_ACCREDITATION


def test_a_body_without_accreditation_for_the_programme_is_not_accredited(cb: Cab) -> None:
    accredited, reason, detail = check(cb, ["ISO 9001:2015"], ["IAF 28"], BEFORE)
    assert (accredited, reason) == (False, NotAccreditedReason.NO_ACCREDITATION)
    assert detail == "No accreditation of the body covers ISO 9001:2015."


def test_a_certificate_issued_before_the_grant_is_not_accredited(cb: Cab, secretariat: User) -> None:
    accredit_for_management_systems(cb, secretariat)
    accredited, reason, detail = check(cb, ["ISO 9001:2015"], ["IAF 28"], GRANTED - dt.timedelta(days=1))
    assert (accredited, reason) == (False, NotAccreditedReason.BEFORE_ACCREDITATION)
    assert "was granted on 2024-01-01" in detail
    assert check(cb, ["ISO 9001:2015"], ["IAF 28"], GRANTED)[0] is True


def test_a_certificate_issued_during_suspension_is_not_accredited_but_earlier_ones_stay(
    cb: Cab, secretariat: User
) -> None:
    accreditation = accredit_for_management_systems(cb, secretariat)
    accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="监督不合格")
    today = timezone.localdate()
    assert check(cb, ["ISO 9001:2015"], ["IAF 28"], today)[:2] == (False, NotAccreditedReason.DURING_SUSPENSION)
    assert check(cb, ["ISO 9001:2015"], ["IAF 28"], BEFORE)[0] is True
    accreditation_reinstate(accreditation=accreditation, actor=secretariat, reason="整改完成")
    assert check(cb, ["ISO 9001:2015"], ["IAF 28"], today)[0] is True


def test_a_certificate_issued_after_withdrawal_is_not_accredited(cb: Cab, secretariat: User) -> None:
    accreditation = accredit_for_management_systems(cb, secretariat)
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="撤销")
    accredited, reason, detail = check(cb, ["ISO 9001:2015"], ["IAF 28"], timezone.localdate())
    assert (accredited, reason) == (False, NotAccreditedReason.AFTER_ACCREDITATION)
    assert "was Withdrawn on" in detail
    assert check(cb, ["ISO 9001:2015"], ["IAF 28"], BEFORE)[0] is True


def test_a_partially_suspended_item_does_not_cover_while_other_items_do(cb: Cab, secretariat: User) -> None:
    accreditation = accredit_for_management_systems(
        cb,
        secretariat,
        items=[
            {"standard": "GB/T 19001-2016 / ISO 9001:2015", "sectors": ["IAF 28"]},
            {"standard": "ISO 14001:2015", "sectors": ["IAF 28"]},
        ],
    )
    scope = accreditation.current_scope
    assert scope is not None
    key = str(scope.items.get(attributes__standard="ISO 14001:2015").key)
    accreditation_partially_suspend(accreditation=accreditation, actor=secretariat, reason="部分暂停", item_keys=[key])
    today = timezone.localdate()
    assert check(cb, ["ISO 14001:2015"], ["IAF 28"], today)[:2] == (False, NotAccreditedReason.DURING_SUSPENSION)
    assert check(cb, ["ISO 9001:2015"], ["IAF 28"], today)[0] is True
    assert check(cb, ["ISO 14001:2015"], ["IAF 28"], BEFORE)[0] is True


def test_evaluating_many_rows_runs_no_query_after_loading(cb: Cab, secretariat: User) -> None:
    accredit_for_management_systems(cb, secretariat)
    checker = AccreditationChecker.for_cb(cb)
    with CaptureQueriesContext(connection) as queries:
        for n in range(2000):
            checker.evaluate(MS, ["ISO 9001:2015"], ["IAF 28"], BEFORE + dt.timedelta(days=n % 400))
    assert len(queries) == 0
