"""A visitor whose browser asks for English switches the portal to Simplified Chinese and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.browser import Journey, go_to

pytestmark = pytest.mark.journey


def switch_to(page: Page, language: str) -> None:
    with page.expect_navigation():
        page.locator("form.language-switch").get_by_role("button", name=language).click()


def test_the_language_switch_changes_the_pages_text_and_it_stays_switched_from_page_to_page(journey: Journey) -> None:
    visitor = journey.visitor(locale="en-US")
    visitor.goto("/certificates/")
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Look up a certificate")
    expect(visitor.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    switch_to(visitor, "简体中文")
    # The same page, now in Chinese.
    expect(visitor).to_have_url(f"{journey.base_url}/certificates/")
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("查询证书")
    expect(visitor.get_by_role("button", name="简体中文")).to_have_attribute("aria-pressed", "true")

    # Another page, reached through the menu, and a reload: still Chinese, whatever the browser asks for.
    go_to(visitor, "公开名录")
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("获认可机构公开名录")
    visitor.reload()
    expect(visitor.locator("html")).to_have_attribute("lang", "zh-hans")

    switch_to(visitor, "English")
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    go_to(visitor, "Certificate lookup")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Look up a certificate")
