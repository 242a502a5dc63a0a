"""The portal served as production serves it, for the browser journeys: its own database, gunicorn, a Celery worker.

``served_portal`` drops and creates the PostgreSQL database it is given (the journeys take the one
``DATABASE_URL`` names with ``_journeys`` appended), migrates it and loads the demonstration data
as ``make demo`` does, and empties the Redis database it is given (the suite's tests empty it
before each test anyway; here it drops the cached pages and queued tasks of an earlier run). It
then starts gunicorn on a free port and a Celery worker, with the same environment, in which
tasks go to the worker instead of running in-process. When the block ends both are stopped and
the database is dropped. ``scripts/journey_certificates.py`` serves its portal with it too.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "var" / "journeys"
CHROMIUM = Path("/usr/bin/chromium")
#: Debian's Chromium under Playwright (SERVICES.md): no sandbox as root, no GPU, nothing fetched.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_requirement(environ: Mapping[str, str]) -> str | None:
    """Why the journeys cannot run here, or None when they can."""
    database_url = environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "the browser journeys need PostgreSQL: set DATABASE_URL=postgres://..."
    if not environ.get("REDIS_URL"):
        return "the browser journeys need Redis for the Celery worker: set REDIS_URL=redis://..."
    if not CHROMIUM.exists():
        return f"the browser journeys need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def journeys_database_url(database_url: str) -> str:
    """``DATABASE_URL`` with ``_journeys`` appended to the database's name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/{name}_journeys"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """A program the journeys started, with its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def tail(self, start: int = 0, lines: int = 150) -> str:
        """The end of what it logged after byte ``start``, without the requests for static files."""
        with self.log.open("rb") as file:
            file.seek(start)
            text = file.read().decode("utf-8", "replace")
        kept = [line for line in text.splitlines() if '"GET /static/' not in line]
        return "\n".join(kept[-lines:])

    def size(self) -> int:
        return self.log.stat().st_size


@dataclass
class Portal:
    """A served portal: where to reach it, the environment it runs with, and its processes."""

    base_url: str
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)

    def prepare(self, step: str, *arguments: str) -> dict[str, Any]:
        """Run a step of ``tests.journeys.prepare`` on the portal's database; its facts."""
        done = run_logged(
            [sys.executable, "-m", "tests.journeys.prepare", step, *arguments], self.env, f"prepare {step}"
        )
        facts: dict[str, Any] = json.loads(done.splitlines()[-1])
        return facts

    def log_positions(self) -> dict[str, int]:
        return {process.name: process.size() for process in self.processes}

    def logs_since(self, positions: dict[str, int]) -> list[tuple[str, str]]:
        return [(process.name, process.tail(positions.get(process.name, 0))) for process in self.processes]


def run_logged(command: list[str], env: dict[str, str], what: str, timeout: float = 600) -> str:
    """Run ``command``; its output, or an error that shows the output."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}")
    return done.stdout


def portal_environment(
    environ: Mapping[str, str], *, database_url: str, redis_url: str, base_url: str, media_root: Path
) -> dict[str, str]:
    """The served portal's environment: the caller's, on its own database, with a real worker."""
    env = dict(environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # The suite runs tasks in-process; the served portal hands them to the worker.
        CELERY_TASK_ALWAYS_EAGER="0",
        DEBUG="1",
        SITE_URL=base_url,
        MEDIA_ROOT=str(media_root),
        # Every journey sends from 127.0.0.1; rerunning them within the hour must not hit the limit.
        COMPLAINT_PUBLIC_RATE="1000/hour",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    for name in ("SECRET_KEY", "SECRET_KEY_FILE"):  # DEBUG's development key, as `make test` uses
        env.pop(name, None)
    return env


def recreate_database(database_url: str) -> None:
    """Drop the database ``database_url`` names and create it again, empty (UTF-8, C.UTF-8)."""
    from config.env import Env
    from scripts.ensure_database import ensure_database

    drop_database(database_url)
    if ensure_database(Env({"DATABASE_URL": database_url})) != 0:
        raise RuntimeError(f"could not create the journeys' database {database_url}")


def drop_database(database_url: str) -> None:
    """Drop the database ``database_url`` names, if it exists, closing its connections."""
    import psycopg
    from psycopg import sql

    from config.env import Env
    from scripts.ensure_database import connection_params

    config = Env({"DATABASE_URL": database_url}).database("DATABASE_URL", sqlite_path="unused.sqlite3")
    with psycopg.connect(**connection_params(config)) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(config["NAME"])))
        )


def empty_redis(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def wait_until(check: Callable[[], bool], process: Process, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{what}: {process.name} stopped ({process.popen.returncode}):\n{process.tail()}")
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what}: not after {timeout:.0f} s:\n{process.tail()}")


def answers(url: str) -> bool:
    """Whether ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def started(name: str, command: list[str], env: dict[str, str], directory: Path) -> Iterator[Process]:
    """Run ``command`` for the block, logging to ``directory/<name>.log``; stop it after."""
    log = directory / f"{name}.log"
    with log.open("wb") as output:
        popen = subprocess.Popen(  # noqa: S603 - programs of our own virtualenv
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    process = Process(name, popen, log)
    try:
        yield process
    finally:
        popen.terminate()
        try:
            popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout=10)


@contextmanager
def served_portal(*, database_url: str, redis_url: str, directory: Path, media_root: Path) -> Iterator[Portal]:
    """Create, seed and serve a portal on ``database_url``; stop it and drop the database afterwards.

    The database is dropped first if it exists, and the Redis database emptied; the logs of the
    seeding, gunicorn and the worker go to ``directory``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = portal_environment(
        os.environ, database_url=database_url, redis_url=redis_url, base_url=base_url, media_root=media_root
    )
    recreate_database(database_url)
    try:
        empty_redis(env["REDIS_URL"])
        output = run_logged([sys.executable, "-m", "tests.journeys.prepare", "seed"], env, "migrating and seeding")
        (directory / "seed.log").write_text(output, encoding="utf-8")
        bin_dir = Path(sys.executable).parent
        portal = Portal(base_url, env)
        with ExitStack() as stack:
            web = stack.enter_context(
                started(
                    "gunicorn",
                    [
                        str(bin_dir / "gunicorn"),
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--timeout",
                        "120",
                        "--access-logfile",
                        "-",
                        "--no-control-socket",  # gunicorn 27: one fixed-path socket per user otherwise
                    ],
                    env,
                    directory,
                )
            )
            worker = stack.enter_context(
                started(
                    "celery-worker",
                    [
                        str(bin_dir / "celery"),
                        "-A",
                        "config",
                        "worker",
                        "--concurrency",
                        "1",
                        "--loglevel",
                        "INFO",
                        "--hostname",
                        f"journeys-{port}@%h",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    env,
                    directory,
                )
            )
            portal.processes = [web, worker]
            wait_until(lambda: answers(f"{base_url}/healthz"), web, "gunicorn answering /healthz")
            wait_until(lambda: b" ready." in worker.log.read_bytes(), worker, "the Celery worker ready")
            yield portal
    finally:
        drop_database(database_url)
