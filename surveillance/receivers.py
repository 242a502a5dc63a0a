"""The supervision app's receivers of the register's hooks (``accreditation.hooks``), connected in ``ready``.

``decision_recorded`` is sent after the decision committed; the receiver publishes the decision's
public notice (grant, extension, renewal, requested reduction) through one service, which does
nothing the second time for the same decision.
"""

from __future__ import annotations

from typing import Any

from accreditation import hooks
from accreditation.models import Decision


def publish_decision_notice(
    sender: Any,
    *,
    decision_id: int,
    application_type: str,
    accreditation_id: int | None,
    granted_item_ids: list[int] | None = None,
    **kwargs: Any,
) -> None:
    from surveillance.services_notices import notice_for_decision

    notice_for_decision(
        decision_id=decision_id,
        application_type=application_type,
        accreditation_id=accreditation_id,
        granted_item_ids=list(granted_item_ids or []),
    )


def connect() -> None:
    hooks.decision_recorded.connect(
        publish_decision_notice, sender=Decision, dispatch_uid="surveillance.publish_decision_notice"
    )
