"""The Celery application. Without REDIS_URL, settings make tasks run in-process.

**A broker that cannot be reached delays work; it never fails a page or loses the work.** Every
task of the portal is a ``PortalTask``. When the broker refuses a message (Redis down, restarting
or unreachable: kombu's ``OperationalError``, after its own short retries), the call is kept in
the database (``core.models.TaskOutbox``) and the caller goes on as if it had been sent: the
services enqueue after commit, so without this the change would be committed and the request would
still answer 500, and the task would be gone. ``flush_task_outbox`` sends what waits, in call
order, every minute (beat) and when a worker starts. Tasks are idempotent (STYLE.md), so a call
sent twice (published, then its row not deleted) does no harm.
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

from celery import Celery, Task
from celery.signals import worker_ready
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

#: Calls sent per transaction of a flush.
OUTBOX_BATCH = 200
#: The options of a call worth keeping: where it goes. A countdown, an ETA or an ``expires`` (beat's)
#: meant "from now", and the call has waited already.
KEPT_OPTIONS = ("queue", "routing_key", "priority")


class PortalTask(Task):
    """A task whose call waits in the database when the broker cannot take it (see the module docstring)."""

    #: False for a task that must not wait in the outbox (the flush itself: beat sends it every minute).
    keep_when_broker_down = True

    def apply_async(
        self,
        args: Any = None,
        kwargs: Any = None,
        task_id: str | None = None,
        producer: Any = None,
        link: Any = None,
        link_error: Any = None,
        shadow: Any = None,
        **options: Any,
    ) -> Any:
        task_id = task_id or str(uuid.uuid4())
        try:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)
        except OperationalError as error:
            if not self.keep_when_broker_down or self.app.conf.task_always_eager:
                raise
            _keep(self.name, task_id, args, kwargs, options, error)
            return self.AsyncResult(task_id)


def _keep(name: str, task_id: str, args: Any, kwargs: Any, options: dict[str, Any], error: Exception) -> None:
    from core.models import TaskOutbox

    TaskOutbox.objects.create(
        task=name,
        task_id=task_id,
        args=list(args or ()),
        kwargs=dict(kwargs or {}),
        options={key: options[key] for key in KEPT_OPTIONS if options.get(key) is not None},
        error=str(error)[:2000],
    )
    logger.warning("Broker unreachable: task %s[%s] kept in the outbox (%s)", name, task_id, error)


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def outbox_flush() -> int:
    """Send the calls the outbox holds, oldest first; how many were sent.

    Rows are claimed with ``SKIP LOCKED``, so two flushes never send the same call. A broker still
    down stops the flush; what was sent before is deleted, the rest waits for the next one.
    """
    from django.db import transaction

    from core.models import TaskOutbox

    sent = 0
    while True:
        with transaction.atomic():
            waiting = list(TaskOutbox.objects.select_for_update(skip_locked=True).order_by("pk")[:OUTBOX_BATCH])
            if not waiting:
                return sent
            done: list[int] = []
            try:
                for call in waiting:
                    app.send_task(call.task, args=call.args, kwargs=call.kwargs, task_id=call.task_id, **call.options)
                    done.append(call.pk)
            except OperationalError as error:
                waits = len(waiting) - len(done)
                logger.warning("Broker still unreachable: %s calls wait in the outbox (%s)", waits, error)
                return sent + len(done)
            finally:
                TaskOutbox.objects.filter(pk__in=done).delete()
            sent += len(done)


@app.task(name="config.celery.flush_task_outbox", time_limit=300, soft_time_limit=270, keep_when_broker_down=False)
def flush_task_outbox() -> int:
    """Send the task calls kept while the broker was down (beat, every minute; and at a worker's start)."""
    return outbox_flush()


@worker_ready.connect
def _flush_when_a_worker_starts(**kwargs: Any) -> None:
    # Queued, not run here: the worker's main process keeps no database connection.
    flush_task_outbox.delay()
