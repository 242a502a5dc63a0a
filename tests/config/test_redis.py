"""With REDIS_URL set (CI), Redis really serves the cache and carries Celery's messages."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


def test_the_cache_keeps_a_value_in_redis() -> None:
    key = f"portal-test-{uuid.uuid4()}"
    try:
        cache.set(key, {"name": "认可委员会"}, timeout=60)
        stored = cache.get(key)
    finally:
        cache.delete(key)

    assert (settings.CACHES["default"]["BACKEND"], stored) == (
        "core.cache.ResilientRedisCache",
        {"name": "认可委员会"},
    )


def test_a_message_put_on_the_broker_comes_back() -> None:
    with app.connection_for_write() as connection:
        queue = connection.SimpleQueue(f"portal-test-{uuid.uuid4()}")
        try:
            queue.put({"accreditation_id": 42})
            message = queue.get(timeout=10)
            message.ack()
        finally:
            queue.queue(connection.default_channel).delete()
            queue.close()

    assert (connection.transport_cls, message.payload) == ("redis", {"accreditation_id": 42})
