"""The portal's Ed25519 signatures: over the data of accreditation certificates and over the audit
trail's daily checkpoints (``core.audit_checkpoints``).

The portal signs each certificate's ``payload`` when it issues it: canonical JSON (sorted keys,
no spaces, UTF-8) of the facts the certificate states. Anyone holding the published public key
(``/certificates/public-key/``) can check a certificate, or a checkpoint, without trusting the
portal's pages. (It lives in ``core``, below the apps, because both the certificates and the
audit trail use it.)

The private key comes from the setting ``CERTIFICATE_SIGNING_KEY`` (PEM; in production through
``CERTIFICATE_SIGNING_KEY_FILE``). With DEBUG on and no key set, a development key is generated
once and kept at ``CERTIFICATE_DEVELOPMENT_KEY_PATH`` in ``VAR_DIR`` (never committed), so a
developer's certificates keep verifying across restarts. Without a key and with DEBUG off,
signing refuses to run rather than sign with a key nobody can publish.

``key_id`` names a key: the first 16 hex digits of the SHA-256 of its raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def canonical_json(data: Any) -> bytes:
    """The one byte form of ``data`` that is signed and hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    return sha256_hex(raw)[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    pem = public_key.public_bytes(
        encoding=serialization.Encoding.PEM, format=serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def load_private_key(pem: str) -> Ed25519PrivateKey:
    """The Ed25519 key in ``pem``; a PEM pasted into one line with literal ``\\n`` works too."""
    text = pem.strip().replace("\\n", "\n")
    try:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(f"CERTIFICATE_SIGNING_KEY is not a readable PEM private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(
            "CERTIFICATE_SIGNING_KEY must be an Ed25519 key (openssl genpkey -algorithm ed25519)."
        )
    return key


def load_public_key(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _development_key(path: Path) -> str:
    """The key kept in ``path``, created on first use (readable by its owner only)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        try:
            # O_EXCL: two processes starting at once keep the first key written.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
    return path.read_text(encoding="ascii")


@lru_cache(maxsize=4)
def _key_from(pem: str) -> Ed25519PrivateKey:
    return load_private_key(pem)


def signing_key() -> Ed25519PrivateKey:
    """The portal's private key, from the settings (cached per key, so a test's override applies)."""
    pem = getattr(settings, "CERTIFICATE_SIGNING_KEY", None)
    if not pem:
        development_path = getattr(settings, "CERTIFICATE_DEVELOPMENT_KEY_PATH", None)
        if development_path is None:
            raise ImproperlyConfigured(
                "CERTIFICATE_SIGNING_KEY must be set (or CERTIFICATE_SIGNING_KEY_FILE) to sign certificates."
            )
        pem = _development_key(Path(development_path))
    return _key_from(pem)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def current_key_id() -> str:
    return key_id_of(public_key())


def sign(payload: Any) -> tuple[str, str]:
    """``(signature in base64, key_id)`` of the canonical JSON of ``payload``."""
    key = signing_key()
    signature = key.sign(canonical_json(payload))
    return base64.b64encode(signature).decode("ascii"), key_id_of(key.public_key())


def verify(payload: Any, signature: str, public_key: Ed25519PublicKey | str) -> bool:
    """True when ``signature`` (base64) is the key's signature of ``payload``'s canonical JSON."""
    try:
        key = load_public_key(public_key) if isinstance(public_key, str) else public_key
        key.verify(base64.b64decode(signature, validate=True), canonical_json(payload))
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True
