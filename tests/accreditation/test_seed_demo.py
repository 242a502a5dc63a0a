"""``manage.py seed_demo``: a realistic register written through the services, idempotently.

The command runs once for the whole module (it takes seconds); every test then works inside
its own savepoint on top of the seeded register, and the module's transaction is rolled back
at the end.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from accreditation.choices import LIVE_ACCREDITATION_STATUSES
from accreditation.demo.bodies import BODIES
from accreditation.demo.catalogues import CATALOGUES
from accreditation.demo.identifiers import (
    COMPANY,
    PRIVATE_NON_ENTERPRISE,
    PUBLIC_INSTITUTION,
    make_credit_code,
    organisation_code_check_character,
)
from accreditation.demo.seed import DEMO_PASSWORD, demo_credit_code
from accreditation.models import Accreditation, Application, Cab, CabMembership, Programme, ScopeVersion
from accreditation.scope_shapes import clean_attributes
from accreditation.selectors import cab_qs_for, directory_search
from accreditation.validators import credit_code_problem
from core.audit import verify_chain
from core.dates import add_months
from core.models import AuditEvent, User
from tests.accreditation.service_assertions import nothing_changes

DEMO_SETTINGS = {"DEBUG": True, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
LOGIN_ROWS = [
    ("secretariat", "secretariat", {"secretariat"}),
    ("decision maker", "decider", {"decision_maker"}),
    ("assessor", "assessor", {"assessor"}),
    ("CAB admin (laboratory)", "lab-admin", set()),
    ("CAB user (laboratory)", "lab-user", set()),
    ("CAB admin (certification body)", "cb-admin", set()),
]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, no_color=True)
    return out.getvalue()


def login_table(output: str) -> list[str]:
    lines = output.splitlines()
    return lines[lines.index("") + 1 :]


@pytest.fixture(scope="module")
def first_run(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
    """The output of the first run on an empty register; the register stays seeded for the module."""
    media = tmp_path_factory.mktemp("demo-media")  # the demo applications' documents
    with django_db_blocker.unblock(), override_settings(**DEMO_SETTINGS, MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(first_run: str, db: None) -> str:
    return first_run


@pytest.fixture(autouse=True)
def demo_media(settings: Any, tmp_path: Path) -> None:
    """Runs of the seed inside a test store the demo applications' documents in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


# --- the first run --------------------------------------------------------------------------------


def test_the_first_run_reports_what_it_created(seeded: str) -> None:
    summary = seeded.splitlines()[0]

    assert summary.startswith("Demo register seeded in ")
    assert summary.endswith(
        f": 64 CABs, {Accreditation.objects.count()} accreditations, "
        f"{ScopeVersion.objects.exclude(status='draft').count()} scope issues, 6 users, "
        f"{AuditEvent.objects.count()} audit events."
    )


def test_about_sixty_bodies_hold_accreditations_under_every_programme(seeded: str) -> None:
    assert Cab.objects.count() == len(BODIES) == 64
    assert set(Accreditation.objects.values_list("programme__code", flat=True)) == set(
        Programme.objects.values_list("code", flat=True)
    )
    assert Counter(Accreditation.objects.values_list("status", flat=True)) == {
        "accredited": 59,
        "applicant": 4,
        "suspended": 4,
        "withdrawn": 3,
        "partially_suspended": 1,
        "cancelled": 1,
        "expired": 1,
    }


def test_every_body_has_a_valid_unique_credit_code_an_address_a_main_site_and_a_primary_contact(seeded: str) -> None:
    cabs = list(Cab.objects.prefetch_related("sites", "contacts"))

    assert [c.credit_code for c in cabs if credit_code_problem(c.credit_code)] == []
    assert len({c.credit_code for c in cabs}) == 64
    assert len({c.province for c in cabs}) == 31
    assert all(c.name_en and c.address_zh and c.address_en and c.postcode for c in cabs)
    assert all([s.is_main for s in c.sites.all()].count(True) == 1 for c in cabs)
    assert all([p.is_primary for p in c.contacts.all()].count(True) == 1 for c in cabs)
    assert Cab.objects.filter(sites__is_main=False).count() == 4


def test_grants_spread_over_eight_years_and_numbers_follow_the_grant_dates(seeded: str) -> None:
    today = timezone.localdate()
    granted = Accreditation.objects.exclude(status="applicant")

    dates = sorted(d for d in granted.values_list("granted_on", flat=True) if d is not None)
    assert len(dates) == granted.count() == 69
    assert add_months(today, -96) <= dates[0] <= add_months(today, -72)
    assert add_months(today, -12) <= dates[-1] <= today
    for code in Programme.objects.values_list("code", flat=True):
        in_programme = granted.filter(programme__code=code)
        assert list(in_programme.order_by("granted_on", "pk").values_list("number", flat=True)) == list(
            in_programme.order_by("number").values_list("number", flat=True)
        ), code


def test_live_accreditations_are_inside_their_cycle_and_the_expired_one_is_past_it(seeded: str) -> None:
    today = timezone.localdate()
    live = Accreditation.objects.filter(status__in=LIVE_ACCREDITATION_STATUSES).exclude(status="applicant")

    assert [
        a.number for a in live if not (a.cycle_start and a.cycle_end and a.cycle_start <= today <= a.cycle_end)
    ] == []
    expired = Accreditation.objects.get(status="expired")
    assert expired.cycle_end is not None
    assert expired.cycle_end < today


def test_several_scopes_went_through_two_to_four_issues(seeded: str) -> None:
    issues = Counter(
        Accreditation.objects.exclude(status="applicant")
        .annotate(issues=Count("scope_versions", filter=~Q(scope_versions__status="draft")))
        .values_list("issues", flat=True)
    )

    # Extended, reduced: 2 issues; revised, partially suspended: 3; the two longest histories: 4.
    assert issues == {1: 40, 2: 18, 3: 9, 4: 2}


def test_the_longest_history_holds_an_extension_a_revision_and_a_reduction(seeded: str) -> None:
    from accreditation.selectors import scope_diff

    lab = Cab.objects.get(name_zh="成都明鉴食品检测有限公司")
    issues = list(ScopeVersion.objects.filter(accreditation__cab=lab).order_by("issue_number"))
    diffs = [scope_diff(old, new) for old, new in itertools.pairwise(issues)]

    assert [v.note for v in issues] == [
        "初次认可申请范围",
        "扩大认可范围申请",
        "标准方法变更确认及扩项",
        "缩小认可范围",
    ]
    assert [v.status for v in issues] == ["superseded", "superseded", "superseded", "published"]
    assert [(bool(d.added), bool(d.removed), bool(d.changed)) for d in diffs] == [
        (True, False, False),
        (True, False, True),
        (False, True, False),
    ]
    assert all(set(change.fields) == {"method"} for change in diffs[1].changed)


def test_the_partially_suspended_body_has_suspended_items_in_its_current_issue(seeded: str) -> None:
    accreditation = Accreditation.objects.get(status="partially_suspended")
    current = accreditation.current_scope

    assert accreditation.cab.name_zh == "杭州衡准检测技术有限公司"
    assert current is not None
    assert current.issue_number == 3
    assert Counter(current.items.values_list("status", flat=True))["suspended"] == 2


def test_applicants_have_a_draft_scope_and_stay_out_of_the_public_directory(seeded: str) -> None:
    applicants = Accreditation.objects.filter(status="applicant").select_related("cab")

    assert sorted(a.cab.name_zh for a in applicants) == [
        "南宁桂衡检测有限公司",
        "太原晋康医学检验有限公司",
        "石家庄冀衡检测技术有限公司",
        "陕西秦信认证有限公司",
    ]
    assert all(a.number is None and a.scope_versions.get().status == "draft" for a in applicants)
    assert directory_search().count() == 60
    assert not directory_search().filter(pk__in=applicants.values("cab_id")).exists()
    assert directory_search(q="桂衡").count() == 0


def test_the_trail_tells_the_whole_story_as_the_demo_secretariat_and_verifies(seeded: str) -> None:
    # The register is the secretariat's; the demo applications are written by the CABs' own users.
    assert set(
        AuditEvent.objects.exclude(aggregate_type="accreditation.application").values_list("actor_label", flat=True)
    ) == {"secretariat"}
    assert set(
        AuditEvent.objects.filter(aggregate_type="accreditation.application").values_list("actor_label", flat=True)
    ) == {"secretariat", "lab-admin", "lab-user", "cb-admin"}
    assert AuditEvent.objects.filter(event_type="accreditation.granted").count() == 69
    assert verify_chain().ok


# --- the logins -----------------------------------------------------------------------------------


def test_there_is_a_login_for_every_role_with_the_one_demo_password(seeded: str) -> None:
    for _, username, groups in LOGIN_ROWS:
        user = User.objects.get(username=username)
        assert set(user.groups.values_list("name", flat=True)) == groups, username
        assert user.check_password(DEMO_PASSWORD), username
        assert user.is_active


def test_the_cab_logins_work_for_a_lab_and_a_certification_body(seeded: str) -> None:
    memberships = CabMembership.objects.select_related("user", "cab").order_by("user__username")

    assert [(m.user.username, m.cab.name_zh, m.is_admin) for m in memberships] == [
        ("cb-admin", "中联华信认证中心有限公司", True),
        ("lab-admin", "苏州市精密计量测试研究院", True),
        ("lab-user", "苏州市精密计量测试研究院", False),
    ]


def test_the_demo_assessor_sees_one_body_and_the_cab_users_their_own(seeded: str) -> None:
    def visible(username: str, action: Literal["view", "change"] = "view") -> list[str]:
        return [c.name_zh for c in cab_qs_for(User.objects.get(username=username), action)]

    assert visible("assessor") == ["成都明鉴食品检测有限公司"]
    assert visible("lab-admin", "change") == ["苏州市精密计量测试研究院"]
    assert visible("lab-user", "change") == []
    assert visible("cb-admin") == ["中联华信认证中心有限公司"]
    assert len(visible("decider")) == 64


def test_the_logins_are_printed_as_a_table(seeded: str) -> None:
    table = login_table(seeded)

    assert table[0].split() == ["role", "username", "password", "what", "to", "try"]
    assert [(row[:30].rstrip(), row[32:43].rstrip(), row[45:61]) for row in table[2:8]] == [
        (role, username, DEMO_PASSWORD) for role, username, _ in LOGIN_ROWS
    ]
    assert "成都明鉴食品检测有限公司" in table[4]
    assert table[8].startswith("the public")


# --- running it again -----------------------------------------------------------------------------


def test_a_second_run_changes_nothing_and_prints_the_same_logins(seeded: str) -> None:
    with nothing_changes(), override_settings(**DEMO_SETTINGS):
        again = seed()

    assert again.splitlines()[0] == "The demo register is already there: nothing changed."
    assert login_table(again) == login_table(seeded)


def test_a_changed_demo_password_is_put_back(seeded: str) -> None:
    lab_admin = User.objects.get(username="lab-admin")
    lab_admin.set_password("something-else-2026")
    lab_admin.save()

    with override_settings(**DEMO_SETTINGS):
        seed()

    assert User.objects.get(username="lab-admin").check_password(DEMO_PASSWORD)


def test_it_refuses_to_run_without_debug(seeded: str) -> None:
    with nothing_changes(), override_settings(DEBUG=False), pytest.raises(CommandError) as refused:
        seed()

    assert str(refused.value) == (
        "seed_demo creates users whose password is published, so it runs only with DEBUG on. "
        "Pass --force to run it anyway (never on a live register)."
    )


def test_force_runs_it_without_debug(seeded: str) -> None:
    with nothing_changes(), override_settings(DEBUG=False, PASSWORD_HASHERS=DEMO_SETTINGS["PASSWORD_HASHERS"]):
        output = seed("--force")

    assert output.splitlines()[0] == "The demo register is already there: nothing changed."


# --- the data it is made of -----------------------------------------------------------------------


def test_organisation_codes_carry_the_gb_11714_check_character() -> None:
    # The organisation part of a published, real credit code: 914403001922038216.
    assert organisation_code_check_character("19220382") == "1"


@pytest.mark.parametrize("registration", [PUBLIC_INSTITUTION, PRIVATE_NON_ENTERPRISE, COMPANY])
def test_generated_credit_codes_are_valid_for_every_kind_of_organisation(registration: str) -> None:
    rng = random.Random(registration)

    codes = [make_credit_code(rng, registration=registration, region="320571") for _ in range(300)]

    assert [code for code in codes if credit_code_problem(code)] == []
    assert {code[:8] for code in codes} == {f"{registration}320571"}
    assert all(organisation_code_check_character(code[8:16]) == code[16] for code in codes)


@pytest.mark.parametrize(
    ("registration", "region"), [("9", "320571"), ("9I", "320571"), ("91", "32057"), ("91", "32A571")]
)
def test_a_malformed_registration_or_region_is_a_programming_error(registration: str, region: str) -> None:
    with pytest.raises(ValueError, match="must be"):
        make_credit_code(random.Random(0), registration=registration, region=region)


def test_the_demo_credit_codes_are_fixed_valid_and_distinct() -> None:
    codes = [demo_credit_code(body) for body in BODIES]

    assert codes == [demo_credit_code(body) for body in BODIES]
    assert [code for code in codes if credit_code_problem(code)] == []
    assert len(set(codes)) == len(BODIES)
    assert len({body.key for body in BODIES}) == len(BODIES)


@pytest.mark.django_db
def test_every_catalogue_item_is_a_valid_scope_item_of_the_programmes_that_use_it() -> None:
    shapes = dict(Programme.objects.values_list("code", "scope_shape"))
    used = {(plan.catalogue, shapes[plan.programme]) for body in BODIES for plan in body.plans}

    for catalogue, shape in sorted(used):
        for template in CATALOGUES[catalogue]:
            assert clean_attributes(shape, template.attributes) == template.attributes, (catalogue, template)
            assert clean_attributes(shape, template.first_issue()) == template.first_issue(), (catalogue, template)
    assert {catalogue for catalogue, _ in used} == set(CATALOGUES)


def test_the_demo_holds_applications_in_each_state_of_the_acceptance_review(seeded: str) -> None:
    lab, cb = Cab.objects.get(applications__type="reduction"), Cab.objects.get(applications__type="initial")
    assert sorted(Application.objects.filter(cab=lab).values_list("type", "status")) == [
        ("change", "accepted"),
        ("extension", "draft"),
        ("extension", "submitted"),
        ("reduction", "returned"),
    ]
    assert list(Application.objects.filter(cab=cb).values_list("type", "status")) == [("initial", "submitted")]
    assert all(a.items.exists() for a in Application.objects.exclude(type="change"))
