"""The user model: email as the login, unique whatever its case."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories import make_user


@pytest.mark.django_db
def test_database_refuses_the_same_email_in_another_case():
    # Model.objects.create skips the manager's lower-casing: this is the database's own check.
    User.objects.create(email="Amina.Diallo@Example.org", display_name="Amina Diallo")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="amina.diallo@example.org", display_name="Someone else")
    assert User.objects.filter(email__iexact="amina.diallo@example.org").count() == 1


@pytest.mark.django_db
def test_database_refuses_the_very_same_email_twice():
    User.objects.create(email="tomas@example.org", display_name="Tomás")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="tomas@example.org", display_name="Tomás again")


@pytest.mark.django_db
def test_create_user_stores_the_email_in_lower_case():
    user = User.objects.create_user(
        email="Kofi.Mensah@Example.ORG", password="a-long-test-password", display_name="Kofi"
    )
    assert user.email == "kofi.mensah@example.org"
    assert user.check_password("a-long-test-password")


@pytest.mark.django_db
def test_create_user_needs_an_email():
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password="x", display_name="Nobody")


@pytest.mark.django_db
def test_user_is_named_by_display_name():
    user = make_user(display_name="Léa Martin")
    assert str(user) == "Léa Martin"
    assert user.get_full_name() == "Léa Martin"
    assert user.get_short_name() == "Léa Martin"


@pytest.mark.django_db
def test_superuser_has_the_staff_flags():
    admin = User.objects.create_superuser(
        email="admin@example.org", password="a-long-test-password", display_name="Admin"
    )
    assert admin.is_staff and admin.is_superuser
