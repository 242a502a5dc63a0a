"""What the appeal tests share: staff users, and a refused decision whose assessment team had a decision maker on it."""

from __future__ import annotations

from django.contrib.auth.models import Group

from accreditation.choices_applications import ApplicationType
from accreditation.models import Accreditation, Decision
from accreditation.services.decisions import decision_record
from core.models import User
from core.roles import Role
from tests.accreditation.decisions_helpers import METAL_ITEM, accepted_application, all_items, assessed
from tests.accreditation.factories import UserFactory


def staff(username: str, role: Role = Role.DECISION_MAKER) -> User:
    user = UserFactory.create(username=username)
    user.groups.add(Group.objects.get(name=role.value))
    return user


def refused_extension(
    accreditation: Accreditation, *, cab_admin: User, secretariat: User, decider: User, team_member: User
) -> Decision:
    """An extension of ``accreditation`` assessed with ``team_member`` on the team, then refused by ``decider``."""
    application = accepted_application(
        accreditation.cab,
        accreditation.programme,
        cab_admin,
        ApplicationType.EXTENSION,
        accreditation=accreditation,
        add=[METAL_ITEM],
    )
    assessed(application, secretariat, team=[team_member])
    return decision_record(
        application=application, actor=decider, reasons="无检测经历", items=all_items(application, "refuse", "无")
    )
