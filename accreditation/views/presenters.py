"""Scope items and audit events shaped for the templates, from what the views fetched through selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accreditation.choices import LIVE_ACCREDITATION_STATUSES
from accreditation.models import Accreditation, ScopeItem, ScopeVersion
from accreditation.scope_shapes import SHAPES, ShapeField, fields_of
from core.audit_labels import event_label
from core.models import AuditEvent


@dataclass
class Cell:
    value: str
    changed: bool = False


@dataclass
class ScopeRow:
    item: ScopeItem
    cells: list[Cell]
    status_changed: bool = False


def _cell_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def scope_rows(shape: str, items: list[ScopeItem], changed: list[str] | None = None) -> list[ScopeRow]:
    """Items as table rows, one cell per field of the shape; ``changed`` names cells to highlight."""
    changed = changed or []
    return [
        ScopeRow(
            item=item,
            cells=[Cell(_cell_text(item.attributes.get(f.name)), f.name in changed) for f in fields_of(shape)],
            status_changed="status" in changed,
        )
        for item in items
    ]


@dataclass
class ChangedRow:
    before: ScopeRow
    after: ScopeRow


#: Labels of values that events record but that are not fields of the changed model.
_EXTRA_VALUE_LABELS: dict[str, Promise] = {
    "programme": _("programme"),
    "number": _("accreditation number"),
    "based_on_issue": _("based on issue"),
    "current_issue": _("current issue"),
    "items": _("items"),
    "user": _("user"),
    "permission": _("permission"),
    "version": _("scope version"),
}
#: Values recorded for the machine (row ids) that mean nothing to a reader.
_HIDDEN_VALUES = frozenset({"version"})


def _shape_labels(shapes: list[str]) -> dict[str, Any]:
    """Labels of scope-item fields, from the CAB's own programmes' shapes first, then any shape."""
    labels: dict[str, Any] = {}
    for shape in [*shapes, *SHAPES]:
        for shape_field in SHAPES[shape]:
            labels.setdefault(shape_field.name, shape_field.label)
    return labels


@dataclass
class AuditChange:
    name: str
    old: str
    new: str


@dataclass
class AuditRow:
    event: AuditEvent
    label: str
    changes: list[AuditChange]


def _audit_model(aggregate_type: str) -> type[Model] | None:
    try:
        return apps.get_model(aggregate_type)
    except (LookupError, ValueError):
        return None


def _audit_value(model: type[Model] | None, name: str, value: Any, shape_labels: dict[str, Any]) -> tuple[str, str]:
    """The label of a recorded value and its text (a choice shows its label, not its code)."""
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            choices = dict(getattr(field, "flatchoices", None) or ())
            shown = choices.get(value, value) if isinstance(value, str) else value
            return str(getattr(field, "verbose_name", name)), _cell_text(shown)
    label = _EXTRA_VALUE_LABELS.get(name) or shape_labels.get(name) or name
    return str(label), _cell_text(value)


def audit_rows(events: Any, shapes: list[str]) -> list[AuditRow]:
    """Events as rows of a history table: a readable event name and each value before and after."""
    shape_labels = _shape_labels(shapes)
    rows = []
    for event in events:
        model = _audit_model(event.aggregate_type)
        names = [n for n in dict.fromkeys([*event.old_values, *event.new_values]) if n not in _HIDDEN_VALUES]
        changes = []
        for name in names:
            old_value, new_value = event.old_values.get(name), event.new_values.get(name)
            if old_value in (None, "", []) and new_value in (None, "", []):
                continue
            label, old = _audit_value(model, name, old_value, shape_labels)
            __, new = _audit_value(model, name, new_value, shape_labels)
            changes.append(AuditChange(label, old if name in event.old_values else "", new))
        rows.append(AuditRow(event, event_label(event.event_type), changes))
    return rows


@dataclass
class ScopedAccreditation:
    """An accreditation with its current published scope, ready for a table."""

    accreditation: Accreditation
    scope: ScopeVersion | None
    columns: tuple[ShapeField, ...]
    rows: list[ScopeRow]

    @property
    def is_live(self) -> bool:
        return self.accreditation.status in LIVE_ACCREDITATION_STATUSES


def with_current_scope(accreditations: QuerySet[Accreditation]) -> list[ScopedAccreditation]:
    """Each accreditation with its published scope; the queryset carries ``current_scope_prefetch``."""
    shown = []
    for accreditation in accreditations:
        shape = accreditation.programme.scope_shape
        published = getattr(accreditation, "published_versions", [])
        scope = published[0] if published else None
        rows = scope_rows(shape, list(scope.items.all())) if scope else []
        shown.append(ScopedAccreditation(accreditation, scope, fields_of(shape), rows))
    return shown
