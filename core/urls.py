"""The home page, signing in (with a second factor where needed), out and resetting a password, the inbox
and the audit trail's public checkpoints."""

from django.urls import include, path

from core import views, views_audit, views_two_factor

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # Django's login form, sending those who need a second factor on to give it; it comes before
    # django.contrib.auth.urls, whose own "login" it replaces.
    path("accounts/login/", views_two_factor.PortalLoginView.as_view(), name="login"),
    path("accounts/two-factor/", views_two_factor.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("accounts/two-factor/setup/", views_two_factor.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    # logout (POST only), password_change, password_reset and their confirmation pages.
    path("accounts/", include("django.contrib.auth.urls")),
    path("work/", views.MyWorkView.as_view(), name="my_work"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("inbox/read-all/", views.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("audit/checkpoints/", views_audit.AuditCheckpointListView.as_view(), name="audit_checkpoints"),
    path("audit/checkpoints.json", views_audit.AuditCheckpointDownloadView.as_view(), name="audit_checkpoints_json"),
]
