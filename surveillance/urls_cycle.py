"""The cycle page, joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_cycle as views

urlpatterns: list[URLPattern] = [
    path("supervision/cycle/", views.CycleView.as_view(), name="cycle"),
]
