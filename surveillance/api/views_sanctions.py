"""The sanctions API for the accreditation body's staff: sanctions (decide, lift), withdrawal proposals
(withdraw, dismiss) and the reason list. Staff read; the secretariat acts (403 otherwise). Thin: the
services decide, and a refused move answers 400/409 with its stable code."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accreditation.api.views import actor, validated, viewer
from core.api.serializers import error_responses
from core.roles import is_staff_reader
from surveillance import services_sanctions
from surveillance.api.serializers_sanctions import (
    ProposalDismissSerializer,
    ProposalWithdrawSerializer,
    SanctionDecideSerializer,
    SanctionLiftSerializer,
    SanctionReasonSerializer,
    SanctionSerializer,
    WithdrawalProposalSerializer,
)
from surveillance.models import Sanction, SanctionReason, WithdrawalProposal
from surveillance.selectors_sanctions import proposal_qs_for, sanction_qs_for, sanctionable_accreditation_qs_for


@extend_schema_view(
    list=extend_schema(summary="Sanctions, newest first (the accreditation body's staff; empty for anyone else)"),
    retrieve=extend_schema(summary="One sanction"),
)
class SanctionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Sanction]):
    serializer_class = SanctionSerializer
    filterset_fields = ["accreditation", "kind", "status"]

    def get_queryset(self) -> QuerySet[Sanction]:
        return sanction_qs_for(viewer(self.request)).prefetch_related("scope_items").order_by("-decided_at", "-pk")

    def _respond(self, sanction: Sanction, status: int = 200) -> Response:
        sanction = self.get_queryset().get(pk=sanction.pk)
        return Response(SanctionSerializer(sanction, context=self.get_serializer_context()).data, status=status)

    @extend_schema(
        summary="Decide a sanction (secretariat); its effect on the register is carried out at once",
        description=(
            "Refusals: `not_secretariat` (403), `reason_required`, `reason_retired`, `details_required`, `no_items`, "
            "`items_not_in_current_scope`, `reduction_removes_everything`, `effective_in_future` (400), "
            "`accreditation_not_held`, `already_suspended`, `items_not_active`, `items_already_withdrawn` (409)."
        ),
        request=SanctionDecideSerializer,
        responses={201: SanctionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        data = validated(SanctionDecideSerializer, request.data, self.get_serializer_context())
        # Only accreditations the user may see: anyone else learns nothing (404).
        accreditation = get_object_or_404(
            sanctionable_accreditation_qs_for(viewer(request)), pk=data.pop("accreditation").pk
        )
        sanction = services_sanctions.sanction_decide(accreditation=accreditation, actor=actor(request), **data)
        return self._respond(sanction, status=201)

    @extend_schema(
        summary="Lift a suspension after verified rectification (secretariat)",
        request=SanctionLiftSerializer,
        responses={200: SanctionSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def lift(self, request: Request, pk: str) -> Response:
        data = validated(SanctionLiftSerializer, request.data, self.get_serializer_context())
        return self._respond(services_sanctions.sanction_lift(sanction=self.get_object(), actor=actor(request), **data))


@extend_schema_view(
    list=extend_schema(summary="Withdrawal proposals of suspensions past their maximum (staff)"),
    retrieve=extend_schema(summary="One withdrawal proposal"),
)
class WithdrawalProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[WithdrawalProposal]
):
    serializer_class = WithdrawalProposalSerializer
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[WithdrawalProposal]:
        return (
            proposal_qs_for(viewer(self.request))
            .prefetch_related("sanction__scope_items")
            .order_by("-proposed_on", "-pk")
        )

    @extend_schema(
        summary="Withdraw the accreditation on this proposal (secretariat)",
        request=ProposalWithdrawSerializer,
        responses={200: SanctionSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = validated(ProposalWithdrawSerializer, request.data, self.get_serializer_context())
        sanction = services_sanctions.withdrawal_proposal_withdraw(
            proposal=self.get_object(), actor=actor(request), **data
        )
        return Response(SanctionSerializer(sanction, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Dismiss the proposal with a reason; the suspension stays (secretariat)",
        request=ProposalDismissSerializer,
        responses={200: WithdrawalProposalSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        data = validated(ProposalDismissSerializer, request.data, self.get_serializer_context())
        proposal = services_sanctions.withdrawal_proposal_dismiss(
            proposal=self.get_object(), actor=actor(request), **data
        )
        return Response(
            WithdrawalProposalSerializer(
                self.get_queryset().get(pk=proposal.pk), context=self.get_serializer_context()
            ).data
        )


@extend_schema_view(list=extend_schema(summary="The maintained list of sanction reasons (staff)"))
class SanctionReasonViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[SanctionReason]):
    serializer_class = SanctionReasonSerializer
    pagination_class = None
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[SanctionReason]:
        if not is_staff_reader(viewer(self.request)):
            return SanctionReason.objects.none()
        return SanctionReason.objects.order_by("position", "code")
