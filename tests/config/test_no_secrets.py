"""No secret is committed: private keys, cloud access keys or Django secret keys in any file git holds.

The scanner reads every file ``git ls-files`` lists, and the untracked ones git would add, so a key
is caught before it is committed. Secrets belong in the environment or in ``<NAME>_FILE`` files
(``config/env.py``). The scanner is itself tested on samples, built in pieces so that this file
does not hold what it looks for.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

#: The setting's name, written in two pieces so that the patterns below do not match their own source.
NAME = "SECRET_" + "KEY"
#: Literal values of it that are no secret: the documented development key (config/settings.py,
#: used only with DEBUG on), the throwaway keys the Dockerfile sets for collectstatic and
#: compilemessages at build time, the benchmark's, and the environment helper's test sample.
NOT_SECRET_KEYS = frozenset(
    {
        "django-insecure-development-only-never-in-production",
        "collectstatic-at-build-time-only",
        "compilemessages-at-build-time-only",
        "benchmark-only-not-a-secret",
        "from-the-variable",
    }
)
#: A PEM block with fewer base64 characters than this holds no key (the tests' "not a key" sample);
#: the smallest real private key, Ed25519 in PKCS#8, has 64.
MIN_KEY_BASE64 = 40

_PEM_BEGIN = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----")
_AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b")
_AWS_SECRET = re.compile(r"(?i)aws_?secret_?(?:access_?)?key\W{0,3}\s*[:=]\s*[\"']?[A-Za-z0-9/+=]{40}\b")
# NAME=value (shell, .env, Dockerfile); NAME = "value" and "NAME": "value" (Python, JSON, YAML); and
# a default given next to the name, as in env.str("NAME", default="value").
_SECRET_KEY_ASSIGNMENTS = (
    re.compile(rf"\b{NAME}=(?P<value>[^\s\"'$`{{}}][^\s\"'`]*)"),
    re.compile(rf"\b{NAME}[\"']?\s*[:=]\s*(?P<quote>[\"'])(?P<value>[^\"'\n]+)(?P=quote)"),
    re.compile(rf"\b{NAME}[\"']?\s*,\s*default\s*=\s*(?P<quote>[\"'])(?P<value>[^\"'\n]+)(?P=quote)"),
)
_DJANGO_GENERATED_KEY = re.compile("django-" + r"insecure-[^\s\"'`]+")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _pem_body_length(text: str, start: int, label: str) -> int:
    end_marker = f"-----END {label}PRIVATE KEY-----"
    end = text.find(end_marker, start)
    body = text[start:] if end == -1 else text[start:end]
    body = body.replace("\\n", "\n")
    return len(re.findall(r"[A-Za-z0-9+/=]", body))


def scan_text(path: str, text: str) -> list[Finding]:
    """What in ``text`` looks like a committed secret."""
    findings: list[Finding] = []
    for match in _PEM_BEGIN.finditer(text):
        if _pem_body_length(text, match.end(), match.group(1)) >= MIN_KEY_BASE64:
            findings.append(Finding(path, _line_of(text, match.start()), "private key"))
    for match in _AWS_KEY_ID.finditer(text):
        findings.append(Finding(path, _line_of(text, match.start()), "AWS access key id"))
    for match in _AWS_SECRET.finditer(text):
        findings.append(Finding(path, _line_of(text, match.start()), "AWS secret access key"))
    for pattern in _SECRET_KEY_ASSIGNMENTS:
        for match in pattern.finditer(text):
            if match.group("value") not in NOT_SECRET_KEYS:
                findings.append(Finding(path, _line_of(text, match.start()), f"{NAME} with a literal value"))
    for match in _DJANGO_GENERATED_KEY.finditer(text):
        if match.group(0) not in NOT_SECRET_KEYS:
            findings.append(Finding(path, _line_of(text, match.start()), "Django-generated secret key"))
    return findings


def repository_files() -> list[Path]:
    """Files git holds or would add (untracked, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607 - git from PATH
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [BASE_DIR / name for name in sorted(set(listed.split("\0"))) if name and (BASE_DIR / name).is_file()]


def scan_repository() -> list[Finding]:
    findings: list[Finding] = []
    for path in repository_files():
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary: fonts, images
        findings += scan_text(str(path.relative_to(BASE_DIR)), data.decode("utf-8", errors="replace"))
    return findings


# --- The repository --------------------------------------------------------------------------------


def test_no_file_in_the_repository_holds_a_secret() -> None:
    if shutil.which("git") is None or not (BASE_DIR / ".git").exists():
        pytest.fail("git and the repository are needed to list the files to scan")

    assert scan_repository() == []


def test_the_scan_reads_the_settings_and_the_deployment_files() -> None:
    names = {str(path.relative_to(BASE_DIR)) for path in repository_files()}

    assert {"config/settings.py", ".env.example", "Dockerfile", "docker-compose.yml"} <= names


# --- The scanner on samples ------------------------------------------------------------------------

PEM_LABEL = "PRIVATE " + "KEY"
# Shaped like an Ed25519 key in PKCS#8 (64 base64 characters); made up for this sample.
ED25519_PEM = (
    f"-----BEGIN {PEM_LABEL}-----\n"
    "MC4CAQAwBQYDK2VwBCIEIKdU3v3Wl+8n3xq2Cq1+u9S0Zr3Xb2o6Zp8m5v4h2Q1c\n"
    f"-----END {PEM_LABEL}-----\n"
)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (ED25519_PEM, "private key"),
        (ED25519_PEM.replace(PEM_LABEL, "RSA " + PEM_LABEL), "private key"),
        ('key = "' + ED25519_PEM.replace("\n", "\\n") + '"', "private key"),
        ("aws_access_key_id = " + "AKIA" + "QWERTYUIOPASDFGH", "AWS access key id"),
        ("aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY", "AWS secret access key"),
        ("SECRET_" + "KEY=9v$Jp2kq-not-documented", "SECRET_KEY with a literal value"),
        ("SECRET_" + 'KEY = "s3cr3t-from-a-laptop"', "SECRET_KEY with a literal value"),
        ('"SECRET_' + 'KEY": "from-a-json-file"', "SECRET_KEY with a literal value"),
        ('env.str("SECRET_' + 'KEY", default="a-real-production-key")', "SECRET_KEY with a literal value"),
        ("django-" + "insecure-x9#2m$generated-by-startproject", "Django-generated secret key"),
    ],
)
def test_the_scanner_finds_a_committed_secret(text: str, what: str) -> None:
    findings = scan_text("sample.txt", "first line\n" + text)

    assert [(f.line, f.what) for f in findings] == [(2, what)]


@pytest.mark.parametrize(
    "text",
    [
        "SECRET_" + "KEY=",
        "SECRET_" + "KEY_FILE=/run/secrets/secret_key",
        "SECRET_" + 'KEY = env.str("SECRET_' + 'KEY")',
        "SECRET_" + "KEY=${SECRET_" + "KEY}",
        "env -u SECRET_" + "KEY DEBUG=1",
        'env.str("SECRET_' + 'KEY", default="django-' + 'insecure-development-only-never-in-production")',
        "RUN SECRET_" + "KEY=collectstatic-at-build-time-only DEBUG=0 python manage.py collectstatic",
        f'"-----BEGIN {PEM_LABEL}-----\\nbm90IGEga2V5\\n-----END {PEM_LABEL}-----"',
        "-----BEGIN PUBLIC " + "KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n",
    ],
)
def test_the_scanner_lets_references_placeholders_and_documented_keys_pass(text: str) -> None:
    assert scan_text("sample.txt", text) == []
