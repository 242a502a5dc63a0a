"""Every API error has the shape ``{"code", "message", "detail"}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError


def portal_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.http_status)
    # DRF turns Django's own 404 and 403 (``get_object_or_404`` raises Http404) into its
    # exceptions inside ``exception_handler``; convert first so they get the same shape.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "message": str(_("The request has invalid fields.")),
            "detail": response.data,
        }
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail") if isinstance(response.data, dict) else response.data
        code = exc.get_codes()
        response.data = {
            "code": code if isinstance(code, str) else "error",
            "message": str(detail),
            "detail": None,
        }
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        response.data["code"] = "throttled"
    return response


# Where ``config.urls`` mounts the API.
API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (``handler404``): an API address that matches no route answers in the API's shape.

    Without it, ``/api/cabs/0.5/`` (an id the routes' patterns do not accept) or a mistyped path
    answered an HTML page to a JSON client.
    """
    if request.path.startswith(API_PREFIX):
        body = {"code": "not_found", "message": str(exceptions.NotFound.default_detail), "detail": None}
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)
