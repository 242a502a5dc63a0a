"""Tokens for machine clients, and what the API answers people it does not know."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.throttling import PortalScopedRateThrottle
from core.models import User

PASSWORD = "correct-horse-battery"  # what UserFactory sets
TOKEN_URL = "/api/auth/token/"


@pytest.fixture(autouse=True)
def fresh_throttle_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no request counted; the shared cache would carry counts over."""
    monkeypatch.setattr(PortalScopedRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


def token_client(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# A CAB user needs no second factor; the secretariat's token also takes its code (test_two_factor.py).
def test_a_user_trades_name_and_password_for_their_token(api_for, cab_user: User) -> None:
    response = api_for(None).post(TOKEN_URL, {"username": "chen", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=cab_user).key}


def test_asking_again_answers_the_same_token(api_for, cab_user: User) -> None:
    first = api_for(None).post(TOKEN_URL, {"username": "chen", "password": PASSWORD}, format="json")
    second = api_for(None).post(TOKEN_URL, {"username": "chen", "password": PASSWORD}, format="json")

    assert first.json() == second.json()
    assert Token.objects.count() == 1


def test_a_wrong_password_is_refused_and_makes_no_token(api_for, secretariat: User) -> None:
    response = api_for(None).post(TOKEN_URL, {"username": "alice", "password": "not-her-password"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_credentials",
        "message": "The user name or password is wrong, or the account is disabled.",
        "detail": None,
    }
    assert Token.objects.count() == 0


def test_a_disabled_account_gets_no_token(api_for, secretariat: User) -> None:
    secretariat.is_active = False
    secretariat.save(update_fields=["is_active"])

    response = api_for(None).post(TOKEN_URL, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert Token.objects.count() == 0


def test_a_missing_password_is_a_field_error(api_for, secretariat: User) -> None:
    response = api_for(None).post(TOKEN_URL, {"username": "alice"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The request has invalid fields.",
        "detail": {"password": ["This field is required."]},
    }


@pytest.mark.smoke
def test_the_token_authenticates_api_calls(secretariat: User) -> None:
    token = Token.objects.create(user=secretariat)

    response = token_client(token.key).get("/api/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_a_made_up_token_is_refused_with_401(db: None) -> None:
    response = token_client("0" * 40).get("/api/me/")

    assert response.status_code == 401
    assert response.json() == {"code": "authentication_failed", "message": "Invalid token.", "detail": None}


@pytest.mark.smoke
def test_an_anonymous_call_to_a_private_endpoint_is_401_and_names_the_scheme(api_for) -> None:
    response = api_for(None).get("/api/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "detail": None,
    }


def test_an_unknown_object_answers_404_in_the_same_error_shape(api_for, secretariat: User) -> None:
    response = api_for(secretariat).get("/api/cabs/999999/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "detail": None}


def test_an_unsupported_method_answers_405_in_the_same_error_shape(api_for, secretariat: User) -> None:
    response = api_for(secretariat).delete("/api/programmes/CL/")

    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": 'Method "DELETE" not allowed.', "detail": None}


def test_token_requests_are_limited_per_client_address(api_for, secretariat: User, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "2/minute"},
    }
    wrong = {"username": "alice", "password": "guess"}

    answers = [api_for(None).post(TOKEN_URL, wrong, format="json").status_code for _ in range(2)]
    refused = api_for(None).post(TOKEN_URL, {"username": "alice", "password": PASSWORD}, format="json")

    assert answers == [400, 400]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert Token.objects.count() == 0
