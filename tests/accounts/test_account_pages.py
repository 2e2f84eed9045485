"""allauth's pages in the site's layout and words: "Log in", sentence case, no stray controls."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user
from tests.test_i18n import english_left_in

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es"]
# allauth's own words this site does not use.
ALLAUTH_WORDS = re.compile(
    r"Sign In|Sign in|Sign Up|Signup|Sign Out|Remember Me|Remember me|Change Password|"
    r"Password Reset|Email Addresses|Make Primary|Re-send|Confirm Access|Reauthenticate"
)
LOG_IN = {"en": "Log in", "fr": "Se connecter", "es": "Iniciar sesión"}


def url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


def visitor_pages(language):
    return {
        "login": url("account_login", language),
        "signup": url("account_signup", language),
        "password reset": url("account_reset_password", language),
        "password reset sent": url("account_reset_password_done", language),
        "verification sent": url("account_email_verification_sent", language),
        "password reset bad link": url(
            "account_reset_password_from_key", language, "xx", "bad-key"
        ),
        "inactive": url("account_inactive", language),
    }


def member_pages(language, person):
    confirmation = EmailConfirmationHMAC(
        EmailAddress.objects.create(user=person, email="otra.direccion@example.org", verified=False)
    )
    return {
        "email": url("account_email", language),
        "password change": url("account_change_password", language),
        "reauthenticate": url("account_reauthenticate", language),
        "logout": url("account_logout", language),
        "confirm email": url("account_confirm_email", language, confirmation.key),
    }


def all_pages(language):
    person = make_user()
    member = Client()
    member.force_login(person)
    pages = {name: Client().get(path) for name, path in visitor_pages(language).items()}
    pages |= {name: member.get(path) for name, path in member_pages(language, person).items()}
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages_use_the_sites_layout(language):
    for name, response in all_pages(language).items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert '<header class="site-header">' in html, name
        assert '<footer class="site-footer">' in html, name
        assert f'<html lang="{language}">' in html, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_account_pages_use_the_sites_words(language):
    for name, response in all_pages(language).items():
        html = response.content.decode()
        assert not ALLAUTH_WORDS.search(html), f"{name}: {ALLAUTH_WORDS.findall(html)}"
        if language != "en":
            assert english_left_in(html, language) == [], name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_page_says_log_in_in_title_heading_and_button(client, language):
    html = client.get(url("account_login", language)).content.decode()
    log_in = LOG_IN[language]

    assert f"<title>{log_in} — " in html
    assert f"<h1>{log_in}</h1>" in html
    assert f'<button class="button" type="submit">{log_in}</button>' in html


def test_the_login_page_has_no_remember_me_box(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'name="remember"' not in html


def test_every_login_lasts_the_sites_session_time(client, settings):
    make_user(email="amina@example.org")

    client.post(
        reverse("account_login"), {"login": "amina@example.org", "password": "a-long-test-password"}
    )

    assert client.session.get_expire_at_browser_close() is False
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_buttons_are_the_sites_buttons(client_for):
    person = make_user()
    EmailAddress.objects.create(user=person, email="otra.direccion@example.org", verified=False)

    html = client_for(person).get(reverse("account_email")).content.decode()

    assert re.findall(r"<button(?![^>]*class=\"(?:button|link-button))[^>]*>", html) == []
    assert '<button class="button button--danger" name="action_remove"' in html


def test_labels_are_in_sentence_case_without_placeholders(client_for):
    html = client_for(make_user()).get(reverse("account_change_password")).content.decode()

    assert '<label for="id_oldpassword">Current password</label>' in html
    assert '<label for="id_password1">New password</label>' in html
    assert "placeholder=" not in html


def test_a_refused_login_keeps_the_address_and_says_why(client):
    make_user(email="amina@example.org")

    response = client.post(
        reverse("account_login"), {"login": "amina@example.org", "password": "not-this-one"}
    )

    html = response.content.decode()
    assert '<div class="form-errors" role="alert">' in html
    assert 'value="amina@example.org"' in html


def test_logging_in_and_out_is_said_with_log(client):
    make_user(email="amina@example.org", display_name="Amina Diallo")

    response = client.post(
        reverse("account_login"),
        {"login": "amina@example.org", "password": "a-long-test-password"},
        follow=True,
    )
    assert "You are logged in as Amina Diallo." in response.content.decode()

    response = client.post(reverse("account_logout"), follow=True)
    assert "You are logged out." in response.content.decode()


def test_account_email_subjects_are_in_the_sites_words(client):
    make_user(email="amina@example.org")

    client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert [message.subject for message in mail.outbox] == [
        "[Roundtable] Reset your password",
        "[Roundtable] No account uses this address",
    ]


def test_one_verified_address_gets_no_buttons_that_make_no_sense(client_for):
    person = make_user(email="amina@example.org")

    html = client_for(person).get(reverse("account_email")).content.decode()

    assert "amina@example.org" in html
    for action in ("action_primary", "action_send", "action_remove"):
        assert f'name="{action}"' not in html


def test_an_unverified_address_can_be_sent_its_email_again(client_for):
    person = make_user(email="amina@example.org", verified=False)

    html = client_for(person).get(reverse("account_email")).content.decode()

    assert 'name="action_send"' in html
    assert 'name="action_remove"' not in html


def test_a_reset_link_opens_the_sites_new_password_form_and_saves_it(client):
    person = make_user(email="amina@example.org")
    client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    link = re.search(r"http://testserver(/en/accounts/password/reset/key/\S+)", mail.outbox[0].body)

    form_page = client.get(link.group(1), follow=True)
    html = form_page.content.decode()
    assert "<h1>Choose a new password</h1>" in html
    assert '<label for="id_password1">New password</label>' in html

    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "a-new-long-password", "password2": "a-new-long-password"},
        follow=True,
    )
    assert "<h1>Your password is changed</h1>" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password("a-new-long-password")
