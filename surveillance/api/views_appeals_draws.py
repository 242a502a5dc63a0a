"""The appeals and special-supervision API. Thin: the services decide, and a refused move answers
400/403/409 with its stable code.

Appeals under ``/api/appeals/``: staff read all of them, a CAB's members their CAB's (anyone else an
empty list, 404 on one). Special supervision under ``/api/supervision/``: the risk table and every
draw for the accreditation body's staff, the moves for the secretariat; the published draws for
anyone under ``/api/public/supervision/draws/``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api.views import IsStaffReader, actor, validated, viewer
from accreditation.selectors_decisions import decision_qs_for
from core.api.serializers import error_responses
from core.api.throttling import PortalScopedRateThrottle
from surveillance import services_appeals, services_draws
from surveillance.api.serializers_appeals_draws import (
    AppealDecideSerializer,
    AppealLodgeSerializer,
    AppealPanelSerializer,
    AppealSerializer,
    DrawnBodyOutcomeSerializer,
    DrawnBodySerializer,
    DrawRunSerializer,
    PublicDrawSerializer,
    RiskQuerySerializer,
    RiskTableSerializer,
    SupervisionDrawSerializer,
)
from surveillance.models import Appeal, DrawnBody, SupervisionDraw
from surveillance.risk import HIGH_FROM, MEDIUM_FROM, POINTS, risk_table
from surveillance.selectors_appeals import appeal_qs_for
from surveillance.selectors_draws import draw_qs_for, drawn_body_qs_for, published_draw_qs

# --- appeals ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Appeals, newest first (staff: all; a CAB's members: their CAB's; anyone else: none)"),
    retrieve=extend_schema(summary="One appeal"),
)
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Appeal]):
    serializer_class = AppealSerializer
    filterset_fields = ["status", "cab", "decision"]

    def get_queryset(self) -> QuerySet[Appeal]:
        return appeal_qs_for(viewer(self.request)).prefetch_related("panel").order_by("-lodged_at", "-pk")

    def _respond(self, appeal: Appeal, status: int = 200) -> Response:
        appeal = self.get_queryset().get(pk=appeal.pk)
        return Response(AppealSerializer(appeal, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Appeal a decision (a member of the decision's CAB)",
        description=(
            "The decision stays in force meanwhile. A decision the user may not see is 404. Refusals: "
            "`not_cab_member` (403), `grounds_required` (400), `appeal_window_closed` (409, detail `deadline`), "
            "`appeal_running` (409)."
        ),
        request=AppealLodgeSerializer,
        responses={201: AppealSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        data = validated(AppealLodgeSerializer, request.data, self.get_serializer_context())
        decision = get_object_or_404(decision_qs_for(viewer(request)), pk=data["decision"])
        appeal = services_appeals.appeal_lodge(decision=decision, actor=actor(request), grounds=data["grounds"])
        return self._respond(appeal, status=201)

    @extend_schema(
        summary="Assign (or change) the panel that hears the appeal (secretariat)",
        description=(
            "Refusals: `not_secretariat` (403), `panel_required`, `panel_member_not_staff` (400), "
            "`panel_member_involved` (403, detail `panel` lists who took part), `illegal_status_change` (409)."
        ),
        request=AppealPanelSerializer,
        responses={200: AppealSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="assign-panel")
    def assign_panel(self, request: Request, pk: str) -> Response:
        data = validated(AppealPanelSerializer, request.data, self.get_serializer_context())
        return self._respond(
            services_appeals.appeal_assign_panel(appeal=self.get_object(), actor=actor(request), panel=data["panel"])
        )

    @extend_schema(
        summary="Record the outcome of the appeal (a panel member)",
        description=(
            "The decision stays in force; an upheld appeal asks the secretariat to reconsider it. Refusals: "
            "`not_on_panel` (403), `outcome_required`, `reasons_required` (400), `illegal_status_change` (409)."
        ),
        request=AppealDecideSerializer,
        responses={200: AppealSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        data = validated(AppealDecideSerializer, request.data, self.get_serializer_context())
        return self._respond(services_appeals.appeal_decide(appeal=self.get_object(), actor=actor(request), **data))

    @extend_schema(
        summary="Withdraw the appeal before the panel decides (a member of the CAB)",
        description="Refusals: `not_cab_member` (403), `illegal_status_change` (409).",
        request=None,
        responses={200: AppealSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._respond(services_appeals.appeal_withdraw(appeal=self.get_object(), actor=actor(request)))


# --- special supervision ------------------------------------------------------------------------------


class RiskTableAPIView(APIView):
    """Secretariat and decision makers; anyone else signed in gets 403."""

    permission_classes = [IsStaffReader]

    @extend_schema(
        operation_id="supervision_risk_retrieve",
        summary="The risk table: every CAB holding an accreditation, highest score first",
        description=(
            "Each factor comes with its points and a sentence saying why (in the request's language). The bands "
            "follow `high_from` and `medium_from`; a draw weights the bodies by band."
        ),
        parameters=[RiskQuerySerializer],
        responses={200: RiskTableSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        query = RiskQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        programme = query.validated_data.get("programme")
        data = {
            "programme": programme.code if programme is not None else None,
            "high_from": HIGH_FROM,
            "medium_from": MEDIUM_FROM,
            "points": POINTS,
            "rows": [row.as_dict() for row in risk_table(programme=programme)],
        }
        return Response(RiskTableSerializer(data).data)


@extend_schema_view(
    list=extend_schema(summary="Supervision draws, newest first (staff; empty for anyone else)"),
    retrieve=extend_schema(summary="One supervision draw with its seed, inputs and the bodies drawn"),
)
class SupervisionDrawViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SupervisionDraw]
):
    serializer_class = SupervisionDrawSerializer
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[SupervisionDraw]:
        return draw_qs_for(viewer(self.request)).order_by("-run_at", "-pk")

    def _respond(self, draw: SupervisionDraw, status: int = 200) -> Response:
        draw = self.get_queryset().get(pk=draw.pk)
        return Response(SupervisionDrawSerializer(draw, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Run a double-random draw (secretariat); it stays a draft until published",
        description=(
            "The seed and every input are recorded so the draw can be reproduced. Refusals: `not_secretariat` "
            "(403), `bad_body_count`, `bad_random_share`, `bad_inspector_count`, `no_candidates` (400)."
        ),
        request=DrawRunSerializer,
        responses={201: SupervisionDrawSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        data = validated(DrawRunSerializer, request.data, self.get_serializer_context())
        return self._respond(services_draws.draw_run(actor=actor(request), **data), status=201)

    @extend_schema(
        summary="Publish the draw (secretariat): the bodies and the inspectors' names become public",
        description="Refusals: `not_secretariat` (403), `illegal_status_change` (409).",
        request=None,
        responses={200: SupervisionDrawSerializer, **error_responses(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._respond(services_draws.draw_publish(draw=self.get_object(), actor=actor(request)))


class DrawnBodyViewSet(viewsets.GenericViewSet[DrawnBody]):
    """The bodies of the draws (staff); only the outcome of the inspection is recorded here."""

    serializer_class = DrawnBodySerializer

    def get_queryset(self) -> QuerySet[DrawnBody]:
        return drawn_body_qs_for(viewer(self.request))

    @extend_schema(
        summary="Record the outcome of the inspection of a drawn body (secretariat)",
        description="Published with the draw. Refusals: `not_secretariat` (403), `outcome_required` (400).",
        request=DrawnBodyOutcomeSerializer,
        responses={200: DrawnBodySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        data = validated(DrawnBodyOutcomeSerializer, request.data, self.get_serializer_context())
        body = services_draws.drawn_body_record_outcome(body=self.get_object(), actor=actor(request), **data)
        body = self.get_queryset().prefetch_related("inspectors").get(pk=body.pk)
        return Response(DrawnBodySerializer(body, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="Published supervision draws, newest first (anyone, no login)",
        description="The same fields as the public page. Limited like the public directory (429 `throttled`).",
        responses={200: PublicDrawSerializer(many=True), **error_responses(429)},
    ),
    retrieve=extend_schema(
        summary="One published supervision draw",
        responses={200: PublicDrawSerializer, **error_responses(404, 429)},
    ),
)
class PublicDrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SupervisionDraw]):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    filter_backends: list[type] = []
    serializer_class = PublicDrawSerializer

    def get_queryset(self) -> QuerySet[SupervisionDraw]:
        return published_draw_qs()
