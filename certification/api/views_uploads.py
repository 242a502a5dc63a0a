"""The certificate uploads API: send a spreadsheet, then poll its state and read its errors.

Uploads are read through ``upload_qs_for`` (unseen: 404). ``POST`` names the CB in the body: a CB
the user may not see answers 404, one they see but may not upload for 403 (before the file is
read); the service checks again and refuses an unreadable file with 400 and a stable ``code``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accreditation.api.views import actor, validated, viewer
from accreditation.selectors import cab_qs_for
from certification import services_uploads
from certification.api.serializers_uploads import (
    CertificateUploadCreateSerializer,
    CertificateUploadSerializer,
    UploadRowErrorSerializer,
)
from certification.models import CertificateUpload
from certification.selectors_uploads import upload_qs_for
from core.api.serializers import error_responses


@extend_schema_view(
    list=extend_schema(summary="Certificate uploads I may see (a CB's members: their CB's), newest first"),
    retrieve=extend_schema(summary="One upload's status and counts (poll it while `status` is running)"),
)
class CertificateUploadViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CertificateUpload]
):
    serializer_class = CertificateUploadSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[CertificateUpload]:
        return upload_qs_for(viewer(self.request)).order_by("-created_at", "-pk")

    @extend_schema(
        summary="Upload a spreadsheet of certificates (multipart: `cb`, `file`); processed in the background",
        request={"multipart/form-data": CertificateUploadCreateSerializer},
        responses={202: CertificateUploadSerializer, **error_responses(400, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        cb_id = str(request.data.get("cb") or "")
        cb = cab_qs_for(viewer(request)).filter(pk=int(cb_id)).first() if cb_id.isdigit() else None
        if cb is None:
            raise NotFound()
        # Refuse an outsider before the file is read; the service checks again.
        services_uploads.require_may_upload(actor(request), cb)
        data = validated(CertificateUploadCreateSerializer, request.data, self.get_serializer_context())
        upload = services_uploads.upload_create(cb=cb, actor=actor(request), file=data["file"])
        upload.refresh_from_db()
        return Response(self.get_serializer(upload).data, status=status.HTTP_202_ACCEPTED)

    def get_object(self) -> CertificateUpload:
        upload = super().get_object()
        # One whose worker died is shown interrupted (and so marked) as soon as it is read.
        if services_uploads.is_stale(upload) and services_uploads.upload_interrupt_if_stale(upload.pk) is not None:
            upload.refresh_from_db()
        return upload

    @extend_schema(
        summary="Resume an interrupted or failed upload: it goes on after the last row it applied",
        request=None,
        responses={202: CertificateUploadSerializer, **error_responses(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        upload = services_uploads.upload_resume(upload=self.get_object(), actor=actor(request))
        return Response(self.get_serializer(upload).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Every problem of every row of the upload, by row (paginated)",
        responses={200: UploadRowErrorSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], serializer_class=UploadRowErrorSerializer)
    def errors(self, request: Request, pk: str) -> Response:
        upload = self.get_object()
        paginator = self.paginator
        assert paginator is not None
        page = paginator.paginate_queryset(upload.row_errors.order_by("row", "pk"), request, view=self)
        return paginator.get_paginated_response(UploadRowErrorSerializer(page, many=True).data)
