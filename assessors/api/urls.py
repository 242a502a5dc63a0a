"""The assessors app's API routes, mounted under /api/ by ``config.api_urls``."""

from django.urls import URLPattern

app_name = "assessors_api"
urlpatterns: list[URLPattern] = []
