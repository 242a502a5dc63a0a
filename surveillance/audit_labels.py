"""Readable names of the supervision app's audit events (``core.audit_labels``), loaded in its ``ready``."""

from django.utils.translation import gettext_lazy as _

from core.audit_labels import register_event_labels

register_event_labels(
    {
        "complaint.received": _("Complaint received"),
        "complaint.acknowledged": _("Complaint acknowledged"),
        "complaint.investigation_started": _("Complaint investigation started"),
        "complaint.resolved": _("Complaint resolved"),
    }
)
