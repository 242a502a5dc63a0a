"""The secretariat keeps the holidays the acceptance-review deadlines skip, in the admin."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from accreditation.models import Holiday
from core.models import User


def test_secretariat_staff_add_a_holiday_in_the_admin(secretariat: User) -> None:
    User.objects.filter(pk=secretariat.pk).update(is_staff=True)
    client = Client()
    client.force_login(User.objects.get(pk=secretariat.pk))

    response = client.post("/admin/accreditation/holiday/add/", {"date": "2026-10-01", "name": "国庆节"})

    assert response.status_code == 302
    assert list(Holiday.objects.values_list("date", "name")) == [(dt.date(2026, 10, 1), "国庆节")]


def test_other_staff_cannot_edit_holidays(decision_maker: User) -> None:
    User.objects.filter(pk=decision_maker.pk).update(is_staff=True)
    client = Client()
    client.force_login(User.objects.get(pk=decision_maker.pk))

    response = client.post("/admin/accreditation/holiday/add/", {"date": "2026-10-01", "name": "国庆节"})

    assert response.status_code == 403
    assert Holiday.objects.count() == 0


def test_applications_are_read_only_in_the_admin(secretariat: User) -> None:
    User.objects.filter(pk=secretariat.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(User.objects.get(pk=secretariat.pk))

    assert client.get("/admin/accreditation/application/").status_code == 200
    assert client.get("/admin/accreditation/application/add/").status_code == 403
