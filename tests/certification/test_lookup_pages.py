"""The public lookup pages: search, results with badges, keyset links, not found, a certificate's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from accreditation.models import Accreditation, Cab
from certification.choices import CertificateStatus, NotAccreditedReason
from tests.certification.lookup_helpers import certified, with_history

LOOKUP = reverse("certification:lookup")


@pytest.mark.django_db
def test_the_search_page_opens_empty_without_login(client_for) -> None:
    response = client_for(None).get(LOOKUP)

    assert response.status_code == 200
    assert "Look up a certificate" in response.content.decode()
    assert response.context["page"] is not None and response.context["searched"] is False


@pytest.mark.django_db
def test_results_show_a_status_badge_and_the_accredited_mark(client_for, cab: Cab) -> None:
    certified(cab, "杭州鑫淼科技有限公司", certificate_number="00124Q00077R0M")
    certified(
        cab,
        "杭州鑫淼电子有限公司",
        status=CertificateStatus.SUSPENDED,
        is_accredited=False,
        not_accredited_reason=NotAccreditedReason.OUTSIDE_SCOPE,
    )

    body = client_for(None).get(LOOKUP, {"q": "鑫淼"}).content.decode()

    assert "2 certificates found" in body
    assert '<span class="badge badge-active">Valid</span>' in body
    assert '<span class="badge badge-suspended">Suspended</span>' in body
    assert '<span class="badge badge-accredited">Accredited</span>' in body
    assert '<span class="badge badge-not_accredited">Not accredited</span>' in body
    assert "00124Q00077R0M" in body


@pytest.mark.django_db
def test_the_page_speaks_chinese_too(client_for, cab: Cab) -> None:
    certified(cab, "杭州鑫淼科技有限公司")

    response = client_for(None, language="zh-hans").get(LOOKUP, {"q": "鑫淼"})

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_one_character_is_refused_with_a_message(client_for) -> None:
    response = client_for(None).get(LOOKUP, {"q": "科"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Type at least 2 characters: one character matches too many certificates." in body
    assert response.context["page"] is None


@pytest.mark.django_db
def test_html_in_a_name_is_shown_as_text(client_for, cab: Cab) -> None:
    certified(cab, '<script>alert("x")</script>科技有限公司', english_name="<b>Bold</b> Ltd")

    body = client_for(None).get(LOOKUP, {"q": "科技"}).content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;科技有限公司" in body
    assert "&lt;b&gt;Bold&lt;/b&gt; Ltd" in body


@pytest.mark.django_db
def test_the_next_page_link_carries_the_cursor_and_the_filters(client_for, cab: Cab) -> None:
    made = [certified(cab, f"广州华光科技有限公司{n}") for n in range(21)]

    first = client_for(None).get(LOOKUP, {"q": "华光", "status": "active"})
    cursor = first.context["page"].next_cursor
    second = client_for(None).get(LOOKUP, {"q": "华光", "status": "active", "cursor": cursor})

    assert cursor == f"{made[19].entity_id}-{made[19].pk}"
    assert f"?q=%E5%8D%8E%E5%85%89&amp;status=active&amp;cursor={cursor}" in first.content.decode()
    assert [c.pk for c in second.context["page"].certificates] == [made[20].pk]
    assert second.context["page"].next_cursor == ""
    assert 'rel="first"' in second.content.decode()


@pytest.mark.django_db
def test_a_search_that_finds_nothing_explains_why_and_links_the_directory(client_for, cab: Cab) -> None:
    certified(cab, "上海远东贸易有限公司", status=CertificateStatus.DRAFT, certificate_number="00124Q99999R0M")

    response = client_for(None).get(LOOKUP, {"q": "00124Q99999R0M"})

    body = response.content.decode()
    assert "No certificate found" in body
    assert "the certification body has not reported it yet" in body
    assert "it is not genuine: a certificate no body reported may be fake." in body
    assert reverse("accreditation:directory") in body


@pytest.mark.django_db
def test_a_certificate_page_shows_entity_scope_sites_body_and_history(
    client_for, cab: Cab, accreditation: Accreditation
) -> None:
    shown = with_history(
        certified(
            cab,
            "杭州鑫淼科技有限公司",
            english_name="Hangzhou Xinmiao Technology Co., Ltd.",
            certificate_number="00124Q00088R0M",
            status=CertificateStatus.SUSPENDED,
            is_accredited=False,
            not_accredited_reason=NotAccreditedReason.OUTSIDE_SCOPE,
        )
    )

    response = client_for(None).get(reverse("certification:lookup_certificate", args=[shown.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Certificate 00124Q00088R0M" in body
    assert "Hangzhou Xinmiao Technology Co., Ltd." in body
    assert shown.entity.credit_code in body
    assert "计算机软件的设计和开发" in body
    assert "上海市浦东新区张江路88号 — 软件测试" in body
    assert "ISO 9001:2015" in body
    assert "2028-02-28" in body
    assert "Issued outside the accredited scope" in body
    assert reverse("accreditation:directory_cab", args=[cab.pk]) in body
    assert accreditation.number in body
    assert [change.status for change in response.context["history"]] == ["suspended", "active"]


@pytest.mark.django_db
def test_a_draft_certificate_has_no_public_page(client_for, cab: Cab) -> None:
    draft = certified(cab, "上海远东贸易有限公司", status=CertificateStatus.DRAFT)

    response = client_for(None).get(reverse("certification:lookup_certificate", args=[draft.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_standard_filter_lists_the_seeded_standards_and_narrows(client_for, cab: Cab) -> None:
    quality = certified(cab, "成都瑞达软件有限公司")
    environment = certified(cab, "成都瑞达电子有限公司", standards=["ISO 14001:2015"])

    response = client_for(None).get(LOOKUP, {"q": "瑞达", "standard": "ISO 14001:2015"})

    assert '<option value="ISO 14001:2015" selected>' in response.content.decode()
    assert [c.pk for c in response.context["page"].certificates] == [environment.pk]
    assert quality.pk not in [c.pk for c in response.context["page"].certificates]


@pytest.mark.django_db
def test_a_search_page_costs_a_fixed_number_of_queries(client_for, cab: Cab, django_assert_num_queries) -> None:
    for n in range(25):
        certified(cab, f"广州华光科技有限公司{n}")
    client = client_for(None)

    # The planner's estimate of the fragment (PostgreSQL only), the matching entities, the capped
    # count, one page of rows with entity and body joined, the standards of the filter.
    # On PostgreSQL the lookup also turns parallel workers off for its statements and, being inside
    # the test's transaction here, gives the setting back, in a savepoint: 4 more (in production,
    # in a transaction of its own, 1 more).
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 4):
        response = client.get(LOOKUP, {"q": "华光"})
    assert len(response.context["page"].certificates) == 20
