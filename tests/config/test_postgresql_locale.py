"""On PostgreSQL the portal works only in a UTF-8 locale database, where pg_trgm can index Chinese."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from psycopg import sql

from config.db.postgresql.base import DEFAULT_LOCALE, DatabaseWrapper

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]


def server_params() -> dict[str, Any]:
    settings = connection.settings_dict
    params: dict[str, Any] = {"dbname": "postgres", "autocommit": True}
    for key, param in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if settings.get(key):
            params[param] = str(settings[key])
    return params


@pytest.fixture
def c_locale_database() -> Iterator[str]:
    """A database created the way PostgreSQL does by default on a machine without a UTF-8 locale."""
    name = f"portal_c_locale_probe_{os.getpid()}"
    create = sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**server_params()) as admin:
        admin.execute(drop)
        admin.execute(create.format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(**server_params()) as admin:
            admin.execute(drop)


def test_a_database_with_the_c_locale_is_refused_at_connection_with_the_fix(
    c_locale_database: str, django_db_blocker: Any
) -> None:
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": c_locale_database}, alias="c_locale_probe")
    try:
        with django_db_blocker.unblock(), pytest.raises(ImproperlyConfigured) as refused:
            wrapper.ensure_connection()
    finally:
        wrapper.close()

    assert str(refused.value) == (
        f"The PostgreSQL database '{c_locale_database}' has lc_ctype='C', which cannot index Chinese text. "
        f"Recreate it with: CREATE DATABASE {c_locale_database} TEMPLATE template0 ENCODING 'UTF8' "
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8';"
    )


def test_the_test_database_is_created_with_a_utf8_locale(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lc_ctype")
        lc_ctype = cursor.fetchone()[0]
        cursor.execute("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")
        encoding = cursor.fetchone()[0]

    assert (lc_ctype, encoding) == (connection.settings_dict["TEST"].get("LOCALE") or DEFAULT_LOCALE, "UTF8")


def test_pg_trgm_extracts_every_trigram_of_a_chinese_name_in_the_test_database(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", ["认可委员会"])
        trigrams = cursor.fetchone()[0]

    # Five characters padded as a word give six trigrams; pg_trgm shows non-ASCII ones as hashes.
    assert len(trigrams) == 6
