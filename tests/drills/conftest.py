"""Fixtures of the failure drills: files in a temporary folder, and a broker queue of the drill's own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kombu import Queue

from config.celery import app


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def drill_queue() -> Iterator[str]:
    """A queue of the drill's own; the tasks the test process sends go to the broker, on it (not in-process)."""
    queue = f"drill-{uuid.uuid4().hex[:12]}"
    before = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = before
        with app.connection_for_write() as broker:
            Queue(queue).bind(broker.default_channel).delete()
