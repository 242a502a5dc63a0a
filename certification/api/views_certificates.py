"""The API of accreditation certificates.

Staff and CAB members read certificates through ``accreditation_certificate_qs_for``; the
secretariat reissues and retries with POST actions. The public checks one certificate by its
number and reads the signing key, without an account, under the public rate limit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api.views import actor, validated, viewer
from certification.api.serializers_certificates import (
    AccreditationCertificateKeySerializer,
    AccreditationCertificateReissueSerializer,
    AccreditationCertificateSerializer,
    PublicAccreditationCertificateSerializer,
)
from certification.choices import IssueReason
from certification.models import AccreditationCertificate
from certification.selectors_certificates import (
    accreditation_certificate_qs_for,
    certificate_verification,
    public_certificate,
)
from certification.services_certificates import accreditation_certificate_issue, accreditation_certificate_retry
from core import signing
from core.api.serializers import error_responses
from core.api.throttling import PortalScopedRateThrottle


@extend_schema_view(
    list=extend_schema(
        summary="Accreditation certificates the user may read (staff: all; a CAB's members: their CAB's)",
        parameters=[OpenApiParameter("accreditation", int, description="Only this accreditation's certificates.")],
    ),
    retrieve=extend_schema(
        summary="One accreditation certificate, with its signed data",
        responses={200: AccreditationCertificateSerializer, **error_responses(401, 404)},
    ),
)
class AccreditationCertificateViewSet(viewsets.ReadOnlyModelViewSet[AccreditationCertificate]):
    """Accreditation certificates; the secretariat's moves are POST actions."""

    serializer_class = AccreditationCertificateSerializer
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[AccreditationCertificate]:
        certificates = accreditation_certificate_qs_for(viewer(self.request))
        accreditation = self.request.query_params.get("accreditation", "")
        if self.action == "list" and accreditation.isdigit():
            certificates = certificates.filter(accreditation_id=int(accreditation))
        return certificates.order_by("accreditation_id", "-sequence")

    def _respond(self, certificate: AccreditationCertificate, status: int = 200) -> Response:
        return Response(self.get_serializer(certificate).data, status=status)

    @extend_schema(
        summary="Reissue an accreditation's certificate (secretariat)",
        description=(
            "Issues the next certificate from the register as it stands, signed; the one in force is superseded and "
            "the PDF is rendered in the background. Refusals: `not_secretariat` (403); "
            "`accreditation_not_certifiable` (409)."
        ),
        request=AccreditationCertificateReissueSerializer,
        responses={201: AccreditationCertificateSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=False, methods=["post"])
    def reissue(self, request: Request) -> Response:
        data = validated(AccreditationCertificateReissueSerializer, request.data, self.get_serializer_context())
        certificate = accreditation_certificate_issue(
            accreditation=data["accreditation"], reason=IssueReason.REISSUE, actor=actor(request), note=data["reason"]
        )
        return self._respond(certificate, status=201)

    @extend_schema(
        summary="Render a failed certificate again (secretariat)",
        description="Refusals: `not_secretariat` (403); `illegal_status_change`, `certificate_replaced` (409).",
        request=None,
        responses={200: AccreditationCertificateSerializer, **error_responses(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        return self._respond(accreditation_certificate_retry(certificate=self.get_object(), actor=actor(request)))


@extend_schema_view(
    retrieve=extend_schema(
        summary="Verify an accreditation certificate by its number (public, no login)",
        description=(
            "The certificate's signed data and signature, whether the signature checks with the published key, and "
            "where the certificate stands today (a superseded one names the current certificate)."
        ),
        responses={200: PublicAccreditationCertificateSerializer, **error_responses(404, 429)},
    ),
)
class PublicAccreditationCertificateViewSet(viewsets.ViewSet):
    """The public check of accreditation certificates."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    def retrieve(self, request: Request, number: str) -> Response:
        certificate = public_certificate(number)
        if certificate is None:
            raise Http404(_("No accreditation certificate has this number."))
        serializer = PublicAccreditationCertificateSerializer(
            certificate_verification(certificate), context={"request": request}
        )
        return Response(serializer.data)


class CertificatePublicKeyView(APIView):
    """The key that checks the signatures of accreditation certificates (public, no login)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        summary="The public key that checks certificate signatures (public, no login)",
        responses={200: AccreditationCertificateKeySerializer, **error_responses(429)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = signing.public_key()
        data = {"key_id": signing.key_id_of(key), "algorithm": "Ed25519", "public_key_pem": signing.public_key_pem(key)}
        return Response(AccreditationCertificateKeySerializer(data).data)
