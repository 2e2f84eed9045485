"""Sessions: an idle timeout, an absolute lifetime, the password asked again for email changes."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

PROFILE = "/en/accounts/profile/"


def is_logged_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_IDLE_TIMEOUT = 60 * 60
    settings.SESSION_COOKIE_AGE = 60 * 60 * 3


@pytest.mark.django_db
def test_a_session_idle_longer_than_the_timeout_is_logged_out(short_sessions, client_for):
    client = client_for(make_user())
    start = timezone.now()
    with time_machine.travel(start):
        assert is_logged_in(client)

    with time_machine.travel(start + timedelta(minutes=61)):
        assert not is_logged_in(client)


@pytest.mark.django_db
def test_a_session_in_use_stays_logged_in_within_the_idle_timeout(short_sessions, client_for):
    client = client_for(make_user())
    start = timezone.now()
    for minutes in (0, 50, 100, 150):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert is_logged_in(client), minutes


@pytest.mark.django_db
def test_a_session_ends_at_its_absolute_lifetime_however_active(short_sessions, client_for):
    client = client_for(make_user())
    start = timezone.now()
    for minutes in range(0, 180, 30):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert is_logged_in(client), minutes

    with time_machine.travel(start + timedelta(minutes=181)):
        assert not is_logged_in(client)


@pytest.mark.django_db
def test_adding_an_email_address_asks_for_the_password_again(client_for):
    user = make_user()
    client = client_for(user)

    response = client.post(
        reverse("account_email"), {"email": "second.address@example.org", "action_add": ""}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="second.address@example.org").exists()
