"""Pages of the assessors app, mounted at the site root by ``config.urls``."""

from django.urls import URLPattern

app_name = "assessors"
urlpatterns: list[URLPattern] = []
