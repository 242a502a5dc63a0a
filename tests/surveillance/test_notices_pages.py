"""Public notices: what publishes them, the public pages and feeds, the dishonesty list, the staff's pages."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse

from accreditation.models import Accreditation, Cab
from certification.models import AccreditationCertificate
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import AuditEvent, User
from surveillance.choices import NoticeKind, SanctionKind
from surveillance.models import DishonestyEntry, PublicNotice, Sanction
from surveillance.services_notices import (
    dishonesty_list,
    dishonesty_repair,
    false_claim_statement_publish,
    notice_publish,
)
from surveillance.services_sanctions import sanction_decide, sanction_lift
from tests.certification.certificates_helpers import (  # noqa: F401 - fixtures
    certificates_env,
    extend_by_decision,
    fake_pdf,
    grant_by_decision,
)
from tests.surveillance.sanctions_helpers import reason

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def suspend(accreditation: Accreditation, secretariat: User) -> Sanction:
    return sanction_decide(
        accreditation=accreditation,
        kind=SanctionKind.SUSPENSION,
        reason=reason("staff_not_competent"),
        details="授权签字人能力不足。",
        actor=secretariat,
    )


def parse_atom(content: bytes) -> ET.Element:
    """The feed the portal itself just wrote (trusted input for the parser)."""
    return ET.fromstring(content)  # noqa: S314


def statement(cab: Cab, secretariat: User, **overrides: Any) -> PublicNotice:
    values: dict[str, Any] = {
        "title_zh": "关于某公司虚假宣称认可的声明",
        "title_en": "Statement on a false claim of accreditation",
        "body_zh": "该公司未获认可。",
        "body_en": "The company is not accredited.",
    }
    values.update(overrides)
    return false_claim_statement_publish(cab=cab, actor=secretariat, **values)


# --- what publishes notices ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("certificates_env", "fake_pdf")
def test_a_granting_decision_and_an_extension_publish_grant_notices_once(
    cab: Cab, cab_admin: User, secretariat: User, decision_maker: User, django_capture_on_commit_callbacks: Any
) -> None:
    decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    extension = extend_by_decision(
        accreditation, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )

    grant, extended = PublicNotice.objects.filter(kind=NoticeKind.GRANT).order_by("pk")
    assert (grant.decision, grant.accreditation, grant.cab) == (decision, accreditation, cab)
    assert grant.title_en == f"Beijing Precise Testing Co., Ltd.: accreditation {accreditation.number} granted"
    assert grant.title_zh.startswith("北京精准检测技术有限公司")
    assert extended.decision == extension
    assert "extended by 1 item(s)" in extended.body_en
    # The certificate was issued by the same hook: both receivers ran.
    assert AccreditationCertificate.objects.filter(accreditation=accreditation).count() == 2

    from surveillance.services_notices import notice_for_decision

    again = notice_for_decision(
        decision_id=decision.pk, application_type="initial", accreditation_id=accreditation.pk, granted_item_ids=[1]
    )
    assert again is None
    assert PublicNotice.objects.filter(kind=NoticeKind.GRANT).count() == 2


def test_the_notice_kinds_of_sanctions(accreditation: Accreditation, secretariat: User) -> None:
    sanction_lift(sanction=suspend(accreditation, secretariat), actor=secretariat, verification="已验证。")
    sanction_decide(
        accreditation=accreditation,
        kind=SanctionKind.WITHDRAWAL,
        reason=reason("rectification_overdue"),
        details="撤销。",
        actor=secretariat,
    )
    assert list(PublicNotice.objects.order_by("pk").values_list("kind", flat=True)) == [
        NoticeKind.SUSPENSION,
        NoticeKind.RESTORATION,
        NoticeKind.WITHDRAWAL,
    ]
    assert AuditEvent.objects.filter(event_type="notice.published").count() == 3


def test_a_false_claim_statement_is_the_secretariats_and_needs_both_languages(
    cab: Cab, secretariat: User, decision_maker: User
) -> None:
    notice = statement(cab, secretariat)
    assert (notice.kind, notice.title_en, notice.body_zh) == (
        NoticeKind.FALSE_CLAIM,
        "Statement on a false claim of accreditation",
        "该公司未获认可。",
    )
    with pytest.raises(NotPermitted):
        statement(cab, decision_maker)
    with pytest.raises(DomainError) as raised:
        statement(cab, secretariat, body_en="")
    assert raised.value.code == "invalid"
    assert PublicNotice.objects.count() == 1


def test_an_unknown_notice_kind_is_refused(cab: Cab) -> None:
    with pytest.raises(DomainError) as raised:
        notice_publish(kind="rumour", cab=cab, title_zh="x", title_en="x", actor=None)
    assert raised.value.code == "invalid_notice_kind"


# --- the dishonesty list and credit repair ----------------------------------------------------------------------


def test_listing_and_credit_repair_publish_notices_and_the_public_list_shows_current_entries(
    client_for: Any, cab: Cab, other_cab: Cab, secretariat: User
) -> None:
    listed = dishonesty_list(cab=cab, reason="出具虚假检测报告。", actor=secretariat)
    repaired = dishonesty_list(cab=other_cab, reason="拒不整改。", actor=secretariat)
    dishonesty_repair(entry=repaired, reason="整改完成并公开承诺。", actor=secretariat)

    page = client_for(None).get(reverse("surveillance:dishonesty_list")).content.decode()

    assert "出具虚假检测报告。" in page and "Beijing Precise Testing Co., Ltd." in page
    assert "拒不整改。" not in page and "Shanghai Far East" not in page
    assert list(PublicNotice.objects.order_by("pk").values_list("kind", flat=True)) == [
        NoticeKind.DISHONESTY_LISTING,
        NoticeKind.DISHONESTY_LISTING,
        NoticeKind.CREDIT_REPAIR,
    ]
    repaired.refresh_from_db()
    assert (repaired.removed_by, repaired.removal_reason) == (secretariat, "整改完成并公开承诺。")
    assert listed.removed_on is None
    assert {e.event_type for e in AuditEvent.objects.filter(event_type__startswith="dishonesty.")} == {
        "dishonesty.listed",
        "dishonesty.removed",
    }


def test_a_body_is_listed_once_and_removed_once(cab: Cab, secretariat: User) -> None:
    entry = dishonesty_list(cab=cab, reason="虚假报告。", actor=secretariat)
    with pytest.raises(StateConflict) as raised:
        dishonesty_list(cab=cab, reason="再次。", actor=secretariat)
    assert raised.value.code == "already_listed"
    dishonesty_repair(entry=entry, reason="已修复。", actor=secretariat)
    with pytest.raises(StateConflict) as raised:
        dishonesty_repair(entry=entry, reason="再次。", actor=secretariat)
    assert raised.value.code == "already_removed"
    assert DishonestyEntry.objects.count() == 1
    # After the repair the body may be listed again.
    dishonesty_list(cab=cab, reason="再犯。", actor=secretariat)
    assert DishonestyEntry.objects.filter(removed_on__isnull=True).count() == 1


def test_listing_needs_a_reason_and_the_secretariat(cab: Cab, secretariat: User, cab_admin: User) -> None:
    with pytest.raises(DomainError) as raised:
        dishonesty_list(cab=cab, reason=" ", actor=secretariat)
    assert raised.value.code == "reason_required"
    with pytest.raises(NotPermitted):
        dishonesty_list(cab=cab, reason="虚假报告。", actor=cab_admin)
    assert DishonestyEntry.objects.count() == 0 and PublicNotice.objects.count() == 0


# --- the public pages -------------------------------------------------------------------------------------------


def test_the_notices_page_lists_notices_in_the_readers_language_and_filters_by_kind(
    client_for: Any, accreditation: Accreditation, cab: Cab, secretariat: User
) -> None:
    suspend(accreditation, secretariat)
    statement(cab, secretariat)

    english = client_for(None).get(reverse("surveillance:notice_list")).content.decode()
    chinese = client_for(None, language="zh-hans").get(reverse("surveillance:notice_list")).content.decode()
    only = client_for(None).get(reverse("surveillance:notice_list"), {"kind": "false_claim"}).content.decode()

    assert f"accreditation {accreditation.number} suspended" in english
    assert "Statement on a false claim of accreditation" in english
    assert "关于某公司虚假宣称认可的声明" in chinese
    assert "Statement on a false claim" in only and "suspended</a>" not in only


def test_the_notices_page_pages_by_keyset(client_for: Any, cab: Cab, monkeypatch: pytest.MonkeyPatch) -> None:
    from surveillance import selectors_notices

    monkeypatch.setattr(selectors_notices, "NOTICE_PAGE_SIZE", 2)
    for n in range(3):
        notice_publish(kind=NoticeKind.GRANT, cab=cab, title_zh=f"公告{n}", title_en=f"Notice {n}", actor=None)
    client = client_for(None)
    first = client.get(reverse("surveillance:notice_list"))
    assert [row["title"] for row in first.context["rows"]] == ["Notice 2", "Notice 1"]
    second = client.get(reverse("surveillance:notice_list"), {"after": first.context["next_cursor"]})
    assert ([row["title"] for row in second.context["rows"]], second.context["next_cursor"]) == (["Notice 0"], "")


def test_notice_texts_are_escaped_on_the_pages_and_in_the_feeds(client_for: Any, cab: Cab, secretariat: User) -> None:
    notice = statement(cab, secretariat, title_en="<script>alert(1)</script>", body_en="<b>bold</b> & more")
    client = client_for(None)

    pages = [
        client.get(reverse("surveillance:notice_list")).content.decode(),
        client.get(reverse("surveillance:notice_detail", args=[notice.pk])).content.decode(),
    ]
    atom = client.get(reverse("surveillance:notice_feed_atom")).content.decode()
    feed = json.loads(client.get(reverse("surveillance:notice_feed_json")).content)

    for page in pages:
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    title = parse_atom(atom.encode()).find(f"{ATOM}entry/{ATOM}title")
    assert "<script>" not in atom and title is not None and title.text == "<script>alert(1)</script>"
    assert feed["items"][0]["content_text"] == "<b>bold</b> & more"


def test_the_atom_feed_is_valid_xml_with_one_entry_per_notice(
    client_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    sanction_lift(sanction=suspend(accreditation, secretariat), actor=secretariat, verification="已验证。")
    response = client_for(None).get(reverse("surveillance:notice_feed_atom"))

    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_atom(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert root.tag == f"{ATOM}feed"
    assert [e.find(f"{ATOM}title").text for e in entries] == [  # type: ignore[union-attr]
        f"Beijing Precise Testing Co., Ltd.: accreditation {accreditation.number} restored",
        f"Beijing Precise Testing Co., Ltd.: accreditation {accreditation.number} suspended",
    ]
    link = entries[0].find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert link is not None and link.startswith("http://testserver/notices/")


def test_the_json_feed_is_version_1_1_in_the_readers_language(
    client_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    suspend(accreditation, secretariat)
    response = client_for(None, language="zh-hans").get(
        reverse("surveillance:notice_feed_json"), {"kind": "suspension"}
    )

    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["language"] == "zh-hans"
    [item] = feed["items"]
    assert item["title"].startswith("北京精准检测技术有限公司")
    assert item["url"].startswith("http://testserver/notices/") and item["tags"] == ["suspension"]


def test_the_suspended_and_withdrawn_page_and_the_directory_show_a_suspension(
    client_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    suspend(accreditation, secretariat)
    client = client_for(None)

    listed = client.get(reverse("surveillance:notice_suspended_withdrawn")).content.decode()
    directory = client.get(reverse("accreditation:directory_cab", args=[accreditation.cab_id])).content.decode()

    assert 'data-status="suspended"' in listed and str(accreditation.number) in listed
    assert "Suspended" in directory


@pytest.mark.usefixtures("certificates_env", "fake_pdf")
def test_the_certificate_verification_shows_a_suspended_accreditation(
    client_for: Any,
    cab: Cab,
    cab_admin: User,
    secretariat: User,
    decision_maker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _decision, accreditation = grant_by_decision(
        cab, cab_admin, secretariat, decision_maker, django_capture_on_commit_callbacks
    )
    certificate = AccreditationCertificate.objects.get(accreditation=accreditation)
    suspend(accreditation, secretariat)

    page = client_for(None).get(reverse("certification:verify", args=[certificate.number])).content.decode()

    assert 'data-standing="accreditation_suspended"' in page
    assert "The accreditation is suspended" in page


# --- the staff's pages --------------------------------------------------------------------------------------------


def test_the_secretariat_decides_a_partial_suspension_on_the_page(
    client_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    item = accreditation.current_scope.items.get()  # type: ignore[union-attr]
    client = client_for(secretariat)
    form = client.get(reverse("surveillance:sanction_decide", args=[accreditation.pk])).content.decode()
    assert "Data altered or not traceable" in form and f'value="{item.pk}"' in form

    response = client.post(
        reverse("surveillance:sanction_decide", args=[accreditation.pk]),
        {"kind": "suspension", "reason": reason().pk, "details": "数据不可追溯。"},
    )

    assert response.status_code == 302
    accreditation.refresh_from_db()
    assert accreditation.status == "suspended"
    page = client.get(reverse("surveillance:accreditation_sanctions", args=[accreditation.pk])).content.decode()
    assert "数据不可追溯。" in page and "Lift</a>" in page


def test_a_refused_sanction_on_the_page_shows_the_message_and_changes_nothing(
    client_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    response = client_for(secretariat).post(
        reverse("surveillance:sanction_decide", args=[accreditation.pk]),
        {"kind": "partial_suspension", "reason": reason().pk, "details": "部分暂停。"},
    )
    assert response.status_code == 200
    assert "Choose the scope items to suspend." in response.content.decode()
    assert Sanction.objects.count() == 0


def test_the_withdrawal_proposals_panel_is_on_my_work(
    client_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    from surveillance.jobs_suspensions import suspension_watchdog

    sanction = suspend(accreditation, secretariat)
    assert sanction.suspended_until is not None
    suspension_watchdog(sanction.suspended_until.replace(year=sanction.suspended_until.year + 1))

    page = client_for(secretariat).get(reverse("my_work")).content.decode()

    assert "Suspensions past their maximum: withdrawal proposals" in page
    assert str(accreditation.number) in page


def test_the_public_notices_api_lists_both_languages(api_for: Any, cab: Cab, secretariat: User) -> None:
    statement(cab, secretariat)
    body = api_for(None).get("/api/public/notices/", {"kind": "false_claim"}).json()
    assert body["count"] == 1
    assert {k: body["results"][0][k] for k in ("kind", "title_zh", "title_en")} == {
        "kind": "false_claim",
        "title_zh": "关于某公司虚假宣称认可的声明",
        "title_en": "Statement on a false claim of accreditation",
    }


def test_the_sanctions_api_decides_and_refuses_with_stable_codes(
    api_for: Any, accreditation: Accreditation, secretariat: User
) -> None:
    client = api_for(secretariat)
    refused = client.post(
        "/api/sanctions/",
        {"accreditation": accreditation.pk, "kind": "suspension", "details": "无理由。"},
        format="json",
    )
    decided = client.post(
        "/api/sanctions/",
        {"accreditation": accreditation.pk, "kind": "suspension", "reason": "missing_equipment", "details": "缺设备。"},
        format="json",
    )
    again = client.post(
        "/api/sanctions/",
        {"accreditation": accreditation.pk, "kind": "suspension", "reason": "missing_equipment", "details": "再次。"},
        format="json",
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "reason_required")
    assert (decided.status_code, decided.json()["kind"], decided.json()["reason"]["code"]) == (
        201,
        "suspension",
        "missing_equipment",
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_suspended")
