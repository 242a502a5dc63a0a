"""Pages of sanctions and withdrawal proposals (the accreditation body's staff), joined by ``surveillance.urls``."""

from django.urls import URLPattern, path

from surveillance import views_sanctions as views

urlpatterns: list[URLPattern] = [
    path("sanctions/", views.SanctionOverviewView.as_view(), name="sanction_overview"),
    path(
        "sanctions/accreditations/<int:pk>/",
        views.AccreditationSanctionsView.as_view(),
        name="accreditation_sanctions",
    ),
    path("sanctions/accreditations/<int:pk>/decide/", views.SanctionDecideView.as_view(), name="sanction_decide"),
    path("sanctions/<int:pk>/lift/", views.SanctionLiftView.as_view(), name="sanction_lift"),
    path(
        "sanctions/withdrawal-proposals/",
        views.WithdrawalProposalListView.as_view(),
        name="withdrawal_proposal_list",
    ),
    path(
        "sanctions/withdrawal-proposals/<int:pk>/withdraw/",
        views.ProposalWithdrawView.as_view(),
        name="withdrawal_proposal_withdraw",
    ),
    path(
        "sanctions/withdrawal-proposals/<int:pk>/dismiss/",
        views.ProposalDismissView.as_view(),
        name="withdrawal_proposal_dismiss",
    ),
]
