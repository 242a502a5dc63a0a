"""Who sees what in the register, the public directory's search, and the comparison of scope issues.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Erin an
assessor (no grant until a test gives her one), Carol admin of ``cab``, Chen a plain member of
``cab``, Oscar admin of ``other_cab``, and the public (an anonymous user).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from guardian.shortcuts import assign_perm

from accreditation.models import Accreditation, Cab, ScopeVersion
from accreditation.selectors import (
    accreditation_qs_for,
    audit_events_qs_for,
    cab_qs_for,
    directory_search,
    membership_qs_for,
    public_cab_qs,
    scope_diff,
    scope_item_qs_for,
    scope_version_qs_for,
    user_cabs,
)
from accreditation.services.accreditations import (
    accreditation_grant,
    accreditation_open,
    accreditation_suspend,
    accreditation_withdraw,
)
from accreditation.services.cabs import cab_create
from accreditation.services.members import cab_grant_view, cab_revoke_view
from accreditation.services.scopes import (
    scope_draft_start,
    scope_item_add,
    scope_item_remove,
    scope_item_set_status,
    scope_item_update,
    scope_version_publish,
)
from core.models import User
from tests.accreditation.factories import UserFactory, make_credit_code, programme

PERSONAS = ["secretariat", "decision_maker", "assessor", "cab_admin", "cab_user", "other_cab_user", "anonymous"]


def persona(request: pytest.FixtureRequest, name: str) -> User | AnonymousUser:
    if name == "anonymous":
        return AnonymousUser()
    user: User = request.getfixturevalue(name)
    return User.objects.get(pk=user.pk)  # as a new request loads it: no roles cached


def names(cabs: Any) -> set[str]:
    return {cab.name_zh for cab in cabs}


@pytest.fixture
def both_accredited(secretariat: User, cab: Cab, other_cab: Cab, accreditation: Accreditation) -> dict[str, Any]:
    """``cab`` accredited under CL (the ``accreditation`` fixture), ``other_cab`` applying under MS."""
    other = accreditation_open(cab=other_cab, programme=programme("MS"), actor=secretariat)
    return {"cab": accreditation, "other_cab": other}


# --- cab_qs_for / accreditation_qs_for ------------------------------------------------------------

CAN_VIEW = {
    "secretariat": {"北京精准检测技术有限公司", "上海远东认证有限公司"},
    "decision_maker": {"北京精准检测技术有限公司", "上海远东认证有限公司"},
    "assessor": set(),
    "cab_admin": {"北京精准检测技术有限公司"},
    "cab_user": {"北京精准检测技术有限公司"},
    "other_cab_user": {"上海远东认证有限公司"},
    "anonymous": set(),
}
CAN_CHANGE = {
    "secretariat": {"北京精准检测技术有限公司", "上海远东认证有限公司"},
    "decision_maker": set(),
    "assessor": set(),
    "cab_admin": {"北京精准检测技术有限公司"},
    "cab_user": set(),
    "other_cab_user": {"上海远东认证有限公司"},
    "anonymous": set(),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_each_persona_sees_the_cabs_the_rules_give_them(
    request: pytest.FixtureRequest, name: str, cab: Cab, other_cab: Cab
) -> None:
    user = persona(request, name)

    assert names(cab_qs_for(user, "view")) == CAN_VIEW[name]
    assert names(cab_qs_for(user, "change")) == CAN_CHANGE[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_each_persona_sees_the_accreditations_of_the_cabs_they_see(
    request: pytest.FixtureRequest, name: str, both_accredited: dict[str, Any]
) -> None:
    user = persona(request, name)

    visible = {a.cab.name_zh for a in accreditation_qs_for(user, "view")}
    changeable = {a.cab.name_zh for a in accreditation_qs_for(user, "change")}

    assert visible == CAN_VIEW[name]
    assert changeable == (CAN_VIEW[name] if name == "secretariat" else set())


def test_a_superuser_sees_and_changes_everything(cab: Cab, other_cab: Cab) -> None:
    root = UserFactory.create(username="root", is_superuser=True)

    assert names(cab_qs_for(root, "change")) == {"北京精准检测技术有限公司", "上海远东认证有限公司"}


def test_an_assessor_granted_one_cab_sees_that_cab_only_until_the_grant_is_revoked(
    secretariat: User, assessor: User, both_accredited: dict[str, Any]
) -> None:
    cab = both_accredited["cab"].cab
    cab_grant_view(cab=cab, user=assessor, actor=secretariat, reason="评审组成员")
    erin = User.objects.get(pk=assessor.pk)

    granted = (
        names(cab_qs_for(erin, "view")),
        [a.number for a in accreditation_qs_for(erin, "view")],
        names(cab_qs_for(erin, "change")),
        list(accreditation_qs_for(erin, "change")),
    )
    cab_revoke_view(cab=cab, user=assessor, actor=secretariat, reason="评审结束")
    erin = User.objects.get(pk=assessor.pk)

    assert granted == ({"北京精准检测技术有限公司"}, ["CNAS L0001"], set(), [])
    assert list(cab_qs_for(erin, "view")) == []
    assert list(accreditation_qs_for(erin, "view")) == []


def test_a_grant_on_one_accreditation_shows_that_accreditation_but_not_its_cab(
    assessor: User, both_accredited: dict[str, Any]
) -> None:
    assign_perm("accreditation.view_accreditation", assessor, both_accredited["other_cab"])
    erin = User.objects.get(pk=assessor.pk)

    assert [a.pk for a in accreditation_qs_for(erin, "view")] == [both_accredited["other_cab"].pk]
    assert list(cab_qs_for(erin, "view")) == []


def test_a_member_of_two_cabs_sees_each_once(cab_user: User, other_cab: Cab, secretariat: User) -> None:
    from accreditation.services.members import cab_member_add

    cab_member_add(cab=other_cab, user=cab_user, actor=secretariat)
    chen = User.objects.get(pk=cab_user.pk)

    assert sorted(c.name_zh for c in cab_qs_for(chen, "view")) == ["上海远东认证有限公司", "北京精准检测技术有限公司"]
    assert names(user_cabs(chen)) == {"北京精准检测技术有限公司", "上海远东认证有限公司"}


@pytest.mark.parametrize("name", PERSONAS)
def test_scope_issues_and_items_follow_the_accreditations_a_persona_sees(
    request: pytest.FixtureRequest, name: str, published_scope: ScopeVersion, other_cab: Cab
) -> None:
    user = persona(request, name)
    expected = [published_scope.pk] if CAN_VIEW[name] & {"北京精准检测技术有限公司"} else []

    assert [v.pk for v in scope_version_qs_for(user, "view")] == expected
    assert [i.version_id for i in scope_item_qs_for(user, "view")] == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("secretariat", {"carol", "chen", "oscar"}),
        ("decision_maker", {"carol", "chen", "oscar"}),
        ("assessor", set()),
        ("cab_admin", {"carol", "chen"}),
        ("cab_user", {"carol", "chen"}),
        ("other_cab_user", {"oscar"}),
        ("anonymous", set()),
    ],
)
def test_members_are_visible_to_staff_and_to_colleagues(
    request: pytest.FixtureRequest, name: str, expected: set[str], cab_admin: User, cab_user: User, other_cab_user: User
) -> None:
    user = persona(request, name)

    assert {m.user.username for m in membership_qs_for(user)} == expected


@pytest.mark.parametrize(
    ("name", "reads_the_trail"),
    [
        ("secretariat", True),
        ("decision_maker", True),
        ("assessor", False),
        ("cab_admin", False),
        ("anonymous", False),
    ],
)
def test_the_audit_trail_is_for_staff_only(
    request: pytest.FixtureRequest, name: str, reads_the_trail: bool, accreditation: Accreditation
) -> None:
    user = persona(request, name)

    assert audit_events_qs_for(user).count() == (5 if reads_the_trail else 0)


# --- the public directory -------------------------------------------------------------------------


def _register(actor: User, n: int, name_zh: str, name_en: str, province: str, kind: str) -> Cab:
    return cab_create(
        actor=actor,
        name_zh=name_zh,
        name_en=name_en,
        credit_code=make_credit_code(n, region=f"{province}0100"),
        kind=kind,
        province=province,
        address_zh=f"{name_zh}地址",
    )


def _accredit(actor: User, cab: Cab, code: str, attributes: dict[str, Any]) -> Accreditation:
    accreditation = accreditation_open(cab=cab, programme=programme(code), actor=actor)
    draft = scope_draft_start(accreditation=accreditation, actor=actor)
    scope_item_add(version=draft, actor=actor, attributes=attributes)
    scope_version_publish(version=draft, actor=actor)
    return accreditation_grant(accreditation=accreditation, actor=actor)


LAB = {"field": "长度", "subject": "量块", "parameter": "长度偏差", "method": "JJG 146-2011"}
PRODUCT = {"standard": "GB/T 19630-2019", "products": "有机植物生产"}
QMS = {"standard": "ISO 9001:2015", "sectors": ["IAF 28"]}


@pytest.fixture
def directory(secretariat: User) -> dict[str, Cab]:
    """Four bodies: a Suzhou lab (CNAS L0001), a suspended Guangzhou product CB (CNAS C001-P),
    a Nanning lab that is only an applicant, and a Shenzhen CB accredited under MS that also applies under CL."""
    suzhou = _register(
        secretariat, 1, "苏州市精密计量测试研究院", "Suzhou Precision Metrology Institute", "32", "laboratory"
    )
    guangzhou = _register(
        secretariat,
        2,
        "广州粤检产品认证有限公司",
        "Guangzhou Yuejian Product Certification Co., Ltd.",
        "44",
        "certification_body",
    )
    nanning = _register(secretariat, 3, "南宁桂衡检测有限公司", "Nanning Guiheng Testing Co., Ltd.", "45", "laboratory")
    shenzhen = _register(
        secretariat,
        4,
        "深圳鹏信质量认证有限公司",
        "Shenzhen Pengxin Quality Certification Co., Ltd.",
        "44",
        "certification_body",
    )
    _accredit(secretariat, suzhou, "CL", LAB)
    accreditation_suspend(
        accreditation=_accredit(secretariat, guangzhou, "PRD", PRODUCT), actor=secretariat, reason="超范围使用认可标识"
    )
    accreditation_open(cab=nanning, programme=programme("CL"), actor=secretariat)
    _accredit(secretariat, shenzhen, "MS", QMS)
    accreditation_open(cab=shenzhen, programme=programme("CL"), actor=secretariat)
    return {"suzhou": suzhou, "guangzhou": guangzhou, "nanning": nanning, "shenzhen": shenzhen}


def test_the_directory_lists_every_body_past_application_and_no_applicant(directory: dict[str, Cab]) -> None:
    assert names(directory_search()) == {
        "苏州市精密计量测试研究院",
        "广州粤检产品认证有限公司",
        "深圳鹏信质量认证有限公司",
    }
    assert names(public_cab_qs()) == names(directory_search())


def test_a_body_listed_in_the_directory_shows_its_public_accreditations_only(directory: dict[str, Cab]) -> None:
    shenzhen: Any = directory_search(q="鹏信").get()  # carries the prefetched public_accreditations

    assert [(a.programme.code, a.number, a.status) for a in shenzhen.public_accreditations] == [
        ("MS", "CNAS C001-M", "accredited")
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("计量", {"苏州市精密计量测试研究院"}),
        ("认证", {"广州粤检产品认证有限公司", "深圳鹏信质量认证有限公司"}),
        ("检测", set()),  # only the Nanning applicant's name holds it
        ("桂衡", set()),
        ("precision METROLOGY", {"苏州市精密计量测试研究院"}),
        ("  guangzhou   yuejian ", {"广州粤检产品认证有限公司"}),
        ("CNAS L0001", {"苏州市精密计量测试研究院"}),
        ("cnas c001", {"广州粤检产品认证有限公司", "深圳鹏信质量认证有限公司"}),
        ("C001-P", {"广州粤检产品认证有限公司"}),
        ("L9999", set()),
    ],
)
def test_the_directory_finds_bodies_by_name_fragment_english_name_or_number(
    directory: dict[str, Cab], q: str, expected: set[str]
) -> None:
    assert names(directory_search(q=q)) == expected


def test_the_directory_finds_a_body_by_its_credit_code_in_any_letter_case(directory: dict[str, Cab]) -> None:
    code = directory["guangzhou"].credit_code

    assert names(directory_search(q=code.lower())) == {"广州粤检产品认证有限公司"}
    assert names(directory_search(q=code[:10])) == set()


def test_an_applicant_is_not_found_even_by_its_credit_code(directory: dict[str, Cab]) -> None:
    assert list(directory_search(q=directory["nanning"].credit_code)) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"programme": "PRD"}, {"广州粤检产品认证有限公司"}),
        ({"programme": "CL"}, {"苏州市精密计量测试研究院"}),  # Shenzhen only applies under CL
        ({"programme": "GHG"}, set()),
        ({"province": "44"}, {"广州粤检产品认证有限公司", "深圳鹏信质量认证有限公司"}),
        ({"status": "suspended"}, {"广州粤检产品认证有限公司"}),
        ({"status": "accredited"}, {"苏州市精密计量测试研究院", "深圳鹏信质量认证有限公司"}),
        ({"status": "applicant"}, set()),
        ({"province": "44", "status": "accredited"}, {"深圳鹏信质量认证有限公司"}),
        ({"programme": "MS", "status": "suspended"}, set()),
        ({"q": "认证", "programme": "MS"}, {"深圳鹏信质量认证有限公司"}),
    ],
)
def test_the_directory_filters_by_programme_province_and_status(
    directory: dict[str, Cab], filters: dict[str, str], expected: set[str]
) -> None:
    assert names(directory_search(**filters)) == expected


def test_a_withdrawn_body_stays_in_the_directory_with_its_true_status(
    secretariat: User, directory: dict[str, Cab]
) -> None:
    suzhou = Accreditation.objects.get(cab=directory["suzhou"])
    accreditation_withdraw(accreditation=suzhou, actor=secretariat, reason="超范围使用认可标识")

    found: Any = directory_search(q="计量").get()

    assert [(a.number, a.status) for a in found.public_accreditations] == [("CNAS L0001", "withdrawn")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pinyin order needs PostgreSQL's ICU collation")
@pytest.mark.postgres
def test_the_directory_lists_bodies_in_pinyin_order_on_postgresql(secretariat: User, directory: dict[str, Cab]) -> None:
    vehicles = {"field": "机动车", "inspection_type": "A类", "subject": "机动车", "method": "GB 38900-2020"}
    _accredit(secretariat, directory["nanning"], "IB", vehicles)  # now public through its inspection body

    # guang < nan < shen < su, although 南 (U+5357) sorts before 广 (U+5E7F) by code point.
    assert [c.name_zh for c in directory_search()] == [
        "广州粤检产品认证有限公司",
        "南宁桂衡检测有限公司",
        "深圳鹏信质量认证有限公司",
        "苏州市精密计量测试研究院",
    ]


# --- scope_diff -----------------------------------------------------------------------------------

ACID = {"field": "食品", "subject": "食用植物油", "parameter": "酸价", "method": "GB 5009.229-2016"}
PEROXIDE = {"field": "食品", "subject": "食用植物油", "parameter": "过氧化值", "method": "GB 5009.227-2016"}
LEAD = {"field": "食品", "subject": "食品", "parameter": "铅", "method": "GB 5009.12-2017"}
ARSENIC = {"field": "食品", "subject": "食品", "parameter": "总砷", "method": "GB 5009.11-2024"}
SULPHITE = {"field": "食品", "subject": "食品", "parameter": "二氧化硫", "method": "GB 5009.34-2022"}


@pytest.fixture
def two_issues(secretariat: User, cab: Cab) -> tuple[ScopeVersion, ScopeVersion]:
    """Issue 1: acid, peroxide, lead, arsenic. Issue 2: acid unchanged, peroxide method updated,
    lead suspended, arsenic removed, sulphur dioxide added."""
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    for attributes in (ACID, PEROXIDE, LEAD, ARSENIC):
        scope_item_add(version=draft, actor=secretariat, attributes=attributes)
    first = scope_version_publish(version=draft, actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    items = {item.attributes["parameter"]: item for item in draft.items.all()}
    scope_item_update(item=items["过氧化值"], actor=secretariat, attributes={**PEROXIDE, "method": "GB 5009.227-2023"})
    scope_item_set_status(item=items["铅"], actor=secretariat, status="suspended", reason="设备失效")
    scope_item_remove(item=items["总砷"], actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=SULPHITE)
    second = scope_version_publish(version=draft, actor=secretariat)
    return first, second


def test_the_diff_of_two_issues_names_what_was_added_removed_changed_and_kept(
    two_issues: tuple[ScopeVersion, ScopeVersion],
) -> None:
    first, second = two_issues

    diff = scope_diff(first, second)

    assert [i.attributes["parameter"] for i in diff.added] == ["二氧化硫"]
    assert [i.attributes["parameter"] for i in diff.removed] == ["总砷"]
    assert [(c.before.attributes["parameter"], c.fields) for c in diff.changed] == [
        ("过氧化值", ["method"]),
        ("铅", ["status"]),
    ]
    assert [(c.before.attributes["method"], c.after.attributes["method"]) for c in diff.changed] == [
        ("GB 5009.227-2016", "GB 5009.227-2023"),
        ("GB 5009.12-2017", "GB 5009.12-2017"),
    ]
    assert all(c.key == str(c.before.key) == str(c.after.key) for c in diff.changed)
    assert diff.unchanged == 1
    assert diff.is_empty is False


def test_the_diff_as_data_carries_keys_statuses_and_one_line_summaries(
    two_issues: tuple[ScopeVersion, ScopeVersion],
) -> None:
    first, second = two_issues
    sulphite = second.items.get(attributes__parameter="二氧化硫")
    arsenic = first.items.get(attributes__parameter="总砷")

    data = scope_diff(first, second).as_dict()

    assert (data["old"], data["new"], data["unchanged"]) == (first.pk, second.pk, 1)
    assert data["added"] == [
        {
            "key": str(sulphite.key),
            "status": "active",
            "attributes": SULPHITE,
            "summary": "食品 / 食品 / 二氧化硫 / GB 5009.34-2022",
        }
    ]
    assert data["removed"] == [
        {
            "key": str(arsenic.key),
            "status": "active",
            "attributes": ARSENIC,
            "summary": "食品 / 食品 / 总砷 / GB 5009.11-2024",
        }
    ]
    assert [(c["fields"], c["before"]["status"], c["after"]["status"]) for c in data["changed"]] == [
        (["method"], "active", "active"),
        (["status"], "active", "suspended"),
    ]


def test_an_issue_compared_with_itself_is_an_empty_diff(two_issues: tuple[ScopeVersion, ScopeVersion]) -> None:
    _, second = two_issues

    diff = scope_diff(second, second)

    assert (diff.added, diff.removed, diff.changed, diff.unchanged, diff.is_empty) == ([], [], [], 4, True)


def test_comparing_backwards_swaps_added_and_removed(two_issues: tuple[ScopeVersion, ScopeVersion]) -> None:
    first, second = two_issues

    diff = scope_diff(second, first)

    assert [i.attributes["parameter"] for i in diff.added] == ["总砷"]
    assert [i.attributes["parameter"] for i in diff.removed] == ["二氧化硫"]
