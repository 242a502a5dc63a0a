"""A Redis cache that degrades to "nothing cached" when Redis is down, instead of failing the page.

The portal only caches what it can compute again (page fragments, rate-limit counters), so a
cache that cannot be reached must cost speed, never availability: with Redis down the public
lookup, the directory and every page keep working (the supervision issue asks for it). Each
operation that fails on a Redis error is logged (once a minute at most) and answers as a cache
miss would: ``get`` gives the default, ``add`` and ``has_key`` give False, ``incr`` raises
``ValueError`` like a missing key, writes do nothing. Connections time out after
``SOCKET_TIMEOUT`` seconds so a Redis that hangs costs little.

Celery's broker is a different matter: tasks queued while Redis is down are refused at
``delay()``, and the callers handle that themselves.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT = 0.5
_LOG_EVERY = 60.0
_last_logged = 0.0

T = TypeVar("T")


def _log(error: Exception, operation: str) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY:
        _last_logged = now
        logger.warning("Cache unavailable (%s failed: %s); serving without it", operation, error)


def _missing(default: Callable[..., T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> T:
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                _log(error, method.__name__)
                return default(*args, **kwargs)

        return run

    return decorate


def _no_key(key: Any, *args: Any, **kwargs: Any) -> int:
    raise ValueError(f"Key {key!r} not found (the cache is unavailable).")


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        super().__init__(server, params)

    get = _missing(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many: Callable[..., dict[str, Any]] = _missing(lambda keys, version=None: {})(RedisCache.get_many)
    has_key = _missing(lambda key, version=None: False)(RedisCache.has_key)
    add = _missing(lambda *args, **kwargs: False)(RedisCache.add)
    set = _missing(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _missing(lambda *args, **kwargs: [])(RedisCache.set_many)
    touch = _missing(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _missing(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _missing(lambda *args, **kwargs: None)(RedisCache.delete_many)
    incr = _missing(_no_key)(RedisCache.incr)
    clear = _missing(lambda *args, **kwargs: None)(RedisCache.clear)
