"""Pages of the statistics dashboard, joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_statistics as views

urlpatterns: list[URLPattern] = [
    path("supervision/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path(
        "supervision/statistics/export/<slug:table>.<slug:file_format>",
        views.StatisticsExportView.as_view(),
        name="statistics_export",
    ),
]
