"""Permission-matrix entries of the inbox pages and API: a message is its recipient's alone."""

from __future__ import annotations

from core.models import Notification
from tests.matrix import HIDE, OK, Case, World, api, signed_in

MINE_ONLY = signed_in(HIDE, cab_member=OK)


def build(world: World) -> None:
    member = world.users["cab_member"]
    assert member is not None
    world.extra["notification"] = Notification.objects.create(
        recipient=member, kind="application.submitted", params={"reference": "APP-2026-000001"}, link="/cab/"
    )


def _notification(world: World) -> dict[str, int]:
    return {"pk": world.extra["notification"].pk}


ENTRIES: dict[str, list[Case]] = {
    "inbox": [Case(signed_in(OK))],
    "my_work": [Case(signed_in(OK))],
    "notification_open": [Case(MINE_ONLY, method="post", kwargs=_notification)],
    "notification_read_all": [Case(signed_in(OK), method="post")],
    "core_api:notification-list": [api(signed_in(OK))],
    "core_api:notification-detail": [api(MINE_ONLY, kwargs=_notification)],
    "core_api:notification-read": [api(MINE_ONLY, method="post", kwargs=_notification)],
    "core_api:notification-read-all": [api(signed_in(OK), method="post")],
}
