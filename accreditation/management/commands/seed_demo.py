"""Fill the register with a realistic demonstration: bodies, accreditations, scopes and logins."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accreditation.demo.seed import Login, seed_demo
from core.two_factor import demo_totp_key_base32


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(logins: list[Login]) -> list[str]:
    header = Login("role", "username", "password", "what to try")
    rows = [header, *logins]
    widths = [max(_width(getattr(row, name)) for row in rows) for name in ("role", "username", "password")]
    lines = []
    for row in rows:
        cells = [_pad(row.role, widths[0]), _pad(row.username, widths[1]), _pad(row.password, widths[2])]
        lines.append("  ".join([*cells, row.try_this]).rstrip())
    lines.insert(1, "  ".join("-" * w for w in [*widths, _width(header.try_this)]))
    return lines


#: After the table: how the demo users who need a second factor get their code.
TWO_FACTOR_NOTE = (
    "",
    "secretariat and decider also enter a 6-digit code after the password (/accounts/two-factor/).",
    f"Add the demo key {demo_totp_key_base32()} to an authenticator app (time-based, 6 digits, 30 s),",
    "or print the current code with: python manage.py totp_code secretariat (or decider).",
)


class Command(BaseCommand):
    help = (
        "Create a demonstration register through the services (about sixty bodies under every programme, "
        "scope histories, sanctions, applicants) and one login per role, all with the same published "
        "password. Running it again changes nothing and prints the same logins. Refused when DEBUG is off "
        "unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off. The demo users' password is published: never on a live register.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users whose password is published, so it runs only with DEBUG on. "
                "Pass --force to run it anyway (never on a live register)."
            )
        started = time.monotonic()
        report = seed_demo()
        elapsed = time.monotonic() - started
        if report.changed_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo register seeded in {elapsed:.1f} s: {report.cabs_created} CABs, "
                    f"{report.accreditations_created} accreditations, {report.scope_issues_published} scope issues, "
                    f"{report.users_created} users, {report.audit_events_written} audit events."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo register is already there: nothing changed."))
        self.stdout.write("")
        for line in login_table(report.logins):
            self.stdout.write(line)
        for line in TWO_FACTOR_NOTE:
            self.stdout.write(line)
