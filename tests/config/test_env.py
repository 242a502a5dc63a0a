"""The typed environment helper refuses bad values with a message that names the variable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import Env


def refusal(read: Callable[[], object]) -> str:
    """The message of the ImproperlyConfigured that calling ``read`` raises."""
    with pytest.raises(ImproperlyConfigured) as caught:
        read()
    return str(caught.value)


def test_a_boolean_that_is_not_one_of_the_known_words_is_refused() -> None:
    env = Env({"DEBUG": "maybe"})

    assert refusal(lambda: env.bool("DEBUG", default=False)) == (
        "DEBUG='maybe' is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("Yes", True), (" on ", True), ("0", False), ("", False)])
def test_the_known_boolean_words_are_read_whatever_their_case(raw: str, expected: bool) -> None:
    assert Env({"DEBUG": raw}).bool("DEBUG", default=not expected) is expected


def test_a_missing_boolean_takes_its_default() -> None:
    assert Env({}).bool("DEBUG", default=True) is True


def test_a_whole_number_with_letters_in_it_is_refused() -> None:
    env = Env({"EMAIL_PORT": "25x"})

    assert refusal(lambda: env.int("EMAIL_PORT", default=587)) == "EMAIL_PORT='25x' is not a whole number."


def test_a_whole_number_below_its_minimum_is_refused() -> None:
    env = Env({"SECURE_HSTS_SECONDS": "-1"})

    assert refusal(lambda: env.int("SECURE_HSTS_SECONDS", default=0, minimum=0)) == (
        "SECURE_HSTS_SECONDS=-1 is below the minimum of 0."
    )


def test_a_database_url_of_an_unsupported_kind_is_refused() -> None:
    env = Env({"DATABASE_URL": "mysql://portal@db/portal"})

    assert refusal(lambda: env.database("DATABASE_URL", sqlite_path="db.sqlite3")) == (
        "DATABASE_URL must be a postgres:// or sqlite:// URL (the portal supports PostgreSQL), not 'mysql'."
    )


def test_a_postgres_url_without_a_database_name_is_refused() -> None:
    env = Env({"DATABASE_URL": "postgres://portal@db:5432"})

    assert refusal(lambda: env.database("DATABASE_URL", sqlite_path="db.sqlite3")) == (
        "DATABASE_URL must name a database, e.g. postgres://user@host:5432/portal."
    )


def test_a_postgres_url_uses_the_backend_that_checks_the_locale() -> None:
    config = Env({"DATABASE_URL": "postgres://portal:secret@db:5433/portal"}).database(
        "DATABASE_URL", sqlite_path="db.sqlite3"
    )

    assert (config["ENGINE"], config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "config.db.postgresql",
        "portal",
        "portal",
        "secret",
        "db",
        5433,
    )


def test_without_a_database_url_the_embedded_sqlite_file_is_used() -> None:
    config = Env({}).database("DATABASE_URL", sqlite_path="/srv/var/db.sqlite3")

    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", "/srv/var/db.sqlite3")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://cache:6379/0", "REDIS_URL='http://cache:6379/0' must look like redis://host:6379/0."),
        ("redis:///0", "REDIS_URL='redis:///0' must look like redis://host:6379/0."),
        ("redis://cache:63x9/0", "REDIS_URL='redis://cache:63x9/0' has an invalid port."),
    ],
)
def test_a_redis_url_that_is_not_redis_is_refused(url: str, message: str) -> None:
    env = Env({"REDIS_URL": url})

    assert refusal(lambda: env.redis_url("REDIS_URL")) == message


def test_a_secret_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-secret"
    env = Env({"SECRET_KEY_FILE": str(missing)})

    assert refusal(lambda: env.str("SECRET_KEY")) == (
        f"SECRET_KEY_FILE={str(missing)!r} cannot be read: No such file or directory."
    )


def test_a_secret_is_read_from_its_file_without_the_trailing_newline(tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("k3y-from-a-docker-secret\n", encoding="utf-8")

    assert Env({"SECRET_KEY_FILE": str(secret)}).str("SECRET_KEY") == "k3y-from-a-docker-secret"


def test_the_variable_itself_wins_over_its_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file", encoding="utf-8")

    assert Env({"SECRET_KEY": "from-the-variable", "SECRET_KEY_FILE": str(secret)}).str("SECRET_KEY") == (
        "from-the-variable"
    )


def test_a_required_value_that_is_missing_is_refused() -> None:
    assert refusal(lambda: Env({}).str("SECRET_KEY")) == "SECRET_KEY must be set."


def test_a_list_with_an_empty_entry_is_refused() -> None:
    env = Env({"ALLOWED_HOSTS": "portal.example.cn,,www.example.cn"})

    assert refusal(lambda: env.list("ALLOWED_HOSTS")) == (
        "ALLOWED_HOSTS='portal.example.cn,,www.example.cn' has an empty entry; separate values with single commas."
    )


def test_a_list_is_split_on_commas_and_trimmed() -> None:
    env = Env({"ALLOWED_HOSTS": "portal.example.cn, www.example.cn"})

    assert env.list("ALLOWED_HOSTS") == ["portal.example.cn", "www.example.cn"]


@pytest.mark.parametrize("value", ["noreply.example.cn", "Portal <noreply@example>", "no reply@example.cn"])
def test_an_email_address_without_a_proper_domain_or_with_spaces_is_refused(value: str) -> None:
    env = Env({"DEFAULT_FROM_EMAIL": value})

    assert refusal(lambda: env.email("DEFAULT_FROM_EMAIL", default="noreply@example.cn")) == (
        f"DEFAULT_FROM_EMAIL={value!r} is not an e-mail address."
    )


def test_an_email_address_with_a_display_name_is_accepted() -> None:
    env = Env({"DEFAULT_FROM_EMAIL": "认可门户 <noreply@portal.example.cn>"})

    assert env.email("DEFAULT_FROM_EMAIL", default="x@example.cn") == "认可门户 <noreply@portal.example.cn>"
