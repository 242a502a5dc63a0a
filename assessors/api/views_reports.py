"""The reports API: thin viewsets over ``assessors.selectors_reports`` and ``assessors.services_reports``.

Every queryset comes from a ``*_qs_for`` selector (unseen: 404). Each move is a POST action (or a
PATCH/DELETE on a draft's finding) that calls its service; the service decides who may make it
(403) and whether the state allows it (409), with a stable ``code``. The writes on findings live
under ``report-findings``; reading findings and answering them is the corrective actions' API.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accreditation.api.serializers import file_download_responses
from accreditation.api.views import actor, validated, viewer
from assessors import services_reports
from assessors.api.serializers_reports import (
    AmendSerializer,
    AttachmentUploadSerializer,
    FindingPatchSerializer,
    FindingWriteSerializer,
    ItemRecommendationSerializer,
    RecommendationInputSerializer,
    RemoteDetailsInputSerializer,
    RemoteDetailsSerializer,
    RemoteSessionSerializer,
    ReportAttachmentSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
)
from assessors.models_reports import AssessmentReport, Finding, ReportAttachment
from assessors.models_teams import RemoteSession
from assessors.selectors_reports import (
    finding_qs_for,
    is_working_member,
    remote_session_qs_for,
    report_attachment_qs_for,
    report_qs_for,
)
from assessors.views_reports import attachment_response
from core.api.serializers import error_responses
from core.errors import NotPermitted


def _move(summary: str, response: Any, request: Any, code: int = 200) -> Any:
    return extend_schema(
        summary=summary, request=request, responses={code: response, **error_responses(400, 403, 404, 409)}
    )


@extend_schema_view(
    list=extend_schema(summary="Report versions I may read (a CAB: only submitted and superseded ones)"),
    retrieve=extend_schema(summary="One report version with its recommendations, findings and attachments"),
    create=extend_schema(
        summary="Start version 1 of an assessment's report as a draft (a working member of the confirmed team)",
        responses={201: ReportSerializer, **error_responses(400, 403, 409)},
    ),
    partial_update=extend_schema(
        summary="Edit the draft's summary and conclusion (a working team member)",
        request=ReportUpdateSerializer,
        responses={200: ReportSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[AssessmentReport]
):
    """Assessment reports, one row per version; the team drafts, the lead assessor submits and amends."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[AssessmentReport]:
        return (
            report_qs_for(viewer(self.request))
            .prefetch_related("recommendations", "findings", "attachments__uploaded_by")
            .order_by("assessment_id", "-version")
        )

    def perform_create(self, serializer: BaseSerializer[AssessmentReport]) -> None:
        serializer.instance = services_reports.report_start(
            assessment=serializer.validated_data["assessment"], actor=actor(self.request)
        )

    def _respond(self, report: AssessmentReport, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data, status=code)

    def partial_update(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        data = validated(ReportUpdateSerializer, request.data, self.get_serializer_context())
        report = services_reports.report_update(
            report=report,
            actor=actor(request),
            summary=data.get("summary", report.summary),
            conclusion=data.get("conclusion", report.conclusion),
        )
        return self._respond(report)

    @_move(
        "Submit the draft; it is locked and its findings come into force (the lead assessor)", ReportSerializer, None
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._respond(services_reports.report_submit(report=self.get_object(), actor=actor(request)))

    @_move(
        "Start an amendment: a new draft version of a submitted report (the lead assessor)",
        ReportSerializer,
        AmendSerializer,
        code=201,
    )
    @action(detail=True, methods=["post"])
    def amend(self, request: Request, pk: str) -> Response:
        data = validated(AmendSerializer, request.data, self.get_serializer_context())
        amendment = services_reports.report_amend(report=self.get_object(), actor=actor(request), reason=data["reason"])
        return self._respond(amendment, status.HTTP_201_CREATED)

    @_move(
        "Set the recommendation on one scope item of the draft (a working team member)",
        ItemRecommendationSerializer,
        RecommendationInputSerializer,
    )
    @action(detail=True, methods=["post"])
    def recommendations(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        data = validated(RecommendationInputSerializer, request.data, self.get_serializer_context())
        row = services_reports.report_recommendation_set(
            report=report,
            actor=actor(request),
            item=data["item"],
            recommendation=data["recommendation"],
            conditions=data["conditions"],
        )
        return Response(ItemRecommendationSerializer(row).data)

    @_move(
        "Attach a file to the draft (multipart; a working team member)",
        ReportAttachmentSerializer,
        {"multipart/form-data": AttachmentUploadSerializer},
        code=201,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        # Refuse an outsider before the upload is read; the service checks again under its lock.
        if not is_working_member(actor(request), report.assessment):
            raise NotPermitted("not_team_member", _("Only a member of the assessment team may write its report."))
        data = validated(AttachmentUploadSerializer, request.data, self.get_serializer_context())
        attachment = services_reports.report_attachment_add(report=report, actor=actor(request), upload=data["file"])
        return Response(
            ReportAttachmentSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="Attachments of the report versions I may read"),
    retrieve=extend_schema(summary="One attachment's label and size"),
    destroy=extend_schema(
        summary="Remove an attachment from a draft (a working team member)",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class ReportAttachmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ReportAttachment],
):
    serializer_class = ReportAttachmentSerializer

    def get_queryset(self) -> QuerySet[ReportAttachment]:
        return report_attachment_qs_for(viewer(self.request)).order_by("report_id", "pk")

    def perform_destroy(self, instance: ReportAttachment) -> None:
        services_reports.report_attachment_remove(attachment=instance, actor=actor(self.request))

    @extend_schema(
        summary="Download the file (whoever may read the report version)",
        responses={
            **file_download_responses(),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        return attachment_response(self.get_object())


@extend_schema_view(
    list=extend_schema(summary="Findings of the report versions I may read"),
    retrieve=extend_schema(summary="One finding"),
    create=extend_schema(
        summary="Raise a finding in a draft report (a working team member); numbered per assessment",
        responses={201: FindingWriteSerializer, **error_responses(400, 403, 409)},
    ),
    partial_update=extend_schema(
        summary="Change a finding raised in the draft (a working team member)",
        request=FindingPatchSerializer,
        responses={200: FindingWriteSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Remove a finding raised in the draft (a working team member)",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class ReportFindingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Finding],
):
    """The team's writes on the findings of a draft report version."""

    serializer_class = FindingWriteSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[Finding]:
        return finding_qs_for(viewer(self.request)).order_by("assessment_id", "number")

    def perform_create(self, serializer: BaseSerializer[Finding]) -> None:
        data = serializer.validated_data
        serializer.instance = services_reports.finding_add(
            report=data["report"],
            actor=actor(self.request),
            kind=data["kind"],
            grade=data.get("grade", ""),
            clause=data["clause"],
            statement=data["statement"],
            evidence=data["evidence"],
            item=data.get("item"),
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        finding = self.get_object()
        data = validated(FindingPatchSerializer, request.data, self.get_serializer_context())
        finding = services_reports.finding_update(finding=finding, actor=actor(request), **data)
        return Response(self.get_serializer(finding).data)

    def perform_destroy(self, instance: Finding) -> None:
        services_reports.finding_remove(finding=instance, actor=actor(self.request))


@extend_schema_view(
    list=extend_schema(summary="Sessions of the remote and hybrid assessments I may read"),
    retrieve=extend_schema(summary="One remote session"),
    create=extend_schema(
        summary="Record a session of a remote or hybrid assessment (a working team member or the secretariat)",
        responses={201: RemoteSessionSerializer, **error_responses(400, 403, 409)},
    ),
    destroy=extend_schema(
        summary="Remove a remote session (a working team member or the secretariat)",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class RemoteSessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[RemoteSession],
):
    """Live sessions of remote and hybrid assessments (IAF MD 4), and the ICT details of the assessment."""

    serializer_class = RemoteSessionSerializer

    def get_queryset(self) -> QuerySet[RemoteSession]:
        return remote_session_qs_for(viewer(self.request)).order_by("assessment_id", "starts_at", "pk")

    def perform_create(self, serializer: BaseSerializer[RemoteSession]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services_reports.remote_session_add(
            assessment=data.pop("assessment"), actor=actor(self.request), **data
        )

    def perform_destroy(self, instance: RemoteSession) -> None:
        services_reports.remote_session_remove(session=instance, actor=actor(self.request))

    @_move(
        "Record the ICT used, its test with the CAB and its security (the secretariat or the lead assessor)",
        RemoteDetailsSerializer,
        RemoteDetailsInputSerializer,
    )
    @action(detail=False, methods=["post"])
    def details(self, request: Request) -> Response:
        data = validated(RemoteDetailsInputSerializer, request.data, self.get_serializer_context())
        assessment = services_reports.assessment_remote_details_update(actor=actor(request), **data)
        return Response(RemoteDetailsSerializer(assessment).data)
