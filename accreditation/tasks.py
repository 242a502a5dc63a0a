"""Background work of the register: tasks take ids, re-fetch and do one thing."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accreditation.models import CabInvitation


@shared_task(time_limit=60, soft_time_limit=50)
def send_cab_invitation(invitation_id: int) -> None:
    invitation = CabInvitation.objects.select_related("cab", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    link = settings.SITE_URL + reverse("accreditation:invitation_accept", args=[invitation.token])
    # Both languages in one message: we do not know the invitee's preference yet.
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(render_to_string("emails/cab_invitation.txt", {"invitation": invitation, "link": link}))
    with translation.override("zh-hans"):
        subject = render_to_string("emails/cab_invitation_subject.txt", {"invitation": invitation}).strip()
    send_mail(subject, "\n\n".join(parts), None, [invitation.email])
