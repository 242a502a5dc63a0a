"""Print the current two-factor code of a user's device, for development and the demo only."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP

from core.models import User
from core.two_factor import confirmed_device


class Command(BaseCommand):
    help = (
        "Print the current 6-digit code of a user's confirmed authenticator device (what their app "
        "shows now), e.g. for the demo users secretariat and decider. Refused unless DEBUG is on: on a "
        "live portal it would make the second factor worthless."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("totp_code prints a second factor, so it runs only with DEBUG on.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        device = confirmed_device(user)
        if device is None:
            raise CommandError(f"{user.username} has no confirmed two-factor device.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        left = device.step - int(totp.time - device.t0) % device.step
        if totp.t() <= device.last_t:
            # django-otp accepts each code once: the next one is needed.
            self.stderr.write(f"This code was used already; the next one comes in {left} s.")
        else:
            # django-otp also accepts the code of the step before the current one.
            self.stderr.write(f"Accepted for about {left + device.step} more seconds.")
        self.stdout.write(f"{totp.token():0{device.digits}d}")
