"""Every move of a complaint: receipt through the three channels, acknowledgement, investigation, resolution.

Each move is one transaction: the row is re-read under ``select_for_update``, the move checked
against ``COMPLAINT_TRANSITIONS``, the change saved and written to the audit trail; e-mails to the
complainant and the secretariat's notifications go out after commit. A second identical move (two
secretariat members pressing "acknowledge" at once) waits for the first and then gets a
``StateConflict`` that says the complaint is already in that state.

The audit trail is append-only and hash-chained, so it records the complaint's facts (kind,
channel, CAB, certificate number, status, outcome) but never the complainant's name, e-mail,
telephone or description: personal data must stay erasable in the complaint row itself.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus
from accreditation.choices_applications import ApplicationStatus, ApplicationType
from accreditation.models import Accreditation, Application, Cab, CabMembership
from accreditation.services.applications import add_working_days, application_open_by_body
from accreditation.services.guards import acts_for_secretariat, require_transition
from accreditation.uploads import check_upload
from assessors.choices import AssessmentKind
from assessors.models_teams import Assessment
from assessors.services_teams import assessment_create
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.roles import is_secretariat
from surveillance import notifications_complaints
from surveillance.choices import (
    COMPLAINT_TRANSITIONS,
    ComplaintChannel,
    ComplaintKind,
    ComplaintOutcome,
    ComplaintStatus,
)
from surveillance.models import Complaint, ComplaintAttachment

#: Accreditations a special assessment may look at: held ones, a suspended one included.
SPECIAL_ASSESSABLE = frozenset(
    {AccreditationStatus.ACCREDITED, AccreditationStatus.PARTIALLY_SUSPENDED, AccreditationStatus.SUSPENDED}
)

#: At most this many files per complaint.
MAX_ATTACHMENTS = 5
#: Letters and digits that cannot be mistaken for one another when read out or copied by hand
#: (no 0/O, 1/I/L): 31 symbols, so 8 of them give about 8.5 × 10^11 numbers per year.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_RANDOM_LENGTH = 8
TRACKING_PREFIX = "TS"
_TRACKING_ATTEMPTS = 10

#: Kinds that are about a body: the complainant must name it (picked from the register or typed).
KINDS_NAMING_A_BODY = frozenset({ComplaintKind.AGAINST_CAB, ComplaintKind.FALSE_CLAIM})
#: What the audit trail keeps of a complaint (no personal data, see the module docstring).
_AUDITED = ["tracking_number", "kind", "channel", "status", "certificate_number"]


# --- helpers ----------------------------------------------------------------------------------------


def new_tracking_number(today: dt.date | None = None) -> str:
    """``TS-<year>-`` and eight random symbols of ``TRACKING_ALPHABET`` (not a sequence: unguessable)."""
    year = (today or timezone.localdate()).year
    random_part = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_RANDOM_LENGTH))
    return f"{TRACKING_PREFIX}-{year}-{random_part}"


def normalise_tracking_number(text: str) -> str:
    """What a person typed, as stored: spaces dropped, upper case (the alphabet has no look-alikes)."""
    return "".join((text or "").split()).upper()


def acknowledge_working_days() -> int:
    return int(settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS)


def acknowledge_due_on(received: dt.date) -> dt.date:
    return add_working_days(received, acknowledge_working_days())


def resolution_due_on(received: dt.date) -> dt.date:
    return received + dt.timedelta(days=int(settings.COMPLAINT_RESOLUTION_DAYS))


def _audit_values(complaint: Complaint) -> dict[str, Any]:
    return {**{name: getattr(complaint, name) for name in _AUDITED}, "cab": complaint.cab_id}


def _audit(complaint: Complaint, event_type: str, actor: User | None, **kwargs: Any) -> None:
    audit_record(instance=complaint, event_type=event_type, actor=actor, cab_id=complaint.cab_id, **kwargs)


def _require_staff_actor(actor: User | None) -> None:
    """A recorded complaint names the staff member who took it down, so a job (``None``) cannot record one."""
    if actor is None or not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat may record a complaint received otherwise."))


def _require_secretariat(actor: User | None) -> None:
    if not acts_for_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat may handle complaints."))


def resolve_cab(text: str) -> Cab | None:
    """The register's CAB whose Chinese or English name or accreditation number is exactly ``text``."""
    text = (text or "").strip()
    if not text:
        return None
    matches = list(
        Cab.objects.filter(Q(name_zh=text) | Q(name_en__iexact=text) | Q(accreditations__number__iexact=text))
        .distinct()
        .order_by("pk")[:2]
    )
    # Two bodies answering to the same text: leave the choice to the secretariat.
    return matches[0] if len(matches) == 1 else None


def _check_attachments(attachments: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Every file checked before anything is stored: a refusal names the file it is about."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(
            "too_many_attachments",
            _("At most {count} files may be attached to a complaint.").format(count=MAX_ATTACHMENTS),
            detail={"attachments": len(attachments), "limit": MAX_ATTACHMENTS},
        )
    checked = []
    for upload in attachments:
        try:
            label, extension = check_upload(upload)
        except DomainError as error:
            raise DomainError(
                error.code,
                _("{name}: {problem}").format(name=(upload.name or "")[:100], problem=error.message),
                detail={"attachments": [str(error.message)], "file": upload.name, **(error.detail or {})},
            ) from error
        checked.append((upload, label, extension))
    return checked


def _store_attachment(complaint: Complaint, upload: UploadedFile, label: str, extension: str) -> ComplaintAttachment:
    attachment = ComplaintAttachment(complaint=complaint, original_name=label, size=upload.size or 0)
    # Only the extension of this name reaches the storage path (``complaint_attachment_path``).
    attachment.file.save(f"upload.{extension}", upload, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _invalid(detail: dict[str, list[str]]) -> DomainError:
    return DomainError("invalid", _("Some fields are invalid."), detail=detail)


# --- receipt ----------------------------------------------------------------------------------------


@transaction.atomic
def complaint_submit(
    *,
    channel: str,
    kind: str,
    subject: str,
    description: str,
    actor: User | None = None,
    cab: Cab | None = None,
    cab_name_given: str = "",
    certificate_number: str = "",
    complainant_name: str = "",
    complainant_organisation: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    language: str = "",
    attachments: Sequence[UploadedFile] = (),
    received_on: dt.date | None = None,
    admit: Callable[[], None] | None = None,
) -> Complaint:
    """Receive a complaint through ``channel``; returns it with its tracking number and due dates.

    - ``public``: anyone, no login. An e-mail address or a telephone number is required: the
      accreditation body must be able to acknowledge the complaint, ask for evidence and tell the
      outcome, and a complaint nobody can be asked about cannot be investigated fairly.
    - ``cab_user``: a member of a CAB (``actor``); their account is the way to reach them.
    - ``staff``: the secretariat records a complaint received by letter or telephone; the contact
      may be missing (an anonymous letter is still investigated). ``received_on`` is the day the
      letter or call came in, from which the deadlines run.

    The CAB complained about is ``cab`` when it was picked from the register; otherwise the typed
    name is kept in ``cab_name_given`` and resolved to a CAB when it names exactly one.

    ``admit`` is called once the submission is known to be valid, just before anything is stored:
    the public channel's abuse limit (``surveillance.abuse``) counts there and refuses past it, so a
    refused submission stores nothing and a mistyped one is not counted.
    """
    if channel not in ComplaintChannel.values:
        raise DomainError("invalid_channel", _("Unknown complaint channel."), detail={"channel": channel})
    if channel == ComplaintChannel.STAFF:
        _require_staff_actor(actor)
    elif channel == ComplaintChannel.CAB_USER and (
        actor is None or not CabMembership.objects.filter(user=actor).exists()
    ):
        raise NotPermitted("not_cab_user", _("Only a member of a CAB may submit a complaint as a CAB user."))
    if kind not in ComplaintKind.values:
        raise _invalid({"kind": [str(_("Choose what the complaint is about."))]})

    subject, description = _clean_text(subject), _clean_text(description)
    cab_name_given, certificate_number = _clean_text(cab_name_given), _clean_text(certificate_number)
    complainant_email, complainant_phone = _clean_text(complainant_email), _clean_text(complainant_phone)
    problems: dict[str, list[str]] = {}
    if not subject:
        problems["subject"] = [str(_("Give the complaint a subject."))]
    if not description:
        problems["description"] = [str(_("Describe what happened."))]
    if kind == ComplaintKind.FAKE_CERTIFICATE and not certificate_number:
        problems["certificate_number"] = [str(_("Give the number of the certificate you believe is fake."))]
    if kind == ComplaintKind.AGAINST_ACCREDITATION_BODY:
        cab, cab_name_given = None, ""
    elif kind in KINDS_NAMING_A_BODY and cab is None and not cab_name_given:
        problems["cab_name_given"] = [str(_("Name the body the complaint is about."))]
    if channel == ComplaintChannel.PUBLIC and not (complainant_email or complainant_phone):
        problems["complainant_email"] = [
            str(_("Give an e-mail address or a telephone number, so that we can answer you."))
        ]
    if problems:
        raise _invalid(problems)
    if cab is None and cab_name_given:
        cab = resolve_cab(cab_name_given)
    checked = _check_attachments(attachments)

    if received_on is not None and channel != ComplaintChannel.STAFF:
        raise _invalid({"received_on": [str(_("Only a complaint recorded by staff has a day of receipt."))]})
    now = timezone.now()
    received = received_on or timezone.localdate(now)
    if received > timezone.localdate(now):
        raise _invalid({"received_on": [str(_("The day of receipt cannot be in the future."))]})
    complaint = Complaint(
        kind=kind,
        channel=channel,
        cab=cab,
        cab_name_given=cab_name_given,
        certificate_number=certificate_number,
        subject=subject,
        description=description,
        complainant_name=_clean_text(complainant_name),
        complainant_organisation=_clean_text(complainant_organisation),
        complainant_email=complainant_email,
        complainant_phone=complainant_phone,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        submitted_by=actor,
        acknowledge_due_on=acknowledge_due_on(received),
        resolution_due_on=resolution_due_on(received),
    )
    # A recorded letter or call counts from its day (at noon: the hour is not known).
    complaint.received_at = (
        now if received_on is None else timezone.make_aware(dt.datetime.combine(received_on, dt.time(12)))
    )
    _validate_lengths(complaint)
    if admit is not None:
        admit()
    _insert_with_tracking_number(complaint)
    for upload, label, extension in checked:
        _store_attachment(complaint, upload, label, extension)
    _audit(
        complaint,
        "complaint.received",
        actor,
        actor_label="" if actor is not None else "public",
        new_values={**_audit_values(complaint), "attachments": len(checked)},
    )
    notifications_complaints.notify_received(complaint, actor)
    return complaint


def _validate_lengths(complaint: Complaint) -> None:
    """The model's own limits (length, e-mail shape) as one ``invalid`` refusal."""
    from django.core.exceptions import ValidationError

    try:
        complaint.full_clean(exclude=["tracking_number", "cab", "submitted_by", "handler"], validate_unique=False)
    except ValidationError as exc:
        raise _invalid({field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}) from exc


def _insert_with_tracking_number(complaint: Complaint) -> None:
    """Save with a fresh random number; a collision (one in about 10^11) draws again."""
    for _attempt in range(_TRACKING_ATTEMPTS):
        complaint.tracking_number = new_tracking_number(timezone.localdate(complaint.received_at))
        if Complaint.objects.filter(tracking_number=complaint.tracking_number).exists():
            continue
        try:
            with transaction.atomic():
                complaint.save(force_insert=True)
        except IntegrityError:
            # Another complaint took the same number between the check and the insert.
            complaint.pk = None
            continue
        return
    raise StateConflict("tracking_number_exhausted", _("No free tracking number was found; try again."))


# --- the secretariat's moves ----------------------------------------------------------------------------


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


_ALREADY = {
    ComplaintStatus.ACKNOWLEDGED: ("already_acknowledged", _("This complaint is already acknowledged.")),
    ComplaintStatus.INVESTIGATING: ("already_investigating", _("This complaint is already under investigation.")),
    ComplaintStatus.RESOLVED: ("already_resolved", _("This complaint is already resolved.")),
}


def _move(complaint: Complaint, target: ComplaintStatus) -> None:
    """Refuse a move the table does not allow; the same move made twice says so plainly."""
    if complaint.status == target and target in _ALREADY:
        code, message = _ALREADY[target]
        raise StateConflict(code, message, detail={"status": complaint.status})
    require_transition(COMPLAINT_TRANSITIONS, complaint.status, target, ComplaintStatus)


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, actor: User | None, note: str = "") -> Complaint:
    """The secretariat confirms receipt and takes the complaint on (it becomes the handler)."""
    _require_secretariat(actor)
    complaint = _locked(complaint)
    _move(complaint, ComplaintStatus.ACKNOWLEDGED)
    old = {"status": complaint.status}
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at = timezone.now()
    if actor is not None:
        complaint.handler = actor
    complaint.save(update_fields=["status", "acknowledged_at", "handler"])
    _audit(
        complaint,
        "complaint.acknowledged",
        actor,
        reason=_clean_text(note),
        old_values=old,
        new_values={"status": complaint.status, "handler": complaint.handler_id},
    )
    notifications_complaints.email_complainant(complaint, "acknowledged")
    return complaint


@transaction.atomic
def complaint_start_investigation(*, complaint: Complaint, actor: User | None, note: str = "") -> Complaint:
    """An acknowledged complaint needs looking into (evidence from the CAB, a visit)."""
    _require_secretariat(actor)
    complaint = _locked(complaint)
    _move(complaint, ComplaintStatus.INVESTIGATING)
    old = {"status": complaint.status}
    complaint.status = ComplaintStatus.INVESTIGATING
    complaint.save(update_fields=["status"])
    _audit(
        complaint,
        "complaint.investigation_started",
        actor,
        reason=_clean_text(note),
        old_values=old,
        new_values={"status": complaint.status},
    )
    return complaint


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: User | None, outcome: str, outcome_summary: str) -> Complaint:
    """Close the complaint with its outcome; the summary is what the complainant and the status page see."""
    _require_secretariat(actor)
    outcome_summary = _clean_text(outcome_summary)
    problems: dict[str, list[str]] = {}
    if outcome not in ComplaintOutcome.values:
        problems["outcome"] = [str(_("Choose the outcome."))]
    if not outcome_summary:
        problems["outcome_summary"] = [str(_("Summarise the outcome for the complainant."))]
    if problems:
        raise _invalid(problems)
    complaint = _locked(complaint)
    _move(complaint, ComplaintStatus.RESOLVED)
    old = {"status": complaint.status, "outcome": complaint.outcome}
    complaint.status = ComplaintStatus.RESOLVED
    complaint.outcome = outcome
    complaint.outcome_summary = outcome_summary
    complaint.resolved_at = timezone.now()
    complaint.save(update_fields=["status", "outcome", "outcome_summary", "resolved_at"])
    _audit(
        complaint,
        "complaint.resolved",
        actor,
        reason=outcome_summary,
        old_values=old,
        new_values={"status": complaint.status, "outcome": complaint.outcome},
    )
    notifications_complaints.email_complainant(complaint, "resolved")
    return complaint


# --- a special assessment from the investigation --------------------------------------------------------


def special_assessment_marker(complaint: Complaint) -> str:
    """How a special assessment's application names its complaint, at the start of its note.

    The application has no field for it (the register may not know the supervision app) and the
    complaint none for its assessments; the note carries the link, the complaint's audit event
    (``complaint.special_assessment_opened``) records it, and ``special_assessments_of`` reads it.
    """
    return f"[{complaint.tracking_number}]"


def special_assessments_of(complaint: Complaint) -> QuerySet[Application]:
    return Application.objects.filter(
        type=ApplicationType.SPECIAL,
        cab_id=complaint.cab_id or 0,
        note__startswith=special_assessment_marker(complaint),
    ).order_by("pk")


@transaction.atomic
def complaint_open_special_assessment(
    *,
    complaint: Complaint,
    actor: User | None,
    accreditation: Accreditation | None = None,
    planned_start: dt.date,
    planned_end: dt.date,
    kind: str = AssessmentKind.ON_SITE,
    note: str = "",
) -> Assessment:
    """Open a special assessment of the complained-about CAB's accreditation while the complaint is investigated.

    ``accreditation`` may be left out when the CAB holds exactly one. One open special assessment
    per complaint and accreditation: a second one is refused while the first is undecided.
    """
    _require_secretariat(actor)
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.INVESTIGATING:
        raise StateConflict(
            "complaint_not_investigating",
            _("A special assessment is opened from a complaint under investigation; this one is {status}.").format(
                status=complaint.get_status_display()
            ),
            detail={"status": complaint.status},
        )
    if complaint.cab_id is None:
        raise StateConflict("complaint_without_cab", _("This complaint names no accredited body to assess."))
    held = Accreditation.objects.filter(cab_id=complaint.cab_id, status__in=sorted(SPECIAL_ASSESSABLE)).order_by("pk")
    if accreditation is None:
        candidates = list(held[:2])
        if len(candidates) != 1:
            raise DomainError(
                "accreditation_required",
                _("Choose which accreditation of the body to assess.")
                if candidates
                else _("The body holds no accreditation that can be assessed."),
                detail={"accreditation": [str(_("Choose an accreditation."))]},
            )
        accreditation = candidates[0]
    elif not held.filter(pk=accreditation.pk).exists():
        raise DomainError(
            "accreditation_not_of_cab",
            _("Choose an accreditation the body holds."),
            detail={"accreditation": [str(_("Choose an accreditation the body holds."))]},
        )
    marker = special_assessment_marker(complaint)
    if (
        special_assessments_of(complaint)
        .filter(accreditation=accreditation, status=ApplicationStatus.ACCEPTED)
        .exists()
    ):
        raise StateConflict(
            "special_assessment_open",
            _("A special assessment of this accreditation from this complaint is already under way."),
        )
    text = _clean_text(note)
    application = application_open_by_body(
        accreditation=accreditation,
        type=ApplicationType.SPECIAL,
        actor=actor,
        note=f"{marker} {text}".strip() or marker,
    )
    assessment = assessment_create(
        application=application, actor=actor, kind=kind, planned_start=planned_start, planned_end=planned_end
    )
    _audit(
        complaint,
        "complaint.special_assessment_opened",
        actor,
        reason=text,
        new_values={
            "application": application.pk,
            "reference": application.reference,
            "accreditation": accreditation.pk,
            "assessment": assessment.pk,
            "planned_start": planned_start,
            "planned_end": planned_end,
        },
    )
    return assessment
