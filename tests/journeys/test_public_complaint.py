"""A member of the public complains about a certification body and follows the complaint by its tracking number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.browser import Journey, submit

pytestmark = pytest.mark.journey

DESCRIPTION = "2026年10月，该机构未到我公司现场审核即出具了ISO 9001证书，审核报告中的访谈记录与事实不符。"


def test_a_visitor_sends_a_complaint_and_follows_it_on_the_status_page_with_the_tracking_number(
    journey: Journey,
) -> None:
    visitor = journey.visitor()
    visitor.goto("/")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Make a complaint").click()

    visitor.get_by_label("The complaint is about").select_option(label="Against a conformity assessment body")
    visitor.get_by_label("Body complained about").fill("中联华信认证中心有限公司")
    visitor.get_by_label("Subject").fill("未到现场审核即出具认证证书")
    visitor.get_by_label("What happened").fill(DESCRIPTION)
    visitor.get_by_label("Your name").fill("李明")
    visitor.get_by_label("E-mail").fill("liming@example.com")
    submit(visitor)

    expect(visitor.get_by_role("heading", level=1)).to_have_text("Your complaint is received")
    tracking = visitor.locator(".lead strong.mono").inner_text()
    assert re.fullmatch(r"TS-\d{4}-[0-9A-Z]{8}", tracking), tracking
    expect(visitor.locator("main")).to_contain_text("acknowledges the complaint within 5 working days")

    # Later, with only the tracking number, from the link every page's footer has.
    visitor.goto("/")
    visitor.get_by_role("contentinfo").get_by_role("link", name="Follow a complaint").click()
    visitor.get_by_label("Tracking number").fill(tracking)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Show the status").click()

    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Complaint {tracking}")
    facts = visitor.locator("dl.details")
    expect(facts.locator("dt:text-is('About') + dd")).to_have_text("Against a conformity assessment body")
    expect(facts.locator("dt:text-is('Status') + dd")).to_have_text("Received")
    expect(facts.locator("dt:text-is('Acknowledged') + dd")).to_contain_text("not yet; due by")
    # The status page shows where the complaint stands, never who sent it or what it says.
    expect(visitor.locator("main")).not_to_contain_text("李明")
    expect(visitor.locator("main")).not_to_contain_text(DESCRIPTION)
