"""The workbench's writes racing each other and a moderator, on PostgreSQL with real connections."""

import threading
import time

import pytest
from django.db import connection, transaction

from consultations.models import CommentStatus, ModerationAction, ModerationEntry
from consultations.rules import Refused
from consultations.services.moderation import comment_hide
from synthesis import services
from synthesis.models import Theme, ThemeTag
from tests.consultations.test_races import in_threads
from tests.factories import make_comment, make_consultation, make_question, make_theme, make_user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks, it locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_themes_added_at_once_get_numbers_of_their_own():
    consultation = make_consultation()
    secretariat = make_user(is_superuser=True)  # groups do not survive a flush

    def add(title):
        return lambda: services.theme_create(
            actor=secretariat, consultation=consultation, values={"title_en": title}
        )

    results = in_threads(*[add(f"Theme {index}") for index in range(6)])

    assert all(isinstance(result, Theme) for result in results), results
    assert sorted(Theme.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert ModerationEntry.objects.filter(action=ModerationAction.CREATE_THEME).count() == 6


def test_a_tag_sent_while_a_moderator_hides_the_comment_waits_and_is_refused():
    consultation = make_consultation()
    comment = make_comment(make_question(consultation), body="Words about fees.")
    theme = make_theme(consultation, title="Fees")
    secretariat = make_user(is_superuser=True)
    hide_has_the_lock = threading.Event()

    def hide_slowly():
        with transaction.atomic():
            comment_hide(moderator=secretariat, comment=comment, reason="Personal data.")
            hide_has_the_lock.set()
            time.sleep(0.5)  # the tag arrives while the hide is not yet committed

    def tag_after_hide_started():
        hide_has_the_lock.wait(5)
        return services.comment_themes_set(actor=secretariat, comment=comment, themes=[theme])

    results = in_threads(hide_slowly, tag_after_hide_started)

    assert isinstance(results[1], Refused), results
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN
    assert not ThemeTag.objects.exists()
