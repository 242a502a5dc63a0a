"""Create the PostgreSQL database that DATABASE_URL names, when it does not exist yet.

Run from the project root: ``python -m scripts.ensure_database``. The database is created from
``template0`` with UTF-8 encoding and the ``C.UTF-8`` locale, the only kind the portal's backend
accepts (``config/db/postgresql/base.py``: pg_trgm sees no Chinese in a ``C``-locale database).
An existing database with the wrong locale is reported, not touched: it may hold data.
Does nothing when DATABASE_URL is unset or names SQLite.
"""

from __future__ import annotations

import sys
from typing import Any

import psycopg
from psycopg import sql

from config.db.postgresql.base import DEFAULT_LOCALE, lc_ctype_indexes_chinese
from config.env import Env


def connection_params(config: dict[str, Any]) -> dict[str, Any]:
    """libpq parameters for the server's maintenance database, from a Django database config."""
    params: dict[str, Any] = {"dbname": "postgres", "autocommit": True, "connect_timeout": 10}
    for key, param in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if config.get(key):
            params[param] = str(config[key])
    for key, value in (config.get("OPTIONS") or {}).items():
        if isinstance(value, str):
            params[key] = value
    return params


def ensure_database(env: Env) -> int:
    if env.optional_str("DATABASE_URL") is None:
        return 0
    config = env.database("DATABASE_URL", sqlite_path="unused.sqlite3")
    if config["ENGINE"] != "config.db.postgresql":
        return 0
    name = str(config["NAME"])
    with psycopg.connect(**connection_params(config)) as connection:
        row = connection.execute("SELECT datctype FROM pg_database WHERE datname = %s", [name]).fetchone()
        if row is None:
            connection.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE {} LC_CTYPE {}").format(
                    sql.Identifier(name), sql.Literal(DEFAULT_LOCALE), sql.Literal(DEFAULT_LOCALE)
                )
            )
            print(f"Created the PostgreSQL database {name} (UTF8, {DEFAULT_LOCALE}).")
            return 0
        if not lc_ctype_indexes_chinese(str(row[0])):
            print(
                f"The PostgreSQL database {name} exists with lc_ctype={row[0]!r}, which cannot index Chinese text. "
                f"Drop it (or rename it) and run this again to create it with {DEFAULT_LOCALE}.",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(ensure_database(Env.from_os()))
