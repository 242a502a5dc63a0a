"""The register's panels on "My work" (``core.dashboard``), registered in ``AccreditationConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation.choices_applications import ApplicationStatus
from accreditation.models import Application
from accreditation.selectors_applications import acceptance_queue, application_qs_for
from accreditation.selectors_decisions import decision_queue_for
from core.dashboard import PANEL_ROWS, Panel, PanelRow
from core.models import User
from core.roles import Role, has_role, is_secretariat, is_staff_reader


def application_row(application: Application, note: str = "") -> PanelRow:
    return PanelRow(
        label=f"{application} · {application.cab.name}",
        url=reverse("accreditation:application_detail", args=[application.pk]),
        note=note or f"{application.get_type_display()} · {application.programme.code}",
        overdue=application.is_overdue,
    )


def _rows(applications: QuerySet[Application]) -> list[PanelRow]:
    return [application_row(a) for a in applications.select_related("cab", "programme")[:PANEL_ROWS]]


def register_panels(user: User) -> Iterator[Panel]:
    if is_secretariat(user):
        queue = acceptance_queue(user)
        overdue = queue.filter(review_due_on__lt=timezone.localdate()).count()
        yield Panel(
            key="acceptance-review",
            title=gettext_lazy("Applications waiting for the acceptance review"),
            count=queue.count(),
            overdue=overdue,
            url=reverse("accreditation:application_queue"),
            rows=_rows(queue),
            order=10,
        )
    if has_role(user, Role.DECISION_MAKER):
        ready = decision_queue_for(user)
        yield Panel(
            key="decisions",
            title=gettext_lazy("Applications ready for your decision"),
            count=ready.count(),
            url=reverse("accreditation:decision_queue"),
            rows=[
                PanelRow(
                    label=f"{a} · {a.cab.name}",
                    url=reverse("accreditation:application_decide", args=[a.pk]),
                    note=f"{a.get_type_display()} · {a.programme.code}",
                )
                for a in ready[:PANEL_ROWS]
            ],
            order=10,
        )
    if not is_staff_reader(user):
        own = application_qs_for(user, "change").filter(
            status__in=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
        )
        # A returned application waits on the CAB; a draft only on itself.
        returned_first = Case(When(status=ApplicationStatus.RETURNED, then=Value(0)), default=Value(1))
        if own.exists() or application_qs_for(user).exists():
            yield Panel(
                key="applications-to-finish",
                title=gettext_lazy("Applications to finish and submit"),
                count=own.count(),
                url=reverse("accreditation:application_list"),
                rows=[
                    application_row(
                        a, _("Returned: {reasons}").format(reasons=a.review_reasons) if a.status == "returned" else ""
                    )
                    for a in own.select_related("cab", "programme").order_by(returned_first, "-status_changed_at")[
                        :PANEL_ROWS
                    ]
                ],
                order=10,
            )
