"""Two-factor authentication and the login lockout, as people and intruders meet them.

These tests log in through the forms and the token endpoint, never with ``force_login`` (which
the test suite makes pass the second factor, ``tests/conftest.py``). Alice (secretariat) must give
a code after her password; Chen (a member of a CAB) need not, unless he turned it on.
"""

from __future__ import annotations

import base64
import datetime as dt
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accreditation.demo import seed
from accreditation.management.commands.seed_demo import TWO_FACTOR_NOTE
from accreditation.models import Cab
from core.lockout import client_ip
from core.models import AuditEvent, User
from core.two_factor import DEMO_TOTP_KEY_HEX

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets
TOKEN_URL = "/api/auth/token/"
VERIFY_URL = "/accounts/two-factor/"
SETUP_URL = "/accounts/two-factor/setup/"


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the user's authenticator app shows now (or ``steps_ahead`` periods of 30 s later)."""
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """Six digits that none of the codes the device accepts now (the previous, current and next) equal."""
    accepted = {code_of(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in accepted)


def browser(address: str = "127.0.0.1") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)


def log_in(client: Client, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


@pytest.fixture
def alices_phone(secretariat: User) -> TOTPDevice:
    """Alice's confirmed authenticator app."""
    return TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)


@pytest.fixture
def no_code_throttling(settings: Any) -> None:
    """django-otp makes each try after a wrong code wait 1, 2, 4... seconds; these tests try at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- After the password -------------------------------------------------------------------------


def test_the_secretariat_without_a_device_is_sent_to_set_one_up_after_the_password(secretariat: User) -> None:
    client = browser()

    response = log_in(client, "alice", next_url="/register/")

    assertRedirects(response, f"{SETUP_URL}?next=%2Fregister%2F", fetch_redirect_response=False)
    assert client.session["_auth_user_id"] == str(secretariat.pk)


def test_the_secretariat_with_a_device_is_asked_for_the_code_after_the_password(alices_phone: TOTPDevice) -> None:
    client = browser()

    response = log_in(client, "alice")

    assertRedirects(response, f"{VERIFY_URL}?next=%2F", fetch_redirect_response=False)
    page = client.get(response["Location"])
    assertContains(page, 'name="otp_token"')
    assertContains(page, 'autocomplete="one-time-code"')
    assertContains(page, '<input type="hidden" name="next" value="/">', html=True)


def test_a_decision_maker_is_asked_for_the_code_too(decision_maker: User) -> None:
    TOTPDevice.objects.create(user=decision_maker, name="phone", confirmed=True)

    response = log_in(browser(), "dmitri")

    assertRedirects(response, f"{VERIFY_URL}?next=%2F", fetch_redirect_response=False)


def test_a_cab_user_is_not_asked_for_a_code(cab_user: User) -> None:
    client = browser()

    assertRedirects(log_in(client, "chen"), "/", fetch_redirect_response=False)
    assert client.get("/work/").status_code == 200


def test_a_cab_user_who_turned_two_factor_on_is_asked_for_the_code(cab_user: User) -> None:
    device = TOTPDevice.objects.create(user=cab_user, name="phone", confirmed=True)
    client = browser()

    assertRedirects(log_in(client, "chen"), f"{VERIFY_URL}?next=%2F", fetch_redirect_response=False)
    assertRedirects(client.get("/work/"), f"{VERIFY_URL}?next=%2Fwork%2F", fetch_redirect_response=False)
    assertRedirects(client.post(VERIFY_URL, {"otp_token": code_of(device), "next": "/work/"}), "/work/")


# --- Until the code is given ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/work/", "/register/", "/applications/queue/", "/admin/", "/accounts/login/"])
def test_until_the_code_is_given_every_signed_in_page_leads_to_the_code_page(
    alices_phone: TOTPDevice, path: str
) -> None:
    client = browser()
    log_in(client, "alice")

    response = client.get(path)

    assertRedirects(response, f"{VERIFY_URL}?next={path.replace('/', '%2F')}", fetch_redirect_response=False)


def test_until_the_code_is_given_public_pages_are_served_as_to_the_public(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")

    response = client.get("/directory/")

    assertContains(response, 'href="/accounts/login/?next=/directory/"')
    assertNotContains(response, 'href="/register/"')
    assertNotContains(response, "Secretariat")


def test_until_the_code_is_given_the_api_refuses_the_session_with_403(alices_phone: TOTPDevice) -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    log_in(client, "alice")

    response = client.get("/api/me/")

    assert response.status_code == 403
    assert response.json() == {
        "code": "two_factor_required",
        "message": "Enter the code from your authenticator app at /accounts/two-factor/ "
        "before using the API with this session.",
        "detail": None,
    }


def test_until_the_code_is_given_a_post_to_a_staff_page_changes_nothing(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")
    events = AuditEvent.objects.count()

    response = client.post("/register/cabs/new/", {"name_zh": "未验证检测有限公司"})

    assertRedirects(response, f"{VERIFY_URL}?next=%2Fregister%2Fcabs%2Fnew%2F", fetch_redirect_response=False)
    assert not Cab.objects.filter(name_zh="未验证检测有限公司").exists()
    assert AuditEvent.objects.count() == events


def test_logging_out_works_before_the_code_is_given(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")

    assertRedirects(client.post("/accounts/logout/"), "/", fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session


# --- The code ------------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_and_the_pages_stay_closed(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")

    response = client.post(VERIFY_URL, {"otp_token": wrong_code_for(alices_phone), "next": "/register/"})

    assertContains(response, "That code is wrong or has expired.")
    assertRedirects(client.get("/register/"), f"{VERIFY_URL}?next=%2Fregister%2F", fetch_redirect_response=False)


def test_a_code_that_is_not_six_digits_is_refused(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")

    response = client.post(VERIFY_URL, {"otp_token": "12ab56"})

    assertContains(response, "Enter the 6 digits your authenticator app shows.")


def test_the_right_code_opens_the_pages_and_the_api_with_a_new_session_key(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")
    before = client.session.session_key

    response = client.post(VERIFY_URL, {"otp_token": code_of(alices_phone)[:3] + " " + code_of(alices_phone)[3:]})

    assertRedirects(response, "/", fetch_redirect_response=False)
    assert client.session.session_key != before
    assert client.get("/register/").status_code == 200
    assert client.get("/api/me/").status_code == 200


def test_the_code_page_sends_only_to_addresses_on_this_site(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")

    response = client.post(VERIFY_URL, {"otp_token": code_of(alices_phone), "next": "https://evil.example/"})

    assertRedirects(response, "/", fetch_redirect_response=False)


def test_a_code_works_only_once(alices_phone: TOTPDevice) -> None:
    code = code_of(alices_phone)
    first = browser()
    log_in(first, "alice")
    assert first.post(VERIFY_URL, {"otp_token": code}).status_code == 302

    second = browser()
    log_in(second, "alice")
    response = second.post(VERIFY_URL, {"otp_token": code})

    assertContains(response, "That code is wrong or has expired.")


def test_trying_again_at_once_after_a_wrong_code_is_asked_to_wait(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")
    client.post(VERIFY_URL, {"otp_token": wrong_code_for(alices_phone)})

    response = client.post(VERIFY_URL, {"otp_token": code_of(alices_phone)})

    assertContains(response, "Too many wrong codes: wait 1 second, then enter the current code.")
    assertRedirects(client.get("/work/"), f"{VERIFY_URL}?next=%2Fwork%2F", fetch_redirect_response=False)


def test_a_verified_user_on_the_code_page_goes_straight_on(client_for, secretariat: User) -> None:
    assertRedirects(client_for(secretariat).get(f"{VERIFY_URL}?next=/register/"), "/register/")


# --- Setting up a device ---------------------------------------------------------------------------


def app_code_for(page: Any) -> str:
    """What an authenticator app shows after the key on the setup page was typed into it."""
    key = "".join(page.context["key_groups"])
    return f"{totp(base64.b32decode(key)):06d}"


def test_setting_up_shows_a_qr_code_and_the_key_and_confirms_the_device_with_its_code(secretariat: User) -> None:
    client = browser()
    log_in(client, "alice", next_url="/register/")

    page = client.get(f"{SETUP_URL}?next=/register/")
    again = client.get(SETUP_URL)

    assertContains(page, '<svg width="')
    assertContains(page, 'class="two-factor-qr"')
    assertContains(page, " ".join(page.context["key_groups"]))
    assert len("".join(page.context["key_groups"])) == 32  # 20 random bytes in base32
    assert again.context["key_groups"] == page.context["key_groups"]  # a reload keeps the key the app scanned
    assert not TOTPDevice.objects.exists()  # looking writes nothing
    response = client.post(SETUP_URL, {"otp_token": app_code_for(page), "next": "/register/"})
    assertRedirects(response, "/register/")
    device = TOTPDevice.objects.get(user=secretariat)
    assert device.confirmed is True
    assert base64.b32encode(device.bin_key).decode() == "".join(page.context["key_groups"])
    assert client.get("/api/me/").status_code == 200


def test_the_qr_code_holds_the_key_for_the_portal_and_the_user(secretariat: User) -> None:
    client = browser()
    log_in(client, "alice")

    page = client.get(SETUP_URL)

    key = "".join(page.context["key_groups"])
    assert page.context["view"].device.config_url == (
        f"otpauth://totp/Accreditation%20Portal%3Aalice?secret={key}&algorithm=SHA1&digits=6&period=30"
        "&issuer=Accreditation%20Portal"
    )


def test_a_wrong_code_during_setup_turns_nothing_on(secretariat: User) -> None:
    client = browser()
    log_in(client, "alice")
    page = client.get(SETUP_URL)
    right = app_code_for(page)
    wrong = next(candidate for candidate in ("000000", "111111", "222222") if candidate != right)

    response = client.post(SETUP_URL, {"otp_token": wrong})

    assertContains(response, "That code is wrong or has expired.")
    assert not TOTPDevice.objects.exists()
    assertRedirects(client.get("/work/"), f"{SETUP_URL}?next=%2Fwork%2F", fetch_redirect_response=False)


def test_a_password_alone_cannot_replace_a_confirmed_device(alices_phone: TOTPDevice) -> None:
    client = browser()
    log_in(client, "alice")

    response = client.get(SETUP_URL)

    assertRedirects(response, f"{VERIFY_URL}?next=%2F", fetch_redirect_response=False)
    assert TOTPDevice.objects.filter(user=alices_phone.user).count() == 1


def test_a_cab_user_may_turn_two_factor_on(cab_user: User) -> None:
    client = browser()
    log_in(client, "chen")

    page = client.get(SETUP_URL)
    response = client.post(SETUP_URL, {"otp_token": app_code_for(page)})

    assertContains(page, "Protect your account with a second factor")
    assertRedirects(response, "/", fetch_redirect_response=False)
    assert TOTPDevice.objects.get(user=cab_user).confirmed is True


# --- The API token ---------------------------------------------------------------------------------


def test_the_secretariat_trades_password_and_code_for_a_token(api_for, alices_phone: TOTPDevice) -> None:
    data = {"username": "alice", "password": PASSWORD, "otp_token": code_of(alices_phone)}

    response = api_for(None).post(TOKEN_URL, data, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=alices_phone.user).key}


@pytest.mark.parametrize(
    ("otp_token", "code", "message"),
    [
        (
            None,
            "otp_required",
            "This account uses two-factor authentication: send the current 6-digit code as otp_token.",
        ),
        ("wrong", "otp_invalid", "The two-factor code is wrong or has expired."),
    ],
)
def test_the_token_endpoint_refuses_the_secretariats_password_without_the_right_code(
    api_for, alices_phone: TOTPDevice, otp_token: str | None, code: str, message: str
) -> None:
    data = {"username": "alice", "password": PASSWORD}
    if otp_token == "wrong":
        data["otp_token"] = wrong_code_for(alices_phone)

    response = api_for(None).post(TOKEN_URL, data, format="json")

    assert response.status_code == 400
    assert response.json() == {"code": code, "message": message, "detail": None}
    assert Token.objects.count() == 0


def test_the_token_endpoint_sends_the_secretariat_without_a_device_to_set_one_up(api_for, secretariat: User) -> None:
    response = api_for(None).post(TOKEN_URL, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "two_factor_setup_required"
    assert Token.objects.count() == 0


def test_the_schema_documents_the_code_field_of_the_token_request(api_for) -> None:
    schema = api_for(None).get("/api/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["TokenRequestRequest"]["properties"]["otp_token"]

    assert field["pattern"] == "^\\d{6}$"
    assert "Required for secretariat and decision-maker accounts" in field["description"]
    assert "otp_token" not in schema["components"]["schemas"]["TokenRequestRequest"].get("required", [])


# --- The lockout -----------------------------------------------------------------------------------


def test_the_login_form_locks_a_user_name_out_from_an_address_after_five_failures(secretariat: User) -> None:
    client = browser()

    answers = [log_in(client, "alice", password=f"guess-{n}").status_code for n in range(5)]
    refused = log_in(client, "alice")

    assert answers == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assertContains(refused, "Too many failed logins", status_code=429)
    assertContains(refused, "Try again in 30 minutes.", status_code=429)
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_one_user_name_from_one_address_only(secretariat: User, cab_user: User) -> None:
    for n in range(5):
        log_in(browser(), "alice", password=f"guess-{n}")

    from_elsewhere = log_in(browser("10.1.2.3"), "alice")
    someone_else = log_in(browser(), "chen")

    assert from_elsewhere.status_code == 302
    assert someone_else.status_code == 302


def test_the_lockout_lifts_after_the_cool_off(secretariat: User) -> None:
    for n in range(5):
        log_in(browser(), "alice", password=f"guess-{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))

    assert log_in(browser(), "alice").status_code == 302


def test_the_failure_limit_and_the_cool_off_come_from_the_settings(secretariat: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=10)

    answers = [log_in(browser(), "alice", password=f"guess-{n}").status_code for n in range(2)]

    assert answers == [200, 429]
    assertContains(log_in(browser(), "alice"), "Try again in 10 minutes.", status_code=429)


def test_a_login_that_succeeds_clears_the_earlier_failures(cab_user: User) -> None:
    for n in range(4):
        log_in(browser(), "chen", password=f"guess-{n}")
    log_in(browser(), "chen")

    assert log_in(browser(), "chen", password="one-more-guess").status_code == 200
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_token_endpoint_locks_out_after_five_failures_and_gives_no_token(
    api_for, cab_user: User, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "100/minute"},
    }
    wrong = {"username": "chen", "password": "guess"}

    answers = [api_for(None).post(TOKEN_URL, wrong, format="json").status_code for _ in range(5)]
    refused = api_for(None).post(TOKEN_URL, {"username": "chen", "password": PASSWORD}, format="json")

    assert answers == [400, 400, 400, 400, 429]
    assert refused.status_code == 429
    assert refused.json() == {
        "code": "locked_out",
        "message": "Too many failed logins for this user from this address: try again in 30 minutes.",
        "detail": {"failure_limit": 5, "cool_off_minutes": 30},
    }
    assert Token.objects.count() == 0


def test_wrong_codes_count_as_failed_logins_and_lock_the_session_out(
    alices_phone: TOTPDevice, no_code_throttling: None
) -> None:
    client = browser()
    log_in(client, "alice")
    wrong = wrong_code_for(alices_phone)

    answers = [client.post(VERIFY_URL, {"otp_token": wrong}).status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]
    assert "_auth_user_id" not in client.session
    assert log_in(client, "alice").status_code == 429


def test_wrong_codes_at_the_token_endpoint_count_towards_the_lockout(
    api_for, alices_phone: TOTPDevice, no_code_throttling: None, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "100/minute"},
    }
    wrong = {"username": "alice", "password": PASSWORD, "otp_token": wrong_code_for(alices_phone)}

    answers = [api_for(None).post(TOKEN_URL, wrong, format="json").status_code for _ in range(5)]

    assert answers == [400, 400, 400, 400, 429]
    assert Token.objects.count() == 0


def test_a_client_cannot_dodge_the_lockout_with_its_own_forwarded_for_header(secretariat: User, settings: Any) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}  # no proxy in front
    for n in range(5):
        browser().post(
            "/accounts/login/",
            {"username": "alice", "password": f"guess-{n}"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    assert log_in(browser(), "alice").status_code == 429


def test_the_secretariat_lifts_a_lockout_with_the_reset_command(secretariat: User) -> None:
    for n in range(5):
        log_in(browser(), "alice", password=f"guess-{n}")

    call_command("axes_reset_username", "alice", stdout=StringIO())

    assert log_in(browser(), "alice").status_code == 302


def test_the_admin_lists_lockouts(client_for, secretariat: User) -> None:
    secretariat.is_superuser = secretariat.is_staff = True
    secretariat.save(update_fields=["is_superuser", "is_staff"])
    for n in range(5):
        log_in(browser("198.51.100.7"), "alice", password=f"guess-{n}")

    response = client_for(secretariat).get("/admin/axes/accessattempt/")

    assertContains(response, "198.51.100.7")


@pytest.mark.parametrize(
    ("num_proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (1, None, "10.0.0.2"),
    ],
)
def test_the_lockout_reads_x_forwarded_for_only_for_the_proxies_the_settings_name(
    settings: Any, num_proxies: int, forwarded: str | None, expected: str
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_ip(request) == expected


# --- The demo -------------------------------------------------------------------------------------


def test_the_demo_secretariat_gets_a_device_with_the_published_key_once(db: None) -> None:
    spec = next(user for user in seed.DEMO_USERS if user.username == "secretariat")

    user, _created = seed._ensure_user(spec)
    seed._ensure_user(spec)

    device = TOTPDevice.objects.get(user=user)
    assert (device.key, device.confirmed) == (DEMO_TOTP_KEY_HEX, True)


def test_the_demo_printout_gives_the_key_and_the_code_command() -> None:
    note = "\n".join(TWO_FACTOR_NOTE)

    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in note
    assert "python manage.py totp_code secretariat" in note


def test_the_code_command_prints_what_the_app_shows(secretariat: User, settings: Any) -> None:
    settings.DEBUG = True
    device = TOTPDevice.objects.create(user=secretariat, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
    out = StringIO()

    call_command("totp_code", "alice", stdout=out, stderr=StringIO())

    assert out.getvalue().strip() in {code_of(device), code_of(device, steps_ahead=1)}  # a step may pass


def test_the_code_command_refuses_without_debug(secretariat: User, settings: Any) -> None:
    settings.DEBUG = False
    TOTPDevice.objects.create(user=secretariat, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)

    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("totp_code", "alice", stdout=StringIO(), stderr=StringIO())
