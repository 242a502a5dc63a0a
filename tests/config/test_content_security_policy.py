"""The Content-Security-Policy: every page loads scripts, styles and images from the portal only.

Without inline scripts, an injected ``<script>`` or ``onclick=`` runs nowhere; the templates are
checked for them so that a new one cannot slip in and be silently blocked in browsers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.models import User

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: Rendered by WeasyPrint into PDFs or sent as e-mail, never served to a browser under the policy.
NOT_SERVED = ("pdf", "emails")

_INLINE = (
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "<style> block"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: address"),
)


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def inline_code(text: str) -> list[str]:
    return [what for pattern, what in _INLINE if pattern.search(text)]


STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/directory/", "/certificates/", "/accounts/login/", "/complaints/new/"])
def test_public_pages_send_the_strict_policy(client_for, path: str) -> None:
    assert policy_of(client_for(None).get(path)) == STRICT


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/work/", "/register/", "/accounts/two-factor/setup/"])
def test_staff_pages_send_the_strict_policy(client_for, secretariat: User, cab_user: User, path: str) -> None:
    user = cab_user if "two-factor" in path else secretariat  # the secretariat has a device already
    response = client_for(user).get(path)

    assert response.status_code == 200
    assert policy_of(response) == STRICT


@pytest.mark.django_db
def test_the_api_docs_may_use_their_inline_style_but_no_inline_script(client_for) -> None:
    page = client_for(None).get("/api/docs/")
    script = client_for(None).get("/api/docs/", {"script": ""})

    assert policy_of(page) == {**STRICT, "style-src": ["'self'", "'unsafe-inline'"]}
    assert "inline <script>" not in inline_code(page.content.decode())
    assert 'src="/api/docs/?script="' in page.content.decode()
    assert script["Content-Type"] == "application/javascript"
    assert "/api/schema/" in script.content.decode()


def test_no_served_template_holds_inline_script_handlers_or_styles() -> None:
    found = {
        str(path.relative_to(TEMPLATES)): inline_code(path.read_text(encoding="utf-8"))
        for path in TEMPLATES.rglob("*.html")
        if not set(path.relative_to(TEMPLATES).parts) & set(NOT_SERVED)
    }

    assert {name: kinds for name, kinds in found.items() if kinds} == {}


@pytest.mark.parametrize(
    ("html", "what"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">go()</script>', "inline <script>"),
        ("<style>p { color: red }</style>", "<style> block"),
        ('<button onclick="go()">', "event handler attribute"),
        ('<code style="word-break: break-all">', "style attribute"),
        ('<a href="javascript:go()">', "javascript: address"),
    ],
)
def test_the_template_check_finds_inline_code(html: str, what: str) -> None:
    assert inline_code(html) == [what]


def test_the_template_check_lets_files_and_data_attributes_pass() -> None:
    html = '<script src="/static/js/portal.js" defer></script><form data-confirm="Sure?" class="form">'

    assert inline_code(html) == []
