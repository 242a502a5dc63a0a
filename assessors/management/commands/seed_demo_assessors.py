"""Add demonstration assessors to the register that ``seed_demo`` made."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessors.demo import seed_demo_assessors
from assessors.demo_workflow import seed_demo_workflow
from core.models import User


class Command(BaseCommand):
    help = (
        "Create about twenty-five demonstration assessors through the services: qualifications under every "
        "programme, competence codes covering the published scopes, training, conflicts of interest, "
        "unavailable periods and a few requests awaiting approval. Makes seed_demo's 'assessor' login an "
        "approved lead assessor, who then assesses three extensions of the demo laboratory "
        "(assessors/demo_workflow.py). Running it again changes nothing. Refused when DEBUG is off unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never on a live portal)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo_assessors writes demonstration data, so it runs only with DEBUG on. "
                "Pass --force to run it anyway (never on a live portal)."
            )
        if not User.objects.filter(username__in=["assessor", "secretariat"]).count() == 2:
            raise CommandError("Run seed_demo first: it creates the 'assessor' and 'secretariat' logins.")
        started = time.monotonic()
        report = seed_demo_assessors()
        workflow = seed_demo_workflow()
        elapsed = time.monotonic() - started
        if workflow.assessments_created:
            self.stdout.write(
                f"Demo assessments: {workflow.assessments_created} (a remote report with a finding to answer, "
                "an answer to review, an application ready for decision)."
            )
        if report.changed_anything or workflow.assessments_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo assessors seeded in {elapsed:.1f} s: {report.users_created} users, "
                    f"{report.profiles_created} profiles, {report.audit_events_written} audit events."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo assessors are already there: nothing changed."))
