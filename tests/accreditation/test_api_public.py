"""The public directory API: anonymous, read-only, published facts only, and rate limited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from accreditation.models import Accreditation, Cab, CabContact, ScopeVersion
from accreditation.services.accreditations import accreditation_grant, accreditation_open, accreditation_withdraw
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_version_publish
from core.api.throttling import PortalScopedRateThrottle
from core.dates import add_months
from core.models import User
from tests.accreditation.factories import CabFactory, programme
from tests.conftest import LAB_ITEM

LAB_SUMMARY = "食品 / 食用植物油 / 酸价 / GB 5009.229-2016"


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no request counted; the shared cache would carry counts over."""
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.fixture
def public(api_for) -> Any:
    return api_for(None)


@pytest.fixture
def application(other_cab: Cab, secretariat: User) -> Accreditation:
    """``other_cab`` has only applied: the public does not see it."""
    return accreditation_open(cab=other_cab, programme=programme("MS"), actor=secretariat)


def accredited_cab(secretariat: User, **cab_fields: Any) -> Cab:
    cab = CabFactory.create(**cab_fields)
    accreditation = accreditation_open(cab=cab, programme=programme("CL"), actor=secretariat)
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes=LAB_ITEM)
    scope_version_publish(version=draft, actor=secretariat)
    accreditation_grant(accreditation=accreditation, actor=secretariat)
    return cab


def public_accreditation_json() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "number": "CNAS L0001",
        "programme": "CL",
        "programme_name": "Testing and calibration laboratories",
        "status": "accredited",
        "granted_on": today.isoformat(),
        "cycle_start": today.isoformat(),
        "cycle_end": (add_months(today, 72) - dt.timedelta(days=1)).isoformat(),
    }


@pytest.mark.smoke
def test_anyone_lists_the_accredited_bodies_with_public_fields_only(
    public, accreditation: Accreditation, application: Accreditation, cab: Cab
) -> None:
    CabContact.objects.create(cab=cab, name="王芳", role="质量负责人", email="wang.fang@example.cn")

    response = public.get("/api/public/cabs/")

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": cab.pk,
                "name": "Beijing Precise Testing Co., Ltd.",
                "name_zh": "北京精准检测技术有限公司",
                "name_en": "Beijing Precise Testing Co., Ltd.",
                "province": "11",
                "accreditations": [public_accreditation_json()],
            }
        ],
    }


@pytest.mark.smoke
def test_a_body_shows_the_current_published_scope_and_never_a_draft(
    public, accreditation: Accreditation, published_scope: ScopeVersion, cab: Cab, secretariat: User
) -> None:
    draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
    scope_item_add(version=draft, actor=secretariat, attributes={**LAB_ITEM, "parameter": "过氧化值"})

    response = public.get(f"/api/public/cabs/{cab.pk}/")

    assert response.status_code == 200
    item = published_scope.items.get()
    assert response.json() == {
        "id": cab.pk,
        "name": "Beijing Precise Testing Co., Ltd.",
        "name_zh": "北京精准检测技术有限公司",
        "name_en": "Beijing Precise Testing Co., Ltd.",
        "province": "11",
        "accreditations": [
            {
                **public_accreditation_json(),
                "scope": {
                    "issue_number": 1,
                    "issued_on": timezone.localdate().isoformat(),
                    "items": [
                        {"key": str(item.key), "status": "active", "attributes": LAB_ITEM, "summary": LAB_SUMMARY}
                    ],
                },
            }
        ],
    }


def test_the_names_follow_the_language_asked_for(api_for, accreditation: Accreditation, cab: Cab) -> None:
    response = api_for(None, language="zh-hans").get(f"/api/public/cabs/{cab.pk}/")

    assert response.json()["name"] == "北京精准检测技术有限公司"
    assert response.json()["accreditations"][0]["programme_name"] == "检测和校准实验室认可"


def test_a_body_that_has_only_applied_is_not_in_the_directory(
    public, application: Accreditation, other_cab: Cab
) -> None:
    assert public.get(f"/api/public/cabs/{other_cab.pk}/").status_code == 404
    assert public.get("/api/public/cabs/").json()["count"] == 0


def test_a_withdrawn_accreditation_stays_visible_with_its_status(
    public, accreditation: Accreditation, cab: Cab, secretariat: User
) -> None:
    accreditation_withdraw(accreditation=accreditation, actor=secretariat, reason="Fraud")

    response = public.get("/api/public/cabs/", {"status": "withdrawn"})

    assert [row["id"] for row in response.json()["results"]] == [cab.pk]
    assert response.json()["results"][0]["accreditations"][0]["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"q": "精准"}, True),
        ({"q": "precise"}, True),
        ({"q": "CNAS L0001"}, True),
        ({"q": "  精准  "}, True),
        ({"q": "远东"}, False),
        ({"programme": "CL"}, True),
        ({"programme": "MS"}, False),
        ({"province": "11"}, True),
        ({"province": "31"}, False),
        ({"status": "accredited"}, True),
        ({"status": "suspended"}, False),
    ],
)
def test_the_directory_searches_by_text_programme_province_and_status(
    public, accreditation: Accreditation, application: Accreditation, cab: Cab, params: dict[str, str], found: bool
) -> None:
    response = public.get("/api/public/cabs/", params)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == ([cab.pk] if found else [])


def test_the_directory_finds_a_body_by_its_credit_code(public, accreditation: Accreditation, cab: Cab) -> None:
    response = public.get("/api/public/cabs/", {"q": cab.credit_code.lower()})

    assert [row["id"] for row in response.json()["results"]] == [cab.pk]


@pytest.mark.parametrize("q", ["京", " 京 "])
def test_a_one_character_search_is_refused(public, accreditation: Accreditation, q: str) -> None:
    response = public.get("/api/public/cabs/", {"q": q})

    assert response.status_code == 400
    assert response.json() == {
        "code": "query_too_short",
        "message": "Type at least 2 characters to search.",
        "detail": {"q": "京"},
    }


def test_an_unknown_province_is_a_field_error(public, accreditation: Accreditation) -> None:
    response = public.get("/api/public/cabs/", {"province": "99"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"] == {"province": ['"99" is not a valid choice.']}


def test_the_directory_is_read_only(public, accreditation: Accreditation, cab: Cab) -> None:
    assert public.post("/api/public/cabs/", {"name_zh": "x"}, format="json").status_code == 405
    assert public.delete(f"/api/public/cabs/{cab.pk}/").status_code == 405
    assert Cab.objects.filter(pk=cab.pk).exists()


def test_the_directory_is_limited_per_client_address(public, accreditation: Accreditation, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "3/minute"},
    }

    allowed = [public.get("/api/public/cabs/").status_code for _ in range(3)]
    refused = public.get("/api/public/cabs/")

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "Retry-After" in refused


def test_a_made_up_forwarded_address_does_not_escape_the_limit(public, accreditation: Accreditation, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public": "2/minute"},
        "NUM_PROXIES": 0,
    }

    answers = [public.get("/api/public/cabs/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]

    assert answers == [200, 200, 429]


def test_the_default_limit_is_sixty_a_minute(settings) -> None:
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"] == "60/minute"


def test_searching_the_directory_takes_the_same_queries_for_one_or_many(
    public, accreditation: Accreditation, secretariat: User, django_assert_num_queries
) -> None:
    with django_assert_num_queries(3):  # count, page, accreditations with programmes
        public.get("/api/public/cabs/")
    for _ in range(4):
        accredited_cab(secretariat)
    with django_assert_num_queries(3):
        response = public.get("/api/public/cabs/")

    assert response.json()["count"] == 5


def test_a_body_with_its_scope_takes_a_fixed_number_of_queries(
    public, accreditation: Accreditation, cab: Cab, secretariat: User, django_assert_num_queries
) -> None:
    for n in range(5):
        draft = scope_draft_start(accreditation=accreditation, actor=secretariat)
        scope_item_add(version=draft, actor=secretariat, attributes={**LAB_ITEM, "parameter": f"参数{n}"})
        scope_version_publish(version=draft, actor=secretariat)

    with django_assert_num_queries(4):  # body, accreditations with programmes, current issue, its items
        response = public.get(f"/api/public/cabs/{cab.pk}/")

    assert len(response.json()["accreditations"][0]["scope"]["items"]) == 6
