"""Who works for a CAB in the portal, and sparse grants of access to one CAB."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from accreditation.models import Cab, CabInvitation, CabMembership
from accreditation.services.guards import require_cab_admin_or_secretariat, require_secretariat
from core.audit import audit_record
from core.errors import DomainError, StateConflict
from core.models import User

VIEW_CAB = "accreditation.view_cab"


@transaction.atomic
def cab_member_invite(*, cab: Cab, actor: User, email: str, is_admin: bool = False) -> CabInvitation:
    """A CAB admin (or the secretariat) invites a colleague; the e-mail goes out after commit."""
    require_cab_admin_or_secretariat(actor, cab)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("invalid_email", _("Enter a valid e-mail address.")) from exc
    if CabMembership.objects.filter(cab=cab, user__email__iexact=email).exists():
        raise DomainError("already_member", _("{email} is already a member of this CAB.").format(email=email))
    invitation = CabInvitation.objects.create(cab=cab, email=email, is_admin=is_admin, invited_by=actor)
    audit_record(
        instance=invitation,
        event_type="cab.member_invited",
        actor=actor,
        new_values={"email": email, "is_admin": is_admin},
        cab_id=cab.pk,
    )
    from accreditation.tasks import send_cab_invitation

    transaction.on_commit(lambda: send_cab_invitation.delay(invitation.pk))
    return invitation


@transaction.atomic
def cab_invitation_accept(*, token: str, username: str, password: str, full_name: str) -> CabMembership:
    """The invited person opens an account and becomes a member of the CAB."""
    invitation = CabInvitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise StateConflict("invitation_closed", _("This invitation has expired or was already used."))
    username = username.strip()
    try:
        # The model field's validators (allowed characters, length) are not run by save().
        User._meta.get_field("username").run_validators(username)
        if not username:
            raise ValidationError(_("Choose a user name."))
    except ValidationError as exc:
        raise DomainError("invalid_username", " ".join(exc.messages), detail={"username": exc.messages}) from exc
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", _("That user name is taken; choose another."), detail={"username": []})
    user = User(username=username, email=invitation.email, full_name=full_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), detail={"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    membership = CabMembership.objects.create(cab=invitation.cab, user=user, is_admin=invitation.is_admin)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        instance=membership,
        event_type="cab.member_joined",
        actor=user,
        new_values={"user": user.username, "is_admin": membership.is_admin},
        cab_id=invitation.cab_id,
    )
    return membership


@transaction.atomic
def cab_member_add(*, cab: Cab, user: User, actor: User | None, is_admin: bool = False) -> CabMembership:
    require_secretariat(actor)
    membership, created = CabMembership.objects.get_or_create(cab=cab, user=user, defaults={"is_admin": is_admin})
    if not created:
        raise DomainError("already_member", _("{user} is already a member of this CAB.").format(user=user))
    audit_record(
        instance=membership,
        event_type="cab.member_added",
        actor=actor,
        new_values={"user": user.username, "is_admin": is_admin},
        cab_id=cab.pk,
    )
    return membership


@transaction.atomic
def cab_member_remove(*, membership: CabMembership, actor: User, reason: str = "") -> None:
    require_cab_admin_or_secretariat(actor, membership.cab)
    if (
        membership.is_admin
        and not CabMembership.objects.filter(cab=membership.cab, is_admin=True).exclude(pk=membership.pk).exists()
    ):
        raise StateConflict("last_admin", _("A CAB keeps at least one admin; appoint another admin first."))
    audit_record(
        instance=membership,
        event_type="cab.member_removed",
        actor=actor,
        reason=reason,
        old_values={"user": membership.user.username, "is_admin": membership.is_admin},
        cab_id=membership.cab_id,
    )
    membership.delete()


@transaction.atomic
def cab_grant_view(*, cab: Cab, user: User, actor: User | None, reason: str) -> None:
    """Let one user read one CAB's register pages (an assessor on its case, for instance)."""
    require_secretariat(actor)
    assign_perm(VIEW_CAB, user, cab)
    audit_record(
        instance=cab,
        event_type="cab.access_granted",
        actor=actor,
        reason=reason,
        new_values={"user": user.username, "permission": VIEW_CAB},
        cab_id=cab.pk,
    )


@transaction.atomic
def cab_revoke_view(*, cab: Cab, user: User, actor: User | None, reason: str) -> None:
    require_secretariat(actor)
    remove_perm(VIEW_CAB, user, cab)
    audit_record(
        instance=cab,
        event_type="cab.access_revoked",
        actor=actor,
        reason=reason,
        old_values={"user": user.username, "permission": VIEW_CAB},
        cab_id=cab.pk,
    )
