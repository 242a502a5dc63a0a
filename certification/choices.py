"""Statuses and kinds of the certification app, each status with its table of allowed moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccreditationCertificateStatus(models.TextChoices):
    """An accreditation certificate: rendered by a task, then in force until a newer one replaces it."""

    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Rendering failed")
    SUPERSEDED = "superseded", _("Superseded")


_A = AccreditationCertificateStatus
ACCREDITATION_CERTIFICATE_TRANSITIONS: dict[str, set[str]] = {
    # A failed rendering is retried: it goes back to pending.
    _A.PENDING: {_A.READY, _A.FAILED},
    _A.FAILED: {_A.PENDING},
    _A.READY: {_A.SUPERSEDED},
    _A.SUPERSEDED: set(),
}


class IssueReason(models.TextChoices):
    """Why an accreditation certificate was issued."""

    GRANT = "grant", _("Initial accreditation")
    SCOPE_CHANGE = "scope_change", _("Change of scope")
    RENEWAL = "renewal", _("Renewal")
    REGISTER_CHANGE = "register_change", _("Change of the CAB's details")
    REISSUE = "reissue", _("Reissue")


class CertificationType(models.TextChoices):
    """What a certification body certifies (IAF CertSearch's certification type)."""

    MANAGEMENT_SYSTEM = "management_system", _("Management system")
    PRODUCT = "product", _("Product")
    SERVICE = "service", _("Service")
    PERSONS = "persons", _("Persons")


class CertificateStatus(models.TextChoices):
    """The status a certification body reports for a certificate it issued."""

    ACTIVE = "active", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    INACTIVE = "inactive", _("Inactive")
    DRAFT = "draft", _("Draft")


#: The Chinese words certification bodies write in their exports, and the status each means.
CHINESE_STATUS_WORDS: dict[str, str] = {
    "有效": CertificateStatus.ACTIVE,
    "暂停": CertificateStatus.SUSPENDED,
    "撤销": CertificateStatus.WITHDRAWN,
    "注销": CertificateStatus.CANCELLED,
    "过期": CertificateStatus.EXPIRED,
    "失效": CertificateStatus.INACTIVE,
}


class NotAccreditedReason(models.TextChoices):
    """Why a CB-issued certificate is not covered by the CB's accreditation."""

    NO_ACCREDITATION = "no_accreditation", _("The body held no accreditation for this type of certification")
    OUTSIDE_SCOPE = "outside_scope", _("Issued outside the accredited scope")
    DURING_SUSPENSION = "during_suspension", _("Issued during suspension")
    BEFORE_ACCREDITATION = "before_accreditation", _("Issued before the body was accredited")
    AFTER_ACCREDITATION = "after_accreditation", _("Issued after the accreditation ended")


class UploadFormat(models.TextChoices):
    CSV = "csv", _("CSV file")
    XLSX = "xlsx", _("Excel workbook")
    API = "api", _("API batch")
    FORM = "form", _("Web form")


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking rows")
    APPLYING = "applying", _("Applying")
    DONE = "done", _("Done")
    DONE_WITH_ERRORS = "done_with_errors", _("Done, some rows refused")
    FAILED = "failed", _("Failed")
    INTERRUPTED = "interrupted", _("Interrupted")


_U = UploadStatus
UPLOAD_TRANSITIONS: dict[str, set[str]] = {
    _U.QUEUED: {_U.VALIDATING, _U.FAILED},
    # Interrupted: the task showed no progress for too long, its worker died (``uploads_interrupt_stale``).
    _U.VALIDATING: {_U.APPLYING, _U.FAILED, _U.DONE_WITH_ERRORS, _U.INTERRUPTED},
    _U.APPLYING: {_U.DONE, _U.DONE_WITH_ERRORS, _U.FAILED, _U.INTERRUPTED},
    # Resumed by a member of the CB (``upload_resume``): queued again, it goes on after the last row applied.
    _U.FAILED: {_U.QUEUED},
    _U.INTERRUPTED: {_U.QUEUED},
    _U.DONE: set(),
    _U.DONE_WITH_ERRORS: set(),
}
