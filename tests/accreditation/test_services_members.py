"""Who works for a CAB in the portal: invitations, members, and sparse grants to one CAB.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Erin an
assessor, Carol admin of ``cab``, Chen a plain member of ``cab``, Oscar admin of ``other_cab``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accreditation.models import Cab, CabInvitation, CabMembership
from accreditation.services.members import (
    VIEW_CAB,
    cab_grant_view,
    cab_invitation_accept,
    cab_member_add,
    cab_member_invite,
    cab_member_remove,
    cab_revoke_view,
)
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from tests.accreditation.factories import UserFactory
from tests.accreditation.service_assertions import event_summary, new_events, nothing_changes

GOOD_PASSWORD = "lantern-orchard-47"


@pytest.fixture
def sent_invitations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Invitation ids handed to the e-mail task (the task itself is tested with the pages)."""
    sent: list[int] = []
    monkeypatch.setattr("accreditation.tasks.send_cab_invitation.delay", sent.append)
    return sent


# --- cab_member_invite --------------------------------------------------------------------------


def test_a_cab_admin_invites_a_colleague_and_the_e_mail_goes_out_after_commit(
    cab_admin: User, cab: Cab, sent_invitations: list[int], django_capture_on_commit_callbacks
) -> None:
    with new_events() as events, django_capture_on_commit_callbacks(execute=True):
        invitation = cab_member_invite(cab=cab, actor=cab_admin, email="  Li.Na@Precise.Example ", is_admin=False)
        assert sent_invitations == []

    assert sent_invitations == [invitation.pk]
    invitation.refresh_from_db()
    assert (invitation.cab, invitation.email, invitation.is_admin, invitation.invited_by) == (
        cab,
        "li.na@precise.example",
        False,
        cab_admin,
    )
    assert invitation.is_open
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        dt.timedelta(days=14), abs=dt.timedelta(seconds=5)
    )
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.member_invited",
            "actor": "carol",
            "aggregate": f"accreditation.cabinvitation:{invitation.pk}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {},
            "new_values": {"email": "li.na@precise.example", "is_admin": False},
        }
    ]


def test_a_refused_invitation_sends_no_e_mail(
    other_cab_user: User, cab: Cab, sent_invitations: list[int], django_capture_on_commit_callbacks
) -> None:
    with (
        nothing_changes(),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(NotPermitted) as refused,
    ):
        cab_member_invite(cab=cab, actor=other_cab_user, email="li.na@precise.example")

    assert refused.value.code == "outside_cab"
    assert callbacks == []
    assert sent_invitations == []


def test_a_plain_member_cannot_invite(cab_user: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_member_invite(cab=cab, actor=cab_user, email="li.na@precise.example")

    assert refused.value.code == "outside_cab"


def test_the_secretariat_may_invite_to_any_cab(secretariat: User, cab: Cab, sent_invitations: list[int]) -> None:
    invitation = cab_member_invite(cab=cab, actor=secretariat, email="li.na@precise.example", is_admin=True)

    assert CabInvitation.objects.get().pk == invitation.pk
    assert invitation.is_admin is True


def test_an_invalid_e_mail_address_is_refused(cab_admin: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_member_invite(cab=cab, actor=cab_admin, email="li.na at precise")

    assert refused.value.code == "invalid_email"
    assert refused.value.message == "Enter a valid e-mail address."


def test_inviting_someone_who_is_already_a_member_is_refused(cab_admin: User, cab_user: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_member_invite(cab=cab, actor=cab_admin, email="CHEN@example.cn")

    assert refused.value.code == "already_member"
    assert refused.value.message == "chen@example.cn is already a member of this CAB."


# --- cab_invitation_accept ----------------------------------------------------------------------


@pytest.fixture
def invitation(cab_admin: User, cab: Cab, sent_invitations: list[int]) -> CabInvitation:
    return cab_member_invite(cab=cab, actor=cab_admin, email="li.na@precise.example", is_admin=True)


def test_accepting_an_invitation_opens_an_account_and_a_membership(invitation: CabInvitation, cab: Cab) -> None:
    with new_events() as events:
        membership = cab_invitation_accept(
            token=invitation.token, username="lina", password=GOOD_PASSWORD, full_name="李娜"
        )

    user = User.objects.get(username="lina")
    assert (user.email, user.full_name, user.check_password(GOOD_PASSWORD)) == ("li.na@precise.example", "李娜", True)
    assert (membership.cab, membership.user, membership.is_admin) == (cab, user, True)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert not invitation.is_open
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.member_joined",
            "actor": "lina",
            "aggregate": f"accreditation.cabmembership:{membership.pk}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {},
            "new_values": {"user": "lina", "is_admin": True},
        }
    ]
    assert events[0].actor == user


def test_an_invitation_cannot_be_used_twice(invitation: CabInvitation) -> None:
    cab_invitation_accept(token=invitation.token, username="lina", password=GOOD_PASSWORD, full_name="李娜")

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        cab_invitation_accept(token=invitation.token, username="lina2", password=GOOD_PASSWORD, full_name="李娜")

    assert refused.value.code == "invitation_closed"
    assert refused.value.message == "This invitation has expired or was already used."


def test_an_expired_invitation_is_refused(invitation: CabInvitation) -> None:
    CabInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    with nothing_changes(), pytest.raises(StateConflict) as refused:
        cab_invitation_accept(token=invitation.token, username="lina", password=GOOD_PASSWORD, full_name="李娜")

    assert refused.value.code == "invitation_closed"


def test_an_unknown_token_is_refused_like_a_closed_invitation(invitation: CabInvitation) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        cab_invitation_accept(token="not-a-token", username="lina", password=GOOD_PASSWORD, full_name="李娜")

    assert refused.value.code == "invitation_closed"


def test_a_user_name_taken_in_any_letter_case_is_refused(invitation: CabInvitation, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_invitation_accept(token=invitation.token, username="CHEN", password=GOOD_PASSWORD, full_name="李娜")

    assert refused.value.code == "username_taken"
    assert refused.value.message == "That user name is taken; choose another."


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Choose a user name."),
        ("   ", "Choose a user name."),
        (
            "li na",
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
        ),
    ],
)
def test_a_user_name_the_sign_in_form_would_not_accept_is_refused(
    invitation: CabInvitation, username: str, message: str
) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_invitation_accept(token=invitation.token, username=username, password=GOOD_PASSWORD, full_name="李娜")

    assert refused.value.code == "invalid_username"
    assert refused.value.message == message
    assert refused.value.detail == {"username": [message]}


def test_a_weak_password_is_refused_with_the_validators_messages(invitation: CabInvitation) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_invitation_accept(token=invitation.token, username="lina", password="12345678", full_name="李娜")

    assert refused.value.code == "weak_password"
    assert refused.value.detail == {
        "password": [
            "This password is too short. It must contain at least 10 characters.",
            "This password is too common.",
            "This password is entirely numeric.",
        ]
    }


# --- cab_member_add / cab_member_remove ---------------------------------------------------------


def test_the_secretariat_adds_an_existing_user_to_a_cab(secretariat: User, cab: Cab) -> None:
    wang = UserFactory.create(username="wang")

    with new_events() as events:
        membership = cab_member_add(cab=cab, user=wang, actor=secretariat, is_admin=True)

    assert CabMembership.objects.get(user=wang) == membership
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.member_added",
            "actor": "alice",
            "aggregate": f"accreditation.cabmembership:{membership.pk}",
            "cab_id": cab.pk,
            "reason": "",
            "old_values": {},
            "new_values": {"user": "wang", "is_admin": True},
        }
    ]


def test_adding_a_member_twice_is_refused(secretariat: User, cab: Cab, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(DomainError) as refused:
        cab_member_add(cab=cab, user=cab_user, actor=secretariat)

    assert refused.value.code == "already_member"
    assert refused.value.message == "Chen is already a member of this CAB."


def test_a_cab_admin_cannot_add_members_directly(cab_admin: User, cab: Cab) -> None:
    wang = UserFactory.create(username="wang")

    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_member_add(cab=cab, user=wang, actor=cab_admin)

    assert refused.value.code == "not_secretariat"


def test_a_cab_admin_removes_a_colleague(cab_admin: User, cab_user: User, cab: Cab) -> None:
    membership = CabMembership.objects.get(user=cab_user)
    membership_id = membership.pk

    with new_events() as events:
        cab_member_remove(membership=membership, actor=cab_admin, reason="已离职")

    assert list(CabMembership.objects.filter(cab=cab).values_list("user__username", flat=True)) == ["carol"]
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.member_removed",
            "actor": "carol",
            "aggregate": f"accreditation.cabmembership:{membership_id}",
            "cab_id": cab.pk,
            "reason": "已离职",
            "old_values": {"user": "chen", "is_admin": False},
            "new_values": {},
        }
    ]


def test_the_last_admin_of_a_cab_cannot_be_removed(cab_admin: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(StateConflict) as refused:
        cab_member_remove(membership=CabMembership.objects.get(user=cab_admin), actor=cab_admin)

    assert refused.value.code == "last_admin"
    assert refused.value.message == "A CAB keeps at least one admin; appoint another admin first."


def test_a_cab_admin_cannot_remove_members_of_another_cab(other_cab_user: User, cab_user: User) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_member_remove(membership=CabMembership.objects.get(user=cab_user), actor=other_cab_user)

    assert refused.value.code == "outside_cab"


# --- cab_grant_view / cab_revoke_view -----------------------------------------------------------


def test_the_secretariat_grants_and_revokes_an_assessors_view_of_one_cab(
    secretariat: User, assessor: User, cab: Cab, other_cab: Cab
) -> None:
    with new_events() as events:
        cab_grant_view(cab=cab, user=assessor, actor=secretariat, reason="评审组成员")
        granted = (User.objects.get(pk=assessor.pk).has_perm(VIEW_CAB, cab), assessor.has_perm(VIEW_CAB, other_cab))
        cab_revoke_view(cab=cab, user=assessor, actor=secretariat, reason="评审结束")

    assert granted == (True, False)
    assert User.objects.get(pk=assessor.pk).has_perm(VIEW_CAB, cab) is False
    assert [event_summary(e) for e in events] == [
        {
            "event_type": "cab.access_granted",
            "actor": "alice",
            "aggregate": f"accreditation.cab:{cab.pk}",
            "cab_id": cab.pk,
            "reason": "评审组成员",
            "old_values": {},
            "new_values": {"user": "erin", "permission": "accreditation.view_cab"},
        },
        {
            "event_type": "cab.access_revoked",
            "actor": "alice",
            "aggregate": f"accreditation.cab:{cab.pk}",
            "cab_id": cab.pk,
            "reason": "评审结束",
            "old_values": {"user": "erin", "permission": "accreditation.view_cab"},
            "new_values": {},
        },
    ]


def test_a_decision_maker_cannot_grant_access(decision_maker: User, assessor: User, cab: Cab) -> None:
    with nothing_changes(), pytest.raises(NotPermitted) as refused:
        cab_grant_view(cab=cab, user=assessor, actor=decision_maker, reason="评审组成员")

    assert refused.value.code == "not_secretariat"
