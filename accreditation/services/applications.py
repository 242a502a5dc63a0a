"""Applications of CABs and the secretariat's acceptance review (``APPLICATION_TRANSITIONS``).

CAB members (any member of the applying CAB, not only its admins) create, edit, submit and
withdraw; the secretariat accepts, returns or refuses a submitted application. Each move locks
the application row (``select_for_update``) and checks its status under the lock, so of two
reviewers acting at once exactly one move applies and the other gets ``illegal_status_change``.

An initial application carries no accreditation until it is accepted: acceptance opens the
applicant accreditation through ``accreditation_open`` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.choices import AccreditationStatus, CabKind, ScopeItemStatus
from accreditation.choices_applications import (
    APPLICATION_TRANSITIONS,
    BODY_INITIATED_TYPES,
    EDITABLE_STATUSES,
    REQUIRED_DOCUMENTS,
    SCOPE_ACTIONS,
    ApplicationStatus,
    ApplicationType,
    ChangeKind,
    DocumentKind,
    ScopeAction,
    checklist_for,
)
from accreditation.models import (
    Accreditation,
    Application,
    ApplicationDocument,
    ApplicationScopeItem,
    Cab,
    CabMembership,
    Holiday,
    Programme,
    ScopeItem,
)
from accreditation.notifications import notify_application_reviewed, notify_application_submitted
from accreditation.scope_shapes import MAX_TEXT_LENGTH, clean_attributes
from accreditation.services.accreditations import accreditation_open
from accreditation.services.guards import require_secretariat, require_transition
from accreditation.uploads import check_upload
from accreditation.validators import credit_code_problem, normalise_credit_code
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User

#: Accreditation statuses under which a CAB may ask to extend, reduce, renew or change.
_HELD_STATUSES = frozenset(
    {AccreditationStatus.ACCREDITED, AccreditationStatus.SUSPENDED, AccreditationStatus.PARTIALLY_SUSPENDED}
)
_OPEN_STATUSES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED})

#: The fields of the proposed new values, per change kind. The first field of each is required;
#: the list kinds (people, sites) take one entry per line.
CHANGE_FIELDS: dict[str, tuple[tuple[str, Any], ...]] = {
    ChangeKind.NAME: (("name_zh", _("New name (Chinese)")), ("name_en", _("New name (English)"))),
    ChangeKind.ADDRESS: (("address_zh", _("New address (Chinese)")), ("address_en", _("New address (English)"))),
    ChangeKind.LEGAL_ENTITY: (
        ("name_zh", _("New legal entity (Chinese name)")),
        ("credit_code", _("Its unified social credit code")),
    ),
    ChangeKind.KEY_PERSONNEL: (("people", _("Key personnel, one per line: name, role")),),
    ChangeKind.AUTHORISED_SIGNATORIES: (("people", _("Authorised signatories, one per line: name, scope signed")),),
    ChangeKind.SITES: (("sites", _("Sites, one per line: name, address")),),
}


# --- Working days -------------------------------------------------------------------------------


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start``: weekdays that are not a ``Holiday``."""
    horizon = start + dt.timedelta(days=days * 2 + 60)
    holidays = set(Holiday.objects.filter(date__gt=start, date__lte=horizon).values_list("date", flat=True))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


# --- Guards -------------------------------------------------------------------------------------


def _require_member(actor: User, cab: Cab) -> None:
    if not CabMembership.objects.filter(cab=cab, user=actor).exists():
        raise NotPermitted(
            "not_cab_member",
            _("Only members of {cab} may prepare its applications.").format(cab=cab.name),
        )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("programme", "cab").get(pk=application.pk)


def _locked_editable(application: Application, actor: User) -> Application:
    _require_member(actor, application.cab)
    application = _locked(application)
    if application.status not in EDITABLE_STATUSES:
        raise StateConflict(
            "not_editable",
            _("The application is {status}; it can no longer be edited.").format(
                status=application.get_status_display()
            ),
            detail={"status": application.status},
        )
    return application


def _audit(application: Application, event_type: str, actor: User | None, **kwargs: Any) -> None:
    audit_record(instance=application, event_type=event_type, actor=actor, cab_id=application.cab_id, **kwargs)


# --- Change details -----------------------------------------------------------------------------


def clean_changes(change_kinds: Collection[str], proposed: Mapping[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Validated change kinds and their proposed values; raises ``DomainError`` listing every problem."""
    errors: dict[str, str] = {}
    kinds = [kind for kind in ChangeKind.values if kind in set(change_kinds)]
    for kind in sorted(set(change_kinds) - set(ChangeKind.values)):
        errors[str(kind)] = str(_("“{kind}” is not a kind of change.").format(kind=kind))
    for kind in sorted(set(proposed) - set(kinds)):
        errors[str(kind)] = str(_("Values are given for a change that is not ticked."))
    cleaned: dict[str, dict[str, str]] = {}
    for kind in kinds:
        given = proposed.get(kind) or {}
        if not isinstance(given, Mapping):
            errors[kind] = str(_("Give the new values as fields."))
            continue
        names = [name for name, _label in CHANGE_FIELDS[kind]]
        for name in sorted(set(given) - set(names)):
            errors[f"{kind}.{name}"] = str(_("This change has no field named “{name}”.").format(name=name))
        values: dict[str, str] = {}
        for index, name in enumerate(names):
            raw = given.get(name, "")
            if not isinstance(raw, str):
                errors[f"{kind}.{name}"] = str(_("Give a text."))
                continue
            value = raw.strip()
            if index == 0 and not value:
                errors[f"{kind}.{name}"] = str(_("This field is required."))
            elif len(value) > MAX_TEXT_LENGTH:
                errors[f"{kind}.{name}"] = str(_("At most {limit} characters.").format(limit=MAX_TEXT_LENGTH))
            elif name == "credit_code" and value:
                value = normalise_credit_code(value)
                problem = credit_code_problem(value)
                if problem:
                    errors[f"{kind}.{name}"] = problem
            if value:
                values[name] = value
        cleaned[kind] = values
    if errors:
        raise DomainError("invalid_changes", _("The details of the change are invalid."), detail=errors)
    return kinds, cleaned


# --- The CAB's moves ----------------------------------------------------------------------------


def _live_accreditation(cab: Cab, programme: Programme) -> Accreditation | None:
    return Accreditation.objects.filter(cab=cab, programme=programme, status__in=_HELD_STATUSES).first()


@transaction.atomic
def application_create(
    *,
    cab: Cab,
    programme: Programme,
    type: str,
    actor: User,
    note: str = "",
    change_kinds: Collection[str] = (),
    proposed_changes: Mapping[str, Any] | None = None,
) -> Application:
    """A draft application of ``cab`` under ``programme``; only the CAB's members may start one."""
    _require_member(actor, cab)
    if type not in ApplicationType.values:
        raise DomainError("invalid_type", _("“{type}” is not a type of application.").format(type=type))
    if type in BODY_INITIATED_TYPES:
        raise DomainError(
            "body_initiated_type",
            _("Surveillance and special assessments are opened by the accreditation body, not applied for."),
        )
    accreditation: Accreditation | None = None
    if type == ApplicationType.INITIAL:
        if not programme.is_active:
            raise DomainError(
                "programme_closed", _("{programme} is not open for applications.").format(programme=programme.name)
            )
        if (
            Accreditation.objects.filter(cab=cab, programme=programme)
            .exclude(
                status__in=[AccreditationStatus.WITHDRAWN, AccreditationStatus.CANCELLED, AccreditationStatus.EXPIRED]
            )
            .exists()
        ):
            raise StateConflict(
                "accreditation_exists",
                _("{cab} already holds or applies for an accreditation under {programme}.").format(
                    cab=cab.name, programme=programme.name
                ),
            )
        if Application.objects.filter(
            cab=cab, programme=programme, type=ApplicationType.INITIAL, status__in=_OPEN_STATUSES
        ).exists():
            raise StateConflict(
                "application_open",
                _("{cab} already has an open initial application under {programme}.").format(
                    cab=cab.name, programme=programme.name
                ),
            )
    else:
        accreditation = _live_accreditation(cab, programme)
        if accreditation is None:
            raise StateConflict(
                "not_accredited",
                _("{cab} holds no accreditation under {programme}: apply for initial accreditation.").format(
                    cab=cab.name, programme=programme.name
                ),
            )
    if type == ApplicationType.CHANGE:
        kinds, changes = clean_changes(change_kinds, proposed_changes or {})
    elif change_kinds or proposed_changes:
        raise DomainError("changes_not_applicable", _("Only a change notification lists changes."))
    else:
        kinds, changes = [], {}
    application = Application.objects.create(
        cab=cab,
        programme=programme,
        accreditation=accreditation,
        type=type,
        note=note.strip(),
        change_kinds=kinds,
        proposed_changes=changes,
        created_by=actor,
    )
    application.reference = f"APP-{application.created_at:%Y}-{application.pk:06d}"
    application.save(update_fields=["reference"])
    _audit(
        application,
        "application.created",
        actor,
        new_values={"reference": application.reference, "programme": programme.code, "type": type},
    )
    return application


#: Accreditations the body may assess on its own initiative (a special assessment may look at a
#: suspended body too; the surveillance planner keeps to live ones, see ``surveillance.jobs_planner``).
_ASSESSABLE_STATUSES = _HELD_STATUSES


@transaction.atomic
def application_open_by_body(
    *, accreditation: Accreditation, type: str, actor: User | None, note: str = ""
) -> Application:
    """A surveillance or special assessment of ``accreditation``, opened by the secretariat (or a
    scheduled job, ``actor=None``): accepted from the start, listing the current published scope
    (withdrawn items aside) as ``keep`` lines for the assessors to cover. Nothing in the scope
    changes when it is decided (``decision_record``).
    """
    require_secretariat(actor)
    if type not in BODY_INITIATED_TYPES:
        raise DomainError(
            "invalid_type", _("Only a surveillance or a special assessment is opened by the accreditation body.")
        )
    accreditation = (
        Accreditation.objects.select_for_update().select_related("cab", "programme").get(pk=accreditation.pk)
    )
    if accreditation.status not in _ASSESSABLE_STATUSES:
        raise StateConflict(
            "accreditation_not_held",
            _("{accreditation} is {status}; only a held accreditation is assessed.").format(
                accreditation=accreditation, status=accreditation.get_status_display()
            ),
            detail={"status": accreditation.status},
        )
    current = accreditation.current_scope
    scope = list(current.items.exclude(status=ScopeItemStatus.WITHDRAWN).order_by("position", "pk")) if current else []
    if not scope:
        raise StateConflict(
            "no_current_scope",
            _("{accreditation} has no published scope to assess.").format(accreditation=accreditation),
        )
    now = timezone.now()
    application = Application.objects.create(
        cab=accreditation.cab,
        programme=accreditation.programme,
        accreditation=accreditation,
        type=type,
        status=ApplicationStatus.ACCEPTED,
        note=note.strip(),
        created_by=actor,
        status_changed_at=now,
        # In the secretariat's hands from the start: staff see it like any submitted application.
        submitted_at=now,
        first_submitted_at=now,
        reviewed_by=actor,
        reviewed_at=now,
    )
    application.reference = f"APP-{application.created_at:%Y}-{application.pk:06d}"
    application.save(update_fields=["reference"])
    ApplicationScopeItem.objects.bulk_create(
        ApplicationScopeItem(
            application=application,
            action=ScopeAction.KEEP,
            key=item.key,
            attributes=dict(item.attributes),
            position=position,
        )
        for position, item in enumerate(scope, start=1)
    )
    _audit(
        application,
        "application.opened_by_body",
        actor,
        reason=note.strip(),
        new_values={
            "reference": application.reference,
            "programme": accreditation.programme.code,
            "type": type,
            "status": application.status,
            "accreditation": accreditation.pk,
            "items": len(scope),
        },
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    actor: User,
    note: str | None = None,
    change_kinds: Collection[str] | None = None,
    proposed_changes: Mapping[str, Any] | None = None,
) -> Application:
    """Edit a draft (or returned) application's note and, for a change notification, its changes."""
    application = _locked_editable(application, actor)
    old: dict[str, Any] = {}
    if note is not None and note.strip() != application.note:
        old["note"] = application.note
        application.note = note.strip()
    if change_kinds is not None or proposed_changes is not None:
        if application.type != ApplicationType.CHANGE:
            raise DomainError("changes_not_applicable", _("Only a change notification lists changes."))
        kinds, changes = clean_changes(
            application.change_kinds if change_kinds is None else change_kinds,
            application.proposed_changes if proposed_changes is None else proposed_changes,
        )
        if kinds != application.change_kinds or changes != application.proposed_changes:
            old["change_kinds"], old["proposed_changes"] = application.change_kinds, application.proposed_changes
            application.change_kinds, application.proposed_changes = kinds, changes
    if old:
        application.save(update_fields=[name for name in ("note", "change_kinds", "proposed_changes") if name in old])
        _audit(
            application,
            "application.updated",
            actor,
            old_values=old,
            new_values={name: getattr(application, name) for name in old},
        )
    return application


def _current_item(application: Application, key: str) -> ScopeItem:
    accreditation = application.accreditation
    current = accreditation.current_scope if accreditation else None
    item = (
        current.items.exclude(status=ScopeItemStatus.WITHDRAWN).filter(key=key).first() if current is not None else None
    )
    if item is None:
        raise DomainError(
            "unknown_scope_item",
            _("The current published scope has no item with this key."),
            detail={"key": str(key)},
        )
    return item


@transaction.atomic
def application_add_item(
    *,
    application: Application,
    actor: User,
    attributes: Mapping[str, Any] | None = None,
    key: str | None = None,
) -> ApplicationScopeItem:
    """Add a line to the applied scope.

    With ``attributes``: a new item (initial, extension, renewal). With ``key``: an item of the
    current published scope, to remove (reduction) or to keep (renewal).
    """
    application = _locked_editable(application, actor)
    allowed = SCOPE_ACTIONS[application.type]
    if not allowed:
        raise DomainError("items_not_applicable", _("A change notification has no scope items."))
    if key is not None:
        action = ScopeAction.REMOVE if application.type == ApplicationType.REDUCTION else ScopeAction.KEEP
        if action not in allowed:
            raise DomainError(
                "items_not_applicable", _("This type of application only adds new items; it cannot name current ones.")
            )
        current = _current_item(application, str(key))
        if application.items.filter(key=current.key).exists():
            raise DomainError("item_already_listed", _("This item is already on the application."))
        item_key, cleaned = current.key, dict(current.attributes)
    else:
        action = ScopeAction.ADD
        if action not in allowed:
            raise DomainError(
                "items_not_applicable", _("A scope reduction only names items of the current scope to remove.")
            )
        item_key, cleaned = None, clean_attributes(application.programme.scope_shape, attributes or {})
    position = (application.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = ApplicationScopeItem.objects.create(
        application=application, action=action, key=item_key, attributes=cleaned, position=position
    )
    _audit(
        application,
        "application.item_added",
        actor,
        new_values={"item": item.pk, "action": action, "key": item_key, "attributes": cleaned},
    )
    return item


@transaction.atomic
def application_remove_item(*, item: ApplicationScopeItem, actor: User) -> None:
    """Take a line off the applied scope of a draft or returned application."""
    application = _locked_editable(item.application, actor)
    item = ApplicationScopeItem.objects.get(pk=item.pk, application=application)
    old = {"item": item.pk, "action": item.action, "key": item.key, "attributes": item.attributes}
    item.delete()
    _audit(application, "application.item_removed", actor, old_values=old)


# --- Documents ----------------------------------------------------------------------------------


@transaction.atomic
def application_attach_document(
    *, application: Application, actor: User, kind: str, upload: UploadedFile
) -> ApplicationDocument:
    """Store an uploaded file under a generated name; the uploaded name is kept only as a label."""
    application = _locked_editable(application, actor)
    if kind not in DocumentKind.values:
        raise DomainError("invalid_document_kind", _("“{kind}” is not a kind of document.").format(kind=kind))
    label, extension = check_upload(upload)
    document = ApplicationDocument(
        application=application, kind=kind, label=label, size=upload.size or 0, uploaded_by=actor
    )
    # Only the extension of this name reaches the storage path (``document_path``).
    document.file.save(f"upload.{extension}", upload, save=False)
    stored = document.file.name
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    _audit(
        application,
        "application.document_attached",
        actor,
        new_values={"document": document.pk, "kind": kind, "label": label, "size": document.size},
    )
    return document


@transaction.atomic
def application_remove_document(*, document: ApplicationDocument, actor: User) -> None:
    application = _locked_editable(document.application, actor)
    document = ApplicationDocument.objects.get(pk=document.pk, application=application)
    storage, name = document.file.storage, document.file.name
    old = {"document": document.pk, "kind": document.kind, "label": document.label}
    document.delete()
    _audit(application, "application.document_removed", actor, old_values=old)
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))


def missing_documents(application: Application) -> list[str]:
    # ``.all()`` so that a list that prefetched the documents asks no query per application.
    present = {document.kind for document in application.documents.all()}
    return [kind for kind in REQUIRED_DOCUMENTS[application.type] if kind not in present]


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    """Send a draft, or a returned application again, to the secretariat; the review clock starts."""
    _require_member(actor, application.cab)
    application = _locked(application)
    require_transition(APPLICATION_TRANSITIONS, application.status, ApplicationStatus.SUBMITTED, ApplicationStatus)
    if SCOPE_ACTIONS[application.type] and not application.items.exists():
        raise DomainError("no_scope_items", _("List the scope items this application is about."))
    if application.type == ApplicationType.CHANGE and not application.change_kinds:
        raise DomainError("no_changes", _("Tick at least one change and give its new values."))
    missing = missing_documents(application)
    if missing:
        raise DomainError(
            "missing_documents",
            _("Attach these documents first: {kinds}.").format(
                kinds=", ".join(str(DocumentKind(kind).label) for kind in missing)
            ),
            detail={"missing": missing},
        )
    old_status = application.status
    now = timezone.now()
    application.status = ApplicationStatus.SUBMITTED
    application.status_changed_at = now
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    application.review_due_on = add_working_days(
        timezone.localdate(now), application.programme.acceptance_review_working_days
    )
    application.save(
        update_fields=["status", "status_changed_at", "submitted_at", "first_submitted_at", "review_due_on"]
    )
    _audit(
        application,
        "application.resubmitted" if old_status == ApplicationStatus.RETURNED else "application.submitted",
        actor,
        old_values={"status": old_status},
        new_values={"status": application.status, "review_due_on": application.review_due_on},
    )
    notify_application_submitted(application, actor)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    """The CAB takes back a draft or returned application."""
    _require_member(actor, application.cab)
    application = _locked(application)
    require_transition(APPLICATION_TRANSITIONS, application.status, ApplicationStatus.WITHDRAWN, ApplicationStatus)
    old_status = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.status_changed_at = timezone.now()
    application.save(update_fields=["status", "status_changed_at"])
    _audit(
        application,
        "application.withdrawn",
        actor,
        reason=reason.strip(),
        old_values={"status": old_status},
        new_values={"status": application.status},
    )
    return application


# --- The acceptance review ----------------------------------------------------------------------


def pre_visit_applicable(application: Application) -> bool:
    """A pre-visit is offered to new certification-body applicants only."""
    return application.type == ApplicationType.INITIAL and application.programme.cab_kind == CabKind.CERTIFICATION_BODY


def _checked_answers(application: Application, checklist: Collection[str]) -> dict[str, bool]:
    keys = [key for key, _question in checklist_for(application.type)]
    unknown = sorted(set(checklist) - set(keys))
    if unknown:
        raise DomainError(
            "unknown_checklist_item",
            _("The checklist of this application has no item {items}.").format(items=", ".join(unknown)),
            detail={"unknown": unknown},
        )
    return {key: key in set(checklist) for key in keys}


def _review(
    *,
    application: Application,
    actor: User | None,
    target: ApplicationStatus,
    reasons: str,
    checklist: Collection[str],
    pre_visit: bool = False,
) -> Application:
    require_secretariat(actor)
    application = _locked(application)
    require_transition(APPLICATION_TRANSITIONS, application.status, target, ApplicationStatus)
    answers = _checked_answers(application, checklist)
    reasons = reasons.strip()
    if target != ApplicationStatus.ACCEPTED and not reasons:
        raise DomainError("reason_required", _("Give the reasons; the CAB will read them."))
    if target == ApplicationStatus.ACCEPTED:
        missing = [key for key, ticked in answers.items() if not ticked]
        if missing:
            raise DomainError(
                "checklist_incomplete",
                _("Tick every item of the completeness checklist before accepting."),
                detail={"missing": missing},
            )
        if pre_visit and not pre_visit_applicable(application):
            raise DomainError(
                "pre_visit_not_applicable", _("A pre-visit is only for new certification-body applicants.")
            )
        if application.type == ApplicationType.INITIAL:
            application.accreditation = accreditation_open(
                cab=application.cab,
                programme=application.programme,
                actor=actor,
                reason=str(_("Application {reference} accepted").format(reference=application.reference)),
            )
    old_status = application.status
    now = timezone.now()
    application.status = target
    application.status_changed_at = now
    application.reviewed_by = actor
    application.reviewed_at = now
    application.review_reasons = reasons
    application.review_checklist = answers
    application.pre_visit = pre_visit and target == ApplicationStatus.ACCEPTED
    application.save(
        update_fields=[
            "accreditation",
            "status",
            "status_changed_at",
            "reviewed_by",
            "reviewed_at",
            "review_reasons",
            "review_checklist",
            "pre_visit",
        ]
    )
    _audit(
        application,
        {
            ApplicationStatus.ACCEPTED: "application.accepted",
            ApplicationStatus.RETURNED: "application.returned",
            ApplicationStatus.NOT_ACCEPTED: "application.not_accepted",
        }[target],
        actor,
        reason=reasons,
        old_values={"status": old_status},
        new_values={
            "status": target,
            "checklist": answers,
            "pre_visit": application.pre_visit,
            "accreditation": application.accreditation_id,
        },
    )
    notify_application_reviewed(application, actor)
    return application


@transaction.atomic
def application_accept(
    *,
    application: Application,
    actor: User | None,
    checklist: Collection[str],
    pre_visit: bool = False,
    reason: str = "",
) -> Application:
    """Accept a complete application; an initial one opens the applicant accreditation."""
    return _review(
        application=application,
        actor=actor,
        target=ApplicationStatus.ACCEPTED,
        reasons=reason,
        checklist=checklist,
        pre_visit=pre_visit,
    )


@transaction.atomic
def application_return(
    *, application: Application, actor: User | None, reasons: str, checklist: Collection[str] = ()
) -> Application:
    """Send the application back for more information; the CAB edits and submits it again."""
    return _review(
        application=application, actor=actor, target=ApplicationStatus.RETURNED, reasons=reasons, checklist=checklist
    )


@transaction.atomic
def application_refuse(
    *, application: Application, actor: User | None, reasons: str, checklist: Collection[str] = ()
) -> Application:
    """Do not accept the application (不予受理), with reasons."""
    return _review(
        application=application,
        actor=actor,
        target=ApplicationStatus.NOT_ACCEPTED,
        reasons=reasons,
        checklist=checklist,
    )
