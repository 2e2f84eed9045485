"""The language a person picks is remembered, and `/` opens in it before the browser's."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.adapter import AccountAdapter
from notifications import tasks
from tests.factories import make_consultation, make_user

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = "es-ES,es;q=0.9,en;q=0.5"


def language_cookie(response):
    return response.cookies[settings.LANGUAGE_COOKIE_NAME]


def test_the_header_links_go_through_the_switch(client):
    html = client.get("/en/").content.decode()

    assert 'href="/language/fr/?next=/fr/" hreflang="fr"' in html


def test_switching_opens_the_same_page_in_the_language_and_remembers_it(client):
    consultation = make_consultation(slug="labour-mobility")

    response = client.get("/language/fr/", {"next": consultation.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == "/fr/consultations/labour-mobility/"
    cookie = language_cookie(response)
    assert cookie.value == "fr"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE


def test_root_honours_the_remembered_language_before_the_browsers(client):
    client.get("/language/fr/", {"next": "/en/"})

    response = client.get("/", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)

    assert response["Location"] == "/fr/"


def test_root_honours_the_profile_language_before_the_browsers(client_for):
    client = client_for(make_user(preferred_language="fr"))

    response = client.get("/", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)

    assert response["Location"] == "/fr/"


def test_root_follows_the_browser_when_nothing_was_picked(client_for):
    client = client_for(make_user(preferred_language=""))

    response = client.get("/", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)

    assert response["Location"] == "/es/"


def test_switching_while_signed_in_updates_the_profile(client_for):
    person = make_user(preferred_language="en")

    client_for(person).get("/language/es/", {"next": "/en/"})

    person.refresh_from_db()
    assert person.preferred_language == "es"


def test_switching_never_sends_people_to_another_site(client):
    response = client.get("/language/fr/", {"next": "https://elsewhere.example/fr/"})

    assert response["Location"] == "/fr/"


def test_a_language_the_site_does_not_have_is_not_found(client):
    response = client.get("/language/de/", {"next": "/en/"})

    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_saving_the_profile_language_remembers_it_and_reopens_in_it(client_for):
    person = make_user(display_name="Amina Diallo", preferred_language="en")

    response = client_for(person).post(
        reverse("accounts:profile"),
        {
            "display_name": "Amina Diallo",
            "organisation_type": "migrant_led",
            "preferred_language": "fr",
            "time_zone": "",
        },
    )

    assert response["Location"] == "/fr/accounts/profile/"
    assert language_cookie(response).value == "fr"


def test_the_profile_may_leave_the_language_to_the_page(client_for):
    person = make_user(preferred_language="es")

    client_for(person).post(
        reverse("accounts:profile"),
        {"display_name": "Amina Diallo", "organisation_type": "migrant_led", "time_zone": ""},
    )

    person.refresh_from_db()
    assert person.preferred_language == ""


@pytest.mark.parametrize(
    ("page_language", "subject_word"),
    [("fr", "mot de passe"), ("es", "contraseña"), ("en", "Password")],
)
def test_a_reset_email_without_a_preference_is_in_the_pages_language(
    client, page_language, subject_word
):
    make_user(email="kwame@example.org", preferred_language="")

    client.post(f"/{page_language}/accounts/password/reset/", {"email": "kwame@example.org"})

    assert len(mail.outbox) == 1
    assert subject_word.lower() in mail.outbox[0].subject.lower()
    assert f"/{page_language}/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_reset_email_follows_the_preference_over_the_page(client):
    make_user(email="lucia@example.org", preferred_language="es")

    client.post("/fr/accounts/password/reset/", {"email": "lucia@example.org"})

    assert "contraseña" in mail.outbox[0].subject.lower()


def test_a_verification_email_without_a_preference_is_in_the_pages_language(client_for):
    person = make_user(email="omar@example.org", preferred_language="", verified=False)

    client_for(person).post("/es/accounts/email/", {"action_send": "", "email": "omar@example.org"})

    assert len(mail.outbox) == 1
    assert "/es/accounts/confirm-email/" in mail.outbox[0].body
    assert "correo electrónico" in mail.outbox[0].subject.lower()


def test_the_language_is_taken_when_asked_not_when_the_worker_sends(client, monkeypatch):
    """The worker sends in whatever language it runs in: the message must already be written."""
    make_user(email="kwame@example.org", preferred_language="")
    queued = []
    monkeypatch.setattr(
        "accounts.adapter.send_email_message", SimpleNamespace(enqueue=queued.append)
    )

    client.post("/fr/accounts/password/reset/", {"email": "kwame@example.org"})
    assert mail.outbox == []
    with translation.override("en"):
        tasks.send_email_message.call(*queued)

    assert "mot de passe" in mail.outbox[0].subject.lower()


def test_the_adapter_falls_back_to_the_active_language_for_unknown_addresses():
    with translation.override("es"):
        assert AccountAdapter._language_of_recipient("nobody@example.org", {}) == "es"
