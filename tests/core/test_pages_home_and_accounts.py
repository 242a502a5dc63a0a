"""The home page, signing in and out, resetting a password, the language switch and error pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accreditation.models import Cab
from accreditation.services.members import cab_grant_view
from core.models import User

pytestmark = pytest.mark.django_db


# --- Home ---------------------------------------------------------------------------------


def test_the_public_is_sent_from_home_to_the_directory(client_for) -> None:
    assertRedirects(client_for(None).get("/"), "/directory/")


@pytest.mark.parametrize("persona", ["secretariat", "decision_maker", "cab_user", "assessor"])
def test_everyone_signed_in_lands_on_my_work(request, client_for, persona: str) -> None:
    user = request.getfixturevalue(persona)
    assertRedirects(client_for(user).get("/"), "/work/")


def test_a_cab_member_reaches_their_cab_from_my_work(client_for, cab_user: User, cab: Cab) -> None:
    response = client_for(cab_user).get("/", follow=True)
    assertContains(response, 'href="/cab/"')
    response = client_for(cab_user).get("/cab/", follow=True)
    assert response.redirect_chain == [(f"/cab/{cab.pk}/", 302)]
    assertContains(response, "北京精准检测技术有限公司")


def test_an_assessor_without_grants_is_told_they_have_no_cabs_yet(client_for, assessor: User) -> None:
    response = client_for(assessor).get("/cab/")
    assertContains(response, "You have no CABs to see yet.")


def test_an_assessor_sees_the_cabs_the_secretariat_granted_them(
    client_for, assessor: User, secretariat: User, cab: Cab, other_cab: Cab
) -> None:
    cab_grant_view(cab=cab, user=assessor, actor=secretariat, reason="Assessment team")
    response = client_for(assessor).get("/cab/")
    assertContains(response, f'href="/register/cabs/{cab.pk}/"')
    assertNotContains(response, other_cab.name_zh)
    assertNotContains(response, "You have no CABs to see yet.")


# --- Logging in and out -------------------------------------------------------------------


# A CAB user needs no second factor; the secretariat's login goes on to it (test_two_factor.py).
def test_a_user_logs_in_with_their_password_and_lands_on_their_home(cab_user: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assertContains(client.get("/accounts/login/"), 'name="username"')
    response = client.post("/accounts/login/", {"username": "chen", "password": "correct-horse-battery"})
    assertRedirects(response, "/", fetch_redirect_response=False)
    assert client.session["_auth_user_id"] == str(cab_user.pk)


def test_a_wrong_password_is_refused_with_a_message(secretariat: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assertContains(response, "Please enter a correct username and password.")
    assert "_auth_user_id" not in client.session


def test_register_pages_send_the_public_to_log_in(client_for) -> None:
    assertRedirects(client_for(None).get("/register/"), "/accounts/login/?next=/register/")


def test_logging_out_needs_a_post(client_for, secretariat: User) -> None:
    client = client_for(secretariat)
    assert client.get("/accounts/logout/").status_code == 405
    assertRedirects(client.post("/accounts/logout/"), "/", fetch_redirect_response=False)
    assert "_auth_user_id" not in client.session


def test_the_header_offers_log_out_as_a_form_and_log_in_to_the_public(client_for, secretariat: User) -> None:
    assertContains(client_for(secretariat).get("/directory/"), 'action="/accounts/logout/" method="post"')
    assertContains(client_for(None).get("/directory/"), 'href="/accounts/login/?next=/directory/"')


def test_a_user_resets_a_forgotten_password_through_the_emailed_link(secretariat: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/password_reset/", {"email": "alice@example.cn"})
    assertRedirects(response, "/accounts/password_reset/done/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your password of the Accreditation Portal"
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert match is not None
    form_page = client.get(match.group(1), follow=True)
    assertContains(form_page, "Choose a new password")
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "a-much-longer-secret-2025"
    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assertRedirects(response, "/accounts/reset/done/")
    secretariat.refresh_from_db()
    assert secretariat.check_password(new_password)


def test_a_used_reset_link_says_it_is_no_longer_valid() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/reset/MQ/set-password/")
    assertContains(response, "This link is not valid")


# --- Languages ------------------------------------------------------------------------------


@pytest.mark.smoke
def test_a_page_asked_for_in_chinese_is_in_chinese(client_for) -> None:
    response = client_for(None, language="zh-hans").get("/directory/")
    assertContains(response, '<html lang="zh-hans">')


def test_a_page_asked_for_in_english_is_in_english(client_for) -> None:
    assertContains(client_for(None).get("/directory/"), '<html lang="en">')


@pytest.mark.smoke
def test_the_language_switch_keeps_the_chosen_language_over_the_browsers(client_for) -> None:
    client = client_for(None, language="zh-hans")
    assertContains(client.get("/directory/"), 'name="language" value="en"')
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/directory/?q=abc"})
    assertRedirects(response, "/directory/?q=abc", fetch_redirect_response=False)
    assertContains(client.get("/directory/"), '<html lang="en">')


# --- Errors and CSRF ------------------------------------------------------------------------


def test_an_unknown_address_answers_the_portals_not_found_page(client_for) -> None:
    response = client_for(None).get("/no-such-page/")
    assertContains(response, "Page not found", status_code=404)


def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(secretariat: User) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(secretariat)
    response = client.post("/register/cabs/new/", {"name_zh": "无令牌检测有限公司"})
    assert response.status_code == 403
    assert not Cab.objects.filter(name_zh="无令牌检测有限公司").exists()
