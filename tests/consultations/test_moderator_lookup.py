"""Who carries the Moderator badge on a consultation, found without reading every account."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories import make_consultation, make_global_moderator, make_user

pytestmark = pytest.mark.django_db


def _moderate_every_consultation() -> Permission:
    return Permission.objects.get(
        codename="moderate_every_consultation", content_type__app_label="consultations"
    )


def test_named_group_and_directly_permitted_moderators_are_all_found_once():
    named = make_user()
    global_moderator = make_global_moderator()
    permitted = make_user()
    permitted.user_permissions.add(_moderate_every_consultation())
    named_and_global = make_global_moderator()
    consultation = make_consultation(moderators=[named, named_and_global])

    assert consultation.moderator_ids() == {
        named.pk,
        global_moderator.pk,
        permitted.pk,
        named_and_global.pk,
    }


def test_others_are_not_moderators():
    other_consultations_moderator = make_user()
    make_consultation(moderators=[other_consultations_moderator])
    in_a_group_without_the_permission = make_user()
    in_a_group_without_the_permission.groups.add(Group.objects.create(name="Readers"))
    with_another_permission = make_user()
    with_another_permission.user_permissions.add(
        Permission.objects.get(codename="view_statistics", content_type__app_label="consultations")
    )
    make_user()

    assert make_consultation().moderator_ids() == set()


def test_the_lookup_is_one_query_that_never_reads_the_accounts_table():
    consultation = make_consultation(moderators=[make_user()])
    make_global_moderator()

    with CaptureQueriesContext(connection) as captured:
        consultation.moderator_ids()

    assert len(captured.captured_queries) == 1
    # Reading the accounts table meant reading every account on every page.
    assert f'"{User._meta.db_table}"' not in captured.captured_queries[0]["sql"]
