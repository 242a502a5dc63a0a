"""People are told, in the portal and by e-mail, when something needs them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from accreditation.choices_applications import checklist_for
from accreditation.models import Accreditation, Application, Cab
from accreditation.services.applications import application_accept, application_return
from core.errors import NotPermitted
from core.models import Notification, User
from core.notifications import render
from core.tasks import send_notification_emails
from tests.accreditation.applications_helpers import media, submitted_extension  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def submitted(
    cab: Cab, cab_user: User, accreditation: Accreditation, secretariat: User, django_capture_on_commit_callbacks: Any
) -> Application:
    with django_capture_on_commit_callbacks(execute=True):
        return submitted_extension(cab, accreditation, cab_user)


def test_a_submitted_application_reaches_every_secretariat_inbox_and_mailbox(
    submitted: Application, secretariat: User
) -> None:
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.link) == (
        secretariat,
        "application.submitted",
        f"/applications/{submitted.pk}/",
    )
    assert render(notification)[0] == f"Application {submitted.reference} submitted by {submitted.cab.name_zh}"
    with translation.override("zh-hans"):
        assert render(notification)[0] == f"{submitted.cab.name_zh}提交了申请 {submitted.reference}"
    [email] = mail.outbox
    assert email.to == [secretariat.email]
    assert f"Application {submitted.reference} submitted by" in email.body
    assert f"提交了申请 {submitted.reference}" in email.body
    assert f"/applications/{submitted.pk}/" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_cab_hears_why_its_application_was_returned_but_the_reviewer_does_not_hear_of_it(
    submitted: Application,
    secretariat: User,
    cab_user: User,
    cab_admin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application_return(application=submitted, actor=secretariat, reasons="请补充质量手册")

    returned = Notification.objects.filter(kind="application.returned")
    assert sorted(n.recipient.username for n in returned) == ["carol", "chen"]
    assert "请补充质量手册" in render(returned[0])[1]
    assert not Notification.objects.filter(kind="application.returned", recipient=secretariat).exists()


def test_accepting_tells_the_cab(submitted: Application, secretariat: User, cab_user: User) -> None:
    checklist = [key for key, _label in checklist_for(submitted.type)]

    application_accept(application=submitted, actor=secretariat, checklist=checklist)

    assert Notification.objects.get(kind="application.accepted").recipient == cab_user


def test_a_refused_move_notifies_nobody(submitted: Application, cab_user: User) -> None:
    before = Notification.objects.count()

    with pytest.raises(NotPermitted) as refused:
        application_return(application=submitted, actor=cab_user, reasons="not mine to return")

    assert refused.value.code == "not_secretariat"
    assert Notification.objects.count() == before


def test_each_message_is_emailed_once_even_when_the_task_runs_twice(submitted: Application) -> None:
    ids = list(Notification.objects.values_list("pk", flat=True))
    mail.outbox.clear()

    assert send_notification_emails(ids) == 0
    assert mail.outbox == []


def test_the_inbox_shows_unread_messages_and_opening_one_marks_it_read(
    client_for: Any, submitted: Application, secretariat: User
) -> None:
    client = client_for(secretariat)
    page = client.get("/inbox/").content.decode()
    assert f"Application {submitted.reference} submitted by" in page
    assert "1 unread message" in page
    notification = Notification.objects.get()

    response = client.post(f"/inbox/{notification.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == f"/applications/{submitted.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_another_persons_message(client_for: Any, submitted: Application, cab_user: User) -> None:
    notification = Notification.objects.get()

    assert client_for(cab_user).post(f"/inbox/{notification.pk}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client_for: Any, submitted: Application, secretariat: User) -> None:
    assert client_for(secretariat).post("/inbox/read-all/").status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_api_lists_only_the_users_own_messages_in_their_language(
    api_for: Any, submitted: Application, secretariat: User, cab_user: User
) -> None:
    mine = api_for(secretariat, language="zh-hans").get("/api/notifications/").json()
    theirs = api_for(cab_user).get("/api/notifications/").json()

    assert mine["count"] == 1
    assert mine["results"][0]["subject"] == f"{submitted.cab.name_zh}提交了申请 {submitted.reference}"
    assert theirs["count"] == 0


def test_the_api_marks_messages_read(api_for: Any, submitted: Application, secretariat: User) -> None:
    notification = Notification.objects.get()
    client = api_for(secretariat)

    assert client.post(f"/api/notifications/{notification.pk}/read/").json()["read_at"] is not None
    assert client.post("/api/notifications/read-all/").json() == {"marked_read": 0}


def test_the_header_counts_unread_messages(client_for: Any, submitted: Application, secretariat: User) -> None:
    page = client_for(secretariat).get("/directory/").content.decode()

    assert 'class="count" aria-label="1 unread message">1</span>' in page
