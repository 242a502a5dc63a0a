"""The home page and signing in, out and resetting a password (Django's views, our templates)."""

from django.urls import include, path

from core import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # login, logout (POST only), password_change, password_reset and their confirmation pages.
    path("accounts/", include("django.contrib.auth.urls")),
    path("work/", views.MyWorkView.as_view(), name="my_work"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("inbox/read-all/", views.NotificationReadAllView.as_view(), name="notification_read_all"),
]
