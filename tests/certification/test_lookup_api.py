"""The public certificate lookup API: anonymous, keyset pages, capped counts, rate limited."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.urls import reverse

from accreditation.models import Cab
from certification import selectors_lookup
from certification.choices import CertificateStatus
from core.api.throttling import PortalScopedRateThrottle
from tests.certification.lookup_helpers import certified, with_history

LIST = reverse("certification_api:public-certificate-list")


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no request counted; the shared cache would carry counts over."""
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.mark.django_db
def test_a_search_answers_the_kind_the_count_and_the_rows(api_for, cab: Cab) -> None:
    shown = certified(
        cab,
        "杭州鑫淼科技有限公司",
        english_name="Hangzhou Xinmiao Technology Co., Ltd.",
        certificate_number="00124Q00088R0M",
    )

    response = api_for(None).get(LIST, {"q": "鑫淼"})

    assert response.status_code == 200
    assert response.json() == {
        "kind": "name",
        "count": 1,
        "count_is_capped": False,
        "next": None,
        "results": [
            {
                "id": shown.pk,
                "certificate_number": "00124Q00088R0M",
                "status": "active",
                "is_accredited": True,
                "certification_type": "management_system",
                "standards": ["ISO 9001:2015"],
                "issue_date": "2025-03-01",
                "expiry_date": "2028-02-28",
                "entity": {
                    "name": "杭州鑫淼科技有限公司",
                    "english_name": "Hangzhou Xinmiao Technology Co., Ltd.",
                    "credit_code": shown.entity.credit_code,
                    "province": "北京市",
                    "city": "北京",
                    "country": "CN",
                },
                "cb": cab.pk,
                "cb_name": cab.name_zh,
            }
        ],
    }


@pytest.mark.django_db
def test_next_leads_through_every_page_without_duplicates_or_gaps(api_for, cab: Cab) -> None:
    made = [certified(cab, f"广州华光科技有限公司{n}") for n in range(45)]
    client = api_for(None)

    seen: list[int] = []
    url: str | None = LIST + "?q=%E5%8D%8E%E5%85%89"
    pages = 0
    while url:
        body = client.get(url).json()
        seen.extend(row["id"] for row in body["results"])
        url = body["next"]
        pages += 1

    assert pages == 3
    assert seen == [c.pk for c in made]


@pytest.mark.django_db
def test_a_broad_term_says_the_count_is_capped(api_for, cab: Cab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors_lookup, "COUNT_CAP", 3)
    for n in range(5):
        certified(cab, f"深圳宏达科技有限公司{n}")

    body = api_for(None).get(LIST, {"q": "宏达"}).json()

    assert (body["count"], body["count_is_capped"], len(body["results"])) == (3, True, 5)


@pytest.mark.django_db
def test_one_character_answers_400_query_too_short(api_for) -> None:
    response = api_for(None).get(LIST, {"q": "科"})

    assert response.status_code == 400
    assert response.json()["code"] == "query_too_short"


@pytest.mark.django_db
def test_a_bad_cursor_answers_400(api_for) -> None:
    response = api_for(None).get(LIST, {"q": "科技", "cursor": "abc"})

    assert (response.status_code, response.json()["code"]) == (400, "cursor_invalid")


@pytest.mark.django_db
def test_a_certificate_answers_with_sites_and_history_and_a_draft_is_404(api_for, cab: Cab) -> None:
    shown = with_history(certified(cab, "杭州鑫淼科技有限公司"))
    draft = certified(cab, "杭州鑫淼电子有限公司", status=CertificateStatus.DRAFT)
    client = api_for(None)

    body = client.get(reverse("certification_api:public-certificate-detail", args=[shown.pk])).json()
    hidden = client.get(reverse("certification_api:public-certificate-detail", args=[draft.pk]))

    assert body["sites"] == [{"address": "上海市浦东新区张江路88号", "scope": "软件测试"}]
    assert body["history"] == [
        {"status": "active", "effective_on": "2025-03-01"},
        {"status": "suspended", "effective_on": "2026-01-15"},
    ]
    assert body["scope"] == "计算机软件的设计和开发"
    assert hidden.status_code == 404
    assert [row["id"] for row in client.get(LIST, {"q": "鑫淼"}).json()["results"]] == [shown.pk]


@pytest.mark.django_db
def test_the_public_is_limited_and_told_when_to_come_back(api_for, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"public": "2/minute", "auth": "10/minute"},
    }
    client = api_for(None)

    statuses = [client.get(LIST, {"q": "科技"}).status_code for _ in range(3)]
    refused = client.get(LIST, {"q": "科技"})

    assert statuses == [200, 200, 429]
    assert refused.json()["code"] == "throttled"
    assert int(refused.headers["Retry-After"]) > 0


def test_the_schema_documents_the_rate_limit() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/public/certificates/"]["get"]

    assert "per client address" in operation["description"]
    assert "429" in operation["responses"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "status", "standard", "cb", "province", "cursor"}


@pytest.mark.django_db
def test_a_page_of_the_api_costs_a_fixed_number_of_queries(api_for, cab: Cab, django_assert_num_queries) -> None:
    for n in range(25):
        certified(cab, f"广州华光科技有限公司{n}")
    client = api_for(None)

    # The planner's estimate of the fragment (PostgreSQL only), the matching entities, the capped
    # count and one page of rows with entity and body.
    # On PostgreSQL the lookup also turns parallel workers off for its statements and, being inside
    # the test's transaction here, gives the setting back, in a savepoint: 4 more (in production,
    # in a transaction of its own, 1 more).
    with django_assert_num_queries(8 if connection.vendor == "postgresql" else 3):
        body = client.get(LIST, {"q": "华光"}).json()
    assert len(body["results"]) == 20
