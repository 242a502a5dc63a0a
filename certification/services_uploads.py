"""Certificate uploads (``CERTIFICATE-UPLOAD.md``): a CB sends a spreadsheet, a task checks and applies it.

``upload_create`` checks the file as it arrives (size, type, encoding, columns: a file the portal
cannot read is refused and nothing is stored), keeps it under a generated name, and queues
``tasks_uploads.process_certificate_upload`` after commit. ``upload_process`` (the task's one
service) runs in steps that each commit, so the progress bar moves:

1. *validating*: every row is parsed and checked at once (``rows.validate_rows``); every problem
   becomes an ``UploadRowError``. The upload's earlier errors are deleted first, so a re-run never
   doubles them.
2. *applying*: the valid rows go to ``services_registry.certificates_apply`` in chunks of
   ``CHUNK_ROWS``, in row order; each chunk and the counters move together in one transaction.
3. *done* (every row applied) or *done with errors* (the valid rows applied, the listed rows
   not). An unexpected error stops it as *failed*, with a text that says up to which row the
   valid rows were applied. Applying is idempotent, so running the task again, or uploading the
   corrected file, is always safe.

**A worker that dies** (killed, out of memory, the machine restarted) can write nothing. The task
records a heartbeat as it claims the upload and with every chunk (``heartbeat_at``, committed with
the chunk and ``applied_through_row``, the last row it applied); an upload *validating* or
*applying* without progress for ``STALE_AFTER`` is *interrupted* (``uploads_interrupt_stale``, every
few minutes from beat, and ``upload_interrupt_if_stale`` when its page or API is read), which says
up to which row it applied. A member of the CB resumes it (``upload_resume``): queued again, it
checks every row again and applies those after ``applied_through_row``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accreditation.choices import CabKind
from accreditation.models import Cab
from accreditation.services.guards import require_transition
from accreditation.uploads import sanitised_label
from certification import services_registry
from certification.choices import UPLOAD_TRANSITIONS, UploadFormat, UploadStatus
from certification.models import CertificateUpload, UploadRowError
from certification.rows import CertificateRow, RowError, validate_rows
from certification.selectors_uploads import may_upload_for
from certification.upload_files import extension_of, inspect_upload, read_table
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
ERROR_BATCH = 5_000
#: Statuses in which the task has nothing left to do (a failed or interrupted upload waits to be resumed).
FINISHED_STATUSES = frozenset(
    {UploadStatus.DONE, UploadStatus.DONE_WITH_ERRORS, UploadStatus.FAILED, UploadStatus.INTERRUPTED}
)
#: Statuses in which a task works on the upload.
WORKING_STATUSES = frozenset({UploadStatus.VALIDATING, UploadStatus.APPLYING})
#: A working upload with no heartbeat for this long has lost its worker. A chunk commits every few
#: seconds and reading and checking 100,000 rows takes under a minute, so this is never a slow one.
STALE_AFTER = dt.timedelta(minutes=10)
#: Uploads that may be resumed: files (an API batch or a form entry is applied as it arrives).
RESUMABLE_FORMATS = frozenset({UploadFormat.CSV, UploadFormat.XLSX})


def require_may_upload(actor: User, cb: Cab) -> None:
    if cb.kind != CabKind.CERTIFICATION_BODY:
        raise NotPermitted(
            "not_certification_body",
            _("{cab} is not a certification body; only certification bodies report certificates.").format(cab=cb.name),
        )
    if not may_upload_for(actor, cb):
        raise NotPermitted(
            "not_cab_member",
            _("Only members of {cab} may upload its certificates.").format(cab=cb.name),
        )


def _audit(upload: CertificateUpload, event_type: str, actor: User | None, **kwargs: Any) -> None:
    audit_record(instance=upload, event_type=event_type, actor=actor, cab_id=upload.cb_id, **kwargs)


@transaction.atomic
def upload_create(*, cb: Cab, actor: User, file: UploadedFile) -> CertificateUpload:
    """Keep a CB's spreadsheet and queue its processing; a file the portal cannot read is refused."""
    require_may_upload(actor, cb)
    label = sanitised_label(file.name or "")
    table = inspect_upload(file, name=label, size=file.size)
    upload = CertificateUpload(
        cb=cb,
        format=table.format,
        original_name=label,
        encoding=table.encoding,
        status=UploadStatus.QUEUED,
        uploaded_by=actor,
    )
    # Only a generated name reaches the storage; the uploaded name is a label.
    upload.file.save(f"{uuid.uuid4().hex}.{table.format}", file, save=False)
    stored = upload.file.name
    try:
        upload.save()
    except Exception:
        upload.file.storage.delete(stored)
        raise
    _audit(
        upload,
        "certificate_upload.created",
        actor,
        new_values={"format": upload.format, "file": label, "encoding": upload.encoding, "size": file.size},
    )
    _enqueue_on_commit(upload.pk)
    return upload


@transaction.atomic
def upload_resume(*, upload: CertificateUpload, actor: User) -> CertificateUpload:
    """Queue an interrupted or failed upload again; it goes on after the last row it applied."""
    upload = CertificateUpload.objects.select_for_update().select_related("cb").get(pk=upload.pk)
    require_may_upload(actor, upload.cb)
    require_transition(UPLOAD_TRANSITIONS, upload.status, UploadStatus.QUEUED, UploadStatus)
    if upload.format not in RESUMABLE_FORMATS or not upload.file:
        raise StateConflict("upload_not_resumable", _("Only an uploaded file is resumed; send the rows again instead."))
    old_status = upload.status
    upload.status = UploadStatus.QUEUED
    upload.failure = ""
    upload.finished_at = None
    upload.heartbeat_at = timezone.now()
    upload.save(update_fields=["status", "failure", "finished_at", "heartbeat_at"])
    _audit(
        upload,
        "certificate_upload.resumed",
        actor,
        old_values={"status": old_status},
        new_values={"status": upload.status, "applied_through_row": upload.applied_through_row},
    )
    _enqueue_on_commit(upload.pk)
    return upload


def _enqueue_on_commit(upload_id: int) -> None:
    language = translation.get_language() or "zh-hans"
    transaction.on_commit(lambda: _enqueue(upload_id, language))


def _enqueue(upload_id: int, language: str) -> None:
    from certification.tasks_uploads import process_certificate_upload

    process_certificate_upload.delay(upload_id, language)


# --- the background work ----------------------------------------------------------------------------


def _move(upload_id: int, target: str, **values: Any) -> CertificateUpload:
    """Move the upload to ``target`` under a row lock (the transition table decides) and commit."""
    with transaction.atomic():
        upload = CertificateUpload.objects.select_for_update().get(pk=upload_id)
        require_transition(UPLOAD_TRANSITIONS, upload.status, target, UploadStatus)
        upload.status = target
        for name, value in values.items():
            setattr(upload, name, value)
        upload.save(update_fields=["status", *values])
        return upload


def _chunks(rows: Sequence[CertificateRow], size: int) -> Iterator[Sequence[CertificateRow]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _store_errors(upload: CertificateUpload, errors: Sequence[RowError]) -> None:
    with transaction.atomic():
        UploadRowError.objects.filter(upload=upload).delete()
        UploadRowError.objects.bulk_create(
            (
                UploadRowError(
                    upload=upload,
                    row=error.row,
                    identity_number=error.identity_number[:60],
                    field=error.field[:60],
                    value=error.value[:300],
                    code=error.code[:60],
                    message=error.message[:500],
                )
                for error in errors
            ),
            batch_size=ERROR_BATCH,
        )


def _claim(upload_id: int) -> CertificateUpload | None:
    """The upload to work on, moved to *validating*; None when there is nothing to do.

    A queued upload is claimed with a guarded move. One found *validating* or *applying* with a
    recent heartbeat is another worker's (a second message for it): left alone. One whose heartbeat
    is stale was left by a worker that stopped (the broker hands the task out again): it is worked
    on again, after the rows it applied, which is safe because errors are replaced and applying is
    idempotent. The applied rows and ``applied_through_row`` are kept: they committed together.
    """
    now = timezone.now()
    with transaction.atomic():
        upload = CertificateUpload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status in FINISHED_STATUSES:
            return None
        if upload.status in WORKING_STATUSES and not is_stale(upload, now):
            return None
        if upload.status == UploadStatus.QUEUED:
            require_transition(UPLOAD_TRANSITIONS, upload.status, UploadStatus.VALIDATING, UploadStatus)
            upload.status = UploadStatus.VALIDATING
        upload.started_at = upload.heartbeat_at = now
        upload.processed_rows = upload.error_rows = 0
        if not upload.applied_through_row:
            upload.applied_rows = 0
        upload.failure = ""
        upload.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "processed_rows",
                "applied_rows",
                "error_rows",
                "failure",
            ]
        )
        return upload


def _last_sign_of_life(upload: CertificateUpload) -> dt.datetime:
    return upload.heartbeat_at or upload.started_at or upload.created_at


def is_stale(upload: CertificateUpload, now: dt.datetime | None = None) -> bool:
    """Working, with no sign of life for ``STALE_AFTER``: its worker died."""
    now = now or timezone.now()
    return upload.status in WORKING_STATUSES and _last_sign_of_life(upload) < now - STALE_AFTER


def upload_process(*, upload_id: int) -> CertificateUpload | None:
    """Check and apply an upload's rows (the task's work); returns None when it was already done.

    Not one transaction on purpose: each step commits so the progress shows and a stop leaves a
    state the report describes exactly (see the module docstring).
    """
    upload = _claim(upload_id)
    if upload is None:
        return None
    resume_after = last_applied_row = upload.applied_through_row
    try:
        with upload.file.open("rb") as handle:
            data = handle.read()
        table = read_table(data, extension=extension_of(upload.file.name))
        rows = list(table.rows())
        valid, errors = validate_rows(rows)
        refused_rows = len({error.row for error in errors})
        # Sites for no certificate (an XLSX's sites sheet) are refused rows of that sheet.
        errors = [*errors, *table.problems]
        _store_errors(upload, errors)
        # Resumed: the rows up to ``resume_after`` were applied by the stopped run (and counted).
        pending = [row for row in valid if row.row > resume_after]
        CertificateUpload.objects.filter(pk=upload.pk).update(
            total_rows=len(rows),
            processed_rows=refused_rows + len(valid) - len(pending),
            error_rows=refused_rows + len(table.problems),
            heartbeat_at=timezone.now(),
        )
        if valid:
            if upload.status != UploadStatus.APPLYING:
                _move(upload.pk, UploadStatus.APPLYING)
            for chunk in _chunks(pending, CHUNK_ROWS):
                with transaction.atomic():
                    _commit_without_waiting_for_the_disk()
                    applied = services_registry.certificates_apply(cb=upload.cb, rows=chunk, upload=upload)
                    CertificateUpload.objects.filter(pk=upload.pk).update(
                        processed_rows=F("processed_rows") + len(chunk),
                        applied_rows=F("applied_rows") + applied,
                        applied_through_row=chunk[-1].row,
                        heartbeat_at=timezone.now(),
                    )
                last_applied_row = chunk[-1].row
        _merge_pending_index_entries()
        target = UploadStatus.DONE_WITH_ERRORS if errors else UploadStatus.DONE
        with transaction.atomic():
            upload = _move(upload.pk, target, finished_at=timezone.now())
            _audit(
                upload,
                "certificate_upload.finished",
                None,
                actor_label="certificate upload task",
                new_values=_counts(upload),
            )
        return upload
    except Exception as error:  # any stop must leave the upload marked, never "running"
        logger.exception("Certificate upload %s stopped", upload_id)
        return _fail(upload_id, error, last_applied_row)


def _commit_without_waiting_for_the_disk() -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL reaches the disk.

    Safe here: a crash can lose only the last chunks together with the counters that say they were
    applied (they commit in one transaction), and the task then applies the file again from the
    start, which is idempotent. It saves a disk flush per chunk (a third of a second per 100,000 rows).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


#: The GIN indexes of the lookup on the entities an upload adds to (migrations 0003 and 0007).
LOOKUP_GIN_INDEXES = ("certified_entity_name_bigrams", "certified_entity_english_name_trgm")


def _merge_pending_index_entries() -> None:
    """On PostgreSQL, merge the entries the upload queued in the lookup's GIN indexes (fast update).

    Every search reads a GIN index's queue of pending entries in full; left to autovacuum, the
    entries of a large upload slow the public lookup for a while (2 ms searches took 8 ms after
    100,000 rows). Merging them here costs tens of milliseconds.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for index in LOOKUP_GIN_INDEXES:
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
                "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
                [index],
            )


def _counts(upload: CertificateUpload) -> dict[str, Any]:
    return {
        "status": upload.status,
        "total_rows": upload.total_rows,
        "applied_rows": upload.applied_rows,
        "error_rows": upload.error_rows,
    }


def _fail(upload_id: int, error: Exception, last_applied_row: int) -> CertificateUpload:
    if isinstance(error, DomainError):
        reason = str(error.message)
    else:
        reason = str(_("An unexpected error stopped the processing ({kind}).").format(kind=type(error).__name__))
    if last_applied_row:
        applied = str(
            _(
                "The valid rows up to row {row} were applied; no row after it was applied. "
                "Uploading the file again is safe."
            ).format(row=last_applied_row)
        )
    else:
        applied = str(_("No row was applied. Uploading the file again is safe."))
    with transaction.atomic():
        upload = _move(upload_id, UploadStatus.FAILED, failure=f"{reason} {applied}", finished_at=timezone.now())
        _audit(
            upload,
            "certificate_upload.failed",
            None,
            actor_label="certificate upload task",
            reason=upload.failure,
            new_values=_counts(upload),
        )
    return upload


# --- a worker that died --------------------------------------------------------------------------


def upload_interrupt_if_stale(upload_id: int, *, now: dt.datetime | None = None) -> CertificateUpload | None:
    """Mark the upload *interrupted* when it is working with no heartbeat for ``STALE_AFTER``.

    Returns the interrupted upload, or None when it is not (finished, queued, or making progress).
    """
    now = now or timezone.now()
    with transaction.atomic():
        upload = CertificateUpload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or not is_stale(upload, now):
            return None
        last_seen = _last_sign_of_life(upload)
        if upload.applied_through_row:
            applied = _(
                "The valid rows up to row {row} were applied ({count} rows); no row after it was. "
                "Resume the upload to apply the rest."
            ).format(row=upload.applied_through_row, count=upload.applied_rows)
        else:
            applied = str(_("No row was applied. Resume the upload to apply its rows."))
        stopped = _("The processing was interrupted: it has shown no progress since {time}.").format(
            time=f"{timezone.localtime(last_seen):%Y-%m-%d %H:%M:%S}"
        )
        upload = _move(upload.pk, UploadStatus.INTERRUPTED, failure=f"{stopped} {applied}", finished_at=now)
        _audit(
            upload,
            "certificate_upload.interrupted",
            None,
            actor_label="certificate upload watchdog",
            reason=upload.failure,
            new_values={**_counts(upload), "applied_through_row": upload.applied_through_row},
        )
    logger.warning("Certificate upload %s interrupted: no progress since %s", upload.pk, last_seen)
    return upload


def uploads_interrupt_stale(*, now: dt.datetime | None = None) -> int:
    """Mark every working upload whose worker died as *interrupted*; how many were."""
    now = now or timezone.now()
    stale = (
        CertificateUpload.objects.filter(status__in=WORKING_STATUSES)
        .alias(last_seen=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_seen__lt=now - STALE_AFTER)
        .values_list("pk", flat=True)
    )
    return sum(upload_interrupt_if_stale(pk, now=now) is not None for pk in list(stale))


def progress_percent(upload: CertificateUpload) -> int:
    if upload.status in (UploadStatus.DONE, UploadStatus.DONE_WITH_ERRORS):
        return 100
    if not upload.total_rows:
        return 0
    return min(100, upload.processed_rows * 100 // upload.total_rows)
