"""The API of applications and the acceptance review: thin viewsets over the selectors and services.

Reads come from ``application_qs_for`` (``"view"``), moves on an existing application from the
same selector with ``"change"``, so an application the user may not see answers 404. Who may
make each move (a member of the CAB, the secretariat) is the service's decision (403 with its
code). Each workflow move is a POST action with a small input serializer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accreditation.api.decisions import DecideSerializer, DecisionSerializer
from accreditation.api.serializers import VisibleRelatedField, file_download_responses
from accreditation.api.views import actor, selector_action, validated, viewer
from accreditation.choices_applications import ApplicationStatus, ChangeKind, DocumentKind
from accreditation.filtersets_applications import ApplicationFilterSet
from accreditation.models import Application, ApplicationDocument, ApplicationScopeItem, Cab
from accreditation.scope_shapes import summary
from accreditation.selectors import cab_qs_for, programme_qs
from accreditation.selectors_applications import (
    application_diff,
    application_document_qs_for,
    application_item_qs_for,
    application_qs_for,
)
from accreditation.selectors_decisions import decision_queue_for
from accreditation.services.applications import (
    application_accept,
    application_add_item,
    application_attach_document,
    application_create,
    application_refuse,
    application_remove_document,
    application_remove_item,
    application_return,
    application_submit,
    application_update,
    application_withdraw,
    missing_documents,
)
from accreditation.services.decisions import decision_record
from accreditation.uploads import media_type
from core.api.serializers import error_responses

# --- Serializers ------------------------------------------------------------------------------


class ApplicationSerializer(serializers.ModelSerializer[Application]):
    cab = VisibleRelatedField(selector=cab_qs_for, model=Cab)
    cab_name = serializers.CharField(source="cab.name", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", queryset=programme_qs())
    change_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeKind.choices), required=False, default=list
    )
    proposed_changes = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False, default=dict
    )
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    missing_documents = serializers.SerializerMethodField()
    reviewed_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "cab",
            "cab_name",
            "programme",
            "accreditation",
            "type",
            "status",
            "change_kinds",
            "proposed_changes",
            "note",
            "created_at",
            "submitted_at",
            "review_due_on",
            "is_overdue",
            "missing_documents",
            "reviewed_by",
            "reviewed_at",
            "review_reasons",
            "review_checklist",
            "pre_visit",
        ]
        read_only_fields = [
            "id",
            "reference",
            "accreditation",
            "status",
            "created_at",
            "submitted_at",
            "review_due_on",
            "reviewed_at",
            "review_reasons",
            "review_checklist",
            "pre_visit",
        ]

    def get_missing_documents(self, application: Application) -> list[str]:
        return missing_documents(application) if application.is_editable else []


class ApplicationUpdateSerializer(serializers.Serializer[Any]):
    """The fields a CAB member may change on a draft or returned application."""

    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    change_kinds = serializers.ListField(child=serializers.ChoiceField(choices=ChangeKind.choices), required=False)
    proposed_changes = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False
    )


class ApplicationDiffSerializer(serializers.Serializer[Any]):
    added = serializers.ListField(child=serializers.DictField())
    removed = serializers.ListField(child=serializers.DictField())
    kept = serializers.ListField(child=serializers.DictField())


class ApplicationDetailSerializer(ApplicationSerializer):
    """One application with the difference its applied scope makes to the current published scope."""

    diff = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "diff"]

    @extend_schema_field(ApplicationDiffSerializer)
    def get_diff(self, application: Application) -> dict[str, Any]:
        return application_diff(application).as_dict(application.programme.scope_shape)


class ApplicationItemSerializer(serializers.ModelSerializer[ApplicationScopeItem]):
    application = VisibleRelatedField(selector=application_qs_for, model=Application)
    attributes = serializers.DictField(required=False, default=dict)
    key = serializers.UUIDField(required=False, allow_null=True, default=None)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationScopeItem
        fields = ["id", "application", "action", "key", "position", "attributes", "summary"]
        read_only_fields = ["id", "action", "position"]
        validators: list[Any] = []

    def get_summary(self, item: ApplicationScopeItem) -> str:
        return summary(item.application.programme.scope_shape, item.attributes)


class ApplicationDocumentSerializer(serializers.ModelSerializer[ApplicationDocument]):
    application = VisibleRelatedField(selector=application_qs_for, model=Application)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(write_only=True)
    uploaded_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = ApplicationDocument
        fields = ["id", "application", "kind", "file", "label", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = ["id", "label", "size", "uploaded_at"]


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AcceptSerializer(serializers.Serializer[Any]):
    checklist = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    pre_visit = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReviewReasonsSerializer(serializers.Serializer[Any]):
    reasons = serializers.CharField(allow_blank=True, max_length=4000)
    checklist = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)


# --- Viewsets ---------------------------------------------------------------------------------


def _move_schema(summary: str, request: type[BaseSerializer[Any]] | None) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: ApplicationDetailSerializer, **error_responses(400, 403, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(summary="Applications the user may see"),
    retrieve=extend_schema(summary="One application, with the difference from the current scope"),
    create=extend_schema(
        summary="Start a draft application (a member of the CAB)",
        responses={201: ApplicationDetailSerializer, **error_responses(400, 403, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Edit a draft or returned application (a member of the CAB)",
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationDetailSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Application],
):
    """Applications of CABs; each workflow move is a POST action."""

    filterset_class = ApplicationFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Application]:
        applications = application_qs_for(viewer(self.request), selector_action(self.request))
        return applications.prefetch_related("documents").order_by("-created_at", "-pk")

    def get_serializer_class(self) -> type[BaseSerializer[Application]]:
        if self.action == "list":
            return ApplicationSerializer
        return ApplicationDetailSerializer

    def _respond(self, application: Application, status: int = 200) -> Response:
        return Response(
            ApplicationDetailSerializer(application, context=self.get_serializer_context()).data, status=status
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ApplicationSerializer, request.data, self.get_serializer_context())
        application = application_create(
            actor=actor(request),
            cab=data["cab"],
            programme=data["programme"],
            type=data["type"],
            note=data.get("note", ""),
            change_kinds=data.get("change_kinds", []),
            proposed_changes=data.get("proposed_changes", {}),
        )
        return self._respond(application, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(ApplicationUpdateSerializer, request.data, self.get_serializer_context())
        application = application_update(application=self.get_object(), actor=actor(request), **data)
        return self._respond(application)

    @_move_schema("Submit, or resubmit after a return (a member of the CAB)", None)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._respond(application_submit(application=self.get_object(), actor=actor(request)))

    @_move_schema("Withdraw a draft or returned application (a member of the CAB)", WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = validated(WithdrawSerializer, request.data, self.get_serializer_context())
        return self._respond(application_withdraw(application=self.get_object(), actor=actor(request), **data))

    @_move_schema("Accept; every checklist item must be ticked (secretariat)", AcceptSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        data = validated(AcceptSerializer, request.data, self.get_serializer_context())
        return self._respond(application_accept(application=self.get_object(), actor=actor(request), **data))

    @_move_schema("Return for more information, with reasons (secretariat)", ReviewReasonsSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str) -> Response:
        data = validated(ReviewReasonsSerializer, request.data, self.get_serializer_context())
        return self._respond(application_return(application=self.get_object(), actor=actor(request), **data))

    @_move_schema("Do not accept, with reasons (secretariat)", ReviewReasonsSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        data = validated(ReviewReasonsSerializer, request.data, self.get_serializer_context())
        return self._respond(application_refuse(application=self.get_object(), actor=actor(request), **data))

    @extend_schema(
        summary="Decide an assessed application (a decision maker who was not on its assessment team)",
        description=(
            "Scope applications: one `items` entry per applied item awaiting a decision, with `grant`, `refuse` or "
            "`defer` (a `reason` is required to refuse or defer). Change notifications: `outcome` `grant` or "
            "`refuse`, no items. Refusals: `not_decision_maker`, `decider_on_team` (403); `already_decided`, "
            "`not_ready_for_decision` (with the blockers in `detail`), `unknown_items` (409); `outcomes_missing`, "
            "`item_reason_required`, `reasons_required`, `invalid_outcome` (400)."
        ),
        request=DecideSerializer,
        responses={201: DecisionSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        # Decision makers read applications but change none of the CAB's, so look it up to view.
        application = get_object_or_404(application_qs_for(viewer(request), "view"), pk=pk)
        serializer = DecideSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        decision = decision_record(application=application, actor=actor(request), **serializer.service_arguments())
        return Response(DecisionSerializer(decision, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        summary="Applications waiting for the signed-in decision maker's decision, oldest first",
        description="Accepted applications whose assessments are completed, without those whose team the user was "
        "on. Empty for anyone who is not a decision maker.",
        responses={200: ApplicationSerializer(many=True), **error_responses(401)},
    )
    @action(detail=False, methods=["get"], url_path="decision-queue", url_name="decision-queue")
    def decision_queue(self, request: Request) -> Response:
        queue = decision_queue_for(viewer(request)).prefetch_related("documents")
        page = self.paginate_queryset(queue)
        context = self.get_serializer_context()
        if page is not None:
            return self.get_paginated_response(ApplicationSerializer(page, many=True, context=context).data)
        return Response(ApplicationSerializer(queue, many=True, context=context).data)


@extend_schema_view(
    create=extend_schema(
        summary="Add a line to the applied scope: new attributes, or the key of a current item",
        responses={201: ApplicationItemSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Take a line off the applied scope", responses={204: None, **error_responses(403, 404, 409)}
    ),
)
class ApplicationItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ApplicationScopeItem],
):
    """Lines of applied scopes."""

    serializer_class = ApplicationItemSerializer

    def get_queryset(self) -> QuerySet[ApplicationScopeItem]:
        items = application_item_qs_for(viewer(self.request), selector_action(self.request))
        application = self.request.query_params.get("application", "")
        if self.action == "list" and application.isdigit():
            items = items.filter(application_id=int(application))
        return items

    def perform_create(self, serializer: BaseSerializer[ApplicationScopeItem]) -> None:
        data = serializer.validated_data
        key = data.get("key")
        serializer.instance = application_add_item(
            application=data["application"],
            actor=actor(self.request),
            attributes=data.get("attributes") if key is None else None,
            key=str(key) if key is not None else None,
        )

    def perform_destroy(self, instance: ApplicationScopeItem) -> None:
        application_remove_item(item=instance, actor=actor(self.request))


@extend_schema_view(
    create=extend_schema(
        summary="Attach a document (multipart upload; pdf, docx, xlsx, jpg, png)",
        responses={201: ApplicationDocumentSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Remove a document from a draft or returned application",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class ApplicationDocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ApplicationDocument],
):
    """Documents attached to applications; downloads only for those who may see the application."""

    serializer_class = ApplicationDocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ApplicationDocument]:
        documents = application_document_qs_for(viewer(self.request), selector_action(self.request))
        application = self.request.query_params.get("application", "")
        if self.action == "list" and application.isdigit():
            documents = documents.filter(application_id=int(application))
        return documents

    def perform_create(self, serializer: BaseSerializer[ApplicationDocument]) -> None:
        data = serializer.validated_data
        serializer.instance = application_attach_document(
            application=data["application"], actor=actor(self.request), kind=data["kind"], upload=data["file"]
        )

    def perform_destroy(self, instance: ApplicationDocument) -> None:
        application_remove_document(document=instance, actor=actor(self.request))

    @extend_schema(
        summary="Download the file",
        responses={
            **file_download_responses(),
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        return document_response(self.get_object())


def document_response(document: ApplicationDocument) -> FileResponse:
    """The stored file, sent as an attachment under its sanitised label."""
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.label, content_type=media_type(document.label)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
