"""Fixtures of the supervision tests: files stored in a temporary folder, fresh rate-limit counts."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache

from core.api.throttling import PortalScopedRateThrottle
from surveillance import abuse


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def fresh_rate_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no submission or request counted; the shared cache would carry counts over."""
    monkeypatch.setattr(abuse, "cache", LocMemCache(f"complaints-{uuid.uuid4()}", {}))
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))
