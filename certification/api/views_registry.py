"""The registry API: the certificates a user may see, and the batch report of a certification body."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accreditation.selectors import cab_qs_for
from certification.api.serializers_registry import (
    RegistryBatchResultSerializer,
    RegistryBatchSerializer,
    RegistryCertificateSerializer,
)
from certification.models import IssuedCertificate
from certification.rows import RowError
from certification.selectors_registry import issued_certificate_qs_for
from certification.services_registry import certificates_report_batch
from core.api.serializers import error_responses
from core.models import User


@extend_schema_view(
    list=extend_schema(summary="Certificates issued by the bodies the user may see (members: their own body)"),
    retrieve=extend_schema(
        summary="One issued certificate with its sites and status history",
        responses={200: RegistryCertificateSerializer, **error_responses(404)},
    ),
)
class IssuedCertificateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[IssuedCertificate]
):
    """Certificates certification bodies reported; filter with `?cb=`, `?status=`, `?is_accredited=`."""

    serializer_class = RegistryCertificateSerializer
    filterset_fields = ["cb", "status", "is_accredited", "certification_type"]

    def get_queryset(self) -> QuerySet[IssuedCertificate]:
        return (
            issued_certificate_qs_for(self.request.user)
            .prefetch_related("sites", "status_changes")
            .order_by("cb_id", "certificate_number", "pk")
        )

    @extend_schema(
        summary="Report a batch of up to 1,000 certificates (members of the body, secretariat)",
        description=(
            "Validates every row and applies the valid ones; idempotent by certification identity number "
            "(sending a batch again changes nothing). Answers per row whether it applied, or its errors. "
            "More than 1,000 certificates: 400 `batch_too_large`. A body the user may not see: 404; a body "
            "the user may not report for: 403 `outside_cab`; a body that is not a certification body: 400 "
            "`not_certification_body`."
        ),
        request=RegistryBatchSerializer,
        responses={200: RegistryBatchResultSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request: Request) -> Response:
        data = RegistryBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cb = get_object_or_404(cab_qs_for(request.user, "view"), pk=data.validated_data["cb"])
        user = request.user
        assert isinstance(user, User)
        certificates: list[dict[str, Any]] = data.validated_data["certificates"]
        upload, valid, errors = certificates_report_batch(cb=cb, actor=user, certificates=certificates)
        by_row: dict[int, list[RowError]] = defaultdict(list)
        for error in errors:
            by_row[error.row].append(error)
        rows = [
            {
                "row": number,
                "identity_number": str(values.get("certification_identity_number") or "").strip(),
                "applied": number not in by_row,
                "errors": [
                    {"field": error.field, "value": error.value, "code": error.code, "message": error.message}
                    for error in by_row.get(number, [])
                ],
            }
            for number, values in enumerate(certificates, start=1)
        ]
        result = {"upload": upload.pk, "applied": len(valid), "refused": len(by_row), "rows": rows}
        return Response(RegistryBatchResultSerializer(result).data, status=status.HTTP_200_OK)
