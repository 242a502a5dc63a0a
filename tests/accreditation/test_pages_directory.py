"""The public directory: search without login, and a body's public page with only published facts."""

from __future__ import annotations

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from accreditation.models import Accreditation, Cab
from accreditation.services.accreditations import (
    accreditation_grant,
    accreditation_open,
    accreditation_suspend,
    accreditation_withdraw,
)
from accreditation.services.cabs import cab_contact_add
from accreditation.services.scopes import scope_draft_start, scope_item_add
from core.models import User
from tests.accreditation.factories import CabFactory, programme

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_the_public_finds_a_body_by_a_two_character_chinese_fragment(client_for, accreditation: Accreditation) -> None:
    response = client_for(None).get("/directory/", {"q": "精准"})
    assertContains(response, "1 body found")
    assertContains(response, f'href="/directory/{accreditation.cab_id}/"')
    assertContains(response, "北京精准检测技术有限公司")
    assertContains(response, "CNAS L0001")


@pytest.mark.smoke
def test_a_one_character_query_is_refused_with_a_message_and_no_results(
    client_for, accreditation: Accreditation
) -> None:
    response = client_for(None).get("/directory/", {"q": "精"})
    assertContains(response, "Enter at least 2 characters: one character matches too many bodies.")
    assertNotContains(response, "北京精准检测技术有限公司")
    assertNotContains(response, "found")


@pytest.mark.parametrize("query", ["CNAS L0001", "cnas l0001"])
def test_the_public_finds_a_body_by_its_accreditation_number(
    client_for, accreditation: Accreditation, query: str
) -> None:
    assertContains(client_for(None).get("/directory/", {"q": query}), "北京精准检测技术有限公司")


def test_the_public_finds_a_body_by_its_credit_code(client_for, accreditation: Accreditation, cab: Cab) -> None:
    response = client_for(None).get("/directory/", {"q": cab.credit_code.lower()})
    assertContains(response, "北京精准检测技术有限公司")


def test_a_search_that_matches_nothing_says_so(client_for, accreditation: Accreditation) -> None:
    response = client_for(None).get("/directory/", {"q": "不存在的机构"})
    assertContains(response, "0 bodies found")
    assertContains(response, "No accredited body matches.")


def test_filters_narrow_the_directory_by_programme_province_and_status(
    client_for, accreditation: Accreditation, secretariat: User
) -> None:
    public = client_for(None)
    assertContains(public.get("/directory/", {"programme": "CL", "province": "11"}), "北京精准检测技术有限公司")
    assertNotContains(public.get("/directory/", {"programme": "IB"}), "北京精准检测技术有限公司")
    assertNotContains(public.get("/directory/", {"province": "31"}), "北京精准检测技术有限公司")
    assertNotContains(public.get("/directory/", {"status": "suspended"}), "北京精准检测技术有限公司")
    accreditation_suspend(accreditation=accreditation, actor=secretariat, reason="Internal audit not effective")
    assertContains(public.get("/directory/", {"status": "suspended"}), "北京精准检测技术有限公司")


def test_an_applicant_is_not_in_the_directory(client_for, cab: Cab, secretariat: User) -> None:
    accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    assertContains(client_for(None).get("/directory/", {"q": "精准"}), "0 bodies found")


def add_accredited_bodies(count: int, secretariat: User) -> None:
    for _n in range(count):
        cab: Cab = CabFactory.create()
        accreditation_grant(
            accreditation=accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat), actor=secretariat
        )


def test_the_directory_pages_through_many_bodies(client_for, secretariat: User) -> None:
    add_accredited_bodies(21, secretariat)
    first = client_for(None).get("/directory/")
    assertContains(first, "21 bodies found")
    assertContains(first, "Page 1 of 2")
    assert len(first.context["cabs"]) == 20
    assert len(client_for(None).get("/directory/", {"page": 2}).context["cabs"]) == 1


def test_the_directory_needs_the_same_number_of_queries_for_more_bodies(
    client_for, secretariat: User, django_assert_num_queries
) -> None:
    public = client_for(None)
    add_accredited_bodies(2, secretariat)
    # programme choices, count, page of bodies, their accreditations with programmes
    with django_assert_num_queries(4):
        public.get("/directory/")
    add_accredited_bodies(8, secretariat)
    with django_assert_num_queries(4):
        public.get("/directory/")


# --- A body's public page -------------------------------------------------------------------


def test_the_public_page_shows_names_accreditation_cycle_and_published_scope(
    client_for, accreditation: Accreditation
) -> None:
    response = client_for(None).get(f"/directory/{accreditation.cab_id}/")
    assertContains(response, "北京精准检测技术有限公司")
    assertContains(response, "Beijing Precise Testing Co., Ltd.")
    assertContains(response, "Beijing")
    assertContains(response, "CNAS L0001")
    assertContains(response, '<span class="badge badge-accredited">Accredited</span>', html=True)
    assertContains(response, f"{accreditation.cycle_start:%Y-%m-%d} – {accreditation.cycle_end:%Y-%m-%d}")
    assertContains(response, "Scope of accreditation, issue 1 of")
    assertContains(response, "GB 5009.229-2016")


def test_the_public_page_never_shows_drafts_contacts_members_or_history(
    client_for, accreditation: Accreditation, secretariat: User, cab_admin: User
) -> None:
    cab = accreditation.cab
    cab_contact_add(cab=cab, actor=secretariat, name="王质量", role="Quality manager", email="wang@example.cn")
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(
        version=draft,
        actor=secretariat,
        attributes={"field": "食品", "subject": "茶叶", "parameter": "草甘膦残留", "method": "GB 23200.108"},
    )
    response = client_for(None).get(f"/directory/{cab.pk}/")
    assertContains(response, "酸价")
    for hidden in ["草甘膦残留", "王质量", "wang@example.cn", "carol", "History"]:
        assertNotContains(response, hidden)


def test_a_body_without_a_public_accreditation_has_no_public_page(client_for, cab: Cab, secretariat: User) -> None:
    assert client_for(None).get(f"/directory/{cab.pk}/").status_code == 404
    accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    assert client_for(None).get(f"/directory/{cab.pk}/").status_code == 404


def test_the_public_page_of_a_withdrawn_accreditation_says_its_scope_is_no_longer_valid(
    client_for, accreditation: Accreditation, secretariat: User
) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="Data altered")
    response = client_for(None).get(f"/directory/{accreditation.cab_id}/")
    assertContains(response, '<span class="badge badge-withdrawn">Withdrawn</span>', html=True)
    assertContains(response, "Last published scope (issue 1), no longer valid")


def test_the_search_help_follows_the_visitors_language(client_for) -> None:
    english = client_for(None, language="en").get("/directory/").content.decode()
    chinese = client_for(None, language="zh-hans").get("/directory/").content.decode()

    assert "Part of the name (at least 2 characters)" in english
    assert "名称的一部分（至少 2 个字符）" in chinese
