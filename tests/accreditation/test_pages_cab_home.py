"""The CAB user's home: their accreditations and scope, colleagues, contacts, and joining by invitation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accreditation.models import Accreditation, Cab, CabContact, CabInvitation, CabMembership
from accreditation.services.members import cab_member_invite
from core.models import User
from tests.accreditation.factories import CabFactory, CabMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_of_one_cab_lands_on_its_page(client_for, cab_user: User, cab: Cab) -> None:
    assertRedirects(client_for(cab_user).get("/cab/"), f"/cab/{cab.pk}/")


def test_a_member_of_several_cabs_chooses_one(client_for, cab_user: User, cab: Cab, other_cab: Cab) -> None:
    CabMembershipFactory.create(cab=other_cab, user=cab_user)
    response = client_for(cab_user).get("/cab/")
    assertContains(response, f'href="/cab/{cab.pk}/"')
    assertContains(response, f'href="/cab/{other_cab.pk}/"')
    assertContains(response, "上海远东认证有限公司")


def test_the_cab_page_shows_its_accreditations_with_status_and_current_scope(
    client_for, cab_user: User, accreditation: Accreditation
) -> None:
    response = client_for(cab_user).get(f"/cab/{accreditation.cab_id}/")
    assertContains(response, "CNAS L0001")
    assertContains(response, '<span class="badge badge-accredited">Accredited</span>', html=True)
    assertContains(response, "Scope of accreditation, issue 1 of")
    assertContains(response, "GB 5009.229-2016")
    assertContains(response, "chen")


def test_a_cab_user_of_another_cab_gets_not_found_on_this_cabs_pages(
    client_for, other_cab_user: User, cab: Cab, cab_user: User
) -> None:
    contact = CabContact.objects.create(cab=cab, name="王质量", role="Quality manager")
    membership = CabMembership.objects.get(user=cab_user)
    client = client_for(other_cab_user)
    for url in [
        f"/cab/{cab.pk}/",
        f"/cab/{cab.pk}/invite/",
        f"/cab/{cab.pk}/contacts/new/",
        f"/cab/{cab.pk}/contacts/{contact.pk}/edit/",
        f"/cab/{cab.pk}/members/{membership.pk}/remove/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assertNotContains(response, "北京精准检测技术有限公司", status_code=404)
    assert client.post(f"/cab/{cab.pk}/members/{membership.pk}/remove/").status_code == 404
    assert CabMembership.objects.filter(pk=membership.pk).exists()


def test_staff_use_the_register_not_the_cab_home(client_for, secretariat: User, cab: Cab) -> None:
    assert client_for(secretariat).get(f"/cab/{cab.pk}/").status_code == 404


def test_a_plain_member_is_offered_no_admin_actions(client_for, cab_user: User, cab_admin: User, cab: Cab) -> None:
    response = client_for(cab_user).get(f"/cab/{cab.pk}/")
    assertNotContains(response, "Invite a colleague")
    assertNotContains(response, "/remove/")
    assertNotContains(response, "/contacts/new/")


# --- Inviting and removing colleagues ------------------------------------------------------------


def test_a_cab_admin_invites_a_colleague_who_gets_an_email(
    client_for, cab_admin: User, cab: Cab, django_capture_on_commit_callbacks
) -> None:
    client = client_for(cab_admin)
    assertContains(client.get(f"/cab/{cab.pk}/"), "Invite a colleague")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cab/{cab.pk}/invite/", {"email": "Zhang@Example.cn", "is_admin": "on"})
    assertRedirects(response, f"/cab/{cab.pk}/", fetch_redirect_response=False)
    invitation = CabInvitation.objects.get(cab=cab)
    assert (invitation.email, invitation.is_admin, invitation.invited_by) == ("zhang@example.cn", True, cab_admin)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.cn"]
    assert f"http://127.0.0.1:8000/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "Beijing Precise Testing Co., Ltd." in mail.outbox[0].body
    assert "北京精准检测技术有限公司" in mail.outbox[0].body
    assertContains(client.get(f"/cab/{cab.pk}/"), "zhang@example.cn")


def test_a_plain_member_may_not_invite(client_for, cab_user: User, cab: Cab) -> None:
    response = client_for(cab_user).post(f"/cab/{cab.pk}/invite/", {"email": "zhang@example.cn"})
    assert response.status_code == 403
    assert not CabInvitation.objects.exists()


def test_inviting_an_existing_member_is_refused(client_for, cab_admin: User, cab_user: User, cab: Cab) -> None:
    response = client_for(cab_admin).post(f"/cab/{cab.pk}/invite/", {"email": cab_user.email})
    assertContains(response, f"{cab_user.email} is already a member of this CAB.")
    assert not CabInvitation.objects.exists()


def test_a_cab_admin_removes_a_member(client_for, cab_admin: User, cab_user: User, cab: Cab) -> None:
    membership = CabMembership.objects.get(user=cab_user)
    client = client_for(cab_admin)
    assertContains(client.get(f"/cab/{cab.pk}/"), f'href="/cab/{cab.pk}/members/{membership.pk}/remove/"')
    assertContains(client.get(f"/cab/{cab.pk}/members/{membership.pk}/remove/"), "Chen will no longer see")
    response = client.post(f"/cab/{cab.pk}/members/{membership.pk}/remove/", {"reason": "Left the company"})
    assertRedirects(response, f"/cab/{cab.pk}/", fetch_redirect_response=False)
    assert not CabMembership.objects.filter(pk=membership.pk).exists()


def test_a_plain_member_may_not_remove_a_colleague(client_for, cab_admin: User, cab_user: User, cab: Cab) -> None:
    membership = CabMembership.objects.get(user=cab_admin)
    response = client_for(cab_user).post(f"/cab/{cab.pk}/members/{membership.pk}/remove/")
    assert response.status_code == 403
    assert CabMembership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_be_removed(client_for, cab_admin: User, cab: Cab) -> None:
    membership = CabMembership.objects.get(user=cab_admin)
    response = client_for(cab_admin).post(f"/cab/{cab.pk}/members/{membership.pk}/remove/")
    assertContains(response, "A CAB keeps at least one admin; appoint another admin first.")
    assert CabMembership.objects.filter(pk=membership.pk).exists()


# --- Contacts ----------------------------------------------------------------------------------


def test_a_cab_admin_adds_and_edits_a_contact(client_for, cab_admin: User, cab: Cab) -> None:
    client = client_for(cab_admin)
    response = client.post(
        f"/cab/{cab.pk}/contacts/new/", {"name": "王质量", "role": "Quality manager", "phone": "010-1"}
    )
    assertRedirects(response, f"/cab/{cab.pk}/", fetch_redirect_response=False)
    contact = cab.contacts.get()
    assertContains(client.get(f"/cab/{cab.pk}/"), f'href="/cab/{cab.pk}/contacts/{contact.pk}/edit/"')
    assertContains(client.get(f"/cab/{cab.pk}/contacts/{contact.pk}/edit/"), 'value="王质量"')
    response = client.post(
        f"/cab/{cab.pk}/contacts/{contact.pk}/edit/",
        {"name": "王质量", "role": "Quality manager", "email": "wang@example.cn", "phone": "010-1"},
    )
    assertRedirects(response, f"/cab/{cab.pk}/", fetch_redirect_response=False)
    contact.refresh_from_db()
    assert contact.email == "wang@example.cn"


def test_an_invalid_contact_email_is_shown_and_nothing_saved(client_for, cab_admin: User, cab: Cab) -> None:
    response = client_for(cab_admin).post(
        f"/cab/{cab.pk}/contacts/new/", {"name": "王", "role": "QM", "email": "no-at"}
    )
    assertContains(response, "Enter a valid email address.")
    assert not cab.contacts.exists()


def test_a_plain_member_may_not_add_a_contact(client_for, cab_user: User, cab: Cab) -> None:
    response = client_for(cab_user).post(f"/cab/{cab.pk}/contacts/new/", {"name": "王", "role": "QM"})
    assert response.status_code == 403
    assert not cab.contacts.exists()


def test_a_contact_of_another_cab_cannot_be_edited_through_this_cabs_page(
    client_for, cab_admin: User, cab: Cab, other_cab: Cab
) -> None:
    theirs = CabContact.objects.create(cab=other_cab, name="外人", role="QM")
    assert client_for(cab_admin).get(f"/cab/{cab.pk}/contacts/{theirs.pk}/edit/").status_code == 404


# --- Accepting an invitation ---------------------------------------------------------------------


@pytest.fixture
def invitation(cab: Cab, cab_admin: User) -> CabInvitation:
    return cab_member_invite(cab=cab, actor=cab_admin, email="zhang@example.cn")


@pytest.mark.smoke
def test_the_invitee_opens_an_account_and_is_logged_in(client_for, invitation: CabInvitation, cab: Cab) -> None:
    client = client_for(None)
    page = client.get(f"/invitations/{invitation.token}/")
    assertContains(page, "You are invited to join Beijing Precise Testing Co., Ltd. as zhang@example.cn.")
    response = client.post(
        f"/invitations/{invitation.token}/",
        {
            "username": "zhang",
            "full_name": "张伟",
            "password1": "tea-garden-lantern-42",
            "password2": "tea-garden-lantern-42",
        },
    )
    assertRedirects(response, f"/cab/{cab.pk}/")
    user = User.objects.get(username="zhang")
    assert (user.email, user.full_name) == ("zhang@example.cn", "张伟")
    assert CabMembership.objects.filter(cab=cab, user=user, is_admin=False).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_weak_password_is_refused_and_no_account_opened(client_for, invitation: CabInvitation) -> None:
    response = client_for(None).post(
        f"/invitations/{invitation.token}/",
        {"username": "zhang", "full_name": "张伟", "password1": "12345678", "password2": "12345678"},
    )
    assertContains(response, "This password is too short.")
    assert not User.objects.filter(username="zhang").exists()


def test_a_taken_user_name_is_refused(client_for, invitation: CabInvitation) -> None:
    UserFactory.create(username="zhang")
    response = client_for(None).post(
        f"/invitations/{invitation.token}/",
        {
            "username": "Zhang",
            "full_name": "张伟",
            "password1": "tea-garden-lantern-42",
            "password2": "tea-garden-lantern-42",
        },
    )
    assertContains(response, "That user name is taken; choose another.")
    assert not CabMembership.objects.filter(cab=invitation.cab, user__username="Zhang").exists()


def test_two_different_passwords_are_refused(client_for, invitation: CabInvitation) -> None:
    response = client_for(None).post(
        f"/invitations/{invitation.token}/",
        {
            "username": "zhang",
            "full_name": "张伟",
            "password1": "tea-garden-lantern-42",
            "password2": "tea-garden-lantern-43",
        },
    )
    assertContains(response, "The two passwords differ.")
    assert not User.objects.filter(username="zhang").exists()


def test_an_expired_invitation_says_so_and_opens_nothing(client_for, invitation: CabInvitation) -> None:
    CabInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client = client_for(None)
    page = client.get(f"/invitations/{invitation.token}/")
    assertContains(page, "This invitation has expired or was already used.")
    assertNotContains(page, 'name="password1"')
    client.post(
        f"/invitations/{invitation.token}/",
        {
            "username": "zhang",
            "full_name": "张伟",
            "password1": "tea-garden-lantern-42",
            "password2": "tea-garden-lantern-42",
        },
    )
    assert not User.objects.filter(username="zhang").exists()


def test_an_unknown_invitation_token_is_not_found(client_for, db) -> None:
    assert client_for(None).get("/invitations/not-a-token/").status_code == 404


def test_a_cab_admin_sees_only_their_own_cabs_invitations(
    client_for, invitation: CabInvitation, other_cab_user
) -> None:
    other: Cab = CabFactory.create()
    CabMembershipFactory.create(cab=other, user=other_cab_user, is_admin=True)
    assertNotContains(client_for(other_cab_user).get(f"/cab/{other.pk}/"), "zhang@example.cn")
