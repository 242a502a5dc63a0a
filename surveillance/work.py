"""The supervision app's panels on "My work" (``core.dashboard``), registered in ``SurveillanceConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.dashboard import PANEL_ROWS, Panel, PanelRow
from core.models import User
from core.roles import is_secretariat
from surveillance.models import Complaint
from surveillance.selectors_complaints import acknowledgement_overdue_q, open_past_resolution, to_acknowledge


def _row(complaint: Complaint, note: str, overdue: bool) -> PanelRow:
    about = complaint.cab.name_zh if complaint.cab else complaint.cab_name_given
    return PanelRow(
        label=f"{complaint.tracking_number} · {complaint.get_kind_display()}" + (f" · {about}" if about else ""),
        url=reverse("surveillance:complaint_detail", args=[complaint.pk]),
        note=note,
        overdue=overdue,
    )


def register_panels(user: User) -> Iterator[Panel]:
    if not is_secretariat(user):
        return
    queue = to_acknowledge()
    list_url = reverse("surveillance:complaint_list")
    yield Panel(
        key="complaints-to-acknowledge",
        title=_("Complaints to acknowledge"),
        count=queue.count(),
        overdue=queue.filter(acknowledgement_overdue_q()).count(),
        url=f"{list_url}?status=received",
        rows=[
            _row(
                c,
                str(_("acknowledge by {date}").format(date=f"{c.acknowledge_due_on:%Y-%m-%d}")),
                c.is_acknowledgement_overdue,
            )
            for c in queue[:PANEL_ROWS]
        ],
        order=15,
    )
    late = open_past_resolution()
    late_count = late.count()
    yield Panel(
        key="complaints-overdue",
        title=_("Complaints past their resolution date"),
        count=late_count,
        overdue=late_count,
        url=f"{list_url}?overdue=true",
        rows=[
            _row(c, str(_("resolution due {date}").format(date=f"{c.resolution_due_on:%Y-%m-%d}")), True)
            for c in late[:PANEL_ROWS]
        ],
        order=16,
    )
