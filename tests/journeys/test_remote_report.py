"""An assessor files the report of a remote assessment; the secretariat and the laboratory see it.

The secretariat has accepted the demo laboratory's extension and confirmed a team for a remote
assessment led by the demo ``assessor`` (prepared through the services: the scope-extension
journey walks those pages). The assessor takes it from "My work": accepts the place, records the
ICT used and a session (IAF MD 4), writes the summary and conclusion, recommends the item with
conditions, raises a nonconformity and submits. The secretariat then sees the report submitted
and the finding open; the laboratory finds the nonconformity to answer, with its deadline.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.journeys.browser import Journey, go_to, submit
from tests.journeys.served import Portal

pytestmark = pytest.mark.journey

ITEM = "食品 / 食用植物油 / 酸价 / GB 5009.229-2016"
STATEMENT = "酸价检测的方法验证记录未包括检出限的确认。"
NC_ANSWER_DAYS = 60  # the laboratory programme's nc_answer_deadline_days, the default


def test_an_assessor_files_a_remote_report_that_the_secretariat_and_the_laboratory_then_see(
    journey: Journey, portal: Portal
) -> None:
    planned = portal.prepare("remote_assessment")
    reference, day = planned["reference"], planned["planned_start"]

    # The assessor finds the place offered on My work and accepts it.
    assessor = journey.log_in("assessor")
    places = assessor.locator("section.work-panel", has_text="Team places to accept or decline")
    places.get_by_role("link", name="Remote assessment").first.click()
    expect(assessor.get_by_role("heading", level=1)).to_contain_text(reference)
    assessment_url = assessor.url
    assessor.locator("table.team-table tr", has_text="刘建国").get_by_role("link", name="Accept").click()
    submit(assessor)
    expect(assessor.locator("tr", has_text=reference)).to_contain_text("Place accepted")
    assessor.goto(assessment_url)

    # The remote part: the ICT agreed and tested with the laboratory, and a session held with it.
    assessor.get_by_role("link", name="Edit the ICT details").click()
    assessor.get_by_label("ICT used").fill("腾讯会议（视频、屏幕共享）；记录经加密网盘传输")
    assessor.get_by_label("ICT tested with the CAB on").fill(day)
    assessor.get_by_label("Confidentiality and information security").fill("会议不录像；截屏仅存于认可机构服务器。")
    submit(assessor)
    assessor.get_by_role("link", name="Record a session").click()
    assessor.get_by_label("Starts").fill(f"{day}T09:00")
    assessor.get_by_label("Ends").fill(f"{day}T11:30")
    assessor.get_by_label("Topic").fill("酸价检测方法验证记录远程查阅")
    assessor.get_by_label("Participants").fill("刘建国，认可机构，评审组长\n周敏，实验室，质量负责人")
    submit(assessor)
    expect(assessor.locator("main")).to_contain_text("腾讯会议（视频、屏幕共享）")
    expect(assessor.locator("main")).to_contain_text("酸价检测方法验证记录远程查阅")

    # The structured report: summary, conclusion, a recommendation per item, a nonconformity.
    assessor.get_by_role("link", name="Start the report").click()
    submit(assessor)
    assessor.get_by_role("link", name="Edit the summary").click()
    assessor.get_by_label("Summary").fill(
        "评审组通过视频查阅了方法验证、人员授权和设备校准记录，并见证了一次酸价检测。"
    )
    assessor.get_by_label("Overall conclusion").fill("在不符合项整改经验证有效后，建议批准扩项。")
    submit(assessor)
    assessor.locator("table.recommendation-table tr", has_text="酸价").get_by_role("link", name="Set").click()
    assessor.get_by_role("group", name=re.compile(r"^Recommendation")).get_by_label("Recommend with conditions").check()
    assessor.get_by_label("Conditions or reasons").fill("不符合项关闭后推荐。")
    submit(assessor)
    assessor.get_by_role("link", name="Raise a finding").click()
    assessor.get_by_role("group", name=re.compile(r"^Kind")).get_by_label("Nonconformity").check()
    assessor.get_by_label("Grade").select_option(label="Minor")
    assessor.get_by_label("Clause").fill("ISO/IEC 17025:2017 7.2.2")
    assessor.get_by_label(re.compile(r"^Finding")).fill(STATEMENT)
    assessor.get_by_label("Objective evidence").fill("抽查酸价方法验证报告，缺少检出限验证数据。")
    assessor.get_by_label("Scope item concerned").select_option(label=ITEM)
    submit(assessor)
    assessor.get_by_role("link", name="Submit the report").click()
    submit(assessor)
    expect(assessor.locator(".messages")).to_contain_text("Version 1 of the report is submitted.")
    expect(assessor.locator("table.recommendation-table")).to_contain_text("Recommend with conditions")
    due = (dt.date.today() + dt.timedelta(days=NC_ANSWER_DAYS)).isoformat()
    expect(assessor.locator("table.finding-table tr", has_text=STATEMENT)).to_contain_text(due)

    # The secretariat sees the report submitted and the assessment waiting for the answer.
    office = journey.log_in("secretariat")
    office.goto(assessment_url)
    expect(office.locator("header .badge")).to_have_text("Report submitted, findings open")
    office.locator(".assessment-report").get_by_role("link", name="Version 1").click()
    expect(office.locator("header .badge")).to_have_text("Submitted")
    expect(office.locator("main")).to_contain_text("在不符合项整改经验证有效后，建议批准扩项。")
    expect(office.locator("table.finding-table")).to_contain_text(STATEMENT)

    # The laboratory finds the nonconformity to answer, with its deadline.
    lab = journey.log_in("lab-admin")
    go_to(lab, "Nonconformities to answer")
    row = lab.locator("tr", has_text=f"Remote assessment of {reference}")
    expect(row).to_contain_text("NC-1 ISO/IEC 17025:2017 7.2.2")
    expect(row).to_contain_text(due)
    row.get_by_role("link").first.click()
    expect(lab.locator("main")).to_contain_text(STATEMENT)
    expect(lab.locator("main")).to_contain_text("抽查酸价方法验证报告，缺少检出限验证数据。")
