import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from accounts.backends import PermissionsInOneQueryBackend
from accounts.models import User
from consultations import rules
from consultations.models import Comment, CommentStatus
from tests.factories import (
    make_comment,
    make_consultation,
    make_question,
    make_translator,
    make_user,
)

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


# --- The person as each request reads them ------------------------------------------------


def _signed_in(person) -> User:
    return PermissionsInOneQueryBackend().get_user(person.pk)


def test_someone_with_no_role_is_read_in_one_query_that_answers_the_roles(
    django_assert_num_queries,
):
    person = make_user()
    with django_assert_num_queries(1):
        person = _signed_in(person)
        assert rules.is_verified(person)
        assert not rules.is_moderator_anywhere(person)
        assert not rules.can_manage_consultations(person)


def test_an_unverified_person_is_known_as_such_at_sign_in(django_assert_num_queries):
    person = make_user(verified=False)
    with django_assert_num_queries(1):
        assert not rules.is_verified(_signed_in(person))


def test_roles_given_to_the_person_are_still_read_and_found():
    moderator, translator, member = make_user(), make_translator(), make_user()
    consultation = make_consultation(moderators=[moderator])
    reviewers = Group.objects.create(name="Reviewers")
    reviewers.permissions.add(Permission.objects.get(codename="manage_consultations"))
    member.groups.add(reviewers)

    assert rules.is_moderator_of(_signed_in(moderator), consultation)
    assert _signed_in(translator).has_perm("consultations.translate_contributions")
    assert rules.can_manage_consultations(_signed_in(member))
    assert not rules.is_moderator_of(_signed_in(member), consultation)


def test_an_inactive_person_or_someone_gone_is_not_signed_in():
    assert _signed_in(make_user(is_active=False)) is None
    assert PermissionsInOneQueryBackend().get_user(987654) is None


def test_the_pending_comments_a_signed_in_person_sees_do_not_depend_on_the_shortcut():
    """Someone known at sign-in to moderate nothing gets a thread query without the
    moderators' subquery (Comment.objects.visible_to), and sees the same comments."""
    moderator, author, reader = make_user(), make_user(), make_user()
    question = make_question(consultation=make_consultation(moderators=[moderator]))
    own_pending = make_comment(question, author=author, status=CommentStatus.PENDING)
    others_pending = make_comment(question, author=reader, status=CommentStatus.PENDING)
    published = make_comment(question, author=reader)

    def seen_by(person):
        return set(Comment.objects.visible_to(person).values_list("pk", flat=True))

    signed_in_author = _signed_in(author)
    assert signed_in_author.moderates_a_consultation is False
    assert "moderators" not in str(Comment.objects.visible_to(signed_in_author).query)
    assert seen_by(signed_in_author) == seen_by(_fresh(author)) == {own_pending.pk, published.pk}
    signed_in_moderator = _signed_in(moderator)
    assert "moderators" in str(Comment.objects.visible_to(signed_in_moderator).query)
    assert seen_by(signed_in_moderator) == {own_pending.pk, others_pending.pk, published.pk}
