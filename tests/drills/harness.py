"""What the failure drills share: real processes on the test database, and waiting for them.

The drills run on PostgreSQL with no test transaction around them (``transactional_db``), so that
other processes (a Celery worker, a management command, a process whose broker is down) see what
the test committed, and the test sees what they committed. ``serialized_rollback`` restores the
data migrations' rows afterwards. A process started here gets the test's environment with the
test database (``test_<name>``) in ``DATABASE_URL``, ``CELERY_TASK_ALWAYS_EAGER=0`` and the test's
``MEDIA_ROOT``; it runs in a session of its own, so killing its group kills all of it.

A Celery worker here consumes a queue named for the drill (``drill-<random>``), and the test
process sends its tasks there, so no other worker (the journeys') takes them and none of theirs
reaches the drill.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = connection.vendor == "postgresql"

#: The marks of a drill that needs PostgreSQL (row locks, advisory locks, other processes).
ON_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="the drill needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
NEEDS_REDIS = pytest.mark.skipif(not settings.REDIS_URL, reason="the drill needs Redis (REDIS_URL)")


def drill(*marks: pytest.MarkDecorator) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Mark one test as a drill on PostgreSQL (``ON_POSTGRES``), with ``marks`` besides."""

    def marked(test: Callable[..., None]) -> Callable[..., None]:
        for mark in (*ON_POSTGRES, *marks):
            test = mark(test)
        return test

    return marked


#: A Celery worker in one process (``solo``: the task runs in the process a SIGKILL stops), on one queue.
WORKER_MAIN = """
import sys
from config.celery import app
app.conf.task_default_queue = sys.argv[1]
app.worker_main(["worker", "-Q", sys.argv[1], "-P", "solo", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "--loglevel", "WARNING"])
"""


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def drill_database_url() -> str:
    """``DATABASE_URL`` naming the database the tests run in (pytest-django's ``test_<name>``)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))


def process_env(**overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": drill_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SECRET_KEY", None)
    env.pop("SECRET_KEY_FILE", None)
    env.update(overrides)
    return env


def python(*args: str, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``python <args>`` in the project, in a session of its own, its output in ``log``."""
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, *args],
            cwd=ROOT,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def run_python(*args: str, env: Mapping[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python <args>`` in the project, to its end; fails the test with its output if it fails."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], cwd=ROOT, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"python {' '.join(args)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr[-3000:]}")
    return done


def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process's whole group (it leads its own session), then reap it."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def wait_until(condition: Callable[[], Any], *, timeout: float, what: str, log: Path | None = None) -> Any:
    """Poll ``condition`` until it returns something true; fail with ``what`` (and the log) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
            pytest.fail(f"Waited {timeout:.0f} s for {what}.\n{tail}")
        time.sleep(0.05)


@contextmanager
def celery_worker(queue: str, log: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker on ``queue``, stopped (SIGTERM, then SIGKILL) when the block ends."""
    worker = python("-c", WORKER_MAIN, queue, env=process_env(**env), log=log)
    try:
        yield worker
    finally:
        kill(worker, signal.SIGTERM)
