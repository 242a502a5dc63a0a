"""Permission-matrix entries of the daily jobs' page, "run now" and the job-run API.

The runs are for the accreditation body's staff: secretariat and decision makers read them
(anyone else: 403 on the page, an empty list and 404 in the API); only the secretariat starts a
job. The secretariat's "run now" really runs the deadline watchdog (in-process, as in the
embedded default), which is quick and harmless in the matrix's world.
"""

from __future__ import annotations

import datetime as dt

from surveillance.choices import JobName, JobRunStatus
from surveillance.models import JobRun
from tests.matrix import DENY, LISTS, OK, STAFF_READ, Case, World, api, secretariat_only, signed_in


def build(world: World) -> None:
    world.extra["job_run"] = JobRun.objects.create(
        job=JobName.EXPIRY_SWEEP, run_for=dt.date(2030, 3, 1), status=JobRunStatus.SUCCEEDED
    )


run_pk = lambda w: {"pk": w.extra["job_run"].pk}  # noqa: E731
watchdog = lambda w: {"job": JobName.DEADLINE_WATCHDOG.value}  # noqa: E731

ENTRIES: dict[str, list[Case]] = {
    "surveillance:job_list": [Case(signed_in(DENY, secretariat=OK, decision_maker=OK))],
    "surveillance:job_run_now": [Case(secretariat_only(DENY), method="post", kwargs=watchdog)],
    "surveillance_api:job-run-list": [api(LISTS)],
    "surveillance_api:job-run-detail": [api(STAFF_READ, kwargs=run_pk)],
}
