"""The public directory: search without login, and a body's public page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from accreditation import selectors
from accreditation.forms import DirectorySearchForm
from accreditation.models import Cab
from accreditation.views.base import DIRECTORY_PAGE_SIZE
from accreditation.views.presenters import with_current_scope


class DirectoryView(ListView):
    """Search the accredited bodies (no login). A one-character query is refused with a message."""

    template_name = "accreditation/directory.html"
    paginate_by = DIRECTORY_PAGE_SIZE
    context_object_name = "cabs"

    def get_queryset(self) -> QuerySet[Cab]:
        self.form = DirectorySearchForm(self.request.GET)
        if not self.form.is_valid():
            return selectors.public_cab_qs().none()
        return selectors.directory_search(**self.form.search_arguments())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(form=self.form, **kwargs)


class DirectoryCabView(DetailView):
    """A body's public page: its names, accreditations and their current published scopes only."""

    template_name = "accreditation/directory_cab.html"
    context_object_name = "cab"

    def get_queryset(self) -> QuerySet[Cab]:
        return selectors.public_cab_qs()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        accreditations = (
            selectors.public_accreditation_qs()
            .filter(cab=self.object)
            .prefetch_related(selectors.current_scope_prefetch())
        )
        return super().get_context_data(accreditations=with_current_scope(accreditations), **kwargs)
