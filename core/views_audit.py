"""The audit trail's signed checkpoints, public: anyone may keep a copy to check the trail against later."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views import View
from django.views.generic import ListView

from core.audit_checkpoints import checkpoint_as_json
from core.models import AuditCheckpoint


class AuditCheckpointListView(ListView):
    """Newest first, with how to check them and the download of them all."""

    template_name = "core/audit_checkpoints.html"
    context_object_name = "checkpoints"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditCheckpoint]:
        return AuditCheckpoint.objects.order_by("-sequence")


class AuditCheckpointDownloadView(View):
    """Every checkpoint, oldest first, as the JSON file ``verify_audit_trail --checkpoints`` reads."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = [checkpoint_as_json(checkpoint) for checkpoint in AuditCheckpoint.objects.order_by("sequence")]
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-checkpoints.json"'
        return response
