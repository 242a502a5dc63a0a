"""Pages of the registry of CB-issued certificates, appended to ``certification.urls``."""

from django.urls import URLPattern, path

from certification import views_registry

urlpatterns: list[URLPattern] = [
    path("registry/cabs/<int:cb>/certificates/", views_registry.RegistryListView.as_view(), name="registry_list"),
    path(
        "registry/cabs/<int:cb>/certificates/new/",
        views_registry.RegistryFormView.as_view(),
        name="registry_create",
    ),
    path("registry/certificates/<int:pk>/", views_registry.RegistryDetailView.as_view(), name="registry_detail"),
    path("registry/certificates/<int:pk>/edit/", views_registry.RegistryFormView.as_view(), name="registry_edit"),
    path(
        "registry/not-accredited/",
        views_registry.NotAccreditedQueueView.as_view(),
        name="not_accredited_queue",
    ),
]
