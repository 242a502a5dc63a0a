"""The findings and corrective-actions API: thin viewsets over ``selectors_findings`` and ``services_findings``.

Every queryset comes from a ``*_qs_for`` selector (unseen: 404). Each move is a POST action that
calls its service; the service decides who may make it (403) and whether the state allows it
(409), with a stable ``code``. Findings are written with their report (basename
``report-finding``); here they are read and answered.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accreditation.api.serializers import file_download_responses
from accreditation.api.views import actor, validated, viewer
from accreditation.uploads import media_type
from assessors import services_findings
from assessors.api.serializers_findings import (
    CloseAfterDeadlineSerializer,
    CorrectiveActionAnswerSerializer,
    CorrectiveActionCommentSerializer,
    CorrectiveActionSerializer,
    FindingSerializer,
)
from assessors.choices import FindingKind, FindingStatus
from assessors.models_reports import CorrectiveAction, CorrectiveActionAttachment, Finding
from assessors.models_teams import Assessment
from assessors.selectors_findings import (
    corrective_action_attachment_qs_for,
    corrective_action_qs_for,
    finding_qs_for,
    overdue_q,
)
from core.api.serializers import error_responses


def attachment_response(attachment: CorrectiveActionAttachment) -> FileResponse:
    """The stored file, sent as an attachment under its sanitised label."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.label,
        content_type=media_type(attachment.label),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class FindingFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=FindingStatus.choices)
    kind = django_filters.ChoiceFilter(choices=FindingKind.choices)
    assessment = django_filters.NumberFilter(field_name="assessment_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Open nonconformities past their deadline")

    class Meta:
        model = Finding
        fields = ["status", "kind", "assessment", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Finding], name: str, value: bool | None) -> QuerySet[Finding]:
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())


def _answers() -> Prefetch[Any]:
    return Prefetch(
        "corrective_actions",
        queryset=CorrectiveAction.objects.select_related("submitted_by", "reviewed_by", "finding")
        .prefetch_related("attachments")
        .order_by("submitted_at", "pk"),
    )


def _move(summary: str, request: Any, response: type[BaseSerializer[Any]], *, status: int = 200) -> Any:
    return extend_schema(
        summary=summary, request=request, responses={status: response, **error_responses(400, 403, 404, 409)}
    )


@extend_schema_view(
    list=extend_schema(summary="Findings the user may see, with their answers (filters: status, overdue, assessment)"),
    retrieve=extend_schema(summary="One finding with every answer and verdict"),
)
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Finding]):
    """Findings the user may see: the CAB answers a nonconformity; the secretariat closes a case after the deadline."""

    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Finding]:
        return finding_qs_for(viewer(self.request)).prefetch_related(_answers()).order_by("assessment_id", "number")

    @_move(
        "Answer an open nonconformity (a member of the assessed CAB); multipart to attach files",
        {"multipart/form-data": CorrectiveActionAnswerSerializer, "application/json": CorrectiveActionAnswerSerializer},
        CorrectiveActionSerializer,
        status=201,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        finding = self.get_object()
        data = validated(CorrectiveActionAnswerSerializer, request.data, self.get_serializer_context())
        corrective_action = services_findings.corrective_action_submit(
            finding=finding,
            actor=actor(request),
            correction=data["correction"],
            root_cause=data["root_cause"],
            action=data["action"],
            evidence=data["evidence"],
            uploads=data["files"],
        )
        return Response(
            CorrectiveActionSerializer(corrective_action, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Close a reported assessment whose open nonconformities are all past their deadline (secretariat)",
        request=CloseAfterDeadlineSerializer,
        responses={200: FindingSerializer(many=True), **error_responses(400, 403, 409)},
    )
    # ``pagination_class=None``: the answer is the assessment's findings, all of them, not a page
    # (the schema had documented a page object).
    @action(
        detail=False,
        methods=["post"],
        url_path="close-after-deadline",
        url_name="close-after-deadline",
        pagination_class=None,
    )
    def close_after_deadline(self, request: Request) -> Response:
        data = validated(CloseAfterDeadlineSerializer, request.data, self.get_serializer_context())
        assessment: Assessment = data["assessment"]
        services_findings.assessment_close_after_deadline(
            assessment=assessment, actor=actor(request), reason=data["reason"]
        )
        findings = self.get_queryset().filter(assessment=assessment)
        return Response(self.get_serializer(findings, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Answers to nonconformities the user may see"),
    retrieve=extend_schema(summary="One answer with its files and the assessor's verdict"),
)
class CorrectiveActionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CorrectiveAction]
):
    """The CAB's answers; an assessor working on the assessment accepts or rejects them."""

    serializer_class = CorrectiveActionSerializer

    def get_queryset(self) -> QuerySet[CorrectiveAction]:
        answers = corrective_action_qs_for(viewer(self.request)).prefetch_related("attachments")
        finding = self.request.query_params.get("finding", "")
        if self.action == "list" and finding.isdigit():
            answers = answers.filter(finding_id=int(finding))
        return answers.order_by("finding_id", "submitted_at", "pk")

    def _review(self, request: Request, *, accept: bool) -> Response:
        corrective_action = self.get_object()
        data = validated(CorrectiveActionCommentSerializer, request.data, self.get_serializer_context())
        reviewed = services_findings.corrective_action_review(
            corrective_action=corrective_action, actor=actor(request), accept=accept, comment=data["comment"]
        )
        return Response(self.get_serializer(reviewed).data)

    @_move(
        "Accept the answer: the nonconformity closes (an assessor on the team)",
        CorrectiveActionCommentSerializer,
        CorrectiveActionSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._review(request, accept=True)

    @_move(
        "Reject the answer with a comment: the CAB answers again (an assessor on the team)",
        CorrectiveActionCommentSerializer,
        CorrectiveActionSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._review(request, accept=False)

    @extend_schema(
        summary="Download a file of the answer",
        responses={
            **file_download_responses(),
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)", url_name="attachment")
    def attachment(self, request: Request, pk: str, attachment_pk: str) -> FileResponse:
        corrective_action = self.get_object()
        attachments = corrective_action_attachment_qs_for(viewer(request)).filter(corrective_action=corrective_action)
        return attachment_response(get_object_or_404(attachments, pk=int(attachment_pk)))
