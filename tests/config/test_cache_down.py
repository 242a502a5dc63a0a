"""With Redis down, the cache costs speed, never pages: the lookup and the public API still answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from core.cache import ResilientRedisCache


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the probe goes


@pytest.fixture
def redis_down() -> Iterator[None]:
    location = f"redis://127.0.0.1:{_closed_port()}/0"
    # Django's test signals drop the cache connections when CACHES changes, both ways.
    with override_settings(CACHES={"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": location}}):
        yield


def test_every_operation_answers_like_a_miss_when_redis_is_down() -> None:
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})

    cache.set("a", 1)
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.has_key("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    cache.delete("a")
    cache.clear()


@pytest.mark.django_db
def test_the_lookup_page_and_the_public_api_answer_with_redis_down(redis_down: None) -> None:
    client = Client()

    page = client.get("/certificates/", {"q": "科技"})
    api = client.get("/api/public/certificates/", {"q": "科技"})
    directory = client.get("/directory/", {"q": "检测"})

    assert (page.status_code, api.status_code, directory.status_code) == (200, 200, 200)
