"""Background work of the core app."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation

from core.audit import seal_pending_events
from core.audit_checkpoints import audit_checkpoint_sign
from core.models import Notification
from core.notifications import render


@shared_task(time_limit=300, soft_time_limit=270)
def seal_audit_trail() -> int:
    """Every minute (beat): seal the audit events whose after-commit seal never ran (its process died)."""
    return seal_pending_events()


@shared_task(time_limit=1800, soft_time_limit=1700)
def sign_audit_checkpoint() -> int | None:
    """Daily (beat): sign the audit chain's head for the public checkpoints; its sequence, or None if unchanged.

    A chain broken since the last checkpoint raises ``ChainBrokenError``: the task fails with the
    problem, in the worker's log and the result backend, and nothing is signed.
    """
    checkpoint = audit_checkpoint_sign()
    return checkpoint.sequence if checkpoint else None


@shared_task(time_limit=120, soft_time_limit=100)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification not e-mailed yet, in Chinese and English; return how many went out."""
    sent = 0
    pending = Notification.objects.select_related("recipient").filter(pk__in=notification_ids, emailed_at__isnull=True)
    for notification in pending:
        address = notification.recipient.email
        if not address:
            continue
        # Claim the row first: of two workers running this task, only one sends each message.
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        parts, subject = [], ""
        for language in ("zh-hans", "en"):
            with translation.override(language):
                title, body = render(notification)
                subject = subject or title
                link = f"\n{settings.SITE_URL}{notification.link}" if notification.link else ""
                parts.append(f"{title}\n\n{body}{link}")
        send_mail(subject, "\n\n----\n\n".join(parts), None, [address])
        sent += 1
    return sent
