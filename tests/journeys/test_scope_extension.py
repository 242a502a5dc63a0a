"""A laboratory extends its scope: from its application to the decision, each person in their own browser.

``lab-admin`` applies to add one item, with the required documents; ``secretariat`` accepts the
application, plans an on-site assessment and puts the demo ``assessor`` on the team as lead;
``assessor`` accepts the place and files a report recommending the item; ``decider`` grants it.
The laboratory then finds the item in its published scope and a new accreditation certificate,
rendered by the worker, whose public verification page says its signature is valid.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.journeys.browser import Journey, go_to, submit

pytestmark = pytest.mark.journey

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ITEM = {
    "Field": "食品",
    "Object or product": "食用植物油",
    "Parameter": "过氧化值",
    "Method or standard": "GB 5009.227-2016",
}
ITEM_LABEL = " / ".join(ITEM.values())


def scope_issue(panel_text: str) -> int:
    found = re.search(r"Scope of accreditation, issue (\d+)", panel_text)
    assert found, panel_text
    return int(found.group(1))


def reload_until(page: Page, text: str, within: str, timeout: float = 90) -> None:
    """Reload ``page`` until an element ``within`` selects shows ``text`` (work the worker does)."""
    deadline = time.monotonic() + timeout
    while not page.locator(within).filter(has_text=text).count():
        assert time.monotonic() < deadline, f"{within!r} did not show {text!r} in {timeout:.0f} s"
        time.sleep(1)
        page.reload()


def test_a_laboratory_applies_to_extend_its_scope_and_sees_the_granted_item_and_its_new_certificate(
    journey: Journey,
) -> None:
    # The laboratory's admin looks at the scope, then drafts an extension by one item.
    lab = journey.log_in("lab-admin")
    go_to(lab, "My CABs")
    panel = lab.locator("section.accreditation-panel").filter(has_text="Testing and calibration laboratories")
    issue_before = scope_issue(panel.inner_text())
    expect(panel).not_to_contain_text("过氧化值")

    lab.get_by_role("link", name="New application").click()
    lab.get_by_label("Programme").select_option(label="Testing and calibration laboratories (ISO/IEC 17025:2017)")
    lab.get_by_label("Type of application").select_option(label="Scope extension")
    submit(lab)
    expect(lab.locator(".messages")).to_contain_text("created")
    reference = lab.locator("h1 .mono").inner_text()
    accreditation_number = lab.locator("dt:text-is('Accreditation') + dd").inner_text()

    lab.get_by_role("link", name="Add a scope item").click()
    for label, value in ITEM.items():
        lab.get_by_label(label).fill(value)
    submit(lab)
    for kind in ("Application form", "Proficiency testing records"):
        lab.get_by_role("link", name="Attach a document").click()
        lab.get_by_label("Kind of document").select_option(label=kind)
        lab.get_by_label("File").set_input_files(
            FilePayload(name=f"{kind}.pdf", mimeType="application/pdf", buffer=PDF)
        )
        submit(lab)
    expect(lab.locator(".missing-documents")).to_have_count(0)
    lab.get_by_role("link", name="Submit", exact=True).click()
    submit(lab)
    expect(lab.locator(".messages")).to_contain_text(f"Application {reference} submitted")
    expect(lab.locator("header .badge")).to_have_text("Submitted")

    # The secretariat finds it on My work, accepts it, and plans an on-site assessment with a lead assessor.
    office = journey.log_in("secretariat")
    go_to(office, "My work")
    office.locator("section.work-panel", has_text="Applications waiting for the acceptance review").get_by_role(
        "link", name=re.compile(re.escape(reference))
    ).click()
    office.get_by_role("link", name="Review").click()
    for box in office.locator("input[name=checklist]").all():
        box.check()
    office.get_by_role("group", name=re.compile(r"^Outcome")).get_by_label("Accept", exact=True).check()
    submit(office)
    expect(office.locator(".messages")).to_contain_text(f"{reference}: Accepted.")

    go_to(office, "My work")
    office.locator("section.work-panel", has_text="Accepted applications to plan an assessment for").get_by_role(
        "link", name=re.compile(re.escape(reference))
    ).click()
    office.get_by_role("link", name="Plan the assessment").click()
    start = dt.date.today() + dt.timedelta(days=14)
    office.get_by_label("Kind").select_option(label="On-site assessment")
    office.get_by_label("Planned start").fill(start.isoformat())
    office.get_by_label("Planned end").fill((start + dt.timedelta(days=1)).isoformat())
    expect(office.get_by_label(ITEM_LABEL)).to_be_checked()
    submit(office)
    assessment_url = office.url
    office.get_by_role("link", name="Add a team member").click()
    office.get_by_label("Assessor").select_option(label="刘建国 (assessor)")
    office.get_by_label("Role").select_option(label="Lead assessor")
    submit(office)
    expect(office.locator("table.coverage-table")).to_contain_text("刘建国")
    office.get_by_role("link", name="Confirm the team").click()
    submit(office)
    expect(office.locator(".messages")).to_contain_text("The team is confirmed.")

    # The assessor accepts the place, assesses, and files a report that recommends the item.
    assessor = journey.log_in("assessor")
    go_to(assessor, "My assignments")
    assessor.locator("tr", has_text=reference).get_by_role("link").first.click()
    assessor.get_by_role("link", name="Accept").click()
    submit(assessor)
    assessor.goto(assessment_url)
    assessor.get_by_role("link", name="Start the report").click()
    submit(assessor)
    assessor.get_by_role("link", name="Edit the summary").click()
    assessor.get_by_label("Summary").fill(
        "评审组现场查阅了过氧化值检测的方法验证、人员能力和设备校准记录，并见证了一次检测。"
    )
    assessor.get_by_label("Overall conclusion").fill("实验室具备该项目的检测能力，建议批准扩项。")
    submit(assessor)
    assessor.locator("table.recommendation-table tr", has_text="过氧化值").get_by_role("link", name="Set").click()
    assessor.get_by_role("group", name=re.compile(r"^Recommendation")).get_by_label("Recommend", exact=True).check()
    submit(assessor)
    assessor.get_by_role("link", name="Submit the report").click()
    submit(assessor)
    expect(assessor.locator(".messages")).to_contain_text("Version 1 of the report is submitted.")

    # The decision maker finds it in the queue and grants the item.
    decider = journey.log_in("decider")
    go_to(decider, "Decision queue")
    decider.locator("tr", has_text=reference).get_by_role("link", name="Decide").click()
    expect(decider.locator("table.decide-items")).to_contain_text("Recommend")
    decider.locator("table.decide-items tr", has_text="过氧化值").get_by_label("Grant").check()
    decider.get_by_label("Reasons for the decision").fill("评审组建议予以认可，申请扩项的项目予以批准。")
    submit(decider)
    expect(decider.locator(".messages")).to_contain_text(f"on {reference} recorded")
    expect(decider.locator("main")).to_contain_text(f"Scope of {accreditation_number}, issue {issue_before + 1}")

    # The laboratory sees the item in the new scope issue, and the new certificate the worker rendered.
    go_to(lab, "My CABs")
    panel = lab.locator("section.accreditation-panel").filter(has_text=accreditation_number)
    assert scope_issue(panel.inner_text()) == issue_before + 1
    expect(panel.locator("tr", has_text="过氧化值")).to_contain_text("GB 5009.227-2016")
    panel.get_by_role("link", name="Certificates and their PDFs").click()
    row = lab.locator("tr", has_text=reference)
    expect(row).to_contain_text("Change of scope")
    reload_until(lab, "Ready", f"tr:has-text('{reference}') .badge")
    number = row.locator("td").first.inner_text()
    pdf = lab.request.get(row.get_by_role("link", name="PDF").get_attribute("href") or "")
    assert pdf.ok and pdf.body().startswith(b"%PDF"), pdf.status

    row.get_by_role("link", name=number).click()
    expect(lab.locator("main")).to_contain_text(number)
    expect(lab.locator("[data-signature=valid]")).to_have_count(1)
