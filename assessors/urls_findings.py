"""Pages of assessment findings, included by ``assessors.urls`` (namespace ``assessors``)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
