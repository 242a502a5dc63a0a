"""API routes of assessment findings, registered on the assessors router by ``assessors.api.urls``."""

from rest_framework.routers import SimpleRouter


def register(router: SimpleRouter) -> None:
    """Add this module's viewsets to the app's router."""
