"""Background work of the supervision app: tasks take ids, re-fetch and do one thing."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from surveillance.models import Complaint
from surveillance.notifications_complaints import COMPLAINANT_EMAILS


@shared_task(time_limit=60, soft_time_limit=50)
def send_complaint_email(complaint_id: int, event: str) -> bool:
    """E-mail the complainant about ``event`` in the language they wrote in; ``False`` when there is no one to tell."""
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or not complaint.complainant_email or event not in COMPLAINANT_EMAILS:
        return False
    language = complaint.language if complaint.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    status_url = settings.SITE_URL + reverse("surveillance:complaint_status", args=[complaint.tracking_number])
    context = {"complaint": complaint, "status_url": status_url}
    with translation.override(language):
        subject = render_to_string(f"surveillance/emails/complaint_{event}_subject.txt", context).strip()
        body = render_to_string(f"surveillance/emails/complaint_{event}.txt", context)
    send_mail(subject, body, None, [complaint.complainant_email])
    return True
