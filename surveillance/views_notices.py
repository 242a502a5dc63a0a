"""Public notices (no login): the list with its kind filter, one notice, the suspended and withdrawn bodies,
the dishonesty list; and the secretariat's pages to manage the dishonesty list and publish statements
on false claims of accreditation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accreditation.views.base import DIRECTORY_PAGE_SIZE, REGISTER_PAGE_SIZE, StaffActionView, current_user
from core.roles import is_secretariat
from surveillance import services_notices
from surveillance.choices import NoticeKind
from surveillance.forms_sanctions import CreditRepairForm, DishonestyEntryForm, FalseClaimStatementForm
from surveillance.models import DishonestyEntry, PublicNotice
from surveillance.selectors_notices import (
    all_dishonesty_entries,
    current_dishonesty_entries,
    notice_body,
    notice_page,
    notice_title,
    suspended_or_withdrawn,
)
from surveillance.views_complaints import StaffReaderRequiredMixin


def _rows(notices: list[PublicNotice]) -> list[dict[str, Any]]:
    return [
        {
            "notice": notice,
            "title": notice_title(notice),
            "body": notice_body(notice),
            "kind_label": notice.get_kind_display(),
        }
        for notice in notices
    ]


class NoticeListView(TemplateView):
    """Newest first, ``?kind=`` to narrow, ``?after=<id>`` for the next page (keyset: stays fast)."""

    template_name = "surveillance/notices/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in NoticeKind.values else ""
        page = notice_page(kind=kind, after=self.request.GET.get("after", ""))
        return super().get_context_data(
            kind=kind, kinds=NoticeKind.choices, rows=_rows(page.notices), next_cursor=page.next_cursor, **kwargs
        )


class NoticeDetailView(TemplateView):
    template_name = "surveillance/notices/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        notice = get_object_or_404(PublicNotice.objects.select_related("cab", "accreditation"), pk=self.kwargs["pk"])
        return super().get_context_data(row=_rows([notice])[0], notice=notice, **kwargs)


class SuspendedWithdrawnView(TemplateView):
    template_name = "surveillance/notices/suspended_withdrawn.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = Paginator(suspended_or_withdrawn(), DIRECTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, accreditations=page.object_list, **kwargs)


class DishonestyListView(TemplateView):
    """The current entries with reason and date; entries removed by credit repair are no longer listed
    (their removal, with its reason, is a notice of its own)."""

    template_name = "surveillance/notices/dishonesty.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = Paginator(current_dishonesty_entries(), DIRECTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page_obj=page, entries=page.object_list, **kwargs)


# --- the secretariat --------------------------------------------------------------------------------------


class DishonestyManageView(LoginRequiredMixin, StaffReaderRequiredMixin, TemplateView):
    """Every entry, the current ones first, with who listed and removed it."""

    template_name = "surveillance/notices/dishonesty_manage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = Paginator(all_dishonesty_entries(), REGISTER_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page, entries=page.object_list, can_act=is_secretariat(self.request.user), **kwargs
        )


def _manage_url() -> str:
    return reverse("surveillance:dishonesty_manage")


class DishonestyNewView(StaffActionView):
    form_class = DishonestyEntryForm
    title = _("Enter a body on the dishonesty list")
    intro = _("The body, the reason and the date are published on the dishonesty list and as a notice.")
    submit_label = _("Enter on the list")
    danger = True

    def get_object(self) -> None:
        return None

    def perform(self, form: DishonestyEntryForm) -> DishonestyEntry:
        return services_notices.dishonesty_list(
            cab=form.cleaned_data["cab"],
            reason=form.cleaned_data["reason"],
            listed_on=form.cleaned_data["listed_on"],
            actor=current_user(self.request),
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("{cab} is on the dishonesty list.").format(cab=result.cab.name)

    def success_url_for(self, result: Any) -> str:
        return _manage_url()

    def cancel_url(self) -> str:
        return _manage_url()


class CreditRepairView(StaffActionView):
    form_class = CreditRepairForm
    title = _("Credit repair: remove from the dishonesty list")
    intro = _("The entry is kept in the record; the removal and its reason are published as a notice.")
    submit_label = _("Remove from the list")

    def get_object(self) -> DishonestyEntry:
        return get_object_or_404(DishonestyEntry.objects.select_related("cab"), pk=self.kwargs["pk"])

    def perform(self, form: CreditRepairForm) -> DishonestyEntry:
        return services_notices.dishonesty_repair(
            entry=self.object,
            reason=form.cleaned_data["reason"],
            removed_on=form.cleaned_data["removed_on"],
            actor=current_user(self.request),
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("{cab} is removed from the dishonesty list.").format(cab=result.cab.name)

    def success_url_for(self, result: Any) -> str:
        return _manage_url()

    def cancel_url(self) -> str:
        return _manage_url()


class FalseClaimStatementView(StaffActionView):
    form_class = FalseClaimStatementForm
    title = _("Publish a statement on a false claim of accreditation")
    intro = _("The statement (认可维权声明) is published at once in both languages, as written here.")
    submit_label = _("Publish")

    def get_object(self) -> None:
        return None

    def perform(self, form: FalseClaimStatementForm) -> PublicNotice:
        data = form.cleaned_data
        return services_notices.false_claim_statement_publish(
            cab=data["cab"],
            title_zh=data["title_zh"],
            title_en=data["title_en"],
            body_zh=data["body_zh"],
            body_en=data["body_en"],
            actor=current_user(self.request),
        )

    def success_message(self, result: Any) -> str | Promise:
        return _("The statement is published.")

    def success_url_for(self, result: Any) -> str:
        return reverse("surveillance:notice_detail", args=[result.pk])

    def cancel_url(self) -> str:
        return reverse("surveillance:notice_list")
