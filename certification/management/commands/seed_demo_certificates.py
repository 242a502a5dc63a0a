"""Add demonstration certificates to the register that ``seed_demo`` made."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from certification.demo import seed_demo_certificates
from core.models import User


class Command(BaseCommand):
    help = (
        "Issue the accreditation certificates of the demo logins' bodies (signed, rendered as PDFs) and "
        "report sixty certificates issued by cb-admin's certification body, a few of them outside its "
        "accredited scope. Running it again changes nothing. Refused when DEBUG is off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never on a live portal)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo_certificates writes demonstration data, so it runs only with DEBUG on. "
                "Pass --force to run it anyway (never on a live portal)."
            )
        if not User.objects.filter(username="secretariat").exists():
            raise CommandError("Run seed_demo first: it creates the demo bodies and logins.")
        report = seed_demo_certificates()
        if report.accreditation_certificates or report.issued_certificates:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo certificates: {report.accreditation_certificates} accreditation certificates, "
                    f"{report.issued_certificates} certificates reported by the certification body "
                    "(try 科技 at /certificates/)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo certificates are already there: nothing changed."))
