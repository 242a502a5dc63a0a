"""The people of a journey, each in a browser of their own, and what is kept of their pages.

``Journey.log_in("lab-admin")`` opens a fresh browser context (its own cookies and language),
signs in with the demo password, and passes the two-factor step when the portal asks for it (the
demo users' TOTP key is published, like their password). ``Journey.visitor()`` is the public.
Each page is named after its person, so what a failed journey leaves in ``var/journeys/`` says
whose screen it was.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

PASSWORD = "demo-portal-2026"  # the demo logins' published password (seed_demo)
#: The demo users' TOTP key (core/two_factor.py, DEMO_TOTP_KEY_HEX): RFC 6238's test key.
DEMO_TOTP_KEY = bytes.fromhex("3132333435363738393031323334353637383930")
TOTP_STEP = 30
#: How long a page may take to answer or show what a journey waits for (Playwright's defaults are
#: 30 s for actions and 5 s for assertions; two cores shared with gunicorn and a worker need more
#: than 5 s now and then, and a journey stuck for 30 s a step would take too long to fail).
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


#: The TOTP time step each demo user last signed in with: the portal accepts a code once only.
_last_step: dict[str, int] = {}


def totp(step: int) -> int:
    """RFC 6238's code of a time step (HMAC-SHA1, six digits), what django-otp's ``oath.totp`` computes."""
    digest = hmac.new(DEMO_TOTP_KEY, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000


def totp_code(username: str) -> str:
    """A six-digit code for ``username``, as an authenticator app would show it, not used before.

    The portal (django-otp) refuses a code of a time step it has already seen for the user, and
    accepts the next step's code too (a tolerance of one step), so a second login within 30 s uses
    the next step's code; a third waits for the clock.
    """
    now = int(time.time()) // TOTP_STEP
    step = max(now, _last_step.get(username, -1) + 1)
    if step > now + 1:
        time.sleep((step - 1) * TOTP_STEP - time.time() + 0.5)
    _last_step[username] = step
    return f"{totp(step):06d}"


def submit(page: Page) -> None:
    """Press the submit button of the page's form (the first ``form.form`` in ``main``: not the
    search, filter or log-out forms) and wait for the answer."""
    with page.expect_navigation():
        page.locator("main form.form").first.locator("[type=submit]").first.click()


def go_to(page: Page, link: str) -> None:
    """Follow a link of the site's main navigation, as a person finds their way."""
    page.locator("nav.site-nav").get_by_role("link", name=link, exact=True).click()


def log_in(page: Page, username: str) -> None:
    """Sign in on ``page`` as the demo user ``username``, with a two-factor code when asked for one."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    if page.locator("input[name=otp_token]").count():
        page.fill("input[name=otp_token]", totp_code(username))
        submit(page)
    expect(page.locator(".user-box .user-name"), f"{username} is not signed in").to_be_visible()


@dataclass
class Journey:
    """The browser contexts of one journey: one per person."""

    browser: Browser
    base_url: str
    contexts: list[BrowserContext] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)
    last: str = ""

    def _open(self, name: str, locale: str) -> Page:
        context = self.browser.new_context(base_url=self.base_url, locale=locale, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        self.pages[name] = page
        self.last = name
        # The page a person last loaded is the one the journey was looking at.
        page.on("load", lambda _page: setattr(self, "last", name))
        return page

    def log_in(self, username: str, *, locale: str = "en-US") -> Page:
        page = self._open(username, locale)
        log_in(page, username)
        return page

    def visitor(self, *, locale: str = "en-US") -> Page:
        return self._open("visitor", locale)

    def keep(self, directory: Path, test_name: str, *, failed: bool) -> list[Path]:
        """Screenshots of the pages: the one last looked at as ``<test name>.png``, and on failure
        every person's page and its HTML."""
        stem = re.sub(r"[^\w.\[\]-]+", "_", test_name)
        for old in directory.iterdir():
            if old.name.startswith(f"{stem}."):
                old.unlink()
        kept: list[Path] = []
        for name, page in self.pages.items():
            if page.is_closed() or (name != self.last and not failed):
                continue
            base = stem if name == self.last else f"{stem}.{name}"
            try:
                page.screenshot(path=str(directory / f"{base}.png"), full_page=True)
                kept.append(directory / f"{base}.png")
                if failed:
                    (directory / f"{base}.html").write_text(page.content(), encoding="utf-8")
                    kept.append(directory / f"{base}.html")
            except Exception as error:
                kept.append(Path(f"{base}.png not captured: {error}"))
        return kept

    def close(self) -> None:
        for context in self.contexts:
            context.close()
