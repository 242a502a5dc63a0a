"""Typed access to the environment: the one place settings read os.environ.

Every reader fails loudly with the variable's name and what was wrong, so a typo in a
deployment stops the process at start-up instead of silently running with a default.
Secrets may come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when
``SECRET_KEY`` itself is not set (Docker and Kubernetes secrets work this way).
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Env:
    """A read-only view of the process environment with typed getters.

    The getters are named after the types they return (``env.str``, ``env.int``), so inside this
    class the annotations spell the types as ``builtins.str`` and so on.
    """

    values: Mapping[str, str]

    @classmethod
    def from_os(cls) -> Env:
        return cls(dict(os.environ))

    def _raw(self, name: builtins.str) -> builtins.str | None:
        value = self.values.get(name)
        if value is not None:
            return value
        path = self.values.get(f"{name}_FILE")
        if path:
            try:
                with open(path, encoding="utf-8") as handle:
                    return handle.read().strip()
            except OSError as exc:
                raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc.strerror}.") from exc
        return None

    def str(self, name: builtins.str, default: builtins.str | None = None) -> builtins.str:
        value = self._raw(name)
        if value is None or value == "":
            if default is None:
                raise ImproperlyConfigured(f"{name} must be set.")
            return default
        return value

    def optional_str(self, name: builtins.str) -> builtins.str | None:
        value = self._raw(name)
        return value or None

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")

    def int(self, name: builtins.str, default: builtins.int, *, minimum: builtins.int | None = None) -> builtins.int:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from exc
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
        return number

    def list(
        self, name: builtins.str, default: builtins.list[builtins.str] | None = None
    ) -> builtins.list[builtins.str]:
        value = self._raw(name)
        if value is None:
            return list(default or [])
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise ImproperlyConfigured(f"{name}={value!r} has an empty entry; separate values with single commas.")
        return items

    def email(self, name: builtins.str, default: builtins.str) -> builtins.str:
        value = self.str(name, default)
        address = value.rsplit("<", 1)[-1].rstrip(">").strip()
        if not _EMAIL.match(address):
            raise ImproperlyConfigured(f"{name}={value!r} is not an e-mail address.")
        return value

    def database(
        self, name: builtins.str, *, sqlite_path: os.PathLike[builtins.str] | builtins.str
    ) -> dict[builtins.str, Any]:
        """The default database: ``DATABASE_URL`` when set, else the embedded SQLite file."""
        url = self.optional_str(name)
        if url is None:
            return {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.fspath(sqlite_path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            }
        scheme = urlsplit(url).scheme
        if scheme not in {"postgres", "postgresql", "sqlite"}:
            raise ImproperlyConfigured(
                f"{name} must be a postgres:// or sqlite:// URL (the portal supports PostgreSQL), "
                f"not {scheme or url!r}."
            )
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} cannot be parsed: {exc}") from exc
        if config["ENGINE"] == "django.db.backends.postgresql":
            # Our backend adds the UTF-8 locale check and creates test databases with it.
            config["ENGINE"] = "config.db.postgresql"
            if not config.get("NAME"):
                raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@host:5432/portal.")
        return config

    def redis_url(self, name: builtins.str) -> builtins.str | None:
        url = self.optional_str(name)
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
            raise ImproperlyConfigured(f"{name}={url!r} must look like redis://host:6379/0.")
        try:
            parts.port  # noqa: B018 - parsing the port raises on a bad one
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}={url!r} has an invalid port.") from exc
        return url
