"""Pages of the supervision app, mounted at the site root by ``config.urls``.

Each part of the supervision issue keeps its own module (``urls_complaints``, ``urls_sanctions``, ``urls_notices``,
...); this module only joins them.
"""

from django.urls import URLPattern, path

from surveillance import (
    urls_appeals_draws,
    urls_complaints,
    urls_cycle,
    urls_jobs,
    urls_notices,
    urls_sanctions,
    urls_statistics,
    views_hub,
)

app_name = "surveillance"

urlpatterns: list[URLPattern] = [
    path("supervision/", views_hub.SupervisionHubView.as_view(), name="hub"),
    *urls_complaints.urlpatterns,
    *urls_jobs.urlpatterns,
    *urls_cycle.urlpatterns,
    *urls_statistics.urlpatterns,
    *urls_sanctions.urlpatterns,
    *urls_notices.urlpatterns,
    *urls_appeals_draws.urlpatterns,
]
