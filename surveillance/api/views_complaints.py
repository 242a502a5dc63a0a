"""The complaints API: anonymous submission and status under ``/api/public/complaints/``, the staff's
list, detail and moves under ``/api/complaints/``. Thin: the services decide."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accreditation.api.views import actor, validated, viewer
from accreditation.models import Accreditation
from core.api.serializers import error_responses
from core.api.throttling import PortalScopedRateThrottle, rate_of
from core.errors import DomainError
from surveillance import services_complaints
from surveillance.abuse import count_submission
from surveillance.api.serializers_complaints import (
    ComplaintNoteSerializer,
    ComplaintResolveSerializer,
    ComplaintSerializer,
    ComplaintSpecialAssessmentSerializer,
    PublicComplaintSerializer,
    PublicComplaintSubmitSerializer,
    SpecialAssessmentOpenedSerializer,
)
from surveillance.choices import ComplaintChannel
from surveillance.filtersets import ComplaintFilterSet
from surveillance.models import Complaint
from surveillance.selectors_complaints import complaint_qs_for, public_complaint, public_values

_PUBLIC_LIMIT = (
    "No login. Limited to {rate} per client address (the `public` scope); past it the answer is 429 "
    "with code `throttled`."
).format(rate=rate_of("public"))


@extend_schema_view(
    create=extend_schema(
        summary="Make a complaint (anyone, no login)",
        description=(
            "Stores the complaint and answers its tracking number and public status. An e-mail address or a "
            "telephone number is required (`invalid`, detail on `complainant_email`); `fake_certificate` needs "
            "`certificate_number`; `against_cab` and `false_claim` need `cab` or `cab_name_given`. Files: send "
            "multipart form data with up to five `attachments` (`file_type_not_allowed`, `file_content_mismatch`, "
            "`file_too_large`, `too_many_attachments`). Besides the request limit, complaints are limited per "
            "client (setting `COMPLAINT_PUBLIC_RATE`): past it the answer is 429 `too_many_complaints` and "
            "nothing is stored. " + _PUBLIC_LIMIT
        ),
        request={
            "application/json": PublicComplaintSubmitSerializer,
            "multipart/form-data": PublicComplaintSubmitSerializer,
        },
        responses={201: PublicComplaintSerializer, **error_responses(400, 429)},
    ),
    retrieve=extend_schema(
        summary="A complaint's public status, by its tracking number",
        description="Kind, dates, status and, once resolved, the outcome. No personal data. " + _PUBLIC_LIMIT,
        parameters=[OpenApiParameter("tracking_number", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: PublicComplaintSerializer, **error_responses(404, 429)},
    ),
)
class PublicComplaintViewSet(viewsets.GenericViewSet[Complaint]):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    filter_backends: list[type] = []
    pagination_class = None
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = PublicComplaintSerializer
    lookup_field = "tracking_number"
    lookup_value_regex = "[A-Za-z0-9-]{1,40}"

    def get_queryset(self) -> QuerySet[Complaint]:
        return Complaint.objects.none()

    def create(self, request: Request) -> Response:
        data = validated(PublicComplaintSubmitSerializer, request.data, self.get_serializer_context())
        complaint = services_complaints.complaint_submit(
            channel=ComplaintChannel.PUBLIC,
            actor=None,
            language=translation.get_language() or "",
            admit=lambda: count_submission(request._request),
            **data,
        )
        return Response(
            PublicComplaintSerializer(public_values(complaint), context=self.get_serializer_context()).data,
            status=201,
        )

    def retrieve(self, request: Request, tracking_number: str) -> Response:
        complaint = public_complaint(services_complaints.normalise_tracking_number(tracking_number))
        if complaint is None:
            raise Http404
        return Response(PublicComplaintSerializer(public_values(complaint), context=self.get_serializer_context()).data)


def _move_schema(summary: str, request: Any) -> Any:
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: ComplaintSerializer, **error_responses(400, 403, 404, 409)},
    )


@extend_schema_view(
    list=extend_schema(summary="Complaints (the accreditation body's staff; empty for anyone else)"),
    retrieve=extend_schema(summary="One complaint with the complainant's details and attachments"),
)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Complaint]):
    """Complaints for the secretariat and decision makers; the moves are the secretariat's (403 otherwise).

    A second identical move answers 409 with `already_acknowledged`, `already_investigating` or
    `already_resolved`; any other move the status does not allow, 409 `illegal_status_change`.
    """

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilterSet

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaint_qs_for(viewer(self.request)).prefetch_related("attachments").order_by("-received_at", "-pk")

    def _respond(self, complaint: Complaint) -> Response:
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintSerializer(complaint, context=self.get_serializer_context()).data)

    @_move_schema("Acknowledge a received complaint (secretariat)", ComplaintNoteSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        data = validated(ComplaintNoteSerializer, request.data, self.get_serializer_context())
        return self._respond(
            services_complaints.complaint_acknowledge(complaint=self.get_object(), actor=actor(request), **data)
        )

    @_move_schema("Start investigating an acknowledged complaint (secretariat)", ComplaintNoteSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request: Request, pk: str) -> Response:
        data = validated(ComplaintNoteSerializer, request.data, self.get_serializer_context())
        return self._respond(
            services_complaints.complaint_start_investigation(complaint=self.get_object(), actor=actor(request), **data)
        )

    @_move_schema("Resolve a complaint with its outcome (secretariat)", ComplaintResolveSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        data = validated(ComplaintResolveSerializer, request.data, self.get_serializer_context())
        return self._respond(
            services_complaints.complaint_resolve(complaint=self.get_object(), actor=actor(request), **data)
        )

    @extend_schema(
        summary="Open a special assessment from a complaint under investigation (secretariat)",
        request=ComplaintSpecialAssessmentSerializer,
        responses={201: SpecialAssessmentOpenedSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="special-assessment")
    def special_assessment(self, request: Request, pk: str) -> Response:
        data = validated(ComplaintSpecialAssessmentSerializer, request.data, self.get_serializer_context())
        complaint = self.get_object()
        accreditation_id = data.pop("accreditation")
        accreditation = None
        if accreditation_id is not None:
            accreditation = Accreditation.objects.filter(pk=accreditation_id, cab_id=complaint.cab_id or 0).first()
            if accreditation is None:
                raise DomainError(
                    "accreditation_not_of_cab",
                    _("Choose an accreditation the body holds."),
                    detail={"accreditation": [str(_("Choose an accreditation the body holds."))]},
                )
        assessment = services_complaints.complaint_open_special_assessment(
            complaint=complaint, actor=actor(request), accreditation=accreditation, **data
        )
        return Response(SpecialAssessmentOpenedSerializer(assessment).data, status=201)
