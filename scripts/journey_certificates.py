"""The certificates issue's "done when", walked in a real browser against a served portal.

1. ``cb-admin`` uploads a 100,000-row CSV (GB18030, as Chinese Excel saves it) of certificates
   of the demo certification body, watches the progress bar move, and downloads the error report
   of the rows with an impossible date.
2. A visitor finds one of the uploaded certificates by a two-character fragment of the company's
   name, and a certificate issued outside the body's accredited scope shows as not accredited,
   with the reason.
3. ``decider`` grants the application waiting in the demo decision queue; the worker renders the
   new accreditation certificate; its PDF holds the Chinese text in an embedded CJK font, its QR
   code (read from the rendered page by ``zbarimg``) opens the verification page, and the page
   says the signature is valid.

It serves the portal as production does (gunicorn, a Celery worker on Redis, PostgreSQL), in a
database of its own that it creates afresh (JOURNEY_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_journey) with the demo data, and drives Debian's
Chromium through Playwright, with the serving and signing-in code of the test suite's browser
journeys (``tests/journeys/served.py``, ``browser.py``; the Redis database REDIS_URL names is
emptied first). It prints what it saw and keeps screenshots and logs in var/journey/.

    apt-get install -y chromium zbar-tools poppler-utils
    REDIS_URL=redis://127.0.0.1:6379/5 DEBUG=1 .venv/bin/python scripts/journey_certificates.py

It is a script, not a test: it takes minutes at this size, and reads the QR code with zbarimg. The
browser journeys ``make test`` runs live in ``tests/journeys/`` (the upload there has 40,000 rows).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("JOURNEY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_journey")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ.update(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, CELERY_TASK_ALWAYS_EAGER="0")
# Playwright's sync API runs an event loop; this script reads the database between its steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SHOTS = ROOT / "var" / "journey"
#: The fragment the visitor searches: only the names of rows ``FRAGMENT_ROWS`` hold it.
FRAGMENT = "翠微"
FRAGMENT_ROWS = range(4242, 100_001, 9_000)


def demo_csv(rows: int) -> tuple[bytes, dict[str, Any]]:
    """The upload: ``rows`` certificates of cb-admin's body, in its scope but every 12th, every 1,000th bad."""
    from accreditation.models import Accreditation, CabMembership
    from certification.demo import PLACES, TRADES, WORDS, scope_pairs
    from certification.rows import FIELDS
    from tests.journeys.prepare import upload_row

    cb = CabMembership.objects.get(user__username="cb-admin", is_admin=True).cab
    pairs = scope_pairs(Accreditation.objects.get(cab=cb, programme__code="MS"))
    rng = random.Random(4)  # noqa: S311 - test data
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    facts: dict[str, Any] = {"bad_rows": [], "fragment_numbers": [], "outside_scope": ""}
    for n in range(1, rows + 1):
        trade = rng.choice(TRADES)
        word = FRAGMENT if n in FRAGMENT_ROWS else rng.choice(WORDS)
        name = f"{rng.choice(PLACES)}{word}{trade}有限公司"
        standard, sectors = pairs[n % len(pairs)]
        sector = sectors[0]
        number = f"J{n:06d}Q25R0M"
        if n % 12 == 0:
            standard, sector = "ISO 50001:2018", "IAF 19"
            facts["outside_scope"] = facts["outside_scope"] or number
        issue = f"2025-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
        if n % 1000 == 0:
            issue = "2025-02-30"
            facts["bad_rows"].append(n + 1)  # the header is row 1
        if n in FRAGMENT_ROWS:
            facts["fragment_numbers"].append(number)
        writer.writerow(
            upload_row(
                n,
                rng,
                number=number,
                name=name,
                trade=trade,
                standard=standard,
                sector=sector,
                issue=issue,
                credit_prefix="913201",
            )
        )
    return buffer.getvalue().encode("gb18030"), facts


def log_in(browser: Any, base: str, username: str, **options: Any) -> tuple[Any, Any]:
    """A new browser context signed in as ``username`` (with the two-factor code when asked), and its page."""
    from tests.journeys.browser import log_in as sign_in

    context = browser.new_context(base_url=base, **options)
    page = context.new_page()
    sign_in(page, username)
    return context, page


def upload_journey(browser: Any, base: str, data: bytes, facts: dict[str, Any]) -> None:
    from playwright.sync_api import Error as PlaywrightError

    context, page = log_in(browser, base, "cb-admin", locale="zh-CN", accept_downloads=True)
    page.goto(f"{base}/certificate-uploads/new/")
    with tempfile.NamedTemporaryFile(suffix=".csv", prefix="证书-") as file:
        file.write(data)
        file.flush()
        page.set_input_files("input[type=file]", file.name)
        started = time.monotonic()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(re.compile(r"/certificate-uploads/\d+/$"))
    seen: list[int] = []
    shot = 0
    while time.monotonic() - started < 300:
        try:
            value = int(page.evaluate("(document.querySelector('progress') || {value: -1}).value"))
        except PlaywrightError:  # the page is reloading: the upload finished
            time.sleep(0.25)
            continue
        if value < 0:
            continue
        if not seen or value != seen[-1]:
            seen.append(value)
            if 0 < value < 100 and shot < 2:
                shot += 1
                page.screenshot(path=str(SHOTS / f"upload-progress-{shot}.png"), full_page=True)
        if page.locator("a[href$='/errors.csv'], a[href*='errors']").count() and value == 100:
            break
        time.sleep(0.25)
    elapsed = time.monotonic() - started
    page.screenshot(path=str(SHOTS / "upload-done.png"), full_page=True)
    print(f"upload: {len(data) / 1024 / 1024:.1f} MB, done in {elapsed:.1f} s in the browser; progress seen {seen}")
    assert seen[-1] == 100 and len(seen) > 2, f"the progress bar did not move: {seen}"
    with page.expect_download() as waiting:
        page.locator("a[href*='errors']").first.click()
    report = waiting.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report)))
    reported = sorted({int(row[0]) for row in rows[1:]})
    print(f"error report: {len(rows) - 1} lines, rows {reported[:3]}...; first: {rows[1]}")
    assert reported == facts["bad_rows"], "the error report does not list exactly the bad rows"
    context.close()


def lookup_journey(browser: Any, base: str, facts: dict[str, Any]) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{base}/certificates/?q={FRAGMENT}")
    page.screenshot(path=str(SHOTS / "lookup-fragment.png"), full_page=True)
    found = [number for number in facts["fragment_numbers"] if page.get_by_text(number, exact=True).count()]
    print(f"lookup {FRAGMENT!r}: the page lists {len(found)} of the {len(facts['fragment_numbers'])} certificates")
    assert found, "the two-character fragment found none of the uploaded certificates"
    page.get_by_text(found[0], exact=True).first.click()
    page.wait_for_load_state()
    assert FRAGMENT in page.content()
    page.goto(f"{base}/certificates/?q={facts['outside_scope']}")
    page.get_by_text(facts["outside_scope"], exact=True).first.click()
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "certificate-outside-scope.png"), full_page=True)
    text = page.inner_text("main")
    assert "Issued outside the accredited scope" in text, "the reason is not shown"
    print(f"certificate {facts['outside_scope']}: shows 'Issued outside the accredited scope'")
    context.close()


def decision_journey(browser: Any, base: str) -> None:
    from certification.choices import AccreditationCertificateStatus
    from certification.models import AccreditationCertificate

    before = set(AccreditationCertificate.objects.values_list("pk", flat=True))
    context, page = log_in(browser, base, "decider", locale="zh-CN")
    page.goto(f"{base}/decisions/queue/")
    # The demo's extension: granting it publishes a new scope issue, and a new certificate follows.
    page.locator("main tr", has_text="扩大认可范围").locator("a[href$='/decide/']").first.click()
    page.wait_for_load_state()
    for radio in page.locator("input[type=radio][value=grant]").all():
        radio.check()
    page.fill("textarea[name=reasons]", "评审组建议予以认可，不符合项已关闭。")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "decision.png"), full_page=True)
    certificate = None
    for _ in range(240):
        certificate = AccreditationCertificate.objects.exclude(pk__in=before).order_by("-pk").first()
        if certificate is not None and certificate.status != AccreditationCertificateStatus.PENDING:
            break
        time.sleep(0.5)
    assert certificate is not None, "the grant issued no accreditation certificate"
    assert certificate.status == AccreditationCertificateStatus.READY, certificate.failure
    print(f"decision: certificate {certificate.number} issued ({certificate.get_reason_display()}), PDF ready")
    context.close()

    visitor = browser.new_context(locale="zh-CN")
    page = visitor.new_page()
    pdf = page.request.get(f"{base}/certificates/verify/{certificate.number}/pdf/").body()
    pdf_path = SHOTS / "certificate.pdf"
    pdf_path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "CJK" in fonts or "Noto Sans SC" in fonts or "NotoSansCJK" in fonts, fonts
    assert "认可证书" in text, "the PDF's Chinese text is missing"
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf_path), str(SHOTS / "certificate-page")],  # noqa: S607
        check=True,
    )
    png = next(SHOTS.glob("certificate-page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    url = decoded.strip()
    print(f"PDF: {len(pdf):,} bytes, CJK font embedded, Chinese text present; QR code reads {url}")
    assert unquote(url).endswith(f"/certificates/verify/{certificate.number}/"), url
    page.goto(base + url[url.index("/certificates/") :])
    page.screenshot(path=str(SHOTS / "verify.png"), full_page=True)
    assert page.locator("[data-signature=valid]").count() == 1, "the signature is not shown as valid"
    print("verification page: the signature is valid")
    visitor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*"):
        if old.is_file():
            old.unlink()
    import django
    from playwright.sync_api import sync_playwright

    from tests.journeys.served import CHROMIUM, CHROMIUM_ARGS, served_portal

    with (
        tempfile.TemporaryDirectory(prefix="journey-media-") as media,
        served_portal(
            database_url=DATABASE_URL, redis_url=REDIS_URL, directory=SHOTS, media_root=Path(media)
        ) as portal,
        sync_playwright() as playwright,
    ):
        django.setup()
        data, facts = demo_csv(args.rows)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            upload_journey(browser, portal.base_url, data, facts)
            lookup_journey(browser, portal.base_url, facts)
            decision_journey(browser, portal.base_url)
        finally:
            browser.close()
    print(f"\nall done; screenshots and logs in {SHOTS}")


if __name__ == "__main__":
    main()
