"""The register's API: thin viewsets over the selectors (reads) and the services (writes).

Visibility: every queryset comes from the aggregate's selector, with ``"view"`` for reads and
``"change"`` for writes to an existing object, so an object the user may not see, or may not
change, answers 404. A new object names its parent in the body (``cab``, ``accreditation``,
``version``); the parent is looked up with ``"view"`` (unseen: 404) and the service then decides
whether this user may add to it (refused: 403 with the service's code, e.g. ``outside_cab``).
Each workflow move is a POST action with a small input serializer that calls one service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from accreditation.api.filters import (
    AuditEventFilterSet,
    CabContactFilterSet,
    CabSiteFilterSet,
    MembershipFilterSet,
    ScopeItemFilterSet,
    ScopeVersionFilterSet,
)
from accreditation.api.serializers import (
    AccreditationGrantSerializer,
    AccreditationSerializer,
    AuditEventSerializer,
    CabContactSerializer,
    CabContactUpdateSerializer,
    CabInviteSerializer,
    CabSerializer,
    CabSiteSerializer,
    InvitationSerializer,
    MembershipSerializer,
    MeSerializer,
    PartialSuspensionSerializer,
    ProgrammeSerializer,
    PublicCabDetailSerializer,
    PublicCabQuerySerializer,
    PublicCabSerializer,
    ReasonSerializer,
    ScopeDiffQuerySerializer,
    ScopeDiffSerializer,
    ScopeItemSerializer,
    ScopeItemStatusSerializer,
    ScopeItemUpdateSerializer,
    ScopeVersionPublishSerializer,
    ScopeVersionSerializer,
)
from accreditation.filtersets import AccreditationFilterSet, CabFilterSet
from accreditation.models import (
    Accreditation,
    Cab,
    CabContact,
    CabMembership,
    CabSite,
    Programme,
    ScopeItem,
    ScopeVersion,
)
from accreditation.selectors import (
    MIN_NAME_FRAGMENT,
    Action,
    AnyUser,
    accreditation_qs_for,
    audit_events_qs_for,
    cab_contact_qs_for,
    cab_qs_for,
    cab_site_qs_for,
    current_scope_prefetch,
    directory_search,
    membership_qs_for,
    memberships_of,
    programme_qs,
    scope_diff,
    scope_item_qs_for,
    scope_version_qs_for,
)
from accreditation.services.accreditations import (
    accreditation_cancel,
    accreditation_expire,
    accreditation_grant,
    accreditation_open,
    accreditation_partially_suspend,
    accreditation_reinstate,
    accreditation_suspend,
    accreditation_withdraw,
)
from accreditation.services.cabs import (
    cab_close,
    cab_contact_add,
    cab_contact_remove,
    cab_contact_update,
    cab_create,
    cab_reopen,
    cab_site_add,
    cab_site_remove,
    cab_update,
)
from accreditation.services.members import cab_member_invite, cab_member_remove
from accreditation.services.scopes import (
    scope_draft_start,
    scope_item_add,
    scope_item_remove,
    scope_item_set_status,
    scope_item_update,
    scope_version_discard,
    scope_version_publish,
)
from core.api.serializers import error_responses
from core.api.throttling import PortalScopedRateThrottle, rate_of
from core.errors import DomainError
from core.models import AuditEvent, User
from core.roles import is_staff_reader


def viewer(request: Request) -> AnyUser:
    return request.user


def actor(request: Request) -> User:
    """The signed-in user making a change (``IsAuthenticated`` has already let them in)."""
    user = request.user
    assert isinstance(user, User)
    return user


def selector_action(request: Request) -> Action:
    return "view" if request.method in SAFE_METHODS else "change"


def validated(serializer_class: type[BaseSerializer[Any]], data: Any, context: dict[str, Any]) -> dict[str, Any]:
    serializer = serializer_class(data=data, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class IsStaffReader(BasePermission):
    """Secretariat and decision makers: the accreditation body's own staff."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_staff_reader(viewer(request))


# --- The signed-in user -----------------------------------------------------------------------


class MeView(APIView):
    @extend_schema(
        operation_id="me_retrieve",
        summary="The signed-in user",
        description="The user, their staff roles and their CAB memberships.",
        responses={200: MeSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        return Response(MeSerializer(user, context={"memberships": memberships_of(user)}).data)


# --- Programmes -------------------------------------------------------------------------------


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet[Programme]):
    """Accreditation programmes with their cycle rules and the fields of their scope items."""

    serializer_class = ProgrammeSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Programme]:
        return programme_qs()


# --- CABs -------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Register a CAB (secretariat)", responses={201: CabSerializer, **error_responses(400, 403)}
    ),
    update=extend_schema(
        summary="Edit a CAB (secretariat)", responses={200: CabSerializer, **error_responses(400, 403, 404)}
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a CAB (secretariat)",
        responses={200: CabSerializer, **error_responses(400, 403, 404)},
    ),
)
class CabViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Cab],
):
    """Conformity assessment bodies the user may see: staff see all, CAB users their own."""

    serializer_class = CabSerializer
    filterset_class = CabFilterSet

    def get_queryset(self) -> QuerySet[Cab]:
        return cab_qs_for(viewer(self.request), selector_action(self.request))

    def perform_create(self, serializer: BaseSerializer[Cab]) -> None:
        serializer.instance = cab_create(actor=actor(self.request), **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Cab]) -> None:
        assert serializer.instance is not None
        serializer.instance = cab_update(
            cab=serializer.instance, actor=actor(self.request), **serializer.validated_data
        )

    def _move(self, service: Callable[..., Cab]) -> Response:
        data = validated(ReasonSerializer, self.request.data, self.get_serializer_context())
        cab = service(cab=self.get_object(), actor=actor(self.request), reason=data["reason"])
        return Response(CabSerializer(cab, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Close a CAB (secretariat)",
        request=ReasonSerializer,
        responses={200: CabSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        return self._move(cab_close)

    @extend_schema(
        summary="Reopen a closed CAB (secretariat)",
        request=ReasonSerializer,
        responses={200: CabSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._move(cab_reopen)

    @extend_schema(
        summary="Invite a colleague to the CAB (its admins, secretariat)",
        description="Sends an e-mail with a link to open an account as a member of this CAB.",
        request=CabInviteSerializer,
        responses={201: InvitationSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        data = validated(CabInviteSerializer, request.data, self.get_serializer_context())
        invitation = cab_member_invite(cab=self.get_object(), actor=actor(request), **data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    create=extend_schema(
        summary="Add a site to a CAB (secretariat)",
        responses={201: CabSiteSerializer, **error_responses(400, 403, 404)},
    ),
    destroy=extend_schema(summary="Remove a site (secretariat)", responses={204: None, **error_responses(403, 404)}),
)
class CabSiteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[CabSite],
):
    """Sites of the CABs the user may see; filter with `?cab=`."""

    serializer_class = CabSiteSerializer
    filterset_class = CabSiteFilterSet

    def get_queryset(self) -> QuerySet[CabSite]:
        return cab_site_qs_for(viewer(self.request), selector_action(self.request))

    def perform_create(self, serializer: BaseSerializer[CabSite]) -> None:
        serializer.instance = cab_site_add(actor=actor(self.request), **serializer.validated_data)

    def perform_destroy(self, instance: CabSite) -> None:
        cab_site_remove(site=instance, actor=actor(self.request))


@extend_schema_view(
    create=extend_schema(
        summary="Add a contact (the CAB's admins, secretariat)",
        responses={201: CabContactSerializer, **error_responses(400, 403, 404)},
    ),
    update=extend_schema(
        summary="Edit a contact (the CAB's admins, secretariat)",
        responses={200: CabContactUpdateSerializer, **error_responses(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Edit some fields of a contact (the CAB's admins, secretariat)",
        responses={200: CabContactUpdateSerializer, **error_responses(400, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a contact (the CAB's admins, secretariat)", responses={204: None, **error_responses(403, 404)}
    ),
)
class CabContactViewSet(viewsets.ModelViewSet[CabContact]):
    """Contacts of the CABs the user may see; filter with `?cab=`."""

    filterset_class = CabContactFilterSet

    def get_queryset(self) -> QuerySet[CabContact]:
        return cab_contact_qs_for(viewer(self.request), selector_action(self.request))

    def get_serializer_class(self) -> type[BaseSerializer[CabContact]]:
        if self.action in {"update", "partial_update"}:
            return CabContactUpdateSerializer
        return CabContactSerializer

    def perform_create(self, serializer: BaseSerializer[CabContact]) -> None:
        serializer.instance = cab_contact_add(actor=actor(self.request), **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[CabContact]) -> None:
        assert serializer.instance is not None
        serializer.instance = cab_contact_update(
            contact=serializer.instance, actor=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: CabContact) -> None:
        cab_contact_remove(contact=instance, actor=actor(self.request))


@extend_schema_view(
    destroy=extend_schema(
        summary="Remove a member from a CAB (its admins, secretariat)",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[CabMembership],
):
    """Who works for which CAB; invite with `POST /api/cabs/{id}/invite/`; filter with `?cab=`."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet

    def get_queryset(self) -> QuerySet[CabMembership]:
        return membership_qs_for(viewer(self.request)).order_by("cab__name_zh", "user__username", "pk")

    def perform_destroy(self, instance: CabMembership) -> None:
        cab_member_remove(membership=instance, actor=actor(self.request))


# --- Accreditations ---------------------------------------------------------------------------


def _move_schema(summary: str, request: type[BaseSerializer[Any]] = ReasonSerializer) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: AccreditationSerializer, **error_responses(400, 403, 404, 409)},
    )


@extend_schema_view(
    create=extend_schema(
        summary="Open an application under a programme (secretariat)",
        responses={201: AccreditationSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class AccreditationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Accreditation],
):
    """Accreditations the user may see; each status move is a POST action."""

    serializer_class = AccreditationSerializer
    filterset_class = AccreditationFilterSet

    def get_queryset(self) -> QuerySet[Accreditation]:
        return accreditation_qs_for(viewer(self.request), selector_action(self.request))

    def perform_create(self, serializer: BaseSerializer[Accreditation]) -> None:
        serializer.instance = accreditation_open(actor=actor(self.request), **serializer.validated_data)

    def _respond(self, accreditation: Accreditation) -> Response:
        return Response(AccreditationSerializer(accreditation, context=self.get_serializer_context()).data)

    def _move(self, service: Callable[..., Accreditation]) -> Response:
        data = validated(ReasonSerializer, self.request.data, self.get_serializer_context())
        return self._respond(service(accreditation=self.get_object(), actor=actor(self.request), reason=data["reason"]))

    @_move_schema("Grant: number and first cycle (secretariat)", AccreditationGrantSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request: Request, pk: str) -> Response:
        data = validated(AccreditationGrantSerializer, request.data, self.get_serializer_context())
        return self._respond(
            accreditation_grant(
                accreditation=self.get_object(),
                actor=actor(request),
                granted_on=data["granted_on"],
                number=data["number"] or None,
                reason=data["reason"],
            )
        )

    @_move_schema("Suspend the whole scope (secretariat)")
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._move(accreditation_suspend)

    @_move_schema("Suspend some scope items; publishes a new scope issue (secretariat)", PartialSuspensionSerializer)
    @action(detail=True, methods=["post"], url_path="partially-suspend")
    def partially_suspend(self, request: Request, pk: str) -> Response:
        data = validated(PartialSuspensionSerializer, request.data, self.get_serializer_context())
        return self._respond(
            accreditation_partially_suspend(
                accreditation=self.get_object(),
                actor=actor(request),
                reason=data["reason"],
                item_keys=[str(key) for key in data["item_keys"]],
            )
        )

    @_move_schema("Lift a suspension (secretariat)")
    @action(detail=True, methods=["post"])
    def reinstate(self, request: Request, pk: str) -> Response:
        return self._move(accreditation_reinstate)

    @_move_schema("Withdraw (secretariat)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._move(accreditation_withdraw)

    @_move_schema("Cancel, at the CAB's request or closing an application (secretariat)")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._move(accreditation_cancel)

    @_move_schema("Record the end of the cycle without renewal (secretariat)")
    @action(detail=True, methods=["post"])
    def expire(self, request: Request, pk: str) -> Response:
        return self._move(accreditation_expire)


# --- Scopes -----------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        summary="Start a draft scope, a copy of the current issue (secretariat)",
        responses={201: ScopeVersionSerializer, **error_responses(400, 403, 404, 409)},
    ),
)
class ScopeVersionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ScopeVersion],
):
    """Issues of scopes with their items; filter with `?accreditation=`."""

    serializer_class = ScopeVersionSerializer
    filterset_class = ScopeVersionFilterSet

    def get_queryset(self) -> QuerySet[ScopeVersion]:
        return scope_version_qs_for(viewer(self.request), selector_action(self.request)).prefetch_related("items")

    def perform_create(self, serializer: BaseSerializer[ScopeVersion]) -> None:
        serializer.instance = scope_draft_start(actor=actor(self.request), **serializer.validated_data)

    @extend_schema(
        summary="Publish the draft as the next issue (secretariat)",
        request=ScopeVersionPublishSerializer,
        responses={200: ScopeVersionSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        data = validated(ScopeVersionPublishSerializer, request.data, self.get_serializer_context())
        version = scope_version_publish(version=self.get_object(), actor=actor(request), **data)
        return Response(ScopeVersionSerializer(version, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Throw the draft away (secretariat)",
        request=None,
        responses={204: None, **error_responses(403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str) -> Response:
        scope_version_discard(version=self.get_object(), actor=actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Compare with another version of the same accreditation's scope",
        parameters=[ScopeDiffQuerySerializer],
        responses={200: ScopeDiffSerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str) -> Response:
        data = validated(ScopeDiffQuerySerializer, request.query_params, self.get_serializer_context())
        new = self.get_object()
        old = self.get_queryset().filter(pk=data["against"]).first()
        if old is None:
            raise DomainError(
                "unknown_scope_version",
                _("There is no scope version {id}, or you may not see it.").format(id=data["against"]),
                detail={"against": data["against"]},
            )
        if old.accreditation_id != new.accreditation_id:
            raise DomainError(
                "different_accreditation",
                _("Scope versions {new} and {old} belong to different accreditations; compare versions of one.").format(
                    new=new.pk, old=old.pk
                ),
                detail={"against": old.pk},
            )
        return Response(scope_diff(old, new).as_dict())


@extend_schema_view(
    create=extend_schema(
        summary="Add an item to a draft scope (secretariat)",
        responses={201: ScopeItemSerializer, **error_responses(400, 403, 404, 409)},
    ),
    partial_update=extend_schema(
        summary="Change an item's attributes in a draft scope (secretariat)",
        responses={200: ScopeItemUpdateSerializer, **error_responses(400, 403, 404, 409)},
    ),
    destroy=extend_schema(
        summary="Remove an item from a draft scope (secretariat)",
        responses={204: None, **error_responses(403, 404, 409)},
    ),
)
class ScopeItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[ScopeItem],
):
    """Items of scopes; only the items of a draft version change."""

    filterset_class = ScopeItemFilterSet
    # Items change field by field (PATCH); a whole replacement would mean nothing more.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[ScopeItem]:
        return scope_item_qs_for(viewer(self.request), selector_action(self.request))

    def get_serializer_class(self) -> type[BaseSerializer[ScopeItem]]:
        if self.action == "partial_update":
            return ScopeItemUpdateSerializer
        return ScopeItemSerializer

    def perform_create(self, serializer: BaseSerializer[ScopeItem]) -> None:
        serializer.instance = scope_item_add(actor=actor(self.request), **serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[ScopeItem]) -> None:
        assert serializer.instance is not None
        if "attributes" in serializer.validated_data:
            serializer.instance = scope_item_update(
                item=serializer.instance, actor=actor(self.request), attributes=serializer.validated_data["attributes"]
            )

    def perform_destroy(self, instance: ScopeItem) -> None:
        scope_item_remove(item=instance, actor=actor(self.request))

    @extend_schema(
        summary="Suspend, reactivate or withdraw an item of a draft scope (secretariat)",
        request=ScopeItemStatusSerializer,
        responses={200: ScopeItemSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request: Request, pk: str) -> Response:
        data = validated(ScopeItemStatusSerializer, request.data, self.get_serializer_context())
        item = scope_item_set_status(item=self.get_object(), actor=actor(request), **data)
        return Response(ScopeItemSerializer(item, context=self.get_serializer_context()).data)


# --- Audit trail ------------------------------------------------------------------------------


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    """The audit trail, newest first; for the accreditation body's staff only."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsStaffReader]
    filterset_class = AuditEventFilterSet

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return audit_events_qs_for(viewer(self.request))


# --- The public directory ---------------------------------------------------------------------

_PUBLIC_LIMIT = (
    "No login. Limited to {rate} per client address; past it the answer is 429 with code `throttled`."
).format(rate=rate_of("public"))


@extend_schema_view(
    list=extend_schema(
        summary="Search the public directory of accredited bodies",
        description="Bodies with at least one accreditation past application, and those accreditations. "
        + _PUBLIC_LIMIT,
        parameters=[PublicCabQuerySerializer],
        responses={200: PublicCabSerializer(many=True), **error_responses(400, 429)},
    ),
    retrieve=extend_schema(
        summary="One body of the public directory, with the current scope of each accreditation",
        description=_PUBLIC_LIMIT,
        responses={200: PublicCabDetailSerializer, **error_responses(404, 429)},
    ),
)
class PublicCabViewSet(viewsets.ReadOnlyModelViewSet[Cab]):
    """The public directory: published facts only, never contacts, members, drafts or audit."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [PortalScopedRateThrottle]
    throttle_scope = "public"
    filter_backends: list[type] = []

    def get_serializer_class(self) -> type[BaseSerializer[Cab]]:
        return PublicCabDetailSerializer if self.action == "retrieve" else PublicCabSerializer

    def get_queryset(self) -> QuerySet[Cab]:
        if self.action != "list":
            return directory_search().prefetch_related(current_scope_prefetch("public_accreditations__"))
        query = validated(PublicCabQuerySerializer, self.request.query_params, self.get_serializer_context())
        query["q"] = " ".join(query["q"].split())
        if query["q"] and len(query["q"]) < MIN_NAME_FRAGMENT:
            raise DomainError(
                "query_too_short",
                _("Type at least {count} characters to search.").format(count=MIN_NAME_FRAGMENT),
                detail={"q": query["q"]},
            )
        return directory_search(**query)
