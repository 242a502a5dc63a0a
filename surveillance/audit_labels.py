"""Readable names of the supervision app's audit events (``core.audit_labels``), loaded in its ``ready``."""

from django.utils.translation import gettext_lazy as _

from core.audit_labels import register_event_labels

register_event_labels(
    {
        "complaint.received": _("Complaint received"),
        "complaint.acknowledged": _("Complaint acknowledged"),
        "complaint.investigation_started": _("Complaint investigation started"),
        "complaint.resolved": _("Complaint resolved"),
        "complaint.special_assessment_opened": _("Special assessment opened from the complaint"),
        # Sanctions, withdrawal proposals, public notices and the dishonesty list.
        "sanction.decided": _("Sanction decided"),
        "sanction.lifted": _("Suspension lifted after rectification"),
        "sanction.ended": _("Sanction ended by a later sanction"),
        "withdrawal_proposal.opened": _("Withdrawal proposed: suspension past its maximum"),
        "withdrawal_proposal.withdrawn": _("Withdrawal proposal carried out"),
        "withdrawal_proposal.dismissed": _("Withdrawal proposal dismissed"),
        "notice.published": _("Public notice published"),
        "dishonesty.listed": _("Entered on the dishonesty list"),
        "dishonesty.removed": _("Removed from the dishonesty list (credit repair)"),
    }
)

register_event_labels(
    {
        "appeal.lodged": _("Appeal lodged"),
        "appeal.panel_assigned": _("Appeal panel assigned"),
        "appeal.decided": _("Appeal decided"),
        "appeal.withdrawn": _("Appeal withdrawn"),
        # A notification kind, not an event; labelled so lists that show kinds read well.
        "appeal.reconsider": _("Appeal upheld: decision to be reconsidered"),
        "supervision_draw.run": _("Supervision draw run"),
        "supervision_draw.published": _("Supervision draw published"),
        "supervision_draw.outcome_recorded": _("Inspection outcome recorded"),
        "surveillance.past_onsite_recorded": _("On-site assessment held before the portal recorded"),
    }
)
