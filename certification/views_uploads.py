"""Pages of certificate uploads: the CB's list, the upload form, each upload's progress and errors, the template.

Every upload is looked up through ``certification.selectors_uploads.upload_qs_for`` (unseen:
404). The form is for those who may upload for at least one certification body (403 for
anyone else); the service checks again. The progress bar polls ``upload_status`` (JSON) every
second; without JavaScript the page shows the state and a link to refresh it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accreditation.forms import add_domain_error
from accreditation.views.base import current_user
from certification import services_uploads
from certification.choices import UploadStatus
from certification.exports import csv_response
from certification.forms_uploads import CertificateUploadForm
from certification.models import CertificateUpload
from certification.rows import FIELD_LABELS
from certification.selectors_uploads import upload_cbs_for, upload_qs_for
from certification.upload_files import template_sheets, template_xlsx
from core.errors import DomainError, NotPermitted

UPLOAD_LIST_PAGE_SIZE = 50
#: How many errors the page shows; the download has all of them.
ERRORS_ON_PAGE = 200
ERROR_REPORT_HEADER = (
    _("Row"),
    _("Certification identity number"),
    _("Field"),
    _("Value"),
    _("Error code"),
    _("Message"),
)
RUNNING_STATUSES = frozenset({UploadStatus.QUEUED, UploadStatus.VALIDATING, UploadStatus.APPLYING})
RESUMABLE_STATUSES = frozenset({UploadStatus.INTERRUPTED, UploadStatus.FAILED})


def upload_url(upload: CertificateUpload | int) -> str:
    pk = upload if isinstance(upload, int) else upload.pk
    return reverse("certification:upload_detail", args=[pk])


def upload_status_data(upload: CertificateUpload) -> dict[str, Any]:
    """What the progress bar and the API show of an upload's state."""
    return {
        "id": upload.pk,
        "status": upload.status,
        "status_label": str(upload.get_status_display()),
        "running": upload.status in RUNNING_STATUSES,
        "total_rows": upload.total_rows,
        "processed_rows": upload.processed_rows,
        "applied_rows": upload.applied_rows,
        "applied_through_row": upload.applied_through_row,
        "error_rows": upload.error_rows,
        "percent": services_uploads.progress_percent(upload),
        "failure": upload.failure,
    }


def visible_upload(request: HttpRequest, pk: int) -> CertificateUpload:
    """The upload, as it stands: one whose worker died is shown interrupted (and so marked) at once."""
    upload = get_object_or_404(upload_qs_for(current_user(request)), pk=pk)
    if services_uploads.is_stale(upload) and services_uploads.upload_interrupt_if_stale(upload.pk) is not None:
        upload.refresh_from_db()
    return upload


class UploadListView(LoginRequiredMixin, TemplateView):
    """The uploads the user may see (a CB's members: their CB's), newest first."""

    template_name = "certification/uploads/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = current_user(self.request)
        uploads = upload_qs_for(user)
        cb = self.request.GET.get("cb", "")
        if cb.isdigit():
            uploads = uploads.filter(cb_id=int(cb))
        page = Paginator(uploads, UPLOAD_LIST_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page, uploads=page.object_list, can_upload=upload_cbs_for(user).exists(), **kwargs
        )


class UploadCreateView(LoginRequiredMixin, FormView):
    form_class = CertificateUploadForm
    template_name = "certification/uploads/upload_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.cbs = upload_cbs_for(current_user(request))
            if not self.cbs.exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "cbs": self.cbs}

    def get_initial(self) -> dict[str, Any]:
        cb = self.request.GET.get("cb", "")
        return {"cb": int(cb)} if cb.isdigit() else {}

    def form_valid(self, form: CertificateUploadForm) -> HttpResponse:
        try:
            upload = services_uploads.upload_create(
                cb=form.cleaned_data["cb"], actor=current_user(self.request), file=form.cleaned_data["file"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, str(_("The file is uploaded; its rows are being checked.")))
        return HttpResponseRedirect(upload_url(upload))


class UploadTemplateView(LoginRequiredMixin, View):
    """The template in the page's language: ``?format=xlsx`` (default, with a ``sites`` sheet) or ``csv``."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        language = translation.get_language() or "zh-hans"
        suffix = "zh" if language.startswith("zh") else "en"
        if request.GET.get("format") == "csv":
            rows = template_sheets(language)[0][1]
            return csv_response(rows, filename=f"certificate-template-{suffix}.csv")
        response = HttpResponse(
            template_xlsx(language),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="certificate-template-{suffix}.xlsx"'
        return response


class UploadDetailView(LoginRequiredMixin, TemplateView):
    """One upload: its state and progress, counts, and its first errors (all of them in the download)."""

    template_name = "certification/uploads/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        upload = visible_upload(self.request, self.kwargs["pk"])
        errors = list(upload.row_errors.order_by("row", "pk")[:ERRORS_ON_PAGE])
        labels = {name: str(label) for name, label in FIELD_LABELS.items()}
        for error in errors:
            error.field_label = labels.get(error.field, error.field)  # type: ignore[attr-defined]
        return super().get_context_data(
            upload=upload,
            state=upload_status_data(upload),
            errors=errors,
            errors_total=upload.row_errors.count(),
            errors_on_page=ERRORS_ON_PAGE,
            running=upload.status in RUNNING_STATUSES,
            resumable=upload.status in RESUMABLE_STATUSES and upload.format in services_uploads.RESUMABLE_FORMATS,
            **kwargs,
        )


class UploadResumeView(LoginRequiredMixin, View):
    """Resume an interrupted or failed upload (POST): it goes on after the last row it applied."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        upload = get_object_or_404(upload_qs_for(current_user(request)), pk=pk)
        try:
            services_uploads.upload_resume(upload=upload, actor=current_user(request))
        except NotPermitted as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(_("The upload is resumed; the rows not applied yet are being applied.")))
        return HttpResponseRedirect(upload_url(upload))


class UploadStatusView(LoginRequiredMixin, View):
    """The upload's state as JSON, for the progress bar."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        return JsonResponse(upload_status_data(visible_upload(request, pk)))


def error_report_rows(upload: CertificateUpload) -> Any:
    """The error report: a header, then every error of every row (values as sent, neutralised on export)."""
    yield [str(label) for label in ERROR_REPORT_HEADER]
    errors = upload.row_errors.order_by("row", "pk").values_list(
        "row", "identity_number", "field", "value", "code", "message"
    )
    yield from errors.iterator(chunk_size=5000)


class UploadErrorsDownloadView(LoginRequiredMixin, View):
    """Every error of the upload as CSV (UTF-8 with BOM; formula-like cells neutralised)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        upload = get_object_or_404(upload_qs_for(current_user(request)), pk=pk)
        return csv_response(error_report_rows(upload), filename=f"upload-{upload.pk}-errors.csv")
