"""The public notices API under ``/api/public/notices/``: anyone, no login, rate-limited like the directory."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny

from core.api.serializers import error_responses
from core.api.throttling import PortalScopedRateThrottle
from surveillance.api.serializers_notices import PublicNoticeSerializer
from surveillance.choices import NoticeKind
from surveillance.models import PublicNotice
from surveillance.selectors_notices import public_notices

_KIND = OpenApiParameter("kind", OpenApiTypes.STR, enum=NoticeKind.values, description="Only notices of this kind.")


@extend_schema_view(
    list=extend_schema(
        summary="Public notices, newest first (anyone, no login)",
        parameters=[_KIND],
        responses={200: PublicNoticeSerializer(many=True), **error_responses(429)},
    ),
    retrieve=extend_schema(
        summary="One public notice", responses={200: PublicNoticeSerializer, **error_responses(404, 429)}
    ),
)
class PublicNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[PublicNotice]):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    filter_backends: list[type] = []
    serializer_class = PublicNoticeSerializer

    def get_queryset(self) -> QuerySet[PublicNotice]:
        if self.action == "list":
            return public_notices(self.request.query_params.get("kind", ""))
        return public_notices()
