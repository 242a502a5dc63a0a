"""Fixtures of the browser journeys: a served portal, Debian's Chromium, and a journey's people.

The portal (``served.py``) and the browser live as long as the journeys' package: they start
before the first journey and stop after the last, so the rest of the suite does not share two
cores with gunicorn and a worker. Each journey gets ``journey`` (``browser.py``) to open a
browser per person.

The journeys need PostgreSQL, Redis and /usr/bin/chromium. Without them they are skipped with
the reason, except in CI (``CI=true``, which ``.ci/run`` sets): there a missing requirement fails
every journey instead, so that CI cannot pass without running them.

When a journey fails, the report shows what gunicorn and the worker logged during it, and
``var/journeys/`` keeps a screenshot and the HTML of each person's page (``<test name>.png`` is
the page last looked at). A passing journey keeps its final screenshot there too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.journeys.browser import Journey
from tests.journeys.served import (
    ARTEFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Portal,
    journeys_database_url,
    missing_requirement,
    run_logged,
    served_portal,
)

#: Where the served portal's logs stood when a journey began, to show what it logged during it.
LOG_POSITIONS = pytest.StashKey[dict[str, int]]()


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="package")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    reason = missing_requirement(os.environ)
    if reason is not None:
        if _in_ci():
            pytest.fail(f"CI=true, so the browser journeys must run, but {reason}", pytrace=False)
        pytest.skip(reason)
    with served_portal(
        database_url=journeys_database_url(os.environ["DATABASE_URL"]),
        redis_url=os.environ["REDIS_URL"],
        directory=ARTEFACTS,
        media_root=tmp_path_factory.mktemp("journeys-media"),
    ) as served:
        yield served
        # Everything the journeys did went through gunicorn and the worker: the audit trail they
        # wrote must still verify (``manage.py verify_audit_trail`` exits non-zero otherwise).
        command = [sys.executable, "manage.py", "verify_audit_trail"]
        run_logged(command, served.env, "verify_audit_trail after the journeys")


@pytest.fixture(scope="package")
def browser(portal: Portal) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def journey(portal: Portal, browser: Browser, request: pytest.FixtureRequest) -> Iterator[Journey]:
    request.node.stash[LOG_POSITIONS] = portal.log_positions()
    people = Journey(browser, portal.base_url)
    yield people
    people.close()


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Overrides the suite's: the served portal's Celery broker shares the cache's Redis database,
    and emptying it would drop the tasks a journey is waiting for."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    report = yield
    assert isinstance(report, pytest.TestReport)
    if report.when != "call" or "journey" not in getattr(item, "funcargs", {}):
        return report
    people = item.funcargs["journey"]  # type: ignore[attr-defined]
    portal = item.funcargs["portal"]  # type: ignore[attr-defined]
    assert isinstance(people, Journey) and isinstance(portal, Portal)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    kept = people.keep(ARTEFACTS, item.name, failed=report.failed)
    if report.failed:
        report.sections.append(("journey artefacts", "\n".join(str(path) for path in kept)))
        for name, text in portal.logs_since(item.stash.get(LOG_POSITIONS, {})):
            report.sections.append((f"{name} log during the journey", text or "(nothing)"))
    return report
