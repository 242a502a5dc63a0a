"""Real values for the fuzzer to aim at: object ids in URLs and related ids in request bodies.

Random integers almost never name an existing object, so most generated requests would stop at
404 or "no such CAB". For each operation this module finds, from the views and serializers
themselves, which model a path parameter or a related body field points to, and lists that
model's rows in the fuzzing world; the hooks in ``tests/test_api_fuzz.py`` then mix those values
in with the generated ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import get_view_model
from drf_spectacular.settings import spectacular_settings
from rest_framework import serializers

from accreditation.models import Accreditation, Cab
from accreditation.models_applications import Application, ApplicationScopeItem
from accreditation.models_decisions import Decision
from assessors.models import AssessorProfile
from assessors.models_reports import AssessmentReport, CorrectiveActionAttachment
from assessors.models_teams import Assessment
from certification.models import AccreditationCertificate
from core.models import User

# How many rows of a model to offer: enough to reach objects in different states.
PER_MODEL = 8


def _cycle_accreditations() -> list[dict[str, Any]]:
    return [{"id": pk} for pk in Accreditation.objects.order_by("pk").values_list("pk", flat=True)[:PER_MODEL]]


def _corrective_action_attachments() -> list[dict[str, Any]]:
    rows = CorrectiveActionAttachment.objects.order_by("pk").values_list("corrective_action_id", "pk")[:PER_MODEL]
    return [{"id": action, "attachment_pk": attachment} for action, attachment in rows]


def _public_certificates() -> list[dict[str, Any]]:
    numbers = AccreditationCertificate.objects.order_by("pk").values_list("number", flat=True)[:PER_MODEL]
    return [{"number": number} for number in numbers]


# Body fields that name an object by id without a queryset to read the model from: plain integer
# fields, and related fields whose choices depend on the requesting user (``get_queryset``).
BY_NAME: dict[str, type[Model]] = {
    "accreditation": Accreditation,
    "application": Application,
    "assessment": Assessment,
    "assessor": AssessorProfile,
    "cab": Cab,
    "cb": Cab,
    "decision": Decision,
    "item": ApplicationScopeItem,
    "report": AssessmentReport,
    "user": User,
}

# Addresses whose view has no queryset to read the model from, or that name two objects.
EXPLICIT = {
    "/api/supervision/cycle/accreditations/{id}/": _cycle_accreditations,
    "/api/corrective-actions/{id}/attachments/{attachment_pk}/": _corrective_action_attachments,
    "/api/public/accreditation-certificates/{number}/": _public_certificates,
}


@dataclass
class Targets:
    """Per operation ``(METHOD, /path/{template}/)``: known path values and related body values."""

    paths: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    bodies: dict[tuple[str, str], dict[str, list[Any]]] = field(default_factory=dict)


@dataclass
class _Relation:
    model: type[Model]
    attribute: str
    many: bool = False


def _values(relation: _Relation) -> list[Any]:
    rows = relation.model._default_manager.order_by("pk").values_list(relation.attribute, flat=True)
    values = list(rows[:PER_MODEL])
    return [[value] for value in values] if relation.many else values


def _serializer_relations(serializer: Any) -> dict[str, _Relation]:
    if isinstance(serializer, dict):  # one serializer per media type (``request={...}``)
        return {name: found for each in serializer.values() for name, found in _serializer_relations(each).items()}
    if serializer is None:
        return {}
    if isinstance(serializer, type):
        serializer = serializer()
    if not isinstance(serializer, serializers.BaseSerializer) or not hasattr(serializer, "fields"):
        return {}
    found: dict[str, _Relation] = {}
    for name, serializer_field in serializer.fields.items():
        if serializer_field.read_only:
            continue
        many = isinstance(serializer_field, serializers.ManyRelatedField)
        related = serializer_field.child_relation if many else serializer_field
        queryset = getattr(related, "queryset", None)
        if isinstance(related, serializers.RelatedField) and queryset is not None:
            attribute = getattr(related, "slug_field", None) or "pk"
            found[name] = _Relation(queryset.model, attribute, many=many)
        elif isinstance(related, (serializers.RelatedField, serializers.IntegerField)) and name in BY_NAME:
            found[name] = _Relation(BY_NAME[name], "pk", many=many)
    return found


def collect_targets() -> Targets:
    """What each operation's parameters and related fields can name in the current database."""
    # The schema test reports the generator's warnings; here they would only be noise.
    with GENERATOR_STATS.silence():
        return _collect()


def _collect() -> Targets:
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    targets = Targets()
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        key = (method.upper(), path)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema
        schema.path, schema.path_regex, schema.method = path, path_regex, method.upper()
        model = get_view_model(view, emit_warnings=False)
        lookup = getattr(view, "lookup_field", "pk")
        if path in EXPLICIT:
            targets.paths[key] = EXPLICIT[path]()
        elif model is not None and "{" in key[1]:
            names = [segment[1:-1] for segment in key[1].split("/") if segment.startswith("{")]
            if len(names) == 1:
                rows = model._default_manager.order_by("pk").values_list(lookup, flat=True)[:PER_MODEL]
                targets.paths[key] = [{names[0]: value} for value in rows]
        relations = _serializer_relations(schema.get_request_serializer())
        if relations:
            targets.bodies[key] = {name: _values(relation) for name, relation in relations.items()}
    return targets
