"""Pages of appeals and of special supervision (risk table, double-random draws), joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_appeals_draws as views

urlpatterns: list[URLPattern] = [
    path("appeals/", views.AppealListView.as_view(), name="appeal_list"),
    path("appeals/<int:pk>/", views.AppealDetailView.as_view(), name="appeal_detail"),
    path("appeals/decisions/<int:pk>/lodge/", views.AppealLodgeView.as_view(), name="appeal_lodge"),
    path("appeals/<int:pk>/panel/", views.AppealAssignPanelView.as_view(), name="appeal_assign_panel"),
    path("appeals/<int:pk>/decide/", views.AppealDecideView.as_view(), name="appeal_decide"),
    path("appeals/<int:pk>/withdraw/", views.AppealWithdrawView.as_view(), name="appeal_withdraw"),
    path("supervision/risk/", views.RiskTableView.as_view(), name="risk_table"),
    path("supervision/draws/", views.PublicDrawListView.as_view(), name="draw_public_list"),
    path("supervision/draws/<int:pk>/", views.PublicDrawDetailView.as_view(), name="draw_public_detail"),
    path("supervision/manage/draws/", views.DrawListView.as_view(), name="draw_list"),
    path("supervision/manage/draws/new/", views.DrawRunView.as_view(), name="draw_run"),
    path("supervision/manage/draws/<int:pk>/", views.DrawDetailView.as_view(), name="draw_detail"),
    path("supervision/manage/draws/<int:pk>/publish/", views.DrawPublishView.as_view(), name="draw_publish"),
    path(
        "supervision/manage/drawn-bodies/<int:pk>/outcome/",
        views.DrawnBodyOutcomeView.as_view(),
        name="drawn_body_outcome",
    ),
]
