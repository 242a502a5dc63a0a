"""Public notices (认可公示), statements on false claims, and the dishonesty list (失信名单).

A notice is a record: its title and text are written in both languages when it is published
(``bilingual`` renders the translatable sentence once per language) and never re-rendered, so a
later change of wording or of a body's name does not rewrite what was announced. Notices are
published by the sanction services (suspension, restoration, withdrawal, scope reduction), by the
register's ``decision_recorded`` hook for grants, extensions, renewals and reductions
(``surveillance.receivers``), and by the secretariat for statements on false claims of
accreditation. Entering a body on the dishonesty list and removing it after credit repair each
publish a notice too.

Texts are stored as plain text; every page and feed escapes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation, Cab, Decision
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.roles import is_secretariat
from surveillance.choices import NoticeKind
from surveillance.models import DishonestyEntry, PublicNotice

LANGUAGES = ("zh-hans", "en")
TITLE_MAX = 300
TEXT_MAX = 5000


def bilingual(render: Callable[[], str]) -> tuple[str, str]:
    """``render()`` once in Chinese and once in English (it reads the active language)."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            texts.append(str(render()))
    return texts[0], texts[1]


def _cab_name(cab: Cab) -> str:
    return cab.name  # the active language's name, falling back to Chinese


def _require_secretariat(actor: User | None) -> None:
    if actor is None or not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat may publish notices."))


def _clean(value: str) -> str:
    return (value or "").strip()


@transaction.atomic
def notice_publish(
    *,
    kind: str,
    cab: Cab,
    title_zh: str,
    title_en: str,
    body_zh: str = "",
    body_en: str = "",
    effective_on: dt.date | None = None,
    accreditation: Accreditation | None = None,
    sanction: Any = None,
    decision: Decision | None = None,
    actor: User | None,
) -> PublicNotice:
    """Publish one notice now; ``actor=None`` is a service or hook publishing on the register's behalf."""
    if kind not in NoticeKind.values:
        raise DomainError("invalid_notice_kind", _("Unknown kind of notice."), detail={"kind": kind})
    title_zh, title_en = _clean(title_zh)[:TITLE_MAX], _clean(title_en)[:TITLE_MAX]
    if not (title_zh and title_en):
        raise DomainError(
            "invalid",
            _("A notice needs a title in both languages."),
            detail={
                "title_zh": [] if title_zh else [str(_("Required."))],
                "title_en": [] if title_en else [str(_("Required."))],
            },
        )
    notice = PublicNotice.objects.create(
        kind=kind,
        cab=cab,
        accreditation=accreditation,
        sanction=sanction,
        decision=decision,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=_clean(body_zh)[:TEXT_MAX],
        body_en=_clean(body_en)[:TEXT_MAX],
        effective_on=effective_on or timezone.localdate(),
    )
    audit_record(
        instance=notice,
        event_type="notice.published",
        actor=actor,
        new_values={
            "kind": kind,
            "cab": cab.pk,
            "accreditation": accreditation.pk if accreditation else None,
            "sanction": sanction.pk if sanction is not None else None,
            "decision": decision.pk if decision else None,
            "title_zh": notice.title_zh,
            "effective_on": notice.effective_on,
        },
        cab_id=cab.pk,
    )
    return notice


# --- decisions of the register (the ``decision_recorded`` hook) ------------------------------------------


_DECISION_NOTICES: dict[str, tuple[str, Any, Any]] = {
    ApplicationType.INITIAL: (
        NoticeKind.GRANT,
        _("{cab}: accreditation {number} granted"),
        _("{cab} is accredited under {programme} with accreditation number {number} from {date}."),
    ),
    ApplicationType.EXTENSION: (
        NoticeKind.GRANT,
        _("{cab}: scope of accreditation {number} extended"),
        _("The scope of accreditation {number} ({programme}) of {cab} is extended by {count} item(s) from {date}."),
    ),
    ApplicationType.RENEWAL: (
        NoticeKind.GRANT,
        _("{cab}: accreditation {number} renewed"),
        _("Accreditation {number} ({programme}) of {cab} is renewed after reassessment from {date}."),
    ),
    ApplicationType.REDUCTION: (
        NoticeKind.SCOPE_REDUCTION,
        _("{cab}: scope of accreditation {number} reduced at its request"),
        _("At the body's request, the scope of accreditation {number} ({programme}) of {cab} is reduced from {date}."),
    ),
}


@transaction.atomic
def notice_for_decision(
    *, decision_id: int, application_type: str, accreditation_id: int | None, granted_item_ids: list[int]
) -> PublicNotice | None:
    """The notice of a recorded decision, once: a grant, extension, renewal or requested reduction.

    Nothing for a change notification, a refusal, or an extension or renewal that granted no item.
    A second call for the same decision (a re-sent hook) publishes nothing more.
    """
    spec = _DECISION_NOTICES.get(application_type)
    if spec is None or accreditation_id is None:
        return None
    if application_type != ApplicationType.REDUCTION and not granted_item_ids:
        return None
    decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
    if decision is None or PublicNotice.objects.filter(decision_id=decision_id).exists():
        return None
    accreditation = Accreditation.objects.select_related("cab", "programme").get(pk=accreditation_id)
    kind, title, body = spec
    day = timezone.localdate(decision.decided_at)

    def params() -> dict[str, Any]:
        return {
            "cab": _cab_name(accreditation.cab),
            "number": accreditation.number or "",
            "programme": accreditation.programme.name,
            "date": day.isoformat(),
            "count": len(granted_item_ids),
        }

    title_zh, title_en = bilingual(lambda: str(title).format(**params()))
    body_zh, body_en = bilingual(lambda: str(body).format(**params()))
    return notice_publish(
        kind=kind,
        cab=accreditation.cab,
        accreditation=accreditation,
        decision=decision,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        effective_on=day,
        actor=None,
    )


# --- statements on false claims ---------------------------------------------------------------------------


@transaction.atomic
def false_claim_statement_publish(
    *,
    cab: Cab,
    actor: User | None,
    title_zh: str,
    title_en: str,
    body_zh: str,
    body_en: str,
    effective_on: dt.date | None = None,
) -> PublicNotice:
    """The secretariat's statement (认可维权声明) that a body claims accreditation it does not hold."""
    _require_secretariat(actor)
    if not (_clean(body_zh) and _clean(body_en)):
        raise DomainError(
            "invalid",
            _("A statement needs its text in both languages."),
            detail={
                "body_zh": [] if _clean(body_zh) else [str(_("Required."))],
                "body_en": [] if _clean(body_en) else [str(_("Required."))],
            },
        )
    return notice_publish(
        kind=NoticeKind.FALSE_CLAIM,
        cab=cab,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        effective_on=effective_on,
        actor=actor,
    )


# --- the dishonesty list ------------------------------------------------------------------------------------


@transaction.atomic
def dishonesty_list(
    *,
    cab: Cab,
    reason: str,
    actor: User | None,
    listed_on: dt.date | None = None,
    sanction: Any = None,
) -> DishonestyEntry:
    """Enter a body on the dishonesty list with its reason; a notice says so publicly."""
    _require_secretariat(actor)
    assert actor is not None
    reason = _clean(reason)
    if not reason:
        raise DomainError("reason_required", _("Give the reason for listing the body."))
    listed_on = listed_on or timezone.localdate()
    if listed_on > timezone.localdate():
        raise DomainError("date_in_future", _("The listing date cannot be in the future."))
    Cab.objects.select_for_update().get(pk=cab.pk)
    if DishonestyEntry.objects.filter(cab=cab, removed_on__isnull=True).exists():
        raise StateConflict("already_listed", _("{cab} is already on the dishonesty list.").format(cab=cab.name))
    try:
        with transaction.atomic():
            entry = DishonestyEntry.objects.create(
                cab=cab, reason=reason, listed_on=listed_on, listed_by=actor, sanction=sanction
            )
    except IntegrityError as exc:  # a second listing racing past the check
        raise StateConflict(
            "already_listed", _("{cab} is already on the dishonesty list.").format(cab=cab.name)
        ) from exc
    audit_record(
        instance=entry,
        event_type="dishonesty.listed",
        actor=actor,
        reason=reason,
        new_values={"cab": cab.pk, "listed_on": listed_on, "sanction": sanction.pk if sanction is not None else None},
        cab_id=cab.pk,
    )
    title_zh, title_en = bilingual(lambda: _("{cab} entered on the dishonesty list").format(cab=_cab_name(cab)))
    body_zh, body_en = bilingual(
        lambda: _("{cab} is entered on the dishonesty list from {date}. Reason: {reason}").format(
            cab=_cab_name(cab), date=listed_on.isoformat(), reason=reason
        )
    )
    notice_publish(
        kind=NoticeKind.DISHONESTY_LISTING,
        cab=cab,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        effective_on=listed_on,
        actor=actor,
    )
    return entry


@transaction.atomic
def dishonesty_repair(
    *, entry: DishonestyEntry, reason: str, actor: User | None, removed_on: dt.date | None = None
) -> DishonestyEntry:
    """Credit repair (信用修复): the entry is removed (kept, never deleted) with the reason its conditions are met."""
    _require_secretariat(actor)
    reason = _clean(reason)
    if not reason:
        raise DomainError("reason_required", _("Give the reason for the credit repair."))
    entry = DishonestyEntry.objects.select_for_update().select_related("cab").get(pk=entry.pk)
    if entry.removed_on is not None:
        raise StateConflict(
            "already_removed",
            _("This entry was already removed on {date}.").format(date=entry.removed_on.isoformat()),
        )
    removed_on = removed_on or timezone.localdate()
    if removed_on < entry.listed_on or removed_on > timezone.localdate():
        raise DomainError("invalid_date", _("The removal date must lie between the listing date and today."))
    entry.removed_on, entry.removed_by, entry.removal_reason = removed_on, actor, reason
    entry.save(update_fields=["removed_on", "removed_by", "removal_reason"])
    audit_record(
        instance=entry,
        event_type="dishonesty.removed",
        actor=actor,
        reason=reason,
        old_values={"removed_on": None},
        new_values={"removed_on": removed_on},
        cab_id=entry.cab_id,
    )
    cab = entry.cab
    title_zh, title_en = bilingual(lambda: _("{cab} removed from the dishonesty list").format(cab=_cab_name(cab)))
    body_zh, body_en = bilingual(
        lambda: _(
            "After credit repair, {cab} is removed from the dishonesty list from {date}. Reason: {reason}"
        ).format(cab=_cab_name(cab), date=removed_on.isoformat(), reason=reason)
    )
    notice_publish(
        kind=NoticeKind.CREDIT_REPAIR,
        cab=cab,
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        effective_on=removed_on,
        actor=actor,
    )
    return entry
