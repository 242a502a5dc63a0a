"""The secretariat's warning on "My work" when a daily job failed or did not run (``core.dashboard``).

Registered in ``SurveillanceConfig.ready``. The panel appears only when something needs attention,
so a quiet night adds nothing to the page.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dashboard import Panel, PanelRow
from core.models import User
from core.roles import is_secretariat
from surveillance.selectors_jobs import FAILED, jobs_needing_attention


def register_panels(user: User) -> Iterator[Panel]:
    if not is_secretariat(user):
        return
    states = jobs_needing_attention()
    if not states:
        return
    url = reverse("surveillance:job_list")
    rows = []
    for state in states:
        note: str
        if state.problem == FAILED:
            note = str(
                _("the run for {day} failed").format(day=f"{state.latest.run_for:%Y-%m-%d}" if state.latest else "")
            )
        elif state.latest is not None:
            note = str(_("no run since the one for {day}").format(day=f"{state.latest.run_for:%Y-%m-%d}"))
        else:
            note = str(_("never run"))
        rows.append(PanelRow(label=state.label, url=url, note=note, overdue=True))
    yield Panel(
        key="scheduled-jobs",
        title=_("Scheduled jobs that failed or did not run"),
        count=len(rows),
        overdue=len(rows),
        url=url,
        rows=rows,
        order=1,
    )
