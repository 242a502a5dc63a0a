"""Users of the portal and the append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: accreditation-body staff, an assessor or a CAB's employee.

    Roles are groups (``core.roles``); membership of a CAB is ``accreditation.CabMembership``.
    Chinese names do not split into first and last name, so one ``full_name`` is kept.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit trail is append-only: audit events cannot be updated.")

    def delete(self) -> NoReturn:
        raise TypeError("The audit trail is append-only: audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One state change of one aggregate: who did what, when, why, and the values before and after.

    Rows are written only by ``core.audit.audit_record``, called by the service that makes the
    change, in the same transaction, with their content only. Once that transaction commits,
    ``core.audit.seal_pending_events`` seals them into the chain: it numbers them (``sequence``) in
    the order they are sealed and gives each the hash of the one before it (``prev_hash``) and its
    own (``hash``), so ``manage.py verify_audit_trail`` detects an edited, inserted or deleted row.
    Until then those three are empty (``sequence`` NULL): ``id`` is the order rows were written in.
    On PostgreSQL a trigger refuses DELETE and every UPDATE but the one that seals an unsealed row.
    """

    #: Empty until the row is sealed into the chain, a moment after its transaction commits.
    sequence = models.BigIntegerField(_("sequence"), unique=True, null=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when a scheduled job made the change."),
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    aggregate_type = models.CharField(_("object type"), max_length=100)
    aggregate_id = models.CharField(_("object id"), max_length=64)
    cab_id = models.BigIntegerField(_("CAB id"), null=True, blank=True, db_index=True)
    event_type = models.CharField(_("event"), max_length=80)
    reason = models.TextField(_("reason"), blank=True)
    old_values = models.JSONField(_("old values"), default=dict)
    new_values = models.JSONField(_("new values"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # Newest first, in the order rows were written (``sequence`` is empty until the row is sealed).
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["aggregate_type", "aggregate_id", "-id"], name="audit_aggregate_idx")]

    def __str__(self) -> str:
        number = self.sequence if self.sequence is not None else "-"
        return f"#{number} {self.event_type} {self.aggregate_type}:{self.aggregate_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only inserts: sealing writes its three columns with plain SQL (``core.audit``), nothing else
        # changes a row. A new instance carrying an existing key would make Django UPDATE that row:
        # refuse it too.
        overwrites = self.pk is not None and AuditEvent.objects.filter(pk=self.pk).exists()
        if not self._state.adding or overwrites:
            raise TypeError("The audit trail is append-only: audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit trail is append-only: audit events cannot be deleted.")


class AuditCheckpoint(models.Model):
    """The audit chain's head as the portal signed it, published so that copies are kept outside it.

    Written daily by ``core.audit_checkpoints.audit_checkpoint_sign`` (beat), with the Ed25519 key
    that signs accreditation certificates (``core.signing``). The chain alone shows that no sealed
    event was changed or removed since it was sealed, but somebody able to write to the database
    could rebuild the whole chain; a checkpoint that anyone copied from the public page proves
    that the events up to it are still the ones the portal signed.
    """

    sequence = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)
    signed_at = models.DateTimeField(_("signed at"), editable=False)
    signature = models.CharField(_("signature"), max_length=128, editable=False)
    key_id = models.CharField(_("key id"), max_length=16, editable=False)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash}"


class Notification(models.Model):
    """One message in one user's inbox, e-mailed to them as well.

    The text is not stored: ``kind`` names a message registered in ``core.notifications`` and
    ``params`` fills its placeholders, so each reader sees it in their own language.
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=80)
    params = models.JSONField(_("parameters"), default=dict)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class TaskOutbox(models.Model):
    """One Celery task call the broker could not take when it was made, waiting to be sent again.

    Written by ``config.celery.PortalTask`` when the broker is unreachable and deleted by
    ``config.celery.flush_task_outbox`` once the message is on the broker; ``task_id`` is the id
    the caller was given, kept so the task runs under it.
    """

    task = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    options = models.JSONField(_("options"), default=dict)
    error = models.TextField(_("broker error"), blank=True)
    created_at = models.DateTimeField(_("kept"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")

    def __str__(self) -> str:
        return f"{self.task} {self.task_id}"
