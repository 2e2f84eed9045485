"""allauth's limits on sign-up, log-in, password reset and the admin login, as configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.test_signup import sign_up, signup_data
from tests.factories import make_user

REPOSITORY = Path(__file__).resolve().parents[2]
BALANCER = "10.0.0.2"


def log_in(client, email, password, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


@pytest.mark.django_db
def test_the_sixth_signup_in_a_minute_from_one_address_is_refused(client):
    for number in range(5):
        response = sign_up(client, email=f"delegate{number}@example.org")
        assert response.status_code == 302, number

    response = sign_up(client, email="delegate6@example.org")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many attempts" in response.content.decode()
    assert User.objects.count() == 5


@pytest.mark.django_db
def test_signups_from_another_address_are_not_held_back(client):
    for number in range(5):
        sign_up(client, email=f"delegate{number}@example.org")

    response = client.post(
        reverse("account_signup"),
        signup_data(email="someone.else@example.org"),
        REMOTE_ADDR="198.51.100.9",
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_the_429_page_is_in_the_readers_language(client):
    for number in range(5):
        sign_up(client, language="fr", email=f"delegue{number}@example.org")

    response = sign_up(client, language="fr", email="delegue6@example.org")

    assert response.status_code == 429
    assert '<html lang="fr">' in response.content.decode()
    assert "Too many attempts" not in response.content.decode()


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    make_user(email="amina@example.org")
    for _attempt in range(5):
        assert log_in(client, "amina@example.org", "wrong-guess").status_code == 200

    response = log_in(client, "amina@example.org", "a-long-test-password")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_a_locked_login_says_how_long_to_wait_and_keeps_the_address(client):
    make_user(email="amina@example.org")
    for _attempt in range(5):
        log_in(client, "amina@example.org", "wrong-guess")

    response = log_in(client, "amina@example.org", "wrong-again")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 5 * 60
    assert 'value="amina@example.org"' in response.content.decode()


@pytest.mark.django_db
def test_the_admin_login_goes_through_the_limited_login(client):
    response = client.get("/en/admin/login/?next=/en/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_wrong_admin_passwords_are_slowed_like_any_login(client):
    make_user(email="secretariat@example.org", is_staff=True, is_superuser=True)
    for _attempt in range(5):
        log_in(client, "secretariat@example.org", "wrong-guess")

    log_in(client, "secretariat@example.org", "a-long-test-password")

    assert client.get("/en/admin/").status_code == 302  # still sent to log in


@pytest.mark.django_db
def test_a_staff_member_logged_in_through_allauth_reaches_the_admin(client_for):
    staff = make_user(is_staff=True, is_superuser=True)

    assert client_for(staff).get("/en/admin/").status_code == 200


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_client_cannot_lock_out_the_others(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user(email="tomas@example.org")
    for attempt in range(12):
        log_in(
            client,
            f"guess{attempt}@example.org",
            "wrong-guess",
            REMOTE_ADDR=BALANCER,
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    assert (
        "Too many failed login attempts"
        in log_in(
            client,
            "guess@example.org",
            "x",
            REMOTE_ADDR=BALANCER,
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        ).content.decode()
    )

    response = log_in(
        client,
        "tomas@example.org",
        "a-long-test-password",
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_a_named_client_address_header_is_used_when_configured(client, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for number in range(5):
        client.post(
            reverse("account_signup"),
            signup_data(email=f"delegate{number}@example.org"),
            REMOTE_ADDR=BALANCER,
            HTTP_X_REAL_IP="203.0.113.5",
        )

    response = client.post(
        reverse("account_signup"),
        signup_data(email="another.person@example.org"),
        REMOTE_ADDR=BALANCER,
        HTTP_X_REAL_IP="198.51.100.7",
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_password_resets_for_one_address_are_limited(client):
    make_user(email="amina@example.org")
    url = reverse("account_reset_password")
    for _attempt in range(3):
        assert client.post(url, {"email": "amina@example.org"}).status_code == 302

    response = client.post(url, {"email": "amina@example.org"})

    assert response.status_code == 429
    assert "Retry-After" in response


def test_a_limit_reached_in_one_process_holds_in_another(tmp_path):
    """Two real processes sharing one database: the default cache is shared, not per process."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    }

    def run(*arguments):
        return subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=REPOSITORY,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert run("migrate", "--no-input").returncode == 0
    consume_signup = (
        "from django.test import RequestFactory; from allauth.core import ratelimit; "
        "request = RequestFactory().post('/', REMOTE_ADDR='203.0.113.5'); "
        "print([ratelimit.consume(request, action='signup') for _ in range({count})])"
    )

    first = run("shell", "-c", consume_signup.format(count=5))
    second = run("shell", "-c", consume_signup.format(count=1))

    assert first.stdout.strip().splitlines()[-1] == str([True] * 5), first.stderr
    assert second.stdout.strip().splitlines()[-1] == "[False]", second.stderr
