"""Roles are groups: who holds which, and who counts as secretariat or as a staff reader.

Personas (tests/conftest.py): Alice of the secretariat, Dmitri the decision maker, Erin an
assessor, Carol admin of ``cab`` (a CAB membership is not a role), and the public.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from core.models import User
from core.roles import Role, has_role, is_secretariat, is_staff_reader, roles_of
from tests.accreditation.factories import UserFactory

pytestmark = pytest.mark.smoke


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_migration_creates_one_group_per_role(db: None) -> None:
    assert sorted(Group.objects.values_list("name", flat=True)) == ["assessor", "decision_maker", "secretariat"]
    assert sorted(Role.values) == ["assessor", "decision_maker", "secretariat"]


@pytest.mark.parametrize(
    ("persona", "roles", "acts_as_secretariat", "reads_everything"),
    [
        ("secretariat", {"secretariat"}, True, True),
        ("decision_maker", {"decision_maker"}, False, True),
        ("assessor", {"assessor"}, False, False),
        ("cab_admin", set(), False, False),
    ],
)
def test_each_persona_holds_the_role_of_their_group(
    request: pytest.FixtureRequest, persona: str, roles: set[str], acts_as_secretariat: bool, reads_everything: bool
) -> None:
    user = fresh(request.getfixturevalue(persona))

    assert roles_of(user) == frozenset(roles)
    assert (is_secretariat(user), is_staff_reader(user)) == (acts_as_secretariat, reads_everything)
    assert {role.value for role in Role if has_role(user, role)} == roles


def test_the_public_holds_no_role(db: None) -> None:
    public = AnonymousUser()

    assert roles_of(public) == frozenset()
    assert (is_secretariat(public), is_staff_reader(public), has_role(public, Role.ASSESSOR)) == (False, False, False)


def test_a_superuser_acts_as_secretariat_without_the_group(db: None) -> None:
    root = UserFactory.create(username="root", is_superuser=True)

    assert roles_of(root) == frozenset()
    assert (is_secretariat(root), is_staff_reader(root)) == (True, True)


def test_a_user_in_two_groups_holds_both_roles_and_other_groups_are_ignored(db: None) -> None:
    frank = UserFactory.create(username="frank")
    frank.groups.add(*Group.objects.filter(name__in=["assessor", "decision_maker"]))
    frank.groups.add(Group.objects.create(name="newsletter"))

    assert roles_of(fresh(frank)) == frozenset({"assessor", "decision_maker"})


def test_roles_are_read_once_per_user_object(secretariat: User, django_assert_num_queries: Any) -> None:
    alice = fresh(secretariat)
    with django_assert_num_queries(1):
        roles_of(alice)
        is_secretariat(alice)
        is_staff_reader(alice)
        has_role(alice, Role.ASSESSOR)


def test_a_role_granted_later_is_seen_by_the_next_request(secretariat: User) -> None:
    alice = fresh(secretariat)
    assert roles_of(alice) == frozenset({"secretariat"})

    alice.groups.add(Group.objects.get(name="assessor"))

    assert roles_of(alice) == frozenset({"secretariat"})  # cached on this object, as for one request
    assert roles_of(fresh(alice)) == frozenset({"secretariat", "assessor"})
