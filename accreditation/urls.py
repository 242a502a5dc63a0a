"""Pages of the register: the public directory, the secretariat's register and the CAB user's home."""

from django.urls import path

from accreditation import views

app_name = "accreditation"

urlpatterns = [
    # The public directory (no login).
    path("directory/", views.DirectoryView.as_view(), name="directory"),
    path("directory/<int:pk>/", views.DirectoryCabView.as_view(), name="directory_cab"),
    # The register.
    path("register/", views.CabListView.as_view(), name="cab_list"),
    path("register/cabs/new/", views.CabCreateView.as_view(), name="cab_create"),
    path("register/cabs/<int:pk>/", views.CabDetailView.as_view(), name="cab_detail"),
    path("register/cabs/<int:pk>/edit/", views.CabUpdateView.as_view(), name="cab_update"),
    path("register/cabs/<int:pk>/sites/new/", views.CabSiteAddView.as_view(), name="cab_site_add"),
    path("register/cabs/<int:pk>/contacts/new/", views.CabContactAddView.as_view(), name="cab_contact_add"),
    path(
        "register/cabs/<int:pk>/accreditations/new/", views.AccreditationOpenView.as_view(), name="accreditation_open"
    ),
    path("register/accreditations/<int:pk>/", views.AccreditationDetailView.as_view(), name="accreditation_detail"),
    path("register/accreditations/<int:pk>/grant/", views.AccreditationGrantView.as_view(), name="accreditation_grant"),
    path(
        "register/accreditations/<int:pk>/status/", views.AccreditationStatusView.as_view(), name="accreditation_status"
    ),
    path(
        "register/accreditations/<int:pk>/partial-suspension/",
        views.AccreditationPartialSuspensionView.as_view(),
        name="accreditation_partial_suspension",
    ),
    path("register/accreditations/<int:pk>/scope/new/", views.ScopeDraftStartView.as_view(), name="scope_draft_start"),
    path("register/accreditations/<int:pk>/scope/diff/", views.ScopeDiffView.as_view(), name="scope_diff"),
    path("register/scopes/<int:pk>/", views.ScopeVersionDetailView.as_view(), name="scope_version_detail"),
    path("register/scopes/<int:pk>/items/new/", views.ScopeItemAddView.as_view(), name="scope_item_add"),
    path("register/scopes/<int:pk>/publish/", views.ScopeVersionPublishView.as_view(), name="scope_version_publish"),
    path("register/scopes/<int:pk>/discard/", views.ScopeVersionDiscardView.as_view(), name="scope_version_discard"),
    path("register/scope-items/<int:pk>/edit/", views.ScopeItemUpdateView.as_view(), name="scope_item_update"),
    path("register/scope-items/<int:pk>/status/", views.ScopeItemStatusView.as_view(), name="scope_item_status"),
    path("register/scope-items/<int:pk>/remove/", views.ScopeItemRemoveView.as_view(), name="scope_item_remove"),
    # The CAB user's home.
    path("cab/", views.CabHomeView.as_view(), name="cab_home"),
    path("cab/<int:pk>/", views.CabHomeDetailView.as_view(), name="cab_home_detail"),
    path("cab/<int:pk>/invite/", views.CabMemberInviteView.as_view(), name="cab_member_invite"),
    path("cab/<int:pk>/members/<int:member_pk>/remove/", views.CabMemberRemoveView.as_view(), name="cab_member_remove"),
    path("cab/<int:pk>/contacts/new/", views.CabHomeContactAddView.as_view(), name="cab_home_contact_add"),
    path(
        "cab/<int:pk>/contacts/<int:contact_pk>/edit/",
        views.CabHomeContactUpdateView.as_view(),
        name="cab_home_contact_update",
    ),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
