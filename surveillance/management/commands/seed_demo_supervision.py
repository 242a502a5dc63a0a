"""Record the demo accreditations' last on-site assessments (``surveillance.demo``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import User
from surveillance.demo import seed_demo_supervision


class Command(BaseCommand):
    help = (
        "Record the last on-site assessment of each held demo accreditation, as a register migrated from old "
        "files would, so that the surveillance cycle shows a few bodies overdue, some due soon and most due "
        "later. Running it again changes nothing. Refused when DEBUG is off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never on a live portal)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo_supervision writes demonstration data, so it runs only with DEBUG on. "
                "Pass --force to run it anyway (never on a live portal)."
            )
        if not User.objects.filter(username="secretariat").exists():
            raise CommandError("Run seed_demo first: it creates the demo bodies and logins.")
        report = seed_demo_supervision()
        if report.recorded:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo supervision: the last on-site assessment of {report.recorded} accreditations recorded "
                    "(see /supervision/cycle/)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo on-site history is already there: nothing changed."))
