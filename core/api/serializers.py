"""Serializers of the core API: the error shape, tokens and the signed-in user."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from core.audit_checkpoints import claim_of
from core.models import AuditCheckpoint, Notification, User
from core.notifications import render
from core.roles import Role, roles_of


class PortalErrorSerializer(serializers.Serializer):
    """What every refused request answers (see ``core.api.exceptions``); for the schema only."""

    code = serializers.CharField(help_text="Stable, machine-readable reason, e.g. `illegal_status_change`.")
    message = serializers.CharField(help_text="The reason in the request's language, for people.")
    detail = serializers.JSONField(
        allow_null=True, help_text="Per-field messages for `invalid`, otherwise facts about the refusal or null."
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the error statuses an operation can answer with."""
    descriptions = {
        400: "Invalid input; `code` says which rule refused it.",
        401: "No or wrong credentials.",
        403: "Signed in, but not allowed to do this.",
        404: "No such object, or not one the user may see.",
        409: "The object's current state does not allow this move.",
        429: "Too many requests from this client; `code` is `throttled`.",
    }
    return {status: OpenApiResponse(PortalErrorSerializer, description=descriptions[status]) for status in statuses}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        help_text=(
            "The current 6-digit code from the user's authenticator app. Required for secretariat and "
            "decision-maker accounts, and for any account that turned two-factor authentication on; "
            "without it they are refused with `otp_required`, with a wrong one with `otp_invalid`."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class UserSerializer(serializers.ModelSerializer[User]):
    """A portal user as other people see them."""

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email"]
        read_only_fields = fields


class CurrentUserSerializer(UserSerializer):
    """The signed-in user with their staff roles."""

    roles = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user: User) -> list[str]:
        return sorted(roles_of(user))


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    """A message of the user's inbox, in the language the request asks for."""

    subject = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "created_at", "read_at"]
        read_only_fields = fields

    def get_subject(self, notification: Notification) -> str:
        return render(notification)[0]

    def get_body(self, notification: Notification) -> str:
        return render(notification)[1]


class ReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


class AuditCheckpointPayloadSerializer(serializers.Serializer):
    """The object whose canonical JSON a checkpoint's signature covers; for the schema only."""

    kind = serializers.CharField(help_text="Always `portal-audit-checkpoint`.")
    sequence = serializers.IntegerField()
    hash = serializers.CharField()
    signed_at = serializers.CharField(help_text="UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.")


class AuditCheckpointSerializer(serializers.ModelSerializer[AuditCheckpoint]):
    """One signed head of the audit chain, with the data its signature covers."""

    signed_at_utc = serializers.SerializerMethodField(help_text="The signed time, as the payload states it.")
    payload = serializers.SerializerMethodField(
        help_text="What `signature` signs, as canonical JSON (sorted keys, no spaces, UTF-8); checked with "
        "the key `key_id` names (`/api/public/certificate-key/`)."
    )

    class Meta:
        model = AuditCheckpoint
        fields = ["sequence", "hash", "signed_at", "signed_at_utc", "key_id", "signature", "payload"]
        read_only_fields = fields
        extra_kwargs = {
            "sequence": {"help_text": "The number of the newest event the checkpoint signed."},
            "hash": {"help_text": "That event's hash in the chain."},
            "signature": {"help_text": "Ed25519 signature of the payload, base64."},
        }

    def get_signed_at_utc(self, checkpoint: AuditCheckpoint) -> str:
        return claim_of(checkpoint).signed_at

    @extend_schema_field(AuditCheckpointPayloadSerializer)
    def get_payload(self, checkpoint: AuditCheckpoint) -> dict[str, object]:
        return claim_of(checkpoint).payload
