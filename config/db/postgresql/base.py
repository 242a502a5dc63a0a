"""PostgreSQL backend that refuses a database which cannot index Chinese text.

pg_trgm and the text-search functions only see Chinese characters when the database's
``lc_ctype`` is a UTF-8 locale (see ``SERVICES.md``): in a ``C``-locale database every
Chinese name search silently turns into a sequential scan. We check once per process, on
the first connection, and stop with a message that says how to fix it. Test databases are
created from ``template0`` with a UTF-8 locale so the suite always runs on the right kind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base, creation

DEFAULT_LOCALE = "C.UTF-8"


def lc_ctype_indexes_chinese(lc_ctype: str) -> bool:
    """True when a database with this ``lc_ctype`` lets pg_trgm extract Chinese trigrams."""
    normalised = lc_ctype.lower().replace("-", "")
    return normalised.endswith(".utf8")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class DatabaseCreation(creation.DatabaseCreation):
    def sql_table_creation_suffix(self) -> str:
        test_settings = self.connection.settings_dict["TEST"]
        locale = test_settings.get("LOCALE") or DEFAULT_LOCALE
        encoding = test_settings.get("CHARSET") or "UTF8"
        template = self.connection.ops.quote_name(test_settings.get("TEMPLATE") or "template0")
        return (
            f"WITH ENCODING {_literal(encoding)} TEMPLATE {template} "
            f"LC_COLLATE {_literal(locale)} LC_CTYPE {_literal(locale)}"
        )


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    _locale_checked: set[str] = set()

    def init_connection_state(self) -> None:
        super().init_connection_state()
        name = self.settings_dict.get("NAME")
        if self.alias == NO_DB_ALIAS or not name or name in self._locale_checked:
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SHOW lc_ctype")
            row: Any = cursor.fetchone()
        lc_ctype = str(row[0])
        if not lc_ctype_indexes_chinese(lc_ctype):
            raise ImproperlyConfigured(
                f"The PostgreSQL database {name!r} has lc_ctype={lc_ctype!r}, which cannot index Chinese text. "
                f"Recreate it with: CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                f"LC_COLLATE '{DEFAULT_LOCALE}' LC_CTYPE '{DEFAULT_LOCALE}';"
            )
        self._locale_checked.add(name)
