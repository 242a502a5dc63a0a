"""The lookup's search: what the box recognises, filters, keyset pages, capped counts, no drafts."""

from __future__ import annotations

import pytest

from accreditation.models import Cab
from certification import selectors_lookup
from certification.choices import CertificateStatus
from certification.models import IssuedCertificate
from certification.selectors_lookup import certificate_lookup, recognise
from core.errors import DomainError
from tests.certification.lookup_helpers import certificate, certified, entity, make_credit_code


def test_it_takes_18_characters_with_a_correct_check_character_for_a_credit_code() -> None:
    code = make_credit_code(77)
    assert recognise(f" {code.lower()} ") == selectors_lookup.Recognised("credit_code", code)


def test_it_takes_letters_and_digits_for_a_certificate_number_in_capitals() -> None:
    assert recognise("00124q00001r0m") == selectors_lookup.Recognised("number", "00124Q00001R0M")
    assert recognise("CNCA-R-2024/0012") == selectors_lookup.Recognised("number", "CNCA-R-2024/0012")


def test_it_takes_chinese_text_and_words_for_a_name_fragment() -> None:
    assert recognise("科技") == selectors_lookup.Recognised("name", "科技")
    assert recognise("3M 中国") == selectors_lookup.Recognised("name", "3M 中国")
    assert recognise("Precise  Testing") == selectors_lookup.Recognised("name", "Precise Testing")


def test_it_refuses_one_character_with_a_clear_message() -> None:
    with pytest.raises(DomainError) as refused:
        recognise(" 科 ")
    assert refused.value.code == "query_too_short"
    assert str(refused.value.message) == "Type at least 2 characters: one character matches too many certificates."


def test_it_says_when_a_credit_code_has_a_wrong_check_character() -> None:
    code = make_credit_code(77)
    broken = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(DomainError) as refused:
        recognise(broken)
    assert refused.value.code == "credit_code_invalid"


@pytest.mark.django_db
def test_a_certificate_number_is_found_exactly_whatever_its_case(cab: Cab) -> None:
    wanted = certified(cab, "北京星辰软件有限公司", certificate_number="00124Q21001R0M")
    certified(cab, "北京星辰软件有限公司", certificate_number="00124Q21001R0M-1")

    page = certificate_lookup(q="00124q21001r0m")

    assert page.recognised.kind == "number"
    assert [c.pk for c in page.certificates] == [wanted.pk]
    assert page.count == 1


@pytest.mark.django_db
def test_a_credit_code_finds_every_certificate_of_the_organisation(cab: Cab, other_cab: Cab) -> None:
    code = make_credit_code(4242)
    holder = entity(cab, "苏州恒信精密机械有限公司", credit_code=code)
    first, second = certificate(holder), certificate(holder, standards=["ISO 14001:2015"])
    elsewhere = certified(other_cab, "苏州恒信精密机械有限公司", credit_code=code)
    certified(cab, "苏州恒信精密机械有限公司")  # same name, another code

    page = certificate_lookup(q=code)

    assert page.recognised.kind == "credit_code"
    assert sorted(c.pk for c in page.certificates) == sorted([first.pk, second.pk, elsewhere.pk])


@pytest.mark.django_db
def test_a_two_character_chinese_fragment_finds_the_names_containing_it(cab: Cab) -> None:
    hit = certified(cab, "杭州鑫淼科技有限公司")
    also = certified(cab, "宁波鑫淼电子股份有限公司")
    certified(cab, "杭州淼鑫科技有限公司")  # the same characters, not together

    page = certificate_lookup(q="鑫淼")

    assert [c.pk for c in page.certificates] == [hit.pk, also.pk]


@pytest.mark.django_db
def test_an_english_fragment_matches_the_english_name_ignoring_case(cab: Cab) -> None:
    hit = certified(cab, "北京精准检测技术有限公司", english_name="Beijing Precise Testing Co., Ltd.")
    certified(cab, "北京远东检测技术有限公司", english_name="Beijing Far East Testing Co., Ltd.")

    assert [c.pk for c in certificate_lookup(q="precise test").certificates] == [hit.pk]


@pytest.mark.django_db
def test_the_public_never_sees_a_draft(cab: Cab) -> None:
    shown = certified(cab, "上海远东贸易有限公司")
    draft = certified(cab, "上海远东物流有限公司", status=CertificateStatus.DRAFT)

    assert [c.pk for c in certificate_lookup(q="远东").certificates] == [shown.pk]
    assert certificate_lookup(q=draft.certificate_number).certificates == []
    assert not selectors_lookup.public_certificate_detail_qs().filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_filters_narrow_by_status_standard_body_and_province(cab: Cab, other_cab: Cab) -> None:
    valid = certified(cab, "成都瑞达软件有限公司", standards=["ISO 9001:2015", "ISO 14001:2015"])
    suspended = certified(cab, "成都瑞达电子有限公司", status=CertificateStatus.SUSPENDED)
    other_body = certified(other_cab, "成都瑞达建设有限公司", province="四川省")

    def found(**filters: object) -> list[int]:
        return [c.pk for c in certificate_lookup(q="瑞达", **filters).certificates]  # type: ignore[arg-type]

    assert found(status=CertificateStatus.SUSPENDED) == [suspended.pk]
    assert found(standard="ISO 14001:2015") == [valid.pk]
    assert found(cb=other_cab.pk) == [other_body.pk]
    assert found(province="四川省") == [other_body.pk]
    assert found(status=CertificateStatus.WITHDRAWN) == []


@pytest.mark.django_db
def test_an_empty_search_finds_nothing_rather_than_everything(cab: Cab) -> None:
    certified(cab, "上海远东贸易有限公司")

    page = certificate_lookup(q="", status=CertificateStatus.ACTIVE)

    assert (page.recognised.kind, page.certificates, page.count) == ("", [], 0)


@pytest.fixture(params=["selective", "broad"])
def name_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a name search as a selective fragment (entities first) and as a broad one (an ordered walk)."""
    if request.param == "broad":
        monkeypatch.setattr(selectors_lookup, "SELECTIVE_ENTITIES", 0)
    return str(request.param)


@pytest.mark.django_db
def test_a_fragment_of_several_characters_needs_them_side_by_side_on_both_paths(cab: Cab, name_path: str) -> None:
    hit = certified(cab, "西安坚嘉生物科技有限公司")
    certified(cab, "西安嘉坚生物科技有限公司")  # the same pairs but one, in another order
    certified(cab, "坚嘉西安生物科技有限公司")  # every pair of 西安坚嘉 but 安坚

    assert [c.pk for c in certificate_lookup(q="西安坚嘉生物").certificates] == [hit.pk]
    assert [c.pk for c in certificate_lookup(q="西安坚嘉").certificates] == [hit.pk]


@pytest.mark.django_db
def test_keyset_pages_cover_every_match_once_in_a_stable_order(cab: Cab, name_path: str) -> None:
    holders = [entity(cab, f"广州华光科技有限公司{n}") for n in range(9)]
    made = [certificate(holder) for n, holder in enumerate(holders) for _ in range(n % 3 + 1)]
    certified(cab, "广州华光贸易有限公司", status=CertificateStatus.DRAFT)

    seen: list[int] = []
    cursor = ""
    pages = 0
    while True:
        page = certificate_lookup(q="华光科技", cursor=cursor, page_size=4)
        seen.extend(c.pk for c in page.certificates)
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor

    expected = list(
        IssuedCertificate.objects.filter(pk__in=[c.pk for c in made])
        .order_by("entity_id", "pk")
        .values_list("pk", flat=True)
    )
    assert len(made) == 18
    assert seen == expected
    assert pages == 5


@pytest.mark.django_db
def test_a_tampered_cursor_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        certificate_lookup(q="科技", cursor="1;DROP")
    assert refused.value.code == "cursor_invalid"


@pytest.mark.django_db
def test_counting_stops_at_the_cap_for_a_broad_term(cab: Cab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors_lookup, "COUNT_CAP", 5)
    for n in range(7):
        certified(cab, f"深圳宏达科技有限公司{n}")
    for n in range(5):
        certified(cab, f"深圳宏达物流有限公司{n}")

    broad = certificate_lookup(q="宏达")
    exact = certificate_lookup(q="宏达物流")

    assert (broad.count_is_capped, broad.shown_count, len(broad.certificates)) == (True, 5, 12)
    assert (exact.count_is_capped, exact.shown_count) == (False, 5)


@pytest.mark.django_db
def test_the_lookup_plans_its_statements_without_parallel_workers(cab: Cab) -> None:
    """A parallel ordered walk for a fragment the planner misjudged took 330 ms at 10 million (bench/load_lookup.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("parallel query is PostgreSQL's")
    hit = certified(cab, "佛山宇通机械有限公司")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        outside_before = cursor.fetchone()[0]

    with CaptureQueriesContext(connection) as captured:
        page = certificate_lookup(q="山宇")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        outside_after = cursor.fetchone()[0]

    statements = [query["sql"] for query in captured.captured_queries]
    serial_at = next(
        n for n, sql in enumerate(statements) if "set_config('max_parallel_workers_per_gather', '0'" in sql
    )
    reads = [n for n, sql in enumerate(statements) if "certification_issuedcertificate" in sql]
    assert [c.pk for c in page.certificates] == [hit.pk]
    assert reads and min(reads) > serial_at
    # Local to the lookup: the connection's other work keeps its setting.
    assert outside_after == outside_before != "0"
