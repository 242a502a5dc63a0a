"""Pages of the daily jobs' runs, joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_jobs as views

urlpatterns: list[URLPattern] = [
    path("supervision/jobs/", views.JobRunListView.as_view(), name="job_list"),
    path("supervision/jobs/<slug:job>/run/", views.JobRunNowView.as_view(), name="job_run_now"),
]
