"""Writes to the registry of CB-issued certificates: applying validated rows, one form entry, re-evaluation.

``certificates_apply`` is the one path every channel ends in (file uploads, API batches, the web
form). It is set-based: the batch's existing entities, certificates and sites are read in one
query each, only what differs is written (``INSERT ... ON CONFLICT DO UPDATE`` through
``bulk_create(update_conflicts=True)``, so two uploads racing on one key cannot duplicate it), and
a status history row is added only when the status changed. Applying the same rows twice changes
nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.choices import CabKind
from accreditation.models import Cab, CabMembership
from accreditation.services.guards import acts_for_secretariat
from certification.accreditation_check import AccreditationChecker
from certification.choices import UploadFormat, UploadStatus
from certification.models import (
    CertificateSite,
    CertificateStatusChange,
    CertificateUpload,
    CertifiedEntity,
    IssuedCertificate,
)
from certification.rows import CertificateRow, RowError, validate_rows
from core.audit import audit_record
from core.errors import DomainError, NotPermitted
from core.models import User

#: Largest API batch (``CERTIFICATE-UPLOAD.md``).
MAX_API_BATCH = 1000

ENTITY_FIELDS = [
    "name",
    "english_name",
    "trading_name",
    "credit_code",
    "street",
    "city",
    "province",
    "postcode",
    "country",
]
CERTIFICATE_FIELDS = [
    "certificate_number",
    "entity_id",
    "certification_type",
    "standards",
    "sectors",
    "scope",
    "status",
    "original_issue_date",
    "issue_date",
    "expiry_date",
    "is_accredited",
    "not_accredited_reason",
    "not_accredited_detail",
    "accreditation_id",
]


def may_report_for(actor: User | None, cb: Cab) -> bool:
    """Members of the body and the secretariat report its certificates (``None`` is a job)."""
    if actor is None or acts_for_secretariat(actor):
        return True
    return CabMembership.objects.filter(cab=cb, user=actor).exists()


def require_reporter(actor: User | None, cb: Cab) -> None:
    if not may_report_for(actor, cb):
        raise NotPermitted(
            "outside_cab",
            _("Only members of {cab} and the secretariat may report its certificates.").format(cab=cb.name),
        )
    if cb.kind != CabKind.CERTIFICATION_BODY:
        raise DomainError(
            "not_certification_body",
            _("{cab} is not a certification body: it issues no certificates to report.").format(cab=cb.name),
        )


def _entity_values(row: CertificateRow) -> dict[str, Any]:
    return {
        "name": row.entity_name,
        "english_name": row.entity_english_name,
        "trading_name": row.entity_trading_name,
        "credit_code": row.credit_code,
        "street": row.street,
        "city": row.city,
        "province": row.province,
        "postcode": row.postcode,
        "country": row.country,
    }


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def write_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
) -> None:
    """Insert ``rows`` (values in ``fields`` order), updating on a conflict of ``unique_fields``.

    On PostgreSQL the rows are streamed with ``COPY`` into a temporary table and moved with one
    ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``: several times faster than a multi-row INSERT
    for thousands of rows. Elsewhere the ORM's ``bulk_create`` does the same.
    """
    if not rows:
        return
    if not copy_supported():
        objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        if unique_fields:
            model._default_manager.bulk_create(
                objects,
                batch_size=500,
                update_conflicts=True,
                unique_fields=list(unique_fields),
                update_fields=list(update_fields),
            )
        else:
            model._default_manager.bulk_create(objects, batch_size=500)
        return
    # Every identifier below comes from the model's metadata (or a random hex name), quoted:
    # no user input reaches the SQL text; the values travel through COPY.
    meta = model._meta

    def column(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, models.Field)
        return connection.ops.quote_name(field.column)

    names = ", ".join(column(name) for name in fields)
    table = connection.ops.quote_name(meta.db_table)
    scratch = connection.ops.quote_name(f"registry_{uuid.uuid4().hex}")
    json_positions = [index for index, name in enumerate(fields) if isinstance(meta.get_field(name), models.JSONField)]
    sql = f"INSERT INTO {table} ({names}) SELECT {names} FROM {scratch}"  # noqa: S608
    if unique_fields:
        conflict = ", ".join(column(name) for name in unique_fields)
        updates = ", ".join(f"{column(name)} = EXCLUDED.{column(name)}" for name in update_fields)
        sql += f" ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
        )
        with cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
            for row in rows:
                if json_positions:
                    row = list(row)
                    for index in json_positions:
                        row[index] = json.dumps(row[index], ensure_ascii=False)
                copy.write_row(row)
        cursor.execute(sql)
        cursor.execute(f"DROP TABLE {scratch}")


def _apply_entities(cb: Cab, rows: Sequence[CertificateRow]) -> dict[str, int]:
    """Insert or update the batch's entities; their ids by the CB's client id."""
    wanted = {row.entity_unique_id: tuple(_entity_values(row).values()) for row in rows}
    existing = {
        unique_id: (pk, tuple(values))
        for unique_id, pk, *values in CertifiedEntity.objects.filter(cb=cb, unique_id__in=list(wanted)).values_list(
            "unique_id", "pk", *ENTITY_FIELDS
        )
    }
    now = timezone.now()
    changed = [
        (cb.pk, unique_id, *values, now)
        for unique_id, values in wanted.items()
        if unique_id not in existing or existing[unique_id][1] != values
    ]
    write_rows(
        CertifiedEntity,
        ["cb_id", "unique_id", *ENTITY_FIELDS, "updated_at"],
        changed,
        unique_fields=["cb", "unique_id"],
        update_fields=[*ENTITY_FIELDS, "updated_at"],
    )
    ids = {unique_id: pk for unique_id, (pk, _values) in existing.items()}
    missing = [unique_id for unique_id in wanted if unique_id not in ids]
    if missing:
        ids.update(CertifiedEntity.objects.filter(cb=cb, unique_id__in=missing).values_list("unique_id", "pk"))
    return ids


@transaction.atomic
def certificates_apply(*, cb: Cab, rows: Sequence[CertificateRow], upload: CertificateUpload | None = None) -> int:
    """Insert or update (by cb + identity_number) entities, certificates, sites and status history.

    Set-based, idempotent (applying the same rows twice changes nothing the second time), in one
    transaction; evaluates each certificate's accreditation; returns the number of rows applied.
    A row whose identity number comes again later in ``rows`` is replaced by the later one.
    """
    if not rows:
        return 0
    by_identity = {row.identity_number: row for row in rows}
    batch = list(by_identity.values())
    entity_ids = _apply_entities(cb, batch)
    checker = AccreditationChecker.for_cb(cb)
    today = timezone.localdate()
    upload_id = upload.pk if upload is not None else None

    existing = {
        identity: (status, tuple(values), last_upload_id)
        for identity, status, last_upload_id, *values in IssuedCertificate.objects.filter(
            cb=cb, identity_number__in=list(by_identity)
        ).values_list("identity_number", "status", "last_upload_id", *CERTIFICATE_FIELDS)
    }
    to_write: list[tuple[Any, ...]] = []
    status_changed: dict[str, dt.date] = {}
    now = timezone.now()
    for row in batch:
        verdict = checker.evaluate(row.certification_type, row.standards, row.sectors, row.issue_date)
        values = (
            row.certificate_number,
            entity_ids[row.entity_unique_id],
            row.certification_type,
            row.standards,
            row.sectors,
            row.scope,
            row.status,
            row.original_issue_date,
            row.issue_date,
            row.expiry_date,
            verdict.is_accredited,
            verdict.reason,
            verdict.detail,
            verdict.accreditation_id,
        )
        current = existing.get(row.identity_number)
        if current is None:
            status_changed[row.identity_number] = row.issue_date
        elif current[0] != row.status:
            status_changed[row.identity_number] = today
        if current is not None and current[1] == values and upload_id in (None, current[2]):
            continue
        last_upload_id = upload_id if upload_id is not None else (current[2] if current else None)
        to_write.append((cb.pk, row.identity_number, *values, last_upload_id, now, now))
    write_rows(
        IssuedCertificate,
        ["cb_id", "identity_number", *CERTIFICATE_FIELDS, "last_upload_id", "created_at", "updated_at"],
        to_write,
        unique_fields=["cb", "identity_number"],
        update_fields=[*CERTIFICATE_FIELDS, "last_upload_id", "updated_at"],
    )
    certificate_ids = dict(
        IssuedCertificate.objects.filter(cb=cb, identity_number__in=list(by_identity)).values_list(
            "identity_number", "pk"
        )
    )
    write_rows(
        CertificateStatusChange,
        ["certificate_id", "status", "effective_on", "upload_id", "recorded_at"],
        [
            (certificate_ids[identity], by_identity[identity].status, effective_on, upload_id, now)
            for identity, effective_on in status_changed.items()
        ],
    )
    _replace_sites(batch, certificate_ids)
    return len(batch)


def _replace_sites(rows: Sequence[CertificateRow], certificate_ids: Mapping[str, int]) -> None:
    """Each certificate's sites become the row's, where they differ."""
    current: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for certificate_id, address, scope in CertificateSite.objects.filter(
        certificate_id__in=list(certificate_ids.values())
    ).values_list("certificate_id", "address", "scope"):
        current[certificate_id].append((address, scope))
    changed = {
        certificate_ids[row.identity_number]: row.sites
        for row in rows
        if row.sites is not None and current.get(certificate_ids[row.identity_number], []) != list(row.sites)
    }
    if not changed:
        return
    CertificateSite.objects.filter(certificate_id__in=list(changed)).delete()
    write_rows(
        CertificateSite,
        ["certificate_id", "address", "scope"],
        [(certificate_id, address, scope) for certificate_id, sites in changed.items() for address, scope in sites],
    )


def _record_upload(
    *, cb: Cab, actor: User, format: str, total: int, applied: int, errors: Sequence[RowError]
) -> CertificateUpload:
    now = timezone.now()
    upload = CertificateUpload.objects.create(
        cb=cb,
        format=format,
        status=UploadStatus.DONE_WITH_ERRORS if errors else UploadStatus.DONE,
        total_rows=total,
        processed_rows=total,
        applied_rows=applied,
        error_rows=len({error.row for error in errors}),
        uploaded_by=actor,
        started_at=now,
        finished_at=now,
    )
    return upload


@transaction.atomic
def certificates_report_batch(
    *, cb: Cab, actor: User, certificates: Sequence[Mapping[str, Any]], format: str = UploadFormat.API
) -> tuple[CertificateUpload, list[CertificateRow], list[RowError]]:
    """Validate and apply one batch (the API's, or the form's single row); the valid rows apply.

    Rows are numbered from 1 in the order given. An upload row records the batch and its errors.
    """
    require_reporter(actor, cb)
    if format == UploadFormat.API and len(certificates) > MAX_API_BATCH:
        raise DomainError(
            "batch_too_large",
            _("A batch holds at most {limit} certificates; this one has {count}.").format(
                limit=MAX_API_BATCH, count=len(certificates)
            ),
            detail={"limit": MAX_API_BATCH, "count": len(certificates)},
        )
    valid, errors = validate_rows(list(enumerate(certificates, start=1)))
    upload = _record_upload(cb=cb, actor=actor, format=format, total=len(certificates), applied=0, errors=errors)
    if errors:
        from certification.models import UploadRowError

        UploadRowError.objects.bulk_create(
            UploadRowError(
                upload=upload,
                row=error.row,
                identity_number=error.identity_number,
                field=error.field,
                value=error.value,
                code=error.code,
                message=error.message[:500],
            )
            for error in errors
        )
    applied = certificates_apply(cb=cb, rows=valid, upload=upload)
    upload.applied_rows = applied
    upload.save(update_fields=["applied_rows"])
    audit_record(
        instance=upload,
        event_type="certificates.reported",
        actor=actor,
        new_values={"format": format, "rows": len(certificates), "applied": applied, "refused": upload.error_rows},
        cab_id=cb.pk,
    )
    return upload, valid, errors


def certificate_save_one(
    *, cb: Cab, actor: User, values: Mapping[str, Any]
) -> tuple[IssuedCertificate | None, list[RowError]]:
    """The web form: one certificate, validated like any row; the certificate, or the row's errors."""
    with transaction.atomic():
        require_reporter(actor, cb)
        valid, errors = validate_rows([(1, values)])
        if errors:
            return None, errors
        _upload, _valid, _errors = certificates_report_batch(
            cb=cb, actor=actor, certificates=[values], format=UploadFormat.FORM
        )
        certificate = IssuedCertificate.objects.get(cb=cb, identity_number=valid[0].identity_number)
    return certificate, []


@transaction.atomic
def certificates_reevaluate(*, cb: Cab) -> int:
    """Check every certificate of ``cb`` against its accreditation history again; the number that changed.

    Run after the body's accreditation status or scope changed. Reads in bounded batches and writes
    only the certificates whose verdict changed.
    """
    checker = AccreditationChecker.for_cb(cb)
    changed: list[IssuedCertificate] = []
    rows = (
        IssuedCertificate.objects.filter(cb=cb)
        .only(
            "pk",
            "certification_type",
            "standards",
            "sectors",
            "issue_date",
            "is_accredited",
            "not_accredited_reason",
            "not_accredited_detail",
            "accreditation_id",
        )
        .order_by("pk")
    )
    total = 0
    for certificate in rows.iterator(chunk_size=5000):
        verdict = checker.evaluate(
            certificate.certification_type, certificate.standards, certificate.sectors, certificate.issue_date
        )
        new = (verdict.is_accredited, verdict.reason, verdict.detail, verdict.accreditation_id)
        old = (
            certificate.is_accredited,
            certificate.not_accredited_reason,
            certificate.not_accredited_detail,
            certificate.accreditation_id,
        )
        if new == old:
            continue
        (
            certificate.is_accredited,
            certificate.not_accredited_reason,
            certificate.not_accredited_detail,
            certificate.accreditation_id,
        ) = new
        changed.append(certificate)
        if len(changed) >= 5000:
            total += _save_verdicts(changed)
            changed = []
    total += _save_verdicts(changed)
    return total


def _save_verdicts(certificates: list[IssuedCertificate]) -> int:
    if certificates:
        IssuedCertificate.objects.bulk_update(
            certificates,
            ["is_accredited", "not_accredited_reason", "not_accredited_detail", "accreditation_id"],
            batch_size=1000,
        )
    return len(certificates)
