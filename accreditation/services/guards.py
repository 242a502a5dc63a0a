"""Checks every register service makes before it changes anything."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accreditation.models import Cab, CabMembership
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.roles import is_secretariat

#: The user whose accreditation decision is being carried out in this context (see ``decision_authority``).
_deciding: ContextVar[int | None] = ContextVar("deciding", default=None)


@contextmanager
def decision_authority(actor: User) -> Iterator[None]:
    """Let the register services carry out a decision that ``decision_record`` has already checked.

    A recorded decision is the authority for the register changes it makes (the grant, the new
    scope issue, the updated CAB record), so inside this block the services that otherwise only
    the secretariat may call accept the deciding user, and their audit events name that user.
    Nothing else changes: the decision maker still cannot call them from a page or the API.
    """
    token = _deciding.set(actor.pk)
    try:
        yield
    finally:
        _deciding.reset(token)


def acts_for_secretariat(actor: User | None) -> bool:
    """The secretariat, a scheduled job (``None``), or a decision being carried out by ``actor``."""
    return actor is None or is_secretariat(actor) or (actor.pk is not None and _deciding.get() == actor.pk)


def require_secretariat(actor: User | None) -> None:
    """``actor=None`` is a scheduled job, which acts for the secretariat."""
    if not acts_for_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat may make this change."))


def is_cab_admin(actor: User, cab: Cab) -> bool:
    return CabMembership.objects.filter(cab=cab, user=actor, is_admin=True).exists()


def require_cab_admin_or_secretariat(actor: User | None, cab: Cab) -> None:
    if actor is None or acts_for_secretariat(actor):
        return
    if not is_cab_admin(actor, cab):
        raise NotPermitted(
            "outside_cab",
            _("You may only make this change for a CAB you administer, and you do not administer {cab}").format(
                cab=cab.name
            ),
        )


def _label(labels: Any, value: str) -> str:
    """The display label of a status, or the raw value when it is not one (bad input from a caller)."""
    return str(labels(value).label) if value in labels.values else str(value)


def require_transition(table: Mapping[str, set[str]], current: str, target: str, labels: Any) -> None:
    if target not in table.get(current, set()):
        raise StateConflict(
            "illegal_status_change",
            _("The status cannot change from “{old}” to “{new}”.").format(
                old=_label(labels, current), new=_label(labels, target)
            ),
            detail={"from": current, "to": target, "allowed": sorted(table.get(current, set()))},
        )


def full_clean_or_raise(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation as a ``DomainError`` whose detail maps each field to its messages."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        detail = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        codes = {error.code for errors in exc.error_dict.values() for error in errors}
        code = "invalid_credit_code" if "invalid_credit_code" in codes else "invalid"
        message = detail["credit_code"][0] if code == "invalid_credit_code" else _("Some fields are invalid.")
        raise DomainError(code, message, detail=detail) from exc


def field_values(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def assign_changes(instance: models.Model, values: Mapping[str, Any], *, allowed: list[str]) -> dict[str, Any]:
    """Set ``values`` on ``instance``; return the old value of each field that changed.

    An empty result means there is nothing to save or audit. A field outside ``allowed`` is a
    programming error, not bad input, and raises ``TypeError``.
    """
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise TypeError(f"{type(instance).__name__} fields that cannot be changed here: {unknown}")
    old = {name: getattr(instance, name) for name, value in values.items() if getattr(instance, name) != value}
    for name in old:
        setattr(instance, name, values[name])
    return old
