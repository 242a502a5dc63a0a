"""A certification body reports its certificates in a spreadsheet and watches the real worker apply it.

The spreadsheet is a CSV in GB18030, as Excel saves one on a Chinese Windows: 40,000 certificates,
every 1,000th with an impossible date (refused and reported), every 12th outside the body's
accredited scope (applied, and shown to the public as not accredited).
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.journeys.browser import Journey, go_to, submit
from tests.journeys.served import Portal

pytestmark = pytest.mark.journey

#: Enough rows for eight of the task's chunks (CHUNK_ROWS, 5,000): the bar moves once per chunk and
#: the page asks every second, so with fewer the task may finish between two questions.
ROWS = 40_000


def progress_until_finished(page: Page, timeout: float = 240) -> list[int]:
    """Every value the progress bar showed until the page reloaded itself with the outcome."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = page.evaluate(
                "() => { const panel = document.querySelector('.upload-progress');"
                " return panel && [panel.dataset.running, panel.querySelector('progress').value]; }"
            )
        except PlaywrightError:  # the page is reloading
            state = None
        if state:
            running, value = state[0], int(state[1])
            if not seen or value != seen[-1]:
                seen.append(value)
            if running == "false":
                return seen
        time.sleep(0.1)
    raise AssertionError(f"the upload did not finish in {timeout:.0f} s; the bar showed {seen}")


def test_a_certification_body_uploads_certificates_sees_the_bar_move_and_gets_the_bad_rows_back(
    journey: Journey, portal: Portal, tmp_path: Path
) -> None:
    spreadsheet = tmp_path / "2026年颁发证书.csv"
    facts = portal.prepare("certificate_csv", str(spreadsheet), str(ROWS))
    bad_rows: list[int] = facts["bad_rows"]

    cb = journey.log_in("cb-admin")
    go_to(cb, "Certificate uploads")
    cb.get_by_role("link", name="Upload certificates").click()
    cb.get_by_label("Spreadsheet").set_input_files(spreadsheet)
    submit(cb)

    expect(cb.get_by_role("heading", level=1)).to_have_text(spreadsheet.name)
    expect(cb.locator("main .page-header")).to_contain_text("encoding gb18030")
    seen = progress_until_finished(cb)
    assert seen[-1] == 100, seen
    assert [value for value in seen if 0 < value < 100], f"the bar never showed a step between 0 and 100: {seen}"
    assert seen == sorted(seen), f"the bar went backwards: {seen}"

    panel = cb.locator(".upload-progress")
    expect(panel.locator("[data-field=status_label]")).to_have_text("Done, some rows refused")
    expect(panel.locator("[data-field=total_rows]")).to_have_text(str(ROWS))
    expect(panel.locator("[data-field=applied_rows]")).to_have_text(str(ROWS - len(bad_rows)))
    expect(panel.locator("[data-field=error_rows]")).to_have_text(str(len(bad_rows)))
    expect(panel).to_contain_text(f"the {len(bad_rows)} rows listed were not applied")
    # Each bad row is listed, in order, with its impossible date (a row may have several errors).
    listed = [int(row) for row in cb.locator("table.upload-errors tbody tr td:first-child").all_inner_texts()]
    assert list(dict.fromkeys(listed)) == bad_rows
    expect(cb.locator("table.upload-errors tbody tr").first).to_contain_text("2025-02-30")

    with cb.expect_download() as download:
        cb.get_by_role("link", name="Download the error report (CSV)").click()
    report = list(csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig"))))
    assert sorted({int(row[0]) for row in report[1:]}) == bad_rows
    # Row, identity number, field, value, code, message: each bad row's impossible issue date is there.
    issue_dates = [(int(row[0]), row[1], row[3]) for row in report[1:] if row[2] == "issue_date"]
    assert issue_dates == [(row, f"JOURNEY-{row - 1:06d}", "2025-02-30") for row in bad_rows]

    # The public sees an uploaded certificate issued outside the body's scope as not accredited, and why.
    visitor = journey.visitor()
    visitor.goto(f"/certificates/?q={facts['outside_scope']}")
    visitor.get_by_role("link", name=facts["outside_scope"]).click()
    expect(visitor.locator(".alert-warning")).to_contain_text(
        "This certificate is not covered by the certification body's accreditation."
    )
    expect(visitor.locator(".alert-warning")).to_contain_text("Issued outside the accredited scope")
