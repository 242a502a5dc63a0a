"""The public certificate lookup API: anonymous, read-only, rate limited like ``/api/public/cabs/``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from certification import selectors_lookup
from certification.api.serializers_lookup import (
    PublicIssuedCertificateDetailSerializer,
    PublicIssuedCertificatePageSerializer,
    PublicIssuedCertificateQuerySerializer,
    PublicIssuedCertificateSerializer,
)
from certification.models import IssuedCertificate
from core.api.serializers import error_responses
from core.api.throttling import PortalScopedRateThrottle, rate_of

_PUBLIC_LIMIT = (
    "No login. Limited to {rate} per client address (the `public` scope, shared with the public "
    "directory); past it the answer is 429 with code `throttled`."
).format(rate=rate_of("public"))


@extend_schema_view(
    list=extend_schema(
        summary="Look up certificates issued by certification bodies",
        description=(
            "`q` is taken for a credit code, a certificate number or a name fragment (see `kind` in "
            "the answer); a one-character fragment answers 400 `query_too_short`. Twenty per page in a "
            "stable order; follow `next` for the following page (a keyset cursor, no page numbers). "
            f"Counting stops past {selectors_lookup.COUNT_CAP} (`count_is_capped`). Drafts are never shown. "
            + _PUBLIC_LIMIT
        ),
        parameters=[PublicIssuedCertificateQuerySerializer],
        responses={200: PublicIssuedCertificatePageSerializer, **error_responses(400, 429)},
    ),
    retrieve=extend_schema(
        summary="One certificate, with its sites and status history",
        description=_PUBLIC_LIMIT,
        responses={200: PublicIssuedCertificateDetailSerializer, **error_responses(404, 429)},
    ),
)
class PublicCertificateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[IssuedCertificate]
):
    """The public lookup: what CBs reported, except drafts."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    filter_backends: list[type] = []
    pagination_class = None

    def get_serializer_class(self) -> type[BaseSerializer[IssuedCertificate]]:
        return (
            PublicIssuedCertificateDetailSerializer if self.action == "retrieve" else PublicIssuedCertificateSerializer
        )

    def get_queryset(self) -> QuerySet[IssuedCertificate]:
        return selectors_lookup.public_certificate_detail_qs()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = PublicIssuedCertificateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = selectors_lookup.certificate_lookup(**query.validated_data)
        next_url = None
        if page.next_cursor:
            params = request.query_params.copy()
            params["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response(
            {
                "kind": page.recognised.kind,
                "count": page.shown_count,
                "count_is_capped": page.count_is_capped,
                "next": next_url,
                "results": PublicIssuedCertificateSerializer(page.certificates, many=True).data,
            }
        )
