"""The sanction panels of "My work" (``core.dashboard``): open withdrawal proposals for the secretariat."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dashboard import PANEL_ROWS, Panel, PanelRow
from core.models import User
from core.roles import is_secretariat
from surveillance.selectors_sanctions import open_proposals


def register_panels(user: User) -> Iterator[Panel]:
    if not is_secretariat(user):
        return
    queue = open_proposals()
    count = queue.count()
    url = reverse("surveillance:withdrawal_proposal_list")
    yield Panel(
        key="withdrawal-proposals",
        title=_("Suspensions past their maximum: withdrawal proposals"),
        count=count,
        overdue=count,
        url=url,
        rows=[
            PanelRow(
                label=f"{p.sanction.accreditation.number} · {p.sanction.accreditation.cab.name_zh}",
                url=url,
                note=str(_("suspension could last until {date}").format(date=f"{p.sanction.suspended_until:%Y-%m-%d}")),
                overdue=True,
            )
            for p in queue[:PANEL_ROWS]
        ],
        order=17,
    )
