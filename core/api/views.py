"""Core endpoints: exchanging a user name and password for an API token, the user's inbox and the
audit trail's public checkpoints."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import (
    AuditCheckpointSerializer,
    NotificationSerializer,
    ReadAllSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    error_responses,
)
from core.api.throttling import PortalScopedRateThrottle, rate_of
from core.errors import DomainError
from core.lockout import login_failed
from core.models import AuditCheckpoint, Notification, User
from core.notifications import notification_mark_read, notifications_mark_all_read, notifications_of
from core.two_factor import code_accepted, confirmed_device, two_factor_required


class TokenObtainView(APIView):
    """Machine clients trade a user name and password for the user's one token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtain an API token",
        description=(
            "Answers the user's token (the same one on every call until an administrator revokes it). "
            "Accounts with two-factor authentication (secretariat, decision makers, and anyone who turned it "
            "on) also send `otp_token`, the current code of their authenticator app. "
            f"Limited to {rate_of('auth')} per client address; after {settings.AXES_FAILURE_LIMIT} failed "
            "logins a user name is locked out from that address for a while (429, code `locked_out`)."
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise DomainError(
                "invalid_credentials", _("The user name or password is wrong, or the account is disabled.")
            )
        self.check_second_factor(request, user, serializer.validated_data.get("otp_token"))
        # The token is authentication state, not register data: no service or audit event.
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data, status=status.HTTP_200_OK)

    @staticmethod
    def check_second_factor(request: Request, user: User, code: str | None) -> None:
        """Users who sign in with a second factor give its code here too, or a password alone would
        be enough for a token. A wrong code counts as a failed login for the lockout."""
        device = confirmed_device(user)
        if device is None:
            if two_factor_required(user):
                raise DomainError(
                    "two_factor_setup_required",
                    _(
                        "This account must use two-factor authentication: log in to the portal once to set up "
                        "your authenticator app, then ask for a token with its code."
                    ),
                )
            return
        if not code:
            raise DomainError(
                "otp_required",
                _("This account uses two-factor authentication: send the current 6-digit code as otp_token."),
            )
        if not code_accepted(user, device, code):
            # The lockout middleware answers instead when this failure locked the user out.
            login_failed(request._request, user.get_username())
            raise DomainError("otp_invalid", _("The two-factor code is wrong or has expired."))


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notification]):
    """The signed-in user's inbox; nobody sees anyone else's messages."""

    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not isinstance(user, User):
            return Notification.objects.none()  # schema generation, or a request not signed in
        return notifications_of(user)

    @extend_schema(request=None, responses={200: NotificationSerializer, **error_responses(401, 404)})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        notification_mark_read(notification=notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: ReadAllSerializer, **error_responses(401)})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        return Response({"marked_read": notifications_mark_all_read(user=user)})


@extend_schema_view(
    list=extend_schema(
        summary="The audit trail's signed checkpoints, newest first (public, no login)",
        responses={200: AuditCheckpointSerializer(many=True), **error_responses(404, 429)},
    )
)
class PublicAuditCheckpointViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[AuditCheckpoint]):
    """The chain's head as the portal signed it each day, for anyone to keep (``core.audit_checkpoints``)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    serializer_class = AuditCheckpointSerializer
    queryset = AuditCheckpoint.objects.order_by("-sequence")
