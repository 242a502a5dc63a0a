"""The beat schedule names tasks the worker knows, each expiring before the same entry comes round again."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from config.celery import app


def test_every_beat_entry_names_a_registered_task_and_expires() -> None:
    app.loader.import_default_modules()
    schedule: dict[str, Any] = settings.CELERY_BEAT_SCHEDULE

    unknown = [entry["task"] for entry in schedule.values() if entry["task"] not in app.tasks]
    without_expiry = [name for name, entry in schedule.items() if not entry["options"]["expires"]]

    assert (unknown, without_expiry) == ([], [])


def test_beat_sends_the_kept_task_calls_every_minute_and_looks_for_dead_uploads_every_five() -> None:
    schedule: dict[str, Any] = settings.CELERY_BEAT_SCHEDULE
    outbox, uploads = schedule["task-outbox"], schedule["stale-uploads"]

    assert (outbox["task"], outbox["schedule"].minute, outbox["options"]["expires"]) == (
        "config.celery.flush_task_outbox",
        set(range(60)),
        50,
    )
    assert (uploads["task"], uploads["schedule"].minute, uploads["options"]["expires"]) == (
        "certification.tasks_uploads.interrupt_stale_uploads",
        set(range(0, 60, 5)),
        240,
    )
