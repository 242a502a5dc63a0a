"""Serializers of the public notices API: each notice in both languages, as published."""

from __future__ import annotations

from rest_framework import serializers

from surveillance.choices import NoticeKind
from surveillance.models import PublicNotice


class PublicNoticeSerializer(serializers.ModelSerializer[PublicNotice]):
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    cab_name_zh = serializers.CharField(source="cab.name_zh")
    cab_name_en = serializers.CharField(source="cab.name_en")
    accreditation_number = serializers.CharField(source="accreditation.number", default=None, allow_null=True)

    class Meta:
        model = PublicNotice
        fields = [
            "id",
            "kind",
            "cab",
            "cab_name_zh",
            "cab_name_en",
            "accreditation_number",
            "title_zh",
            "title_en",
            "body_zh",
            "body_en",
            "published_at",
            "effective_on",
        ]
        read_only_fields = fields
