"""The allauth adapter: signing up answers alike whether or not the address has an account."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from accounts.models import User
from tests.accounts.test_signup import sign_up
from tests.factories import make_user


class CountingHasher(MD5PasswordHasher):
    """Counts the hashes made: the slow, deliberate work of a sign-up."""

    algorithm = "counting_md5"
    hashes = 0

    def encode(self, password, salt):
        CountingHasher.hashes += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_adapter.CountingHasher"]
    CountingHasher.hashes = 0
    return CountingHasher


def hashes_for_signup(client, hasher, email) -> int:
    before = hasher.hashes
    response = sign_up(client, email=email)
    assert response.status_code == 302
    return hasher.hashes - before


@pytest.mark.django_db
def test_signup_with_a_taken_address_hashes_the_password_like_a_new_account(
    client, counting_hasher
):
    make_user(email="amina.diallo@example.org")

    new_account = hashes_for_signup(client, counting_hasher, "tomas.ruiz@example.org")
    taken_address = hashes_for_signup(client, counting_hasher, "amina.diallo@example.org")

    assert new_account == taken_address == 1
    assert User.objects.filter(email="amina.diallo@example.org").count() == 1


@pytest.mark.django_db
def test_signup_with_a_taken_address_answers_like_a_new_one(client):
    make_user(email="amina.diallo@example.org")

    new_account = sign_up(client, email="tomas.ruiz@example.org")
    taken_address = sign_up(client, email="amina.diallo@example.org")

    assert new_account["Location"] == taken_address["Location"]
    assert len(mail.outbox) == 2
