"""Notifications: an in-app inbox and an e-mail for each message, sent to the right people.

Each app registers its messages (``register``) with a translatable subject and body whose
placeholders come from ``params``; services call ``notify`` inside their transaction. The
rows commit with the change that caused them, and the e-mails go out after commit through a
Celery task, so a rolled-back move notifies nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from core.models import Notification, User


@dataclass(frozen=True)
class Message:
    subject: str | Promise
    body: str | Promise


MESSAGES: dict[str, Message] = {}


def register(kind: str, *, subject: str | Promise, body: str | Promise) -> None:
    """Declare a message; ``subject`` and ``body`` are lazy translations with ``{name}`` placeholders."""
    MESSAGES[kind] = Message(subject=subject, body=body)


class _Lenient(dict[str, Any]):
    """Leave an unknown placeholder visible rather than fail when old params meet a new text."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(notification: Notification) -> tuple[str, str]:
    """Subject and body in the active language."""
    message = MESSAGES.get(notification.kind)
    if message is None:
        return notification.kind, ""
    params = _Lenient(notification.params)
    return str(message.subject).format_map(params), str(message.body).format_map(params)


def notify(
    *, recipients: Iterable[User], kind: str, params: Mapping[str, Any], link: str = "", exclude: User | None = None
) -> list[Notification]:
    """Put the message in each recipient's inbox and e-mail it after commit (the actor is left out)."""
    if kind not in MESSAGES:
        raise KeyError(f"No notification message is registered as {kind!r}.")
    users = {user.pk: user for user in recipients if user.is_active and (exclude is None or user.pk != exclude.pk)}
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, params=dict(params), link=link) for user in users.values()
    )
    ids = [n.pk for n in notifications]
    if ids:
        from core.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return notifications


def notifications_of(user: User) -> QuerySet[Notification]:
    """A user's own inbox; nobody sees anyone else's."""
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def notification_mark_read(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user: User) -> int:
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
