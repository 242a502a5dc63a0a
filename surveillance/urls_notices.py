"""Public notices (no login) and the secretariat's credit pages, joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_notices as views
from surveillance.feeds import NoticeFeed, NoticeJsonFeed

urlpatterns: list[URLPattern] = [
    # The public.
    path("notices/", views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice_detail"),
    path("notices/suspended-withdrawn/", views.SuspendedWithdrawnView.as_view(), name="notice_suspended_withdrawn"),
    path("notices/dishonesty/", views.DishonestyListView.as_view(), name="dishonesty_list"),
    path("notices/feed.atom", NoticeFeed(), name="notice_feed_atom"),
    path("notices/feed.json", NoticeJsonFeed(), name="notice_feed_json"),
    # The secretariat.
    path("notices/manage/dishonesty/", views.DishonestyManageView.as_view(), name="dishonesty_manage"),
    path("notices/manage/dishonesty/new/", views.DishonestyNewView.as_view(), name="dishonesty_new"),
    path("notices/manage/dishonesty/<int:pk>/repair/", views.CreditRepairView.as_view(), name="credit_repair"),
    path("notices/manage/false-claim/", views.FalseClaimStatementView.as_view(), name="false_claim_new"),
]
