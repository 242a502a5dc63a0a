"""Who reads which draw: the public the published ones, staff all of them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accreditation.selectors import AnyUser
from core.models import User
from core.roles import is_staff_reader
from surveillance.choices import DrawStatus
from surveillance.models import DrawnBody, SupervisionDraw


def _with_bodies(draws: QuerySet[SupervisionDraw]) -> QuerySet[SupervisionDraw]:
    bodies = DrawnBody.objects.select_related("cab").prefetch_related(
        Prefetch("inspectors", queryset=User.objects.order_by("full_name", "username"))
    )
    return draws.select_related("programme", "run_by").prefetch_related(Prefetch("bodies", queryset=bodies))


def published_draw_qs() -> QuerySet[SupervisionDraw]:
    return _with_bodies(SupervisionDraw.objects.filter(status=DrawStatus.PUBLISHED)).order_by("-published_at", "-pk")


def draw_qs_for(user: AnyUser) -> QuerySet[SupervisionDraw]:
    if not user.is_authenticated or not is_staff_reader(user):
        return SupervisionDraw.objects.none()
    return _with_bodies(SupervisionDraw.objects.all())


def drawn_body_qs_for(user: AnyUser) -> QuerySet[DrawnBody]:
    if not user.is_authenticated or not is_staff_reader(user):
        return DrawnBody.objects.none()
    return DrawnBody.objects.select_related("draw", "cab")
