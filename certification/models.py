"""Accreditation certificates the portal issues, and the register of certificates CBs issue to organisations.

**Accreditation certificates.** A decision that grants, changes or renews an accreditation (the
``decision_recorded`` hook) issues a new certificate for it: a numbered row whose PDF a Celery task
renders, whose data the portal signs (Ed25519), and which supersedes the one before. The signed
data (``payload``) is kept as issued, so a superseded certificate still verifies.

**The registry of CB-issued certificates.** Certification bodies report every certificate they
issue (``CERTIFICATE-UPLOAD.md``): the certified entity, the certificate, its sites and standards,
and its status. Each status change is kept (``CertificateStatusChange``) so "was it valid on date
D?" has an answer. Each certificate is marked accredited or not, with the reason, from the CB's
accreditation history on its issue date. An upload records one file or batch and its outcome.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accreditation.models import Accreditation, Cab, Decision, Programme, ScopeVersion
from certification.choices import (
    AccreditationCertificateStatus,
    CertificateStatus,
    CertificationType,
    IssueReason,
    NotAccreditedReason,
    UploadFormat,
    UploadStatus,
)

# --- accreditation certificates -------------------------------------------------------------------


def certificate_pdf_path(instance: AccreditationCertificate, filename: str) -> str:
    return f"accreditation-certificates/{uuid.uuid4().hex}.pdf"


class AccreditationCertificate(models.Model):
    """One issue of an accreditation certificate: its number, dates, signed data and rendered PDF."""

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("accreditation")
    )
    number = models.CharField(_("certificate number"), max_length=60, unique=True)
    sequence = models.PositiveSmallIntegerField(_("issue number for this accreditation"))
    reason = models.CharField(_("reason for issue"), max_length=20, choices=IssueReason.choices)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("decision"),
    )
    scope_version = models.ForeignKey(
        ScopeVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("scope version annexed"),
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AccreditationCertificateStatus.choices,
        default=AccreditationCertificateStatus.PENDING,
    )
    payload = models.JSONField(_("signed data"), default=dict)
    signature = models.TextField(_("signature (base64)"), blank=True)
    key_id = models.CharField(_("signing key id"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=certificate_pdf_path, max_length=200, blank=True)
    content_hash = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    failure = models.TextField(_("why rendering failed"), blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["accreditation", "-sequence"]
        verbose_name = _("accreditation certificate")
        verbose_name_plural = _("accreditation certificates")
        constraints = [
            models.UniqueConstraint(fields=["accreditation", "sequence"], name="acc_certificate_unique_sequence"),
        ]

    def __str__(self) -> str:
        return self.number


# --- the registry of certificates issued by certification bodies ----------------------------------


class Standard(models.Model):
    """A standard or scheme certificates are issued against, and the programme that accredits it."""

    code = models.CharField(_("code"), max_length=60, unique=True, help_text=_("e.g. ISO 9001:2015"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    certification_type = models.CharField(_("certification type"), max_length=20, choices=CertificationType.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certification_standards",
        verbose_name=_("accrediting programme"),
    )
    aliases = models.JSONField(
        _("other spellings"), default=list, blank=True, help_text=_("e.g. GB/T 19001-2016 for ISO 9001:2015")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return self.code


class CertifiedEntity(models.Model):
    """An organisation a CB certified, as that CB reports it (keyed by the CB's own client id)."""

    cb = models.ForeignKey(
        Cab, on_delete=models.PROTECT, related_name="certified_entities", verbose_name=_("certification body")
    )
    unique_id = models.CharField(_("the CB's client id"), max_length=45)
    name = models.CharField(_("name"), max_length=300)
    english_name = models.CharField(_("English name"), max_length=300, blank=True)
    trading_name = models.CharField(_("trading name"), max_length=500, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True, db_index=True)
    street = models.CharField(_("street"), max_length=300)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN", help_text=_("ISO 3166 code"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["cb", "name"]
        verbose_name = _("certified entity")
        verbose_name_plural = _("certified entities")
        constraints = [models.UniqueConstraint(fields=["cb", "unique_id"], name="entity_unique_per_cb")]

    def __str__(self) -> str:
        return self.name


class CertificateUpload(models.Model):
    """One file, API batch or form entry a CB sent, and what became of each of its rows."""

    cb = models.ForeignKey(Cab, on_delete=models.PROTECT, related_name="uploads", verbose_name=_("certification body"))
    format = models.CharField(_("format"), max_length=10, choices=UploadFormat.choices)
    file = models.FileField(_("file"), upload_to="certificate-uploads/", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    encoding = models.CharField(_("encoding detected"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    applied_rows = models.PositiveIntegerField(_("rows applied"), default=0)
    error_rows = models.PositiveIntegerField(_("rows refused"), default=0)
    error_report = models.FileField(_("error report"), upload_to="certificate-uploads/errors/", blank=True)
    failure = models.TextField(_("why the upload failed"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    # The valid rows up to this row (of the file) are applied: it commits with each chunk, so a
    # resumed upload goes on after it, and a stopped one says how far it got.
    applied_through_row = models.PositiveIntegerField(_("applied up to row"), default=0)
    # The task's last sign of life (its claim, each chunk); a worker that died leaves it old.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate upload")
        verbose_name_plural = _("certificate uploads")

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.original_name or self.pk}"


class UploadRowError(models.Model):
    """One problem with one field of one row of an upload, in words a clerk understands."""

    upload = models.ForeignKey(CertificateUpload, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField(_("row"))
    identity_number = models.CharField(_("certification identity number"), max_length=60, blank=True)
    field = models.CharField(_("field"), max_length=60, blank=True)
    value = models.CharField(_("value"), max_length=300, blank=True)
    code = models.CharField(_("error code"), max_length=60)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        ordering = ["upload", "row", "pk"]
        verbose_name = _("upload error")
        verbose_name_plural = _("upload errors")

    def __str__(self) -> str:
        return f"{self.row}: {self.message}"


class IssuedCertificate(models.Model):
    """A certificate a certification body issued to an organisation, as the CB last reported it."""

    # No index of its own: the unique (cb, identity_number) and (cb, certificate_number) serve it.
    cb = models.ForeignKey(
        Cab,
        on_delete=models.PROTECT,
        related_name="issued_certificates",
        verbose_name=_("certification body"),
        db_index=False,
    )
    identity_number = models.CharField(_("certification identity number"), max_length=60)
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    # Indexed with the id, in that order (``issued_cert_entity_id_idx``), for the lookup's keyset pages.
    entity = models.ForeignKey(
        CertifiedEntity,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("certified entity"),
        db_index=False,
    )
    certification_type = models.CharField(_("certification type"), max_length=20, choices=CertificationType.choices)
    standards = models.JSONField(_("standards"), default=list)
    sectors = models.JSONField(_("technical sectors"), default=list, blank=True)
    scope = models.TextField(_("certification scope"), max_length=10000)
    status = models.CharField(_("status"), max_length=20, choices=CertificateStatus.choices)
    original_issue_date = models.DateField(_("original issue date"), null=True, blank=True)
    issue_date = models.DateField(_("date of issue"))
    expiry_date = models.DateField(_("expiry date"))
    is_accredited = models.BooleanField(_("accredited"))
    not_accredited_reason = models.CharField(
        _("why not accredited"), max_length=30, choices=NotAccreditedReason.choices, blank=True
    )
    not_accredited_detail = models.CharField(_("details"), max_length=500, blank=True)
    # No index of its own, like ``last_upload`` below: no query looks certificates up by either,
    # and neither an accreditation nor an upload is ever deleted (deleting one would check these
    # ten million rows without an index). Each index less is less to write per uploaded or expired row.
    accreditation = models.ForeignKey(
        Accreditation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_certificates",
        verbose_name=_("accreditation covering it"),
        db_index=False,
    )
    last_upload = models.ForeignKey(
        CertificateUpload,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by upload"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("first reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last reported"), auto_now=True)

    class Meta:
        ordering = ["cb", "certificate_number"]
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")
        constraints = [
            models.UniqueConstraint(fields=["cb", "identity_number"], name="issued_certificate_unique_identity"),
            models.CheckConstraint(
                condition=models.Q(expiry_date__gt=models.F("issue_date")), name="issued_certificate_dates"
            ),
        ]
        indexes = [
            models.Index(fields=["cb", "is_accredited"], name="issued_cert_cb_accredited_idx"),
            models.Index(fields=["status", "expiry_date"], name="issued_cert_status_expiry_idx"),
            models.Index(fields=["cb", "certificate_number"], name="issued_cert_cb_number_idx"),
            models.Index(fields=["entity", "id"], name="issued_cert_entity_id_idx"),
        ]

    def __str__(self) -> str:
        return self.certificate_number


class CertificateSite(models.Model):
    """A further site of a certificate, with its own scope."""

    certificate = models.ForeignKey(
        IssuedCertificate, on_delete=models.CASCADE, related_name="sites", verbose_name=_("certificate")
    )
    address = models.CharField(_("address"), max_length=500)
    scope = models.TextField(_("scope at this site"), blank=True, max_length=4000)

    class Meta:
        ordering = ["certificate", "pk"]
        verbose_name = _("certificate site")
        verbose_name_plural = _("certificate sites")

    def __str__(self) -> str:
        return self.address


class CertificateStatusChange(models.Model):
    """One status a certificate took and from when, as reported: the history that answers "valid on D?"."""

    certificate = models.ForeignKey(
        IssuedCertificate, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("certificate")
    )
    status = models.CharField(_("status"), max_length=20, choices=CertificateStatus.choices)
    effective_on = models.DateField(_("effective on"))
    upload = models.ForeignKey(
        CertificateUpload, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("upload")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["certificate", "effective_on", "pk"]
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status changes")

    def __str__(self) -> str:
        return f"{self.certificate} {self.status} {self.effective_on}"
