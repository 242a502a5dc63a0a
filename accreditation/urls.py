"""Pages of the register: the public directory, the secretariat's register and the CAB user's home."""

from django.urls import path

from accreditation.views import applications, cab_home, decisions, directory, register, scopes

app_name = "accreditation"

urlpatterns = [
    # The public directory (no login).
    path("directory/", directory.DirectoryView.as_view(), name="directory"),
    path("directory/<int:pk>/", directory.DirectoryCabView.as_view(), name="directory_cab"),
    # The register.
    path("register/", register.CabListView.as_view(), name="cab_list"),
    path("register/cabs/new/", register.CabCreateView.as_view(), name="cab_create"),
    path("register/cabs/<int:pk>/", register.CabDetailView.as_view(), name="cab_detail"),
    path("register/cabs/<int:pk>/edit/", register.CabUpdateView.as_view(), name="cab_update"),
    path("register/cabs/<int:pk>/sites/new/", register.CabSiteAddView.as_view(), name="cab_site_add"),
    path("register/cabs/<int:pk>/contacts/new/", register.CabContactAddView.as_view(), name="cab_contact_add"),
    path(
        "register/cabs/<int:pk>/accreditations/new/",
        register.AccreditationOpenView.as_view(),
        name="accreditation_open",
    ),
    path("register/accreditations/<int:pk>/", register.AccreditationDetailView.as_view(), name="accreditation_detail"),
    path(
        "register/accreditations/<int:pk>/grant/", register.AccreditationGrantView.as_view(), name="accreditation_grant"
    ),
    path(
        "register/accreditations/<int:pk>/status/",
        register.AccreditationStatusView.as_view(),
        name="accreditation_status",
    ),
    path(
        "register/accreditations/<int:pk>/partial-suspension/",
        register.AccreditationPartialSuspensionView.as_view(),
        name="accreditation_partial_suspension",
    ),
    path("register/accreditations/<int:pk>/scope/new/", scopes.ScopeDraftStartView.as_view(), name="scope_draft_start"),
    path("register/accreditations/<int:pk>/scope/diff/", scopes.ScopeDiffView.as_view(), name="scope_diff"),
    path("register/scopes/<int:pk>/", scopes.ScopeVersionDetailView.as_view(), name="scope_version_detail"),
    path("register/scopes/<int:pk>/items/new/", scopes.ScopeItemAddView.as_view(), name="scope_item_add"),
    path("register/scopes/<int:pk>/publish/", scopes.ScopeVersionPublishView.as_view(), name="scope_version_publish"),
    path("register/scopes/<int:pk>/discard/", scopes.ScopeVersionDiscardView.as_view(), name="scope_version_discard"),
    path("register/scope-items/<int:pk>/edit/", scopes.ScopeItemUpdateView.as_view(), name="scope_item_update"),
    path("register/scope-items/<int:pk>/status/", scopes.ScopeItemStatusView.as_view(), name="scope_item_status"),
    path("register/scope-items/<int:pk>/remove/", scopes.ScopeItemRemoveView.as_view(), name="scope_item_remove"),
    # The CAB user's home.
    path("cab/", cab_home.CabHomeView.as_view(), name="cab_home"),
    path("cab/<int:pk>/", cab_home.CabHomeDetailView.as_view(), name="cab_home_detail"),
    path("cab/<int:pk>/invite/", cab_home.CabMemberInviteView.as_view(), name="cab_member_invite"),
    path(
        "cab/<int:pk>/members/<int:member_pk>/remove/", cab_home.CabMemberRemoveView.as_view(), name="cab_member_remove"
    ),
    path("cab/<int:pk>/contacts/new/", cab_home.CabHomeContactAddView.as_view(), name="cab_home_contact_add"),
    path(
        "cab/<int:pk>/contacts/<int:contact_pk>/edit/",
        cab_home.CabHomeContactUpdateView.as_view(),
        name="cab_home_contact_update",
    ),
    # Applications and the acceptance review.
    path("applications/", applications.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", applications.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/queue/", applications.AcceptanceQueueView.as_view(), name="application_queue"),
    path("applications/<int:pk>/", applications.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/edit/", applications.ApplicationUpdateView.as_view(), name="application_update"),
    path(
        "applications/<int:pk>/items/new/", applications.ApplicationItemAddView.as_view(), name="application_item_add"
    ),
    path(
        "applications/<int:pk>/documents/new/",
        applications.ApplicationDocumentAddView.as_view(),
        name="application_document_add",
    ),
    path("applications/<int:pk>/submit/", applications.ApplicationSubmitView.as_view(), name="application_submit"),
    path(
        "applications/<int:pk>/withdraw/", applications.ApplicationWithdrawView.as_view(), name="application_withdraw"
    ),
    path("applications/<int:pk>/review/", applications.ApplicationReviewView.as_view(), name="application_review"),
    path(
        "applications/items/<int:pk>/remove/",
        applications.ApplicationItemRemoveView.as_view(),
        name="application_item_remove",
    ),
    path(
        "applications/documents/<int:pk>/remove/",
        applications.ApplicationDocumentRemoveView.as_view(),
        name="application_document_remove",
    ),
    path(
        "applications/documents/<int:pk>/download/",
        applications.ApplicationDocumentDownloadView.as_view(),
        name="application_document_download",
    ),
    # Decisions on assessed applications.
    path("decisions/queue/", decisions.DecisionQueueView.as_view(), name="decision_queue"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision_detail"),
    path("applications/<int:pk>/decide/", decisions.ApplicationDecideView.as_view(), name="application_decide"),
    path("invitations/<str:token>/", cab_home.InvitationAcceptView.as_view(), name="invitation_accept"),
]
