"""Accreditation decisions on assessed applications (``accepted → decided``).

A decision maker who took no part in the assessments decides each applied scope item that no
earlier decision granted or refused (grant, refuse or defer, with a reason for refusing or
deferring), or a change notification as a whole (grant or refuse). Who took part and whether
the assessments allow a decision come from the assessors app through
``hooks.assessment_facts``; the register never reads the assessors' tables.

The decision is carried out in the same transaction by the register services the secretariat
uses (``accreditation_grant``, the scope services, ``cab_update``...), inside
``decision_authority``: their audit events name the decision maker, and the decision row
records what they changed. Deferred items keep the application ``accepted`` for a later
decision; once nothing is deferred it is ``decided``. After commit the ``decision_recorded``
hook tells the apps above (certificates) and the CAB and the secretariat are notified.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accreditation import hooks
from accreditation.choices import AccreditationStatus, ScopeVersionStatus
from accreditation.choices_applications import (
    APPLICATION_TRANSITIONS,
    BODY_INITIATED_TYPES,
    WHOLE_DECISION_TYPES,
    ApplicationStatus,
    ApplicationType,
    ChangeKind,
    DecisionOutcome,
    ScopeAction,
)
from accreditation.models import (
    Accreditation,
    Application,
    ApplicationScopeItem,
    Cab,
    CabContact,
    CabSite,
    Decision,
    DecisionItem,
    ScopeVersion,
)
from accreditation.notifications import notify_decision_recorded
from accreditation.services.accreditations import accreditation_cancel, accreditation_grant, accreditation_renew_cycle
from accreditation.services.cabs import (
    cab_contact_add,
    cab_contact_update,
    cab_site_add,
    cab_site_remove,
    cab_update,
)
from accreditation.services.guards import decision_authority, require_transition
from accreditation.services.scopes import scope_draft_start, scope_item_add, scope_item_remove, scope_version_publish
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.roles import Role, has_role

_O = DecisionOutcome
#: Outcomes that settle an item for good; a deferred item waits for a later decision.
SETTLED_OUTCOMES = frozenset({_O.GRANT, _O.REFUSE})
#: A change notification (and a surveillance or special assessment: accreditation maintained or
#: not) is approved or refused as a whole; it is never deferred.
CHANGE_OUTCOMES = frozenset({_O.GRANT, _O.REFUSE})

#: CAB fields each change kind sets, from the proposed values of the same name.
_CAB_FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    ChangeKind.NAME: ("name_zh", "name_en"),
    ChangeKind.ADDRESS: ("address_zh", "address_en"),
    ChangeKind.LEGAL_ENTITY: ("name_zh", "credit_code"),
}
_LINE_SEPARATOR = re.compile(r"[,，]")


def is_decision_maker(user: Any) -> bool:
    return bool(user.is_authenticated and has_role(user, Role.DECISION_MAKER))


def _require_decision_maker(actor: User) -> None:
    if not is_decision_maker(actor):
        raise NotPermitted("not_decision_maker", _("Only a decision maker may decide an application."))


def pending_items(application: Application) -> list[ApplicationScopeItem]:
    """Applied items no earlier decision granted or refused: never decided yet, or deferred."""
    settled = DecisionItem.objects.filter(decision__application=application, outcome__in=SETTLED_OUTCOMES)
    return list(application.items.exclude(pk__in=settled.values("item_id")).order_by("position", "pk"))


# --- Checking the request -----------------------------------------------------------------------


def _checked_readiness(application: Application, actor: User) -> hooks.AssessmentFacts:
    if application.status == ApplicationStatus.DECIDED:
        raise StateConflict(
            "already_decided",
            _("Application {reference} is already decided.").format(reference=application.reference),
            detail={"status": application.status},
        )
    if application.status != ApplicationStatus.ACCEPTED:
        raise StateConflict(
            "not_ready_for_decision",
            _("The application is {status}; only an accepted, assessed application is decided.").format(
                status=application.get_status_display()
            ),
            detail={"status": application.status, "blockers": []},
        )
    facts = hooks.assessment_facts(application)
    if actor.pk in facts.participant_ids:
        raise NotPermitted(
            "decider_on_team",
            _("You took part in the assessment of this application, so you may not decide it."),
        )
    if not facts.ready:
        raise StateConflict(
            "not_ready_for_decision",
            _("The application is not ready for a decision: {blockers}").format(blockers=" ".join(facts.blockers)),
            detail={"status": application.status, "blockers": list(facts.blockers)},
        )
    return facts


def _checked_change_outcome(
    outcome: str, items: Mapping[int, tuple[str, str]] | None, *, supervision: bool = False
) -> str:
    if items:
        raise DomainError("items_not_applicable", _("This application is decided as a whole, not item by item."))
    if outcome not in CHANGE_OUTCOMES:
        raise DomainError(
            "invalid_outcome",
            _("Maintain the accreditation or refuse to.")
            if supervision
            else _("Approve or refuse the change notification."),
            detail={"outcome": outcome, "allowed": sorted(CHANGE_OUTCOMES)},
        )
    return outcome


def _checked_item_outcomes(
    pending: list[ApplicationScopeItem], items: Mapping[int, tuple[str, str]], outcome: str
) -> dict[int, tuple[str, str]]:
    if outcome:
        raise DomainError(
            "outcome_not_applicable",
            _("A scope application is decided item by item; give an outcome for each item."),
        )
    given = {int(pk): (str(choice), str(reason or "").strip()) for pk, (choice, reason) in items.items()}
    pending_ids = [item.pk for item in pending]
    unknown = sorted(set(given) - set(pending_ids))
    if unknown:
        raise StateConflict(
            "unknown_items",
            _("These items are not awaiting a decision on this application: {items}").format(
                items=", ".join(str(pk) for pk in unknown)
            ),
            detail={"items": unknown},
        )
    invalid = [pk for pk in pending_ids if pk in given and given[pk][0] not in _O.values]
    if invalid:
        raise DomainError(
            "invalid_outcome",
            _("An item's outcome must be grant, refuse or defer."),
            detail={"items": invalid, "allowed": list(_O.values)},
        )
    missing = [pk for pk in pending_ids if pk not in given]
    if missing:
        raise DomainError(
            "outcomes_missing",
            _("Decide every item awaiting a decision: grant, refuse or defer it."),
            detail={"items": missing},
        )
    unexplained = [pk for pk in pending_ids if given[pk][0] != _O.GRANT and not given[pk][1]]
    if unexplained:
        raise DomainError(
            "item_reason_required",
            _("Give a reason for each item you refuse or defer; the CAB will read it."),
            detail={"items": unexplained},
        )
    return given


# --- Carrying the decision out ------------------------------------------------------------------


@dataclass
class _Effect:
    """What a decision changed in the register."""

    accreditation: Accreditation | None = None
    scope_version: ScopeVersion | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _refuse_open_draft(accreditation: Accreditation) -> None:
    if accreditation.scope_versions.filter(status=ScopeVersionStatus.DRAFT).exists():
        raise StateConflict(
            "scope_draft_open",
            _(
                "The secretariat has a draft scope open for {accreditation}; it must publish or discard it "
                "before a decision can publish the new scope."
            ).format(accreditation=accreditation),
        )


def _publish(
    accreditation: Accreditation,
    actor: User,
    reason: str,
    *,
    add: Sequence[ApplicationScopeItem] = (),
    remove_keys: Collection[str] = frozenset(),
) -> ScopeVersion:
    """A new scope issue: the current one (if any) without ``remove_keys``, with ``add`` appended."""
    draft = scope_draft_start(accreditation=accreditation, actor=actor, note=reason)
    for item in draft.items.all():
        if str(item.key) in remove_keys:
            scope_item_remove(item=item, actor=actor)
    for applied in add:
        scope_item_add(version=draft, actor=actor, attributes=applied.attributes)
    return scope_version_publish(version=draft, actor=actor, reason=reason)


def _issue_change(effect: _Effect, before: ScopeVersion | None) -> None:
    if effect.scope_version is not None:
        effect.changes["scope_issue"] = [
            before.issue_number if before else None,
            effect.scope_version.issue_number,
        ]


def _decide_initial(
    application: Application, actor: User, reason: str, granted: list[ApplicationScopeItem], deferred: bool
) -> _Effect:
    accreditation = application.accreditation
    assert accreditation is not None, "an accepted initial application has its applicant accreditation"
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    effect = _Effect()
    if granted:
        _refuse_open_draft(accreditation)
        before = accreditation.current_scope
        if accreditation.status == AccreditationStatus.APPLICANT:
            # The first grant: the number and cycle, then the first scope issue of the granted items.
            old_status = accreditation.status
            accreditation = accreditation_grant(accreditation=accreditation, actor=actor, reason=reason)
            effect.changes.update(
                status=[old_status, accreditation.status],
                number=[None, accreditation.number],
                cycle_start=[None, _text(accreditation.cycle_start)],
                cycle_end=[None, _text(accreditation.cycle_end)],
            )
        # Items deferred by an earlier decision and granted now join the scope already published.
        effect.scope_version = _publish(accreditation, actor, reason, add=granted)
        effect.accreditation = accreditation
        _issue_change(effect, before)
    elif not deferred and accreditation.status == AccreditationStatus.APPLICANT:
        # Nothing granted, ever, and nothing left to decide: the applicant's case is closed.
        old_status = accreditation.status
        accreditation = accreditation_cancel(accreditation=accreditation, actor=actor, reason=reason)
        effect.changes["status"] = [old_status, accreditation.status]
    return effect


def _decide_scope_change(
    application: Application,
    actor: User,
    reason: str,
    *,
    add: list[ApplicationScopeItem],
    remove_keys: set[str],
    renew: bool = False,
) -> _Effect:
    """Extension, reduction and renewal: a new issue of the current scope, and a renewed cycle."""
    effect = _Effect()
    accreditation = application.accreditation
    if accreditation is None or not (add or remove_keys or renew):
        return effect
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    _refuse_open_draft(accreditation)
    before = accreditation.current_scope
    if renew:
        old = {"cycle_start": _text(accreditation.cycle_start), "cycle_end": _text(accreditation.cycle_end)}
        accreditation = accreditation_renew_cycle(accreditation=accreditation, actor=actor, reason=reason)
        effect.changes.update(
            cycle_start=[old["cycle_start"], _text(accreditation.cycle_start)],
            cycle_end=[old["cycle_end"], _text(accreditation.cycle_end)],
        )
    effect.scope_version = _publish(accreditation, actor, reason, add=add, remove_keys=remove_keys)
    effect.accreditation = accreditation
    _issue_change(effect, before)
    return effect


def _decide_renewal(
    application: Application,
    actor: User,
    reason: str,
    granted: list[ApplicationScopeItem],
    refused: list[ApplicationScopeItem],
    granted_before: bool,
) -> _Effect:
    """The renewed scope is the granted ``keep`` items and the granted ``add`` items.

    Until something is granted nothing changes (a refused renewal leaves the accreditation to
    run to the end of its cycle). Items of the current scope the application did not list leave
    with the first grant, together with the cycle's renewal; an item deferred stays until a later
    decision grants it (no change) or refuses it (it leaves then).
    """
    if not (granted or granted_before):
        return _Effect()
    remove_keys = {str(item.key) for item in refused if item.action == ScopeAction.KEEP}
    if not granted_before:
        listed = {str(item.key) for item in application.items.all() if item.action == ScopeAction.KEEP}
        current = application.accreditation.current_scope if application.accreditation else None
        if current is not None:
            remove_keys |= {str(key) for key in current.items.values_list("key", flat=True) if str(key) not in listed}
    return _decide_scope_change(
        application,
        actor,
        reason,
        add=[item for item in granted if item.action == ScopeAction.ADD],
        remove_keys=remove_keys,
        renew=not granted_before,
    )


def _lines(text: str) -> list[tuple[str, str]]:
    """``name, detail`` per line (an ASCII or a Chinese comma); blank lines are skipped."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = _LINE_SEPARATOR.split(line, maxsplit=1)
        name, detail = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
        rows.append((name, detail))
    return rows


def _register_label(kind: ChangeKind) -> str:
    """The label of a change kind in the register's own language, for values stored in it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(kind.label)


def _apply_people(cab: Cab, actor: User, reason: str, rows: list[tuple[str, str]], kind: ChangeKind) -> dict[str, Any]:
    """Key personnel and signatories are the CAB's contacts: a listed name is added or its role updated."""
    label = _register_label(kind)
    changes: dict[str, list[Any]] = {}
    for name, detail in rows:
        if kind == ChangeKind.AUTHORISED_SIGNATORIES:
            role = f"{label}: {detail}" if detail else label
        else:
            role = detail or label
        role, name = role[:150], name[:150]
        contact = CabContact.objects.filter(cab=cab, name=name).order_by("pk").first()
        if contact is None:
            cab_contact_add(cab=cab, actor=actor, reason=reason, name=name, role=role)
            changes[f"contact: {name}"] = [None, role]
        elif contact.role != role:
            cab_contact_update(contact=contact, actor=actor, reason=reason, role=role)
            changes[f"contact: {name}"] = [contact.role, role]
    return changes


def _apply_sites(cab: Cab, actor: User, reason: str, rows: list[tuple[str, str]]) -> dict[str, Any]:
    """A listed site is added, or replaced with its new address (keeping its province and main flag)."""
    changes: dict[str, list[Any]] = {}
    for name, address in rows:
        name, address = name[:200], (address or cab.address_zh)[:300]
        site = CabSite.objects.filter(cab=cab, name=name).first()
        if site is None:
            cab_site_add(cab=cab, actor=actor, reason=reason, name=name, address=address, province=cab.province)
            changes[f"site: {name}"] = [None, address]
        elif site.address != address:
            province, is_main, old = site.province, site.is_main, site.address
            cab_site_remove(site=site, actor=actor, reason=reason)
            cab_site_add(
                cab=cab, actor=actor, reason=reason, name=name, address=address, province=province, is_main=is_main
            )
            changes[f"site: {name}"] = [old, address]
    return changes


def _decide_change(application: Application, actor: User, reason: str, outcome: str) -> _Effect:
    """An approved change notification updates the register; a refused one changes nothing."""
    effect = _Effect()
    if outcome != _O.GRANT:
        return effect
    cab = application.cab
    proposed = application.proposed_changes
    values: dict[str, str] = {}
    for kind in application.change_kinds:
        for name in _CAB_FIELDS_BY_KIND.get(kind, ()):
            value = proposed.get(kind, {}).get(name, "")
            if value:
                values[name] = value
    if values:
        old = {name: getattr(cab, name) for name in values}
        cab = cab_update(cab=cab, actor=actor, reason=reason, **values)
        effect.changes.update(
            {name: [old[name], getattr(cab, name)] for name in values if old[name] != getattr(cab, name)}
        )
    for kind in (ChangeKind.KEY_PERSONNEL, ChangeKind.AUTHORISED_SIGNATORIES):
        if kind in application.change_kinds:
            rows = _lines(proposed.get(kind, {}).get("people", ""))
            effect.changes.update(_apply_people(cab, actor, reason, rows, kind))
    if ChangeKind.SITES in application.change_kinds:
        effect.changes.update(
            _apply_sites(cab, actor, reason, _lines(proposed.get(ChangeKind.SITES, {}).get("sites", "")))
        )
    effect.accreditation = application.accreditation
    return effect


# --- The move -----------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    application: Application,
    actor: User,
    reasons: str,
    items: Mapping[int, tuple[str, str]] | None = None,
    outcome: str = "",
) -> Decision:
    """Decide an assessed application and carry the decision out in the register.

    ``items`` maps each applied scope item awaiting a decision (by id) to ``(outcome, reason)``;
    ``outcome`` is only for a change notification (grant or refuse).
    """
    _require_decision_maker(actor)
    application = Application.objects.select_for_update().select_related("cab", "programme").get(pk=application.pk)
    if application.accreditation_id is not None:
        # Lock order: the application, then its accreditation, as issuing a certificate does: a
        # decision waits here for a certificate of an earlier decision being issued, rather than
        # taking the accreditation's lock in a different order from it part way through
        # (tests/drills/test_concurrent_decisions.py).
        Accreditation.objects.select_for_update(no_key=True).only("pk").get(pk=application.accreditation_id)
    _checked_readiness(application, actor)
    reasons = reasons.strip()
    if not reasons:
        raise DomainError("reasons_required", _("Give the reasons for the decision; the CAB will read them."))
    # A change notification, a surveillance or a special assessment is decided as a whole; the
    # items of the latter two are the current scope listed for the assessors, never decided.
    is_whole = application.type in WHOLE_DECISION_TYPES
    pending = [] if is_whole else pending_items(application)
    chosen: dict[int, tuple[str, str]] = {}
    if is_whole:
        outcome = _checked_change_outcome(outcome, items, supervision=application.type in BODY_INITIATED_TYPES)
    else:
        chosen = _checked_item_outcomes(pending, items or {}, outcome)
    by_outcome: dict[str, list[ApplicationScopeItem]] = {value: [] for value in _O.values}
    for item in pending:
        by_outcome[chosen[item.pk][0]].append(item)
    granted, refused, deferred = by_outcome[_O.GRANT], by_outcome[_O.REFUSE], by_outcome[_O.DEFER]
    granted_before = DecisionItem.objects.filter(decision__application=application, outcome=_O.GRANT).exists()

    sequence = application.decisions.count() + 1
    decision = Decision.objects.create(
        application=application, sequence=sequence, outcome=outcome, reasons=reasons, decided_by=actor
    )
    DecisionItem.objects.bulk_create(
        DecisionItem(decision=decision, item=item, outcome=chosen[item.pk][0], reason=chosen[item.pk][1])
        for item in pending
    )
    reason = str(
        _("Decision {sequence} on {reference}: {reasons}").format(
            sequence=sequence, reference=application.reference, reasons=reasons
        )
    )
    with decision_authority(actor):
        if application.type == ApplicationType.INITIAL:
            effect = _decide_initial(application, actor, reason, granted, bool(deferred))
        elif application.type == ApplicationType.EXTENSION:
            effect = _decide_scope_change(application, actor, reason, add=granted, remove_keys=set())
        elif application.type == ApplicationType.REDUCTION:
            effect = _decide_scope_change(
                application, actor, reason, add=[], remove_keys={str(item.key) for item in granted}
            )
        elif application.type == ApplicationType.RENEWAL:
            effect = _decide_renewal(application, actor, reason, granted, refused, granted_before)
        elif application.type in BODY_INITIATED_TYPES:
            # "Accreditation maintained" (grant) changes nothing in the register and issues no new
            # certificate; a refusal changes nothing either: the secretariat then decides a sanction
            # through the sanction services, with their own reasons and notices.
            effect = _Effect()
        else:
            effect = _decide_change(application, actor, reason, outcome)

    decision.accreditation = effect.accreditation
    decision.scope_version = effect.scope_version
    decision.register_changes = effect.changes
    decision.save(update_fields=["accreditation", "scope_version", "register_changes"])

    old_status = application.status
    if not deferred:
        require_transition(APPLICATION_TRANSITIONS, application.status, ApplicationStatus.DECIDED, ApplicationStatus)
        application.status = ApplicationStatus.DECIDED
        application.status_changed_at = timezone.now()
        application.save(update_fields=["status", "status_changed_at"])
        audit_record(
            instance=application,
            event_type="application.decided",
            actor=actor,
            reason=reasons,
            old_values={"status": old_status},
            new_values={"status": application.status, "decision": sequence},
            cab_id=application.cab_id,
        )
    audit_record(
        instance=decision,
        event_type="decision.recorded",
        actor=actor,
        reason=reasons,
        old_values={"application_status": old_status},
        new_values={
            "application": application.reference,
            "sequence": sequence,
            "outcome": outcome,
            "items": {str(item.pk): chosen[item.pk][0] for item in pending},
            "application_status": application.status,
            "accreditation": effect.accreditation.pk if effect.accreditation else None,
            "scope_version": effect.scope_version.pk if effect.scope_version else None,
            "register_changes": effect.changes,
        },
        cab_id=application.cab_id,
    )

    kwargs = {
        "decision_id": decision.pk,
        "application_id": application.pk,
        "application_type": application.type,
        "accreditation_id": effect.accreditation.pk if effect.accreditation else None,
        "scope_version_id": effect.scope_version.pk if effect.scope_version else None,
        "granted_item_ids": [item.pk for item in granted],
        "actor_id": actor.pk,
    }
    transaction.on_commit(lambda: hooks.decision_recorded.send(sender=Decision, **kwargs))
    notify_decision_recorded(decision, actor, granted=len(granted), refused=len(refused), deferred=len(deferred))
    return decision
