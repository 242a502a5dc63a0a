"""Who hears of a complaint: the secretariat in the portal, the complainant by e-mail.

The secretariat gets a notification (inbox and e-mail, ``core.notifications``) for each new
complaint. The complainant usually has no account, so they get plain e-mails at receipt,
acknowledgement and resolution, sent after commit by ``surveillance.tasks.send_complaint_email``
when they gave an address. Those e-mails carry the tracking number and the outcome summary but
never the description: a mistyped address must not hand the complaint to a stranger.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.notifications import secretariat_users
from core.models import User
from core.notifications import notify, register
from surveillance.models import Complaint

#: The e-mails a complainant gets; each has ``templates/surveillance/emails/complaint_<event>.txt``.
COMPLAINANT_EMAILS = ("received", "acknowledged", "resolved")

register(
    "complaint.received",
    subject=_("New complaint {tracking}: {kind}"),
    body=_(
        "A complaint was received ({kind}{about}; {channel}). "
        "Acknowledge it by {acknowledge_due}; the resolution target is {resolution_due}."
    ),
)


def notify_received(complaint: Complaint, actor: User | None) -> None:
    cab = complaint.cab.name_zh if complaint.cab else complaint.cab_name_given
    notify(
        recipients=secretariat_users(),
        kind="complaint.received",
        params={
            "tracking": complaint.tracking_number,
            "kind": str(complaint.get_kind_display()),
            "channel": str(complaint.get_channel_display()),
            "about": f", {cab}" if cab else "",
            "acknowledge_due": f"{complaint.acknowledge_due_on:%Y-%m-%d}",
            "resolution_due": f"{complaint.resolution_due_on:%Y-%m-%d}",
        },
        link=reverse("surveillance:complaint_detail", args=[complaint.pk]),
        exclude=actor,
    )
    email_complainant(complaint, "received")


def email_complainant(complaint: Complaint, event: str) -> None:
    """Queue the complainant's e-mail for after commit (nothing when they gave no address)."""
    if event not in COMPLAINANT_EMAILS:
        raise ValueError(f"No complainant e-mail for {event!r}.")
    if not complaint.complainant_email:
        return
    from surveillance.tasks import send_complaint_email

    complaint_id = complaint.pk
    transaction.on_commit(lambda: send_complaint_email.delay(complaint_id, event))
