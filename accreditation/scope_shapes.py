"""The fields of a scope item for each programme's scope shape, and their validation.

A scope item stores its fields in ``ScopeItem.attributes``; this module says which fields a
shape has, which are required and which hold lists (IAF/EA sector codes). Forms, the API and
the diff all read these definitions, so a new programme shape is added here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accreditation.choices import ScopeShape
from core.errors import DomainError

MAX_TEXT_LENGTH = 2000


@dataclass(frozen=True)
class ShapeField:
    name: str
    label: str | Promise
    required: bool = False
    many: bool = False
    help_text: str | Promise = ""


_SITE = ShapeField("site", _("Site"), help_text=_("Name of the CAB site where this is performed, if not the main one."))
_LIMITATION = ShapeField("limitation", _("Limitation"))
_METHOD = ShapeField("method", _("Method or standard"), required=True)
_CERT_TYPE = ShapeField("certification_type", _("Certification type"), help_text=_("e.g. initial, recertification"))

SHAPES: dict[str, tuple[ShapeField, ...]] = {
    ScopeShape.LABORATORY: (
        ShapeField("field", _("Field"), required=True),
        ShapeField("subject", _("Object or product"), required=True),
        ShapeField("parameter", _("Parameter"), required=True),
        _METHOD,
        _LIMITATION,
        _SITE,
    ),
    ScopeShape.MEDICAL: (
        ShapeField("discipline", _("Discipline"), required=True),
        ShapeField("examination", _("Examination"), required=True),
        ShapeField("specimen", _("Specimen type")),
        _METHOD,
        _LIMITATION,
        _SITE,
    ),
    ScopeShape.INSPECTION: (
        ShapeField("field", _("Field"), required=True),
        ShapeField("inspection_type", _("Inspection type"), required=True, help_text=_("Type A, B or C")),
        ShapeField("subject", _("Object of inspection"), required=True),
        _METHOD,
        _LIMITATION,
    ),
    ScopeShape.MANAGEMENT_SYSTEM: (
        ShapeField("standard", _("Standard"), required=True, help_text=_("e.g. ISO 9001:2015")),
        ShapeField("sectors", _("IAF/EA technical sectors"), required=True, many=True, help_text=_("e.g. IAF 28")),
        _CERT_TYPE,
        _LIMITATION,
    ),
    ScopeShape.PRODUCT: (
        ShapeField("standard", _("Scheme or standard"), required=True),
        ShapeField("products", _("Products"), required=True),
        ShapeField("sectors", _("Product sectors"), many=True),
        _CERT_TYPE,
        _LIMITATION,
    ),
    ScopeShape.PERSONS: (
        ShapeField("standard", _("Certification scheme"), required=True),
        ShapeField("occupation", _("Occupation or category"), required=True),
        _LIMITATION,
    ),
    ScopeShape.PROFICIENCY_TESTING: (
        ShapeField("field", _("Field"), required=True),
        ShapeField("subject", _("Proficiency testing item"), required=True),
        ShapeField("parameter", _("Parameter"), required=True),
        ShapeField("method", _("Method or standard")),
    ),
    ScopeShape.REFERENCE_MATERIAL: (
        ShapeField("category", _("Reference material category"), required=True),
        ShapeField("material", _("Material"), required=True),
        ShapeField("property", _("Property value"), required=True),
        ShapeField("method", _("Characterisation method")),
    ),
    ScopeShape.BIOBANK: (
        ShapeField("sample_type", _("Sample type"), required=True),
        ShapeField("activity", _("Activity"), required=True, help_text=_("e.g. collection, storage, distribution")),
        _LIMITATION,
    ),
    ScopeShape.VALIDATION_VERIFICATION: (
        ShapeField("standard", _("Standard or programme"), required=True),
        ShapeField("sectors", _("Sectors"), required=True, many=True),
        ShapeField("activity", _("Activity"), required=True, help_text=_("validation or verification")),
    ),
}


def fields_of(shape: str) -> tuple[ShapeField, ...]:
    return SHAPES[shape]


def _clean_value(field: ShapeField, raw: Any) -> tuple[Any, str | None]:
    if field.many:
        if isinstance(raw, str):
            raw = raw.replace("；", ";").split(";")
        if raw is None:
            raw = []
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            return None, str(_("Give a list of texts, or texts separated by semicolons."))
        values = [v.strip() for v in raw if v.strip()]
        if field.required and not values:
            return None, str(_("This field is required."))
        return values, None
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        return None, str(_("Give a text."))
    value = raw.strip()
    if field.required and not value:
        return None, str(_("This field is required."))
    if len(value) > MAX_TEXT_LENGTH:
        return None, str(_("At most {limit} characters.").format(limit=MAX_TEXT_LENGTH))
    return value, None


def clean_attributes(shape: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated attributes for a scope item of ``shape``; raises ``DomainError`` listing every problem."""
    known = {field.name for field in SHAPES[shape]}
    errors: dict[str, str] = {}
    unknown = sorted(set(data) - known)
    for name in unknown:
        errors[name] = str(_("This programme's scope has no field named “{name}”.").format(name=name))
    cleaned: dict[str, Any] = {}
    for field in SHAPES[shape]:
        value, problem = _clean_value(field, data.get(field.name))
        if problem:
            errors[field.name] = problem
        elif value not in ("", []):
            cleaned[field.name] = value
    if errors:
        raise DomainError("invalid_scope_item", _("The scope item has invalid fields."), detail=errors)
    return cleaned


def summary(shape: str, attributes: Mapping[str, Any]) -> str:
    """One line that names the item, for lists, the diff and audit records."""
    parts = []
    for field in SHAPES[shape]:
        value = attributes.get(field.name)
        if value:
            parts.append("; ".join(value) if isinstance(value, list) else str(value))
    return " / ".join(parts)
