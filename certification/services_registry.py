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
    """Insert ``rows`` (values in ``fields`` order), updating on a conflict of ``unique_fields``."""
    if not rows:
        return
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
    batch = list({row.identity_number: row for row in rows}.values())
    checker = AccreditationChecker.for_cb(cb)
    verdicts = [checker.evaluate(row.certification_type, row.standards, row.sectors, row.issue_date) for row in batch]
    upload_id = upload.pk if upload is not None else None
    if copy_supported():
        _apply_staged(cb, batch, verdicts, upload_id)
    else:
        _apply_with_orm(cb, batch, verdicts, upload_id)
    return len(batch)


# --- PostgreSQL: the batch is staged with COPY and applied by four statements ---------------------------

STAGE_ENTITY_COLUMNS = ["unique_id", *ENTITY_FIELDS]
STAGE_CERTIFICATE_COLUMNS = [
    "identity_number",
    "certificate_number",
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
#: Compared to decide whether a stored certificate changed (everything a row sets, but the keys).
COMPARED_CERTIFICATE_COLUMNS = ["entity_id", *STAGE_CERTIFICATE_COLUMNS[1:]]


def _stage_values(row: CertificateRow, verdict: Any, position: int) -> tuple[Any, ...]:
    return (
        position,
        row.entity_unique_id,
        *_entity_values(row).values(),
        row.identity_number,
        row.certificate_number,
        row.certification_type,
        json.dumps(row.standards, ensure_ascii=False),
        json.dumps(row.sectors, ensure_ascii=False),
        row.scope,
        row.status,
        row.original_issue_date,
        row.issue_date,
        row.expiry_date,
        verdict.is_accredited,
        verdict.reason,
        verdict.detail,
        verdict.accreditation_id,
        None if row.sites is None else json.dumps([list(site) for site in row.sites], ensure_ascii=False),
    )


def _columns(prefix: str, names: Sequence[str]) -> str:
    return ", ".join(f"{prefix}{name}" for name in names)


_ENTITIES = CertifiedEntity._meta.db_table
_CERTIFICATES = IssuedCertificate._meta.db_table
_SITES = CertificateSite._meta.db_table
_HISTORY = CertificateStatusChange._meta.db_table
_CERTIFICATE_VALUES = STAGE_CERTIFICATE_COLUMNS[1:]

# The statements of ``_apply_staged``; ``{stage}`` is the temporary table's generated name. Every
# other identifier is a constant of this module: no input reaches the SQL text (values travel
# through COPY and query parameters).
STAGE_CREATE = f"""
    CREATE TEMPORARY TABLE {{stage}} ON COMMIT DROP AS
    SELECT 0 AS position, e.unique_id AS entity_unique_id, {_columns("e.", ENTITY_FIELDS)},
           c.identity_number, {_columns("c.", _CERTIFICATE_VALUES)}, NULL::jsonb AS sites
    FROM {_CERTIFICATES} c, {_ENTITIES} e WITH NO DATA"""  # noqa: S608
# Entities: the last row of the batch that names one gives its details; unchanged ones are not written.
STAGE_ENTITIES = f"""
    INSERT INTO {_ENTITIES} AS target (cb_id, unique_id, {_columns("", ENTITY_FIELDS)}, updated_at)
    SELECT DISTINCT ON (entity_unique_id) %(cb)s, entity_unique_id, {_columns("", ENTITY_FIELDS)}, %(now)s
    FROM {{stage}} ORDER BY entity_unique_id, position DESC
    ON CONFLICT (cb_id, unique_id) DO UPDATE
    SET {", ".join(f"{name} = EXCLUDED.{name}" for name in ENTITY_FIELDS)}, updated_at = EXCLUDED.updated_at
    WHERE ({_columns("target.", ENTITY_FIELDS)}) IS DISTINCT FROM ({_columns("EXCLUDED.", ENTITY_FIELDS)})"""  # noqa: S608
# Certificates, and a history entry where the status is new or changed: ``previous`` reads the
# statuses in the statement's snapshot, before ``written`` changes them. A certificate that did
# not change is not written (its ``last_upload`` stays the upload that last changed it).
STAGE_CERTIFICATES = f"""
    WITH previous AS (
        SELECT target.identity_number, target.status
        FROM {_CERTIFICATES} target
        JOIN {{stage}} stage ON target.cb_id = %(cb)s AND target.identity_number = stage.identity_number
    ), written AS (
        INSERT INTO {_CERTIFICATES} AS target
            (cb_id, identity_number, entity_id, {_columns("", _CERTIFICATE_VALUES)},
             last_upload_id, created_at, updated_at)
        SELECT %(cb)s, stage.identity_number, entity.id, {_columns("stage.", _CERTIFICATE_VALUES)},
               %(upload)s, %(now)s, %(now)s
        FROM {{stage}} stage
        JOIN {_ENTITIES} entity ON entity.cb_id = %(cb)s AND entity.unique_id = stage.entity_unique_id
        ON CONFLICT (cb_id, identity_number) DO UPDATE
        SET {", ".join(f"{name} = EXCLUDED.{name}" for name in COMPARED_CERTIFICATE_COLUMNS)},
            last_upload_id = COALESCE(EXCLUDED.last_upload_id, target.last_upload_id),
            updated_at = EXCLUDED.updated_at
        WHERE ({_columns("target.", COMPARED_CERTIFICATE_COLUMNS)})
              IS DISTINCT FROM ({_columns("EXCLUDED.", COMPARED_CERTIFICATE_COLUMNS)})
        RETURNING target.id, target.identity_number, target.status, target.issue_date
    )
    INSERT INTO {_HISTORY} (certificate_id, status, effective_on, upload_id, recorded_at)
    SELECT written.id, written.status,
           CASE WHEN previous.identity_number IS NULL THEN written.issue_date ELSE %(today)s END,
           %(upload)s, %(now)s
    FROM written LEFT JOIN previous ON previous.identity_number = written.identity_number
    WHERE previous.status IS DISTINCT FROM written.status"""  # noqa: S608
# Sites: replaced, in the row's order, where the row carried sites and they differ from those on record.
STAGE_SITES = f"""
    WITH wanted AS (
        SELECT target.id, stage.sites
        FROM {{stage}} stage
        JOIN {_CERTIFICATES} target ON target.cb_id = %(cb)s AND target.identity_number = stage.identity_number
        WHERE stage.sites IS NOT NULL
    ), recorded AS (
        SELECT site.certificate_id, jsonb_agg(jsonb_build_array(site.address, site.scope) ORDER BY site.id) AS sites
        FROM {_SITES} site JOIN wanted ON wanted.id = site.certificate_id
        GROUP BY site.certificate_id
    ), changed AS (
        SELECT wanted.id, wanted.sites
        FROM wanted LEFT JOIN recorded ON recorded.certificate_id = wanted.id
        WHERE COALESCE(recorded.sites, '[]'::jsonb) <> wanted.sites
    ), removed AS (
        DELETE FROM {_SITES} site USING changed WHERE site.certificate_id = changed.id
    )
    INSERT INTO {_SITES} (certificate_id, address, scope)
    SELECT changed.id, site.value ->> 0, site.value ->> 1
    FROM changed CROSS JOIN LATERAL jsonb_array_elements(changed.sites) WITH ORDINALITY AS site(value, n)
    ORDER BY changed.id, site.n"""  # noqa: S608


def _apply_staged(cb: Cab, batch: Sequence[CertificateRow], verdicts: Sequence[Any], upload_id: int | None) -> None:
    """The batch goes into a temporary table with COPY; three statements then write entities,
    certificates with their status history, and sites, each only where something differs
    (``IS DISTINCT FROM``), so applying the same rows again writes nothing.
    """
    stage = f"registry_stage_{uuid.uuid4().hex}"
    params = {"cb": cb.pk, "upload": upload_id, "now": timezone.now(), "today": timezone.localdate()}
    with connection.cursor() as cursor:
        cursor.execute(STAGE_CREATE.format(stage=stage))
        with cursor.copy(f"COPY {stage} FROM STDIN") as copy:
            for position, (row, verdict) in enumerate(zip(batch, verdicts, strict=True)):
                copy.write_row(_stage_values(row, verdict, position))
        for statement in (STAGE_ENTITIES, STAGE_CERTIFICATES, STAGE_SITES):
            cursor.execute(statement.format(stage=stage), params)
        cursor.execute(f"DROP TABLE {stage}")


# --- other databases (SQLite, the embedded default): the same through the ORM ---------------------------


def _apply_with_orm(cb: Cab, batch: Sequence[CertificateRow], verdicts: Sequence[Any], upload_id: int | None) -> None:
    """Reads the batch's stored rows, compares in Python and writes what differs (``write_rows``)."""
    by_identity = {row.identity_number: row for row in batch}
    entity_ids = _apply_entities(cb, batch)
    today = timezone.localdate()

    existing = {
        identity: (status, tuple(values), last_upload_id)
        for identity, status, last_upload_id, *values in IssuedCertificate.objects.filter(
            cb=cb, identity_number__in=list(by_identity)
        ).values_list("identity_number", "status", "last_upload_id", *CERTIFICATE_FIELDS)
    }
    to_write: list[tuple[Any, ...]] = []
    status_changed: dict[str, dt.date] = {}
    now = timezone.now()
    for row, verdict in zip(batch, verdicts, strict=True):
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
        if current is not None and current[1] == values:
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
