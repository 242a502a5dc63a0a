"""Appeals (申诉) against accreditation decisions: lodge, assign the panel, decide, withdraw.

Rules the table of moves (``APPEAL_TRANSITIONS``) does not show:

- Only a member of the decision's CAB lodges, within ``APPEAL_WINDOW_DAYS`` of the decision, and
  only one appeal per decision may run at a time.
- The panel is chosen by the secretariat among the accreditation body's staff (secretariat and
  decision makers) who took **no part** in the decision: not its decider, not on any assessment
  team of the application (the assessment-facts provider's ``participated_q``, the same test that
  keeps a team member from deciding), and not a member of the CAB. A panel member who took part
  is refused with ``panel_member_involved``.
- A panel member records the outcome and its reasons. The decision stays in force: nothing here
  touches the register. An upheld (or partly upheld) appeal notifies the secretariat, who
  reconsiders the decision through the ordinary workflow.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.hooks import assessment_facts_provider
from accreditation.models import Application, CabMembership, Decision
from accreditation.notifications import cab_members, secretariat_users
from accreditation.services.guards import require_transition
from core.audit import audit_record
from core.errors import DomainError, NotPermitted, StateConflict
from core.models import User
from core.notifications import notify
from core.notifications import register as register_message
from core.roles import is_secretariat, is_staff_reader
from surveillance.choices import APPEAL_TRANSITIONS, AppealOutcome, AppealStatus
from surveillance.models import Appeal

_S = AppealStatus
RUNNING = frozenset({_S.LODGED, _S.UNDER_REVIEW})
RECONSIDER = frozenset({AppealOutcome.UPHELD, AppealOutcome.PARTLY_UPHELD})

register_message(
    "appeal.lodged",
    subject=_("Appeal {reference} lodged against {decision}"),
    body=_("{cab} appealed against {decision}. Assign a panel of people who took no part in the decision."),
)
register_message(
    "appeal.panel_assigned",
    subject=_("Appeal {reference}: panel assigned"),
    body=_("The panel that hears appeal {reference} of {cab} against {decision} is: {panel}."),
)
register_message(
    "appeal.decided",
    subject=_("Appeal {reference} decided: {outcome}"),
    body=_("The panel decided appeal {reference} of {cab} against {decision}: {outcome}. Reasons: {reasons}"),
)
register_message(
    "appeal.reconsider",
    subject=_("Reconsider {decision}: appeal {reference} upheld"),
    body=_(
        "The panel upheld appeal {reference} of {cab} ({outcome}). The decision stays in force until it is "
        "reconsidered through the ordinary workflow. Reasons: {reasons}"
    ),
)
register_message(
    "appeal.withdrawn",
    subject=_("Appeal {reference} withdrawn"),
    body=_("{cab} withdrew appeal {reference} against {decision}."),
)


def appeal_deadline(decision: Decision) -> dt.date:
    """The last day on which the CAB may appeal ``decision``."""
    return timezone.localdate(decision.decided_at) + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS)


def involved_user_ids(decision: Decision, candidate_ids: Sequence[int]) -> set[int]:
    """Those of ``candidate_ids`` who took part in ``decision``: its decider or on a team of its application."""
    provider = assessment_facts_provider()
    involved = {decision.decided_by_id} & set(candidate_ids)
    for user_id in candidate_ids:
        if Application.objects.filter(pk=decision.application_id).filter(provider.participated_q(user_id)).exists():
            involved.add(user_id)
    return involved


def _params(appeal: Appeal) -> dict[str, str]:
    return {
        "reference": appeal.reference,
        "cab": appeal.cab.name_zh,
        "decision": str(appeal.decision),
        "outcome": str(appeal.get_outcome_display()) if appeal.outcome else "",
        "reasons": appeal.outcome_reasons,
        "panel": ", ".join(sorted(user.get_full_name() or user.username for user in appeal.panel.all())),
    }


def _notify(appeal: Appeal, kind: str, recipients: object, actor: User) -> None:
    link = reverse("surveillance:appeal_detail", args=[appeal.pk])
    notify(recipients=recipients, kind=kind, params=_params(appeal), link=link, exclude=actor)  # type: ignore[arg-type]


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().select_related("cab", "decision__application").get(pk=appeal.pk)


def _move(appeal: Appeal, target: str) -> str:
    require_transition(APPEAL_TRANSITIONS, appeal.status, target, AppealStatus)
    old = appeal.status
    appeal.status = target
    return old


@transaction.atomic
def appeal_lodge(*, decision: Decision, actor: User, grounds: str) -> Appeal:
    """A member of the decision's CAB appeals it; the decision and the register stay as they are."""
    decision = Decision.objects.select_for_update().select_related("application__cab").get(pk=decision.pk)
    cab = decision.application.cab
    if not CabMembership.objects.filter(cab=cab, user=actor).exists():
        raise NotPermitted("not_cab_member", _("Only a member of the CAB the decision concerns may appeal it."))
    grounds = grounds.strip()
    if not grounds:
        raise DomainError("grounds_required", _("Give the grounds of the appeal."), detail={"grounds": []})
    deadline = appeal_deadline(decision)
    if timezone.localdate() > deadline:
        raise StateConflict(
            "appeal_window_closed",
            _("The time to appeal this decision ended on {deadline} ({days} days after the decision).").format(
                deadline=deadline, days=settings.APPEAL_WINDOW_DAYS
            ),
            detail={"deadline": str(deadline)},
        )
    if decision.appeals.filter(status__in=sorted(RUNNING)).exists():
        raise StateConflict("appeal_running", _("An appeal against this decision is already under way."))
    appeal = Appeal.objects.create(
        reference=uuid.uuid4().hex[:20], decision=decision, cab=cab, lodged_by=actor, grounds=grounds
    )
    appeal.reference = f"AP-{timezone.localdate(appeal.lodged_at).year}-{appeal.pk:06d}"
    appeal.save(update_fields=["reference"])
    audit_record(
        instance=appeal,
        event_type="appeal.lodged",
        actor=actor,
        reason=grounds,
        new_values={"reference": appeal.reference, "decision": decision.pk, "status": appeal.status},
        cab_id=cab.pk,
    )
    _notify(appeal, "appeal.lodged", secretariat_users(), actor)
    return appeal


@transaction.atomic
def appeal_assign_panel(*, appeal: Appeal, actor: User, panel: Sequence[User]) -> Appeal:
    """The secretariat names the panel (again, while it has not decided); each member must be uninvolved."""
    if not is_secretariat(actor):
        raise NotPermitted("not_secretariat", _("Only the secretariat assigns an appeal panel."))
    appeal = _locked(appeal)
    members = list({user.pk: user for user in panel}.values())
    if not members:
        raise DomainError("panel_required", _("Choose at least one panel member."), detail={"panel": []})
    not_staff = [user.pk for user in members if not user.is_active or not is_staff_reader(user)]
    if not_staff:
        raise DomainError(
            "panel_member_not_staff",
            _("Panel members are chosen among the accreditation body's staff."),
            detail={"panel": not_staff},
        )
    ids = [user.pk for user in members]
    involved = involved_user_ids(appeal.decision, ids) | set(
        CabMembership.objects.filter(cab=appeal.cab, user_id__in=ids).values_list("user_id", flat=True)
    )
    if involved:
        names = ", ".join(sorted(u.get_full_name() or u.username for u in members if u.pk in involved))
        raise NotPermitted(
            "panel_member_involved",
            _("{names} took part in the decision or its assessment and may not hear the appeal.").format(names=names),
            detail={"panel": sorted(involved)},
        )
    old = appeal.status
    if appeal.status == _S.LODGED:
        _move(appeal, _S.UNDER_REVIEW)
        appeal.save(update_fields=["status"])
    elif appeal.status != _S.UNDER_REVIEW:
        require_transition(APPEAL_TRANSITIONS, appeal.status, _S.UNDER_REVIEW, AppealStatus)
    before = sorted(appeal.panel.values_list("username", flat=True))
    appeal.panel.set(members)
    audit_record(
        instance=appeal,
        event_type="appeal.panel_assigned",
        actor=actor,
        old_values={"status": old, "panel": before},
        new_values={"status": appeal.status, "panel": sorted(u.username for u in members)},
        cab_id=appeal.cab_id,
    )
    _notify(appeal, "appeal.panel_assigned", [*members, *cab_members(appeal.cab_id)], actor)
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, outcome: str, reasons: str) -> Appeal:
    """A panel member records the outcome; an upheld appeal asks the secretariat to reconsider."""
    appeal = _locked(appeal)
    if not appeal.panel.filter(pk=actor.pk).exists():
        raise NotPermitted("not_on_panel", _("Only a member of the appeal panel records its outcome."))
    if outcome not in AppealOutcome.values:
        raise DomainError("outcome_required", _("Choose the outcome."), detail={"outcome": []})
    reasons = reasons.strip()
    if not reasons:
        raise DomainError("reasons_required", _("Give the reasons for the outcome."), detail={"reasons": []})
    old = _move(appeal, _S.DECIDED)
    appeal.outcome = outcome
    appeal.outcome_reasons = reasons
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "outcome", "outcome_reasons", "decided_by", "decided_at"])
    audit_record(
        instance=appeal,
        event_type="appeal.decided",
        actor=actor,
        reason=reasons,
        old_values={"status": old},
        new_values={"status": appeal.status, "outcome": outcome},
        cab_id=appeal.cab_id,
    )
    _notify(appeal, "appeal.decided", [*cab_members(appeal.cab_id), *secretariat_users()], actor)
    if outcome in RECONSIDER:
        _notify(appeal, "appeal.reconsider", secretariat_users(), actor)
    return appeal


@transaction.atomic
def appeal_withdraw(*, appeal: Appeal, actor: User) -> Appeal:
    """The CAB withdraws its appeal before the panel decides."""
    appeal = _locked(appeal)
    if not CabMembership.objects.filter(cab_id=appeal.cab_id, user=actor).exists():
        raise NotPermitted("not_cab_member", _("Only a member of the CAB that appealed may withdraw the appeal."))
    old = _move(appeal, _S.WITHDRAWN)
    appeal.withdrawn_at = timezone.now()
    appeal.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        instance=appeal,
        event_type="appeal.withdrawn",
        actor=actor,
        old_values={"status": old},
        new_values={"status": appeal.status},
        cab_id=appeal.cab_id,
    )
    _notify(appeal, "appeal.withdrawn", [*secretariat_users(), *appeal.panel.all()], actor)
    return appeal
