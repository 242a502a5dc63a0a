"""Serializers of the sanctions API (the accreditation body's staff)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accreditation.models import Accreditation, ScopeItem
from surveillance.choices import SanctionKind, SanctionStatus, WithdrawalProposalStatus
from surveillance.models import Complaint, Sanction, SanctionReason, WithdrawalProposal


class SanctionReasonSerializer(serializers.ModelSerializer[SanctionReason]):
    class Meta:
        model = SanctionReason
        fields = ["id", "code", "label_zh", "label_en", "is_active"]


class SanctionSerializer(serializers.ModelSerializer[Sanction]):
    kind = serializers.ChoiceField(choices=SanctionKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=SanctionStatus.choices, read_only=True)
    reason = SanctionReasonSerializer(read_only=True, allow_null=True)
    accreditation_number = serializers.CharField(source="accreditation.number", read_only=True)
    scope_item_keys = serializers.SerializerMethodField()
    complaint: serializers.SlugRelatedField[Complaint] = serializers.SlugRelatedField(
        slug_field="tracking_number", read_only=True, allow_null=True
    )

    class Meta:
        model = Sanction
        fields = [
            "id",
            "accreditation",
            "accreditation_number",
            "kind",
            "status",
            "reason",
            "details",
            "scope_item_keys",
            "complaint",
            "decided_by",
            "decided_at",
            "effective_on",
            "suspended_until",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ]
        read_only_fields = fields

    def get_scope_item_keys(self, sanction: Sanction) -> list[str]:
        return [str(item.key) for item in sanction.scope_items.all()]


class SanctionDecideSerializer(serializers.Serializer[Any]):
    accreditation = serializers.PrimaryKeyRelatedField(queryset=Accreditation.objects.all())
    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    reason = serializers.SlugRelatedField(
        slug_field="code",
        queryset=SanctionReason.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "A code from `/api/sanction-reasons/`; required except for `voluntary_suspension` and `cancellation`."
        ),
    )
    details = serializers.CharField(max_length=10000)
    scope_items = serializers.PrimaryKeyRelatedField(
        queryset=ScopeItem.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="Ids of items of the current scope issue: for `partial_suspension` and `scope_reduction` only.",
    )
    complaint = serializers.SlugRelatedField(
        slug_field="tracking_number", queryset=Complaint.objects.all(), required=False, allow_null=True, default=None
    )
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)


class SanctionLiftSerializer(serializers.Serializer[Any]):
    verification = serializers.CharField(max_length=5000)


class WithdrawalProposalSerializer(serializers.ModelSerializer[WithdrawalProposal]):
    status = serializers.ChoiceField(choices=WithdrawalProposalStatus.choices, read_only=True)
    sanction = SanctionSerializer(read_only=True)

    class Meta:
        model = WithdrawalProposal
        fields = ["id", "sanction", "status", "proposed_on", "decided_by", "decided_at", "decision_reason"]
        read_only_fields = fields


class ProposalWithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.SlugRelatedField(slug_field="code", queryset=SanctionReason.objects.all())
    details = serializers.CharField(max_length=10000)


class ProposalDismissSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=5000)
