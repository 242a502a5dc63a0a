"""The assessors API: thin viewsets over ``assessors.selectors`` (reads) and ``assessors.services`` (writes).

Every queryset comes from a ``*_qs_for`` selector, so a record the user may not see answers 404.
A new record names its assessor in the body, looked up the same way (unseen: 400). Each
decision is a POST action; the service decides who may make it (403 ``not_secretariat``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accreditation.api.views import actor, validated, viewer
from assessors import services
from assessors.api.serializers import (
    AssessorSerializer,
    CompetenceCodeSerializer,
    CompetenceSerializer,
    ConflictEndSerializer,
    ConflictSerializer,
    DecisionSerializer,
    QualificationSerializer,
    TrainingRecordSerializer,
    UnavailabilitySerializer,
)
from assessors.filtersets import AssessorFilterSet
from assessors.models import (
    AssessorProfile,
    Competence,
    CompetenceCode,
    ConflictOfInterest,
    Qualification,
    TrainingRecord,
    Unavailability,
)
from assessors.selectors import (
    assessor_qs_for,
    competence_code_qs,
    competence_qs_for,
    conflict_qs_for,
    qualification_qs_for,
    training_record_qs_for,
    unavailability_qs_for,
)
from core.api.serializers import error_responses


class AssessorRecordFilterSet(django_filters.FilterSet):
    assessor = django_filters.NumberFilter(field_name="assessor_id")


class QualificationFilterSet(AssessorRecordFilterSet):
    programme = django_filters.CharFilter(field_name="programme__code")

    class Meta:
        model = Qualification
        fields = ["assessor", "programme", "role", "status"]


class CompetenceFilterSet(AssessorRecordFilterSet):
    programme = django_filters.CharFilter(field_name="code__programme__code")

    class Meta:
        model = Competence
        fields = ["assessor", "programme", "status"]


class TrainingRecordFilterSet(AssessorRecordFilterSet):
    class Meta:
        model = TrainingRecord
        fields = ["assessor"]


class ConflictFilterSet(AssessorRecordFilterSet):
    class Meta:
        model = ConflictOfInterest
        fields = ["assessor", "cab", "kind"]


class UnavailabilityFilterSet(AssessorRecordFilterSet):
    class Meta:
        model = Unavailability
        fields = ["assessor"]


class CompetenceCodeFilterSet(django_filters.FilterSet):
    programme = django_filters.CharFilter(field_name="programme__code")

    class Meta:
        model = CompetenceCode
        fields = ["programme"]


def _created(summary: str, serializer: type[BaseSerializer[Any]]) -> Any:
    return extend_schema(summary=summary, responses={201: serializer, **error_responses(400, 403, 409)})


def _removed(summary: str) -> Any:
    return extend_schema(summary=summary, responses={204: None, **error_responses(403, 404, 409)})


def _decision(summary: str, serializer: type[BaseSerializer[Any]]) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary, request=DecisionSerializer, responses={200: serializer, **error_responses(400, 403, 404, 409)}
    )


class AssessorViewSet(viewsets.ReadOnlyModelViewSet[AssessorProfile]):
    """Assessor profiles: staff see all, an assessor their own. Filter by programme, role, code, region, text."""

    serializer_class = AssessorSerializer
    filterset_class = AssessorFilterSet

    def get_queryset(self) -> QuerySet[AssessorProfile]:
        return assessor_qs_for(viewer(self.request)).order_by("user__username", "pk")


class CompetenceCodeViewSet(viewsets.ReadOnlyModelViewSet[CompetenceCode]):
    """The code lists per programme (IAF sectors, laboratory fields...); filter with `?programme=MS`."""

    serializer_class = CompetenceCodeSerializer
    filterset_class = CompetenceCodeFilterSet

    def get_queryset(self) -> QuerySet[CompetenceCode]:
        return competence_code_qs()


class _RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Any],
):
    def _respond(self, instance: Any) -> Response:
        return Response(self.get_serializer(instance).data)

    def _reason(self) -> str:
        return str(validated(DecisionSerializer, self.request.data, self.get_serializer_context())["reason"])


@extend_schema_view(
    create=_created("Request a qualification (the assessor, or the secretariat for them)", QualificationSerializer),
    destroy=_removed("Take back a request not yet decided"),
)
class QualificationViewSet(mixins.DestroyModelMixin, _RecordViewSet):
    """Qualifications per programme and role; the secretariat approves, rejects, suspends or withdraws them."""

    serializer_class = QualificationSerializer
    filterset_class = QualificationFilterSet

    def get_queryset(self) -> QuerySet[Qualification]:
        return qualification_qs_for(viewer(self.request)).order_by("pk")

    def perform_create(self, serializer: BaseSerializer[Qualification]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.qualification_request(
            profile=data.pop("assessor"), actor=actor(self.request), **data
        )

    def perform_destroy(self, instance: Qualification) -> None:
        services.qualification_cancel(qualification=instance, actor=actor(self.request))

    def _move(self, service: Callable[..., Qualification]) -> Response:
        reason = self._reason()
        return self._respond(service(qualification=self.get_object(), actor=actor(self.request), reason=reason))

    @_decision("Approve a requested qualification, or reinstate a suspended one (secretariat)", QualificationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._move(services.qualification_approve)

    @_decision("Reject a requested qualification; a reason is required (secretariat)", QualificationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._move(services.qualification_reject)

    @_decision("Suspend an approved qualification (secretariat)", QualificationSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._move(services.qualification_suspend)

    @_decision("Withdraw a qualification for good (secretariat)", QualificationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._move(services.qualification_withdraw)


@extend_schema_view(
    create=_created("Request a competence code (the assessor, or the secretariat for them)", CompetenceSerializer),
    destroy=_removed("Take back a request not yet decided"),
)
class CompetenceViewSet(mixins.DestroyModelMixin, _RecordViewSet):
    """Competence codes assessors hold or asked for; the secretariat approves or rejects them."""

    serializer_class = CompetenceSerializer
    filterset_class = CompetenceFilterSet

    def get_queryset(self) -> QuerySet[Competence]:
        return competence_qs_for(viewer(self.request)).order_by("pk")

    def perform_create(self, serializer: BaseSerializer[Competence]) -> None:
        data = serializer.validated_data
        serializer.instance = services.competence_request(
            profile=data["assessor"], actor=actor(self.request), code=data["code"]
        )

    def perform_destroy(self, instance: Competence) -> None:
        services.competence_cancel(competence=instance, actor=actor(self.request))

    def _move(self, service: Callable[..., Competence]) -> Response:
        reason = self._reason()
        return self._respond(service(competence=self.get_object(), actor=actor(self.request), reason=reason))

    @_decision("Approve a requested competence (secretariat)", CompetenceSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._move(services.competence_approve)

    @_decision("Reject a requested competence; a reason is required (secretariat)", CompetenceSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._move(services.competence_reject)


@extend_schema_view(
    create=_created("Add a training record", TrainingRecordSerializer),
    destroy=_removed("Remove a training record"),
)
class TrainingRecordViewSet(mixins.DestroyModelMixin, _RecordViewSet):
    """Training courses assessors attended."""

    serializer_class = TrainingRecordSerializer
    filterset_class = TrainingRecordFilterSet

    def get_queryset(self) -> QuerySet[TrainingRecord]:
        return training_record_qs_for(viewer(self.request)).order_by("pk")

    def perform_create(self, serializer: BaseSerializer[TrainingRecord]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.training_record_add(
            profile=data.pop("assessor"), actor=actor(self.request), **data
        )

    def perform_destroy(self, instance: TrainingRecord) -> None:
        services.training_record_remove(record=instance, actor=actor(self.request))


@extend_schema_view(create=_created("Declare a conflict of interest with a CAB", ConflictSerializer))
class ConflictViewSet(_RecordViewSet):
    """Declared conflicts of interest; a conflict is never deleted, it ends (`POST .../end/`)."""

    serializer_class = ConflictSerializer
    filterset_class = ConflictFilterSet

    def get_queryset(self) -> QuerySet[ConflictOfInterest]:
        return conflict_qs_for(viewer(self.request)).order_by("pk")

    def perform_create(self, serializer: BaseSerializer[ConflictOfInterest]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.conflict_declare(profile=data.pop("assessor"), actor=actor(self.request), **data)

    @extend_schema(
        summary="End a conflict of interest on a date",
        request=ConflictEndSerializer,
        responses={200: ConflictSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        data = validated(ConflictEndSerializer, request.data, self.get_serializer_context())
        return self._respond(
            services.conflict_end(conflict=self.get_object(), actor=actor(request), ended_on=data["ended_on"])
        )


@extend_schema_view(
    create=_created("Add an unavailable period", UnavailabilitySerializer),
    destroy=_removed("Remove an unavailable period"),
)
class UnavailabilityViewSet(mixins.DestroyModelMixin, _RecordViewSet):
    """Periods, both days included, when assessors cannot be on an assessment."""

    serializer_class = UnavailabilitySerializer
    filterset_class = UnavailabilityFilterSet

    def get_queryset(self) -> QuerySet[Unavailability]:
        return unavailability_qs_for(viewer(self.request)).order_by("start", "pk")

    def perform_create(self, serializer: BaseSerializer[Unavailability]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.unavailability_add(
            profile=data.pop("assessor"), actor=actor(self.request), **data
        )

    def perform_destroy(self, instance: Unavailability) -> None:
        services.unavailability_remove(period=instance, actor=actor(self.request))
