"""The OpenAPI schema class: every operation documents the errors the API's machinery can answer.

Views document the refusals of their own logic (``error_responses(...)`` in ``extend_schema``).
Some answers come from the framework around them, the same for every view, and used to be missing
from most operations (the API fuzzer, ``tests/test_api_fuzz.py``, found them):

- 401 from every view that authenticates: no credentials, or a wrong token;
- 403 from every view that accepts the browser's session (CSRF, and a session still owing its
  second factor: ``core.api.authentication``), and from views with a permission beyond signing in;
- 404 for every URL that names an object, and for a list's ``page`` past the last one;
- 400 for a list's invalid filter values and for a malformed request body;
- 415 for a request body without a ``Content-Type`` the operation reads;
- 429 from every throttled view.

They are added here, once, where a view does not already document them.

The other half: read-only fields of model serializers. DRF drops ``allow_blank`` from a read-only
field, so a model field with ``blank=True`` choices was documented as an enum without ``""``;
and a read-only related field (``StringRelatedField``, ``SlugRelatedField``) over a nullable
foreign key was documented as never ``null``; an empty e-mail address was documented as having
to be an e-mail address. They answer exactly those values (the fuzzer found ``"outcome": ""``,
``"reviewed_by": null`` and ``"complainant_email": ""``), so the schema says so.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated

from core.api.serializers import PortalErrorSerializer, error_responses

UNSUPPORTED_MEDIA_TYPE = "The body's `Content-Type` is missing or not one the operation reads."
NO_SUCH_PAGE = "No such page: `page` is not a page number of this list (past the last one, or not a number)."


def _model_fields_on_path(field: serializers.Field[Any, Any, Any, Any]) -> list[Any] | None:
    """The model fields a serializer field's ``source`` walks through, or None if not all are fields."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = field.source
    if model is None or not isinstance(source, str) or source == "*":
        return None
    path: list[Any] = []
    for name in source.split("."):
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None  # a property or method: its own annotation documents it
        if model_field.many_to_many or model_field.one_to_many:
            return None
        path.append(model_field)
        model = model_field.related_model
    return path


class PortalAutoSchema(AutoSchema):
    def _map_serializer_field(
        self, field: serializers.Field[Any, Any, Any, Any], direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        path = _model_fields_on_path(field) if field.read_only else None
        if not path:
            return schema
        last = path[-1]
        blank = getattr(last, "blank", False)
        if isinstance(field, serializers.ChoiceField) and blank and "" not in schema.get("enum", [""]):
            schema["enum"] = [*schema["enum"], ""]
        # ``None`` comes out when the last field is null, or when a reverse one-to-one on the way has
        # no row (DRF answers null for ObjectDoesNotExist). A null foreign key *before* the last
        # step makes DRF leave the field out instead: such a field declares ``allow_null``/``default``.
        missing_one_to_one = any(step.one_to_one and step.auto_created for step in path)
        if not field.allow_null and (getattr(last, "null", False) or missing_one_to_one):
            # A reference takes no sibling keywords in OpenAPI 3.0: wrap it, as drf-spectacular does.
            schema = {"allOf": [schema], "nullable": True} if "$ref" in schema else {**schema, "nullable": True}
        return schema

    def _insert_field_validators(self, field: serializers.Field[Any, Any, Any, Any], schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)  # e.g. ``format: email`` from EmailValidator
        path = _model_fields_on_path(field) if field.read_only else None
        field_format = schema.get("format")
        if path and getattr(path[-1], "blank", False) and schema.get("type") == "string" and field_format:
            # An empty e-mail or URL is not in its format: either the format or the empty string.
            del schema["format"]
            schema["anyOf"] = [{"format": field_format}, {"maxLength": 0}]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status, response in self._framework_errors().items():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(response, str(status), direction=direction)
        return responses

    def _framework_errors(self) -> dict[int, OpenApiResponse]:
        view = self.view
        authenticators = view.get_authenticators()
        permissions = view.get_permissions()
        statuses: set[int] = set()
        if authenticators:
            statuses.add(401)
        if any(isinstance(a, SessionAuthentication) for a in authenticators) or any(
            not isinstance(p, (AllowAny, IsAuthenticated)) for p in permissions
        ):
            statuses.add(403)
        if self._names_an_object():
            statuses.add(404)
        if self._is_paginated_list():
            statuses.add(404)
        if self._is_list() and (getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", None)):
            statuses.add(400)
        has_body = self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer() is not None
        if has_body:
            statuses.add(400)
        if view.get_throttles():
            statuses.add(429)
        responses = error_responses(*sorted(statuses))
        if 404 in responses and self._is_paginated_list():
            responses[404] = OpenApiResponse(PortalErrorSerializer, description=NO_SUCH_PAGE)
        if has_body:
            responses[415] = OpenApiResponse(PortalErrorSerializer, description=UNSUPPORTED_MEDIA_TYPE)
        return responses

    def _names_an_object(self) -> bool:
        return "{" in self.path

    def _is_list(self) -> bool:
        return self.method == "GET" and self._is_list_view()

    def _is_paginated_list(self) -> bool:
        return self._is_list() and self._get_paginator() is not None
