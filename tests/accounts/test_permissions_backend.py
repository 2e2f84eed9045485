import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from accounts.backends import PermissionsInOneQueryBackend
from accounts.models import User
from tests.factories import make_translator, make_user

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_a_persons_own_and_group_permissions_come_in_one_query(django_assert_num_queries):
    person = make_translator()
    person.user_permissions.add(Permission.objects.get(codename="moderate_every_consultation"))
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(Permission.objects.get(codename="manage_consultations"))
    person.groups.add(reviewers)

    expected = ModelBackend().get_all_permissions(_fresh(person))
    person = _fresh(person)
    with django_assert_num_queries(1):
        found = PermissionsInOneQueryBackend().get_all_permissions(person)
    assert found == expected
    assert {
        "consultations.moderate_every_consultation",
        "consultations.manage_consultations",
        "consultations.translate_contributions",
    } <= found


def test_has_perm_asks_the_database_once_for_a_request(django_assert_num_queries):
    person = _fresh(make_user())
    with django_assert_num_queries(1):
        assert not person.has_perm("consultations.moderate_every_consultation")
        assert not person.has_perm("consultations.translate_contributions")


def test_inactive_people_and_object_permissions_get_nothing():
    person = make_translator(is_active=False)
    backend = PermissionsInOneQueryBackend()
    assert backend.get_all_permissions(_fresh(person)) == set()
    assert backend.get_all_permissions(_fresh(make_translator()), obj=object()) == set()


def test_a_superuser_has_every_permission():
    boss = make_user(is_superuser=True)
    assert PermissionsInOneQueryBackend().get_all_permissions(_fresh(boss)) == (
        ModelBackend().get_all_permissions(_fresh(boss))
    )
