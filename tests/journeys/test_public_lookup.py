"""A member of the public checks certificates: by a name fragment, by number, and one that is not there.

The demo certification body reported sixty certificates (``seed_demo_certificates``); a dozen of
the organisations have 科技 in their names. A number no body reported leads to the not-found
advice, and from there to the complaint form, already filled in as a suspected fake.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.browser import Journey, go_to

pytestmark = pytest.mark.journey

FRAGMENT = "科技"
UNKNOWN_NUMBER = "09999Q26R0M"


def search(page: Page, text: str) -> None:
    page.get_by_role("searchbox").fill(text)
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="Search").click()


def test_a_visitor_finds_certificates_by_a_two_character_fragment_and_by_number(journey: Journey) -> None:
    visitor = journey.visitor()
    visitor.goto("/")
    go_to(visitor, "Certificate lookup")

    search(visitor, FRAGMENT)
    rows = visitor.locator("table.lookup-results tbody tr")
    count = rows.count()
    assert count > 0, "the fragment found nothing"
    expect(visitor.locator(".result-count")).to_have_text(f"{count} certificates found")
    organisations = visitor.locator("table.lookup-results tbody tr td:nth-child(2)").all_inner_texts()
    assert all(FRAGMENT in name for name in organisations), organisations

    number = rows.first.locator("td").first.inner_text()
    organisation = organisations[0]
    search(visitor, number)
    expect(visitor.locator(".result-count")).to_have_text("1 certificate found")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(organisation)
    rows.first.get_by_role("link", name=number).click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(number)
    expect(visitor.locator("main")).to_contain_text(organisation)


def test_a_visitor_who_finds_no_certificate_reports_a_suspected_fake_on_a_prefilled_form(journey: Journey) -> None:
    visitor = journey.visitor()
    visitor.goto("/certificates/")

    search(visitor, UNKNOWN_NUMBER)
    not_found = visitor.locator(".not-found")
    expect(not_found.get_by_role("heading")).to_have_text("No certificate found")
    expect(not_found).to_contain_text("it is not genuine: a certificate no body reported may be fake.")

    not_found.get_by_role("link", name="Report a suspected fake certificate").click()
    expect(visitor).to_have_url(re.compile(r"/complaints/new/"))
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Make a complaint")
    expect(visitor.get_by_label("The complaint is about")).to_have_value("fake_certificate")
    expect(visitor.get_by_label("Certificate number")).to_have_value(UNKNOWN_NUMBER)
