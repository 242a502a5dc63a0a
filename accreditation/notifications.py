"""The register's notification messages and who receives them (see ``core.notifications``)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accreditation.choices_applications import ApplicationType, DecisionOutcome
from accreditation.models import Application, CabMembership, Decision
from core.models import User
from core.notifications import notify, register
from core.roles import Role

register(
    "application.submitted",
    subject=_("Application {reference} submitted by {cab}"),
    body=_(
        "{cab} submitted the {type} application {reference} under {programme}. The acceptance review is due on {due}."
    ),
)
register(
    "application.accepted",
    subject=_("Application {reference} accepted"),
    body=_("The secretariat accepted your {type} application {reference}. The assessment team will be planned next."),
)
register(
    "application.returned",
    subject=_("Application {reference} returned for more information"),
    body=_("The secretariat returned your application {reference}: {reasons}\nEdit it and submit it again."),
)
register(
    "application.not_accepted",
    subject=_("Application {reference} not accepted"),
    body=_("The secretariat did not accept your application {reference}: {reasons}"),
)
register(
    "decision.recorded",
    subject=_("Decision on application {reference}"),
    body=_(
        "A decision maker decided the {type} application {reference} of {cab}.\n"
        "Scope items granted: {granted}; refused: {refused}; deferred: {deferred}.\nReasons: {reasons}"
    ),
)
register(
    "decision.change_granted",
    subject=_("Change notification {reference} approved"),
    body=_("A decision maker approved the change notification {reference} of {cab}; the register is updated."),
)
register(
    "decision.change_refused",
    subject=_("Change notification {reference} refused"),
    body=_("A decision maker refused the change notification {reference} of {cab}: {reasons}"),
)


def secretariat_users() -> QuerySet[User]:
    group = Group.objects.filter(name=Role.SECRETARIAT.value).first()
    return User.objects.filter(groups=group, is_active=True) if group else User.objects.none()


def cab_members(cab_id: int) -> QuerySet[User]:
    return User.objects.filter(pk__in=CabMembership.objects.filter(cab_id=cab_id).values("user_id"), is_active=True)


def _params(application: Application) -> dict[str, str]:
    return {
        "reference": application.reference or "",
        "cab": application.cab.name_zh,
        "type": str(application.get_type_display()),
        "programme": application.programme.code,
        "due": str(application.review_due_on or ""),
        "reasons": application.review_reasons,
    }


def notify_application_submitted(application: Application, actor: User) -> None:
    notify(
        recipients=secretariat_users(),
        kind="application.submitted",
        params=_params(application),
        link=reverse("accreditation:application_detail", args=[application.pk]),
        exclude=actor,
    )


def notify_application_reviewed(application: Application, actor: User | None) -> None:
    notify(
        recipients=cab_members(application.cab_id),
        kind=f"application.{application.status}",
        params=_params(application),
        link=reverse("accreditation:application_detail", args=[application.pk]),
        exclude=actor,
    )


def notify_decision_recorded(decision: Decision, actor: User, *, granted: int, refused: int, deferred: int) -> None:
    """Tell the CAB's members and the secretariat what was decided."""
    application = decision.application
    if application.type == ApplicationType.CHANGE:
        kind = "decision.change_granted" if decision.outcome == DecisionOutcome.GRANT else "decision.change_refused"
    else:
        kind = "decision.recorded"
    recipients = [*cab_members(application.cab_id), *secretariat_users()]
    notify(
        recipients=recipients,
        kind=kind,
        params={
            **_params(application),
            "reasons": decision.reasons,
            "granted": granted,
            "refused": refused,
            "deferred": deferred,
        },
        link=reverse("accreditation:decision_detail", args=[decision.pk]),
        exclude=actor,
    )
