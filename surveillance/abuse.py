"""The abuse limit of the public complaint form and API: so many submissions per client per period.

Counted in the Django cache (Redis in production, so every web process shares the count; local
memory in development), in fixed windows: the key names the client and the window's number, and
the first ``incr`` of a window creates it with the window's length as its expiry. A client is
its address (as DRF's throttles see it, honouring ``NUM_PROXIES``) or, when signed in, its user.
Only a submission that would be stored is counted, so a visitor who fixes a typo is not punished;
one past the limit is refused before anything is stored. When the cache is down the limit is not
checked (and a warning logged): a complaint is worth more than the limit.

django-ratelimit would do the same with a decorator, but the API needs the check between
validation and the service call and with the portal's error shape; twenty lines of our own are
simpler than bending it.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import SimpleRateThrottle

from core.errors import DomainError

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` → (5, 3600); the period is read from its first letter, as DRF reads its rates."""
    try:
        count, period = rate.split("/")
        return int(count), _PERIODS[period.strip()[0].lower()]
    except (ValueError, KeyError, IndexError) as exc:
        raise ImproperlyConfigured(f"COMPLAINT_PUBLIC_RATE={rate!r} is not like '5/hour'.") from exc


class _Ident(SimpleRateThrottle):
    rate = "1/s"  # unused: only ``get_ident`` is called


def client_key(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    # ``get_ident`` reads only ``request.META``: the address DRF's own throttles count.
    return f"address:{_Ident().get_ident(request)}"  # type: ignore[arg-type]


def count_submission(request: HttpRequest) -> None:
    """Count one submission of this client; past the limit raise a ``DomainError`` (HTTP 429)."""
    limit, period = parse_rate(str(settings.COMPLAINT_PUBLIC_RATE))
    window = int(time.time() // period)
    key = f"complaint-rate:{client_key(request)}:{period}:{window}"
    try:
        # ``add`` creates the counter only if it is missing, so two first requests do not both start at 1.
        cache.add(key, 0, timeout=period)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between ``add`` and ``incr``
            cache.set(key, 1, timeout=period)
            used = 1
    except Exception:  # the cache (Redis) is down: take the complaint rather than lose it
        logger.warning("Complaint abuse limit not checked: the cache is unavailable", exc_info=True)
        return
    if used > limit:
        raise DomainError(
            "too_many_complaints",
            _(
                "You have sent {limit} complaints in a short time, the most we accept. Nothing was stored: "
                "keep this page open and send it again later, or write to the supervision department."
            ).format(limit=limit),
            detail={"limit": limit, "period_seconds": period},
            http_status=429,
        )
