"""``manage.py seed_demo_certificates``: the demo bodies' accreditation certificates and a CB's reports."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from certification.choices import AccreditationCertificateStatus, NotAccreditedReason
from certification.models import AccreditationCertificate, IssuedCertificate
from certification.selectors_lookup import certificate_lookup
from core.audit import verify_chain

DEMO = {"DEBUG": True, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


def run() -> str:
    out = StringIO()
    call_command("seed_demo_certificates", stdout=out, no_color=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    media: Path = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(**DEMO, MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True):
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed_demo", stdout=StringIO())
        run()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.usefixtures("seeded")
@pytest.mark.django_db
class TestTheDemoCertificates:
    def test_each_live_accreditation_of_the_demo_bodies_has_a_certificate(self) -> None:
        certificates = AccreditationCertificate.objects.filter(
            accreditation__cab__memberships__user__username="cb-admin"
        )
        assert certificates.count() == 2
        assert set(certificates.values_list("status", flat=True)) <= {
            AccreditationCertificateStatus.PENDING,
            AccreditationCertificateStatus.READY,
        }
        assert all(c.signature and c.payload["certificate_number"] == c.number for c in certificates)

    def test_the_certification_body_reported_sixty_some_outside_its_scope(self) -> None:
        reported = IssuedCertificate.objects.all()
        assert reported.count() == 60
        outside = reported.filter(is_accredited=False)
        assert 0 < outside.count() < 60
        assert set(outside.values_list("not_accredited_reason", flat=True)) == {NotAccreditedReason.OUTSIDE_SCOPE}

    def test_the_lookup_finds_them_by_a_two_character_fragment(self) -> None:
        assert certificate_lookup(q="科技").certificates

    def test_running_it_again_changes_nothing(self) -> None:
        before = (AccreditationCertificate.objects.count(), IssuedCertificate.objects.count())
        assert "nothing changed" in run()
        assert (AccreditationCertificate.objects.count(), IssuedCertificate.objects.count()) == before
        assert verify_chain().ok
