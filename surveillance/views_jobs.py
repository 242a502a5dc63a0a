"""The daily jobs' page: the latest run of each job, the history, and "run now" for the secretariat.

Staff (secretariat and decision makers) read the runs; anyone else gets 403. "Run now" (POST,
secretariat) hands the job to its Celery task: with a worker (production) it is queued and the
page shows it once it starts, so a long sweep never holds a web worker; in the embedded default
the task runs in this request (``CELERY_TASK_ALWAYS_EAGER``) and the run is on the page at once.
Either way the run takes the job's lock, so pressing it while beat runs the job records a
skipped run and changes nothing. With the broker down, the page says so and nothing is queued.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView
from kombu.exceptions import OperationalError as BrokerError

from accreditation.views.base import SecretariatRequiredMixin, current_user
from core.roles import is_secretariat, is_staff_reader
from surveillance.choices import JobName
from surveillance.filtersets_jobs import JobRunFilterSet
from surveillance.jobs import registered_jobs
from surveillance.models import JobRun
from surveillance.selectors_jobs import job_run_qs_for, job_states, run_row
from surveillance.tasks import JOB_TASKS

logger = logging.getLogger(__name__)
JOB_RUN_PAGE_SIZE = 50


class _StaffReaderRequired(UserPassesTestMixin):
    request: HttpRequest

    def test_func(self) -> bool:
        return is_staff_reader(self.request.user)


class JobRunListView(LoginRequiredMixin, _StaffReaderRequired, ListView):
    template_name = "surveillance/jobs/list.html"
    paginate_by = JOB_RUN_PAGE_SIZE
    context_object_name = "runs"

    def get_queryset(self) -> QuerySet[JobRun]:
        runs = job_run_qs_for(current_user(self.request))
        self.filterset = JobRunFilterSet(self.request.GET or None, queryset=runs)
        return self.filterset.qs if self.filterset.is_valid() else runs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = [run_row(run) for run in context["runs"]]
        context["states"] = [(state, run_row(state.latest) if state.latest else None) for state in job_states()]
        return {
            **context,
            "filter_form": self.filterset.form,
            "can_run": is_secretariat(self.request.user),
        }


class JobRunNowView(LoginRequiredMixin, SecretariatRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, job: str) -> HttpResponse:
        if job not in registered_jobs():
            raise Http404
        label = JobName(job).label
        try:
            JOB_TASKS[JobName(job)].delay()
        except BrokerError:
            logger.exception("Could not queue job %s", job)
            messages.error(
                request,
                str(
                    _(
                        "The task queue cannot be reached, so “{job}” was not started. Try again later, "
                        "or run it on the server with manage.py run_supervision_jobs --job {name}."
                    ).format(job=label, name=job)
                ),
            )
        else:
            messages.success(
                request,
                str(_("“{job}” was started. Its run appears below; reload the page to follow it.").format(job=label)),
            )
        return HttpResponseRedirect(reverse("surveillance:job_list"))
