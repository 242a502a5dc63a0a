"""Serializers of the register's API.

They translate JSON to the arguments of one service and a model back to JSON; they never write.
Model serializers have ``Meta.validators = []`` and no model validators on ``credit_code``: the
services check uniqueness and credit codes and answer with their own stable codes
(``duplicate_credit_code``, ``invalid_credit_code``...), which generic serializer errors would hide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from accreditation.choices import AccreditationStatus, Province, ScopeItemStatus
from accreditation.models import (
    Accreditation,
    Cab,
    CabContact,
    CabInvitation,
    CabMembership,
    CabSite,
    Programme,
    ScopeItem,
    ScopeVersion,
)
from accreditation.scope_shapes import fields_of, summary
from accreditation.selectors import (
    AnyUser,
    accreditation_qs_for,
    cab_qs_for,
    programme_qs,
    scope_version_qs_for,
)
from accreditation.uploads import MEDIA_TYPES
from core.api.serializers import CurrentUserSerializer, UserSerializer
from core.models import AuditEvent


def file_download_responses(description: str = "The file.") -> dict[tuple[int, str], OpenApiResponse]:
    """Schema entries of a stored upload's download: one per media type it is served as."""
    return {
        (200, media): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for media in sorted(set(MEDIA_TYPES.values()))
    }


REASON_MAX_LENGTH = 2000


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference, by id, to an object the requesting user may see.

    The choices come from the aggregate's selector (``cab_qs_for`` etc. with ``"view"``). An id
    the user cannot see answers 404, exactly as the object's own URL would, so the API never
    tells anyone that a CAB they may not see exists. Whether the user may *change* something
    under it is the service's decision (403 with the service's code).
    """

    def __init__(self, *, selector: Callable[[AnyUser, Any], QuerySet[Any]], model: type[Model], **kwargs: Any):
        self.selector = selector
        self.model = model
        if not kwargs.get("read_only"):
            # Only names the model for the schema; ``get_queryset`` below decides the choices.
            kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.selector(self.context["request"].user, "view")

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return self.get_queryset().get(pk=data)
        except ObjectDoesNotExist as exc:
            raise NotFound(
                _("There is no {model} with id {pk}, or you may not see it.").format(
                    model=self.model._meta.verbose_name, pk=data
                )
            ) from exc
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)


class ReasonSerializer(serializers.Serializer):
    """Input of a move that needs only a reason (close a CAB, suspend an accreditation...)."""

    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Why; kept in the audit trail.")


def _optional_reason() -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH, help_text="Kept in the audit trail."
    )


def _write_only_reason() -> serializers.CharField:
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX_LENGTH,
        help_text="Why; kept in the audit trail.",
    )


# --- Programmes -----------------------------------------------------------------------------


class ProgrammeCycleSerializer(serializers.ModelSerializer[Programme]):
    """A programme's cycle rules (ISO/IEC 17011 limits as the secretariat set them)."""

    class Meta:
        model = Programme
        fields = [
            "certificate_validity_months",
            "first_surveillance_months",
            "max_onsite_interval_months",
            "reassessment_interval_months",
            "renewal_notice_months",
            "max_suspension_months",
            "nc_answer_deadline_days",
            "acceptance_review_working_days",
        ]
        read_only_fields = fields


class ScopeFieldSerializer(serializers.Serializer):
    """One field a scope item of the programme has (``accreditation.scope_shapes``)."""

    # These names shadow attributes of DRF's Field class; DRF's metaclass takes declared fields
    # out of the class, so they work, but the type checker cannot know that.
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    required = serializers.BooleanField(read_only=True)  # type: ignore[assignment]
    many = serializers.BooleanField(  # type: ignore[assignment]
        read_only=True, help_text="A list of texts (e.g. IAF sectors), not one text."
    )
    help_text = serializers.CharField(read_only=True)  # type: ignore[assignment]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    name = serializers.CharField(read_only=True, help_text="The name in the request's language.")
    cycle = ProgrammeCycleSerializer(source="*", read_only=True)
    scope_fields = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "standard",
            "cab_kind",
            "scope_shape",
            "number_pattern",
            "is_active",
            "cycle",
            "scope_fields",
        ]
        read_only_fields = fields

    @extend_schema_field(ScopeFieldSerializer(many=True))
    def get_scope_fields(self, programme: Programme) -> Any:
        return ScopeFieldSerializer(fields_of(programme.scope_shape), many=True).data


# --- CABs, sites, contacts, members ---------------------------------------------------------


class CabSerializer(serializers.ModelSerializer[Cab]):
    name = serializers.CharField(read_only=True, help_text="The legal name in the request's language.")
    credit_code = serializers.CharField(
        max_length=40,
        help_text="Unified social credit code (GB 32100-2015), 18 characters with a check character.",
    )
    reason = _write_only_reason()

    class Meta:
        model = Cab
        fields = [
            "id",
            "name",
            "name_zh",
            "name_en",
            "credit_code",
            "kind",
            "province",
            "address_zh",
            "address_en",
            "postcode",
            "website",
            "status",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = ["id", "status", "created_at", "updated_at"]
        validators: list[Any] = []


class CabSiteSerializer(serializers.ModelSerializer[CabSite]):
    cab = VisibleRelatedField(selector=cab_qs_for, model=Cab)
    reason = _write_only_reason()

    class Meta:
        model = CabSite
        fields = ["id", "cab", "name", "address", "province", "is_main", "reason"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class CabContactSerializer(serializers.ModelSerializer[CabContact]):
    cab = VisibleRelatedField(selector=cab_qs_for, model=Cab)
    reason = _write_only_reason()

    class Meta:
        model = CabContact
        fields = ["id", "cab", "name", "role", "email", "phone", "is_primary", "reason"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class CabContactUpdateSerializer(CabContactSerializer):
    """A contact stays with its CAB: ``cab`` cannot change."""

    cab = VisibleRelatedField(selector=cab_qs_for, model=Cab, read_only=True)


class MembershipSerializer(serializers.ModelSerializer[CabMembership]):
    cab_name = serializers.CharField(source="cab.name", read_only=True)
    user = UserSerializer(read_only=True)

    class Meta:
        model = CabMembership
        fields = ["id", "cab", "cab_name", "user", "is_admin", "created_at"]
        read_only_fields = fields


class OwnMembershipSerializer(serializers.ModelSerializer[CabMembership]):
    cab_name = serializers.CharField(source="cab.name", read_only=True)

    class Meta:
        model = CabMembership
        fields = ["id", "cab", "cab_name", "is_admin", "created_at"]
        read_only_fields = fields


class MeSerializer(CurrentUserSerializer):
    """The signed-in user, their staff roles and the CABs they work for.

    The view passes the memberships (from ``selectors.memberships_of``) in the context.
    """

    memberships = serializers.SerializerMethodField()

    class Meta(CurrentUserSerializer.Meta):
        fields = [*CurrentUserSerializer.Meta.fields, "memberships"]
        read_only_fields = fields

    @extend_schema_field(OwnMembershipSerializer(many=True))
    def get_memberships(self, user: Any) -> Any:
        return OwnMembershipSerializer(self.context["memberships"], many=True).data


class CabInviteSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254, help_text="Where the invitation link is sent.")
    is_admin = serializers.BooleanField(default=False, help_text="The colleague may invite others and edit contacts.")


class InvitationSerializer(serializers.ModelSerializer[CabInvitation]):
    """An invitation as its sender sees it; the secret token only travels in the e-mail."""

    class Meta:
        model = CabInvitation
        fields = ["id", "cab", "email", "is_admin", "created_at", "expires_at"]
        read_only_fields = fields


# --- Accreditations -------------------------------------------------------------------------


class AccreditationSerializer(serializers.ModelSerializer[Accreditation]):
    cab = VisibleRelatedField(selector=cab_qs_for, model=Cab)
    cab_name = serializers.CharField(source="cab.name", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", queryset=programme_qs())
    reason = _write_only_reason()

    class Meta:
        model = Accreditation
        fields = [
            "id",
            "cab",
            "cab_name",
            "programme",
            "number",
            "status",
            "granted_on",
            "cycle_start",
            "cycle_end",
            "status_changed_at",
            "created_at",
            "reason",
        ]
        read_only_fields = [
            "id",
            "number",
            "status",
            "granted_on",
            "cycle_start",
            "cycle_end",
            "status_changed_at",
            "created_at",
        ]
        validators: list[Any] = []


class AccreditationGrantSerializer(serializers.Serializer):
    granted_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: today.")
    number = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        max_length=40,
        help_text="Only for bodies accredited before the portal; otherwise the programme's next number is given.",
    )
    reason = _optional_reason()


class PartialSuspensionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Why; kept in the audit trail.")
    item_keys = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        help_text="Keys of the current scope's items to suspend.",
    )


# --- Scopes ---------------------------------------------------------------------------------


class ScopeItemSerializer(serializers.ModelSerializer[ScopeItem]):
    version = VisibleRelatedField(selector=scope_version_qs_for, model=ScopeVersion)
    status = serializers.ChoiceField(choices=ScopeItemStatus.choices, default=ScopeItemStatus.ACTIVE)
    attributes = serializers.DictField(help_text="The fields of the programme's scope shape, by name.")
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ScopeItem
        fields = ["id", "version", "key", "position", "status", "attributes", "summary"]
        read_only_fields = ["id", "key", "position"]
        validators: list[Any] = []

    def get_summary(self, item: ScopeItem) -> str:
        return summary(item.version.accreditation.programme.scope_shape, item.attributes)


class ScopeItemUpdateSerializer(ScopeItemSerializer):
    """Only the attributes of a draft's item change this way; its status has ``set-status``."""

    version = VisibleRelatedField(selector=scope_version_qs_for, model=ScopeVersion, read_only=True)
    status = serializers.ChoiceField(choices=ScopeItemStatus.choices, read_only=True)


class ScopeItemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ScopeItemStatus.choices)
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Why; kept in the audit trail.")


class ScopeVersionSerializer(serializers.ModelSerializer[ScopeVersion]):
    accreditation = VisibleRelatedField(selector=accreditation_qs_for, model=Accreditation)
    items = ScopeItemSerializer(many=True, read_only=True)

    class Meta:
        model = ScopeVersion
        fields = [
            "id",
            "accreditation",
            "issue_number",
            "status",
            "issued_on",
            "based_on",
            "note",
            "created_at",
            "published_at",
            "items",
        ]
        read_only_fields = ["id", "issue_number", "status", "issued_on", "based_on", "created_at", "published_at"]
        validators: list[Any] = []


class ScopeVersionPublishSerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: today.")
    reason = _optional_reason()


class ScopeDiffQuerySerializer(serializers.Serializer):
    against = serializers.IntegerField(
        min_value=1, help_text="Id of the version to compare with (the older one); same accreditation."
    )


class ScopeDiffItemSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ScopeItemStatus.choices)
    attributes = serializers.DictField()
    summary = serializers.CharField()


class ScopeDiffChangeSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    fields = serializers.ListField(  # type: ignore[assignment]  # a declared field; see ScopeFieldSerializer
        child=serializers.CharField(), help_text="Names of the fields that differ."
    )
    before = ScopeDiffItemSerializer()
    after = ScopeDiffItemSerializer()


class ScopeDiffSerializer(serializers.Serializer):
    """What ``selectors.scope_diff(...).as_dict()`` answers; for the schema only."""

    old = serializers.IntegerField(help_text="Id of the version compared against.")
    new = serializers.IntegerField(help_text="Id of the version asked about.")
    added = ScopeDiffItemSerializer(many=True)
    removed = ScopeDiffItemSerializer(many=True)
    changed = ScopeDiffChangeSerializer(many=True)
    unchanged = serializers.IntegerField()


# --- Audit trail ----------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "sequence",
            "occurred_at",
            "actor",
            "actor_label",
            "aggregate_type",
            "aggregate_id",
            "cab_id",
            "event_type",
            "reason",
            "old_values",
            "new_values",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields
        # Sealing numbers and hashes an event a moment after its transaction commits (``core.audit``).
        extra_kwargs = {
            "sequence": {
                "help_text": _("Position in the hash chain; empty until the event is sealed, just after the change.")
            },
        }


# --- The public directory -------------------------------------------------------------------


class PublicCabQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="At least 2 characters: a fragment of the name, an accreditation number or a credit code.",
    )
    programme = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    province = serializers.ChoiceField(choices=Province.choices, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=AccreditationStatus.choices, required=False, allow_blank=True, default="")


class PublicScopeItemSerializer(serializers.ModelSerializer[ScopeItem]):
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ScopeItem
        fields = ["key", "status", "attributes", "summary"]
        read_only_fields = fields

    def get_summary(self, item: ScopeItem) -> str:
        return summary(item.version.accreditation.programme.scope_shape, item.attributes)


class PublicScopeSerializer(serializers.ModelSerializer[ScopeVersion]):
    items = PublicScopeItemSerializer(many=True, read_only=True)

    class Meta:
        model = ScopeVersion
        fields = ["issue_number", "issued_on", "items"]
        read_only_fields = fields


class PublicAccreditationSerializer(serializers.ModelSerializer[Accreditation]):
    programme = serializers.CharField(source="programme.code", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = Accreditation
        fields = ["number", "programme", "programme_name", "status", "granted_on", "cycle_start", "cycle_end"]
        read_only_fields = fields


class PublicAccreditationDetailSerializer(PublicAccreditationSerializer):
    scope = serializers.SerializerMethodField()

    class Meta(PublicAccreditationSerializer.Meta):
        fields = [*PublicAccreditationSerializer.Meta.fields, "scope"]
        read_only_fields = fields

    @extend_schema_field(PublicScopeSerializer(allow_null=True))
    def get_scope(self, accreditation: Accreditation) -> Any:
        # ``published_versions`` is prefetched by ``selectors.current_scope_prefetch``.
        versions = accreditation.published_versions  # type: ignore[attr-defined]
        return PublicScopeSerializer(versions[0]).data if versions else None


class PublicCabSerializer(serializers.ModelSerializer[Cab]):
    """A CAB as the public directory shows it: never contacts, members, drafts or audit."""

    name = serializers.CharField(read_only=True, help_text="The legal name in the request's language.")
    accreditations = PublicAccreditationSerializer(source="public_accreditations", many=True, read_only=True)

    class Meta:
        model = Cab
        fields = ["id", "name", "name_zh", "name_en", "province", "accreditations"]
        read_only_fields = fields


class PublicCabDetailSerializer(PublicCabSerializer):
    accreditations = PublicAccreditationDetailSerializer(source="public_accreditations", many=True, read_only=True)
