"""Core endpoints: exchanging a user name and password for an API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import TokenRequestSerializer, TokenSerializer, error_responses
from core.api.throttling import PortalScopedRateThrottle, rate_of
from core.errors import DomainError


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
            f"Limited to {rate_of('auth')} per client address."
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
        # The token is authentication state, not register data: no service or audit event.
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data, status=status.HTTP_200_OK)
