"""Readable names of the certification app's audit events (``core.audit_labels``), loaded in its ``ready``."""

from django.utils.translation import gettext_lazy as _

from core.audit_labels import register_event_labels

register_event_labels(
    {
        "accreditation_certificate.issued": _("Accreditation certificate issued"),
        "accreditation_certificate.rendered": _("Accreditation certificate PDF rendered"),
        "accreditation_certificate.render_failed": _("Accreditation certificate PDF failed"),
        "accreditation_certificate.retried": _("Accreditation certificate PDF retried"),
        "accreditation_certificate.superseded": _("Accreditation certificate superseded"),
        "certificate_upload.created": _("Certificate upload received"),
        "certificate_upload.finished": _("Certificate upload finished"),
        "certificate_upload.failed": _("Certificate upload failed"),
        "certificate_upload.interrupted": _("Certificate upload interrupted"),
        "certificate_upload.resumed": _("Certificate upload resumed"),
        "certificates.reported": _("Certificates reported"),
    }
)
