"""Who sees which complaints, the secretariat's queues, and the public's view of one complaint.

- The accreditation body's staff (secretariat and decision makers) see every complaint with the
  complainant's details; only the secretariat moves them (the services check).
- A signed-in user sees the complaints they submitted themselves, in their list only.
- The public sees one complaint through its tracking number, and then only the facts of
  ``PUBLIC_FIELDS``: no name, contact, description, CAB or attachment.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import AuditEvent, User
from core.roles import is_staff_reader
from surveillance.choices import ComplaintStatus
from surveillance.models import Complaint, ComplaintAttachment

AnyUser = User | AnonymousUser

#: What the public status page and API show of a complaint.
PUBLIC_FIELDS = (
    "tracking_number",
    "kind",
    "status",
    "received_at",
    "acknowledge_due_on",
    "acknowledged_at",
    "resolution_due_on",
    "resolved_at",
    "outcome",
    "outcome_summary",
)


def complaint_qs_for(user: AnyUser) -> QuerySet[Complaint]:
    """Every complaint for the body's staff; none for anyone else (their own are in ``complaints_submitted_by``)."""
    if not is_staff_reader(user):
        return Complaint.objects.none()
    return Complaint.objects.select_related("cab", "handler", "submitted_by")


def complaints_submitted_by(user: AnyUser) -> QuerySet[Complaint]:
    if not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(submitted_by=user).select_related("cab")


def attachment_qs_for(user: AnyUser) -> QuerySet[ComplaintAttachment]:
    """Attachments are evidence for the investigation: the body's staff only, never the public."""
    return ComplaintAttachment.objects.filter(complaint__in=complaint_qs_for(user))


def public_complaint(tracking_number: str) -> Complaint | None:
    """The complaint with this tracking number, holding only the public fields (``None``: no such number)."""
    if not tracking_number:
        return None
    return Complaint.objects.only(*PUBLIC_FIELDS).filter(tracking_number=tracking_number).first()


def public_values(complaint: Complaint) -> dict[str, Any]:
    """The public facts of a complaint; the outcome only once it is resolved."""
    resolved = complaint.status == ComplaintStatus.RESOLVED
    return {
        "tracking_number": complaint.tracking_number,
        "kind": complaint.kind,
        "kind_label": str(complaint.get_kind_display()),
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "received_on": timezone.localdate(complaint.received_at),
        "acknowledge_due_on": complaint.acknowledge_due_on,
        "acknowledged_on": timezone.localdate(complaint.acknowledged_at) if complaint.acknowledged_at else None,
        "resolution_due_on": complaint.resolution_due_on,
        "resolved_on": timezone.localdate(complaint.resolved_at) if complaint.resolved_at else None,
        "outcome": complaint.outcome if resolved else "",
        "outcome_label": str(complaint.get_outcome_display()) if resolved and complaint.outcome else "",
        "outcome_summary": complaint.outcome_summary if resolved else "",
    }


# --- deadlines ----------------------------------------------------------------------------------------


def acknowledgement_overdue_q() -> Q:
    return Q(status=ComplaintStatus.RECEIVED, acknowledge_due_on__lt=timezone.localdate())


def resolution_overdue_q() -> Q:
    return ~Q(status=ComplaintStatus.RESOLVED) & Q(resolution_due_on__lt=timezone.localdate())


def overdue_q() -> Q:
    """Late on either deadline (the list's "overdue" filter and the badges)."""
    return acknowledgement_overdue_q() | resolution_overdue_q()


def to_acknowledge() -> QuerySet[Complaint]:
    """The secretariat's queue of new complaints, the most pressing deadline first."""
    return (
        Complaint.objects.filter(status=ComplaintStatus.RECEIVED)
        .select_related("cab")
        .order_by("acknowledge_due_on", "received_at", "pk")
    )


def open_past_resolution() -> QuerySet[Complaint]:
    return Complaint.objects.filter(resolution_overdue_q()).select_related("cab").order_by("resolution_due_on", "pk")


def complaint_events(complaint: Complaint) -> QuerySet[AuditEvent]:
    """The complaint's audit history, newest first (in the order written: ``id``, not the chain's ``sequence``)."""
    return (
        AuditEvent.objects.filter(aggregate_type=complaint._meta.label_lower, aggregate_id=str(complaint.pk))
        .select_related("actor")
        .order_by("-id")
    )
