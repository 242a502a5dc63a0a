"""The assessments and teams API: thin viewsets over ``assessors.selectors_teams`` and ``assessors.services_teams``.

Every queryset comes from a ``*_qs_for`` selector (unseen: 404). Each move is a POST action
that calls its service; the service decides who may make it (403) and whether the state allows
it (409), with a stable ``code``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accreditation.api.views import actor, validated, viewer
from assessors import services_teams
from assessors.api.serializers_teams import (
    AssessmentSerializer,
    ObjectionRulingSerializer,
    RescheduleSerializer,
    TeamMemberSerializer,
    TeamReasonSerializer,
)
from assessors.models_teams import Assessment, TeamMember
from assessors.selectors_teams import assessment_qs_for, team_member_qs_for
from core.api.serializers import error_responses


def _move(summary: str, serializer: type[BaseSerializer[Any]], request: type[BaseSerializer[Any]] | None) -> Any:
    return extend_schema(
        summary=summary, request=request, responses={200: serializer, **error_responses(400, 403, 404, 409)}
    )


@extend_schema_view(
    create=extend_schema(
        summary="Plan an assessment of an accepted application (secretariat)",
        responses={201: AssessmentSerializer, **error_responses(400, 403, 409)},
    )
)
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[Assessment]
):
    """Assessments: staff see all, assessors those they are on the team of, a CAB those of its applications."""

    serializer_class = AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return assessment_qs_for(viewer(self.request)).prefetch_related("scope_items").order_by("-planned_start", "-pk")

    def perform_create(self, serializer: BaseSerializer[Assessment]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services_teams.assessment_create(
            application=data["application"],
            actor=actor(self.request),
            kind=data["kind"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            sites=data.get("sites", ""),
            scope_items=data.get("scope_items"),
        )

    @_move("Let the portal propose a team, replacing its earlier proposal (secretariat)", AssessmentSerializer, None)
    @action(detail=True, methods=["post"], url_path="propose-team")
    def propose_team(self, request: Request, pk: str) -> Response:
        assessment = self.get_object()
        services_teams.team_propose(assessment=assessment, actor=actor(request))
        assessment.refresh_from_db()
        return Response(self.get_serializer(assessment).data)

    @_move(
        "Move the dates of an assessment not yet held (secretariat); the CAB and the team are told. Refusals: "
        "`invalid_period`, `start_in_past`, `dates_unchanged`, `reason_required` (400), `assessment_held`, "
        "`application_closed` (409)",
        AssessmentSerializer,
        RescheduleSerializer,
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        data = validated(RescheduleSerializer, request.data, self.get_serializer_context())
        assessment = services_teams.assessment_reschedule(assessment=self.get_object(), actor=actor(request), **data)
        return Response(self.get_serializer(assessment).data)

    @_move("Confirm the team; it needs a lead assessor (secretariat)", AssessmentSerializer, None)
    @action(detail=True, methods=["post"], url_path="confirm-team")
    def confirm_team(self, request: Request, pk: str) -> Response:
        assessment = services_teams.team_confirm(assessment=self.get_object(), actor=actor(request))
        return Response(self.get_serializer(assessment).data)


@extend_schema_view(
    create=extend_schema(
        summary="Add an assessor to a team by hand (secretariat); conflicts, absences, no qualification refuse it",
        responses={201: TeamMemberSerializer, **error_responses(400, 403, 409)},
    ),
    destroy=extend_schema(
        summary="Take a proposed member off the team (secretariat)",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class TeamMemberViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[TeamMember],
):
    """Team members; the assessor accepts or declines, the CAB objects, the secretariat rules on objections."""

    serializer_class = TeamMemberSerializer

    def get_queryset(self) -> QuerySet[TeamMember]:
        return team_member_qs_for(viewer(self.request)).order_by("assessment_id", "role", "pk")

    def perform_create(self, serializer: BaseSerializer[TeamMember]) -> None:
        data = serializer.validated_data
        serializer.instance = services_teams.team_member_add(
            assessment=data["assessment"], actor=actor(self.request), user=data["user"], role=data["role"]
        )

    def perform_destroy(self, instance: TeamMember) -> None:
        services_teams.team_member_remove(member=instance, actor=actor(self.request))

    def _respond(self, member: TeamMember) -> Response:
        return Response(self.get_serializer(member).data, status=status.HTTP_200_OK)

    def _reason(self) -> str:
        return str(validated(TeamReasonSerializer, self.request.data, self.get_serializer_context())["reason"])

    @_move("Accept my place on the team (the assessor)", TeamMemberSerializer, TeamReasonSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._respond(services_teams.team_member_accept(member=self.get_object(), actor=actor(request)))

    @_move("Decline my place on the team (the assessor)", TeamMemberSerializer, TeamReasonSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._respond(
            services_teams.team_member_decline(member=self.get_object(), actor=actor(request), reason=self._reason())
        )

    @_move(
        "Object to a team member, with a reason (a member of the assessed CAB)",
        TeamMemberSerializer,
        TeamReasonSerializer,
    )
    @action(detail=True, methods=["post"], url_path="object", url_name="object")
    def object_to(self, request: Request, pk: str) -> Response:
        return self._respond(
            services_teams.team_member_object(member=self.get_object(), actor=actor(request), reason=self._reason())
        )

    @_move(
        "Uphold (the member leaves) or dismiss an objection (secretariat)",
        TeamMemberSerializer,
        ObjectionRulingSerializer,
    )
    @action(detail=True, methods=["post"])
    def rule(self, request: Request, pk: str) -> Response:
        data = validated(ObjectionRulingSerializer, request.data, self.get_serializer_context())
        return self._respond(
            services_teams.team_objection_rule(
                member=self.get_object(), actor=actor(request), uphold=data["uphold"], reason=data["reason"]
            )
        )
