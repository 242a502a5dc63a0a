"""The cycle page and each accreditation's on-site history, joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_cycle as views

urlpatterns: list[URLPattern] = [
    path("supervision/cycle/", views.CycleView.as_view(), name="cycle"),
    path(
        "supervision/cycle/accreditations/<int:pk>/", views.CycleAccreditationView.as_view(), name="cycle_accreditation"
    ),
    path(
        "supervision/cycle/accreditations/<int:pk>/record/",
        views.PastOnsiteRecordView.as_view(),
        name="past_onsite_record",
    ),
]
