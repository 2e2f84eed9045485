"""Window mail for what you follow: opened, closes in 48 hours (once), and the summary."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.time_zones import moment_in_words
from notifications import services
from tests.factories import make_comment, make_consultation, make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(run_on_commit, settings):
    # A digest hour no clock reaches, so these tests see window mail only.
    settings.ROUNDTABLE_DIGEST_HOUR = 24

    def run():
        with run_on_commit():
            call_command("send_scheduled_notifications", verbosity=0)

    return run


def test_followers_hear_that_a_consultation_opened(scheduled, stakeholder):
    now = timezone.now()
    consultation = make_consultation(opens_at=now - timedelta(hours=1), title="Recruitment fees")
    services.follow(user=stakeholder, target=consultation)

    scheduled()
    scheduled()

    assert [message.subject for message in mail.outbox] == [
        "[Roundtable] “Recruitment fees” is open for contributions"
    ]
    assert f"/en/consultations/{consultation.slug}/" in mail.outbox[0].body


def test_closes_in_48_hours_is_mailed_once(scheduled, stakeholder):
    now = timezone.now()
    consultation = make_consultation(
        opens_at=now - timedelta(days=20), closes_at=now + timedelta(hours=40)
    )
    services.follow(user=stakeholder, target=make_question(consultation))

    scheduled()
    scheduled()

    assert len(mail.outbox) == 1
    assert "closes in 48 hours" in mail.outbox[0].subject


def test_nothing_is_mailed_while_the_close_is_far(scheduled, stakeholder):
    services.follow(user=stakeholder, target=make_consultation(state="open"))

    scheduled()

    assert mail.outbox == []


def test_after_closing_followers_get_a_summary_of_their_contributions(scheduled, stakeholder):
    now = timezone.now()
    consultation = make_consultation(
        opens_at=now - timedelta(days=20), closes_at=now - timedelta(hours=2)
    )
    question = make_question(consultation)
    services.follow(user=stakeholder, target=question)
    mine = make_comment(question, author=stakeholder)
    make_comment(question, author=stakeholder)
    make_comment(question, parent=mine)
    make_comment(question, parent=mine, status="hidden")
    make_comment(question)

    scheduled()
    scheduled()

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "has closed" in mail.outbox[0].subject
    assert "You posted 2 comments." in body
    assert "Others replied to your comments 1 time." in body
    assert "3 people took part in the consultation." in body


def test_window_mail_is_in_the_followers_language(scheduled):
    now = timezone.now()
    consultation = make_consultation(
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(hours=30),
        title="Recruitment fees",
        title_es="Comisiones de contratación",
    )
    services.follow(user=make_user(preferred_language="es"), target=consultation)

    scheduled()

    assert "Comisiones de contratación" in mail.outbox[0].subject
    assert "/es/consultations/" in mail.outbox[0].body


def test_drafts_send_no_window_mail(scheduled, stakeholder):
    draft = make_consultation(state="draft", closes_at=timezone.now() + timedelta(hours=30))
    services.follow(user=stakeholder, target=draft)

    scheduled()

    assert mail.outbox == []


@pytest.mark.parametrize(
    ("follower_zone", "zone_read"),
    [("Asia/Kolkata", "Asia/Kolkata"), ("", "Europe/Paris")],
)
def test_window_mail_gives_the_closing_time_in_the_followers_zone(
    scheduled, follower_zone, zone_read
):
    now = timezone.now()
    consultation = make_consultation(
        opens_at=now - timedelta(days=20),
        closes_at=now + timedelta(hours=30),
        time_zone="Europe/Paris",
    )
    services.follow(user=make_user(time_zone=follower_zone), target=consultation)

    scheduled()

    with timezone.override(zone_read):
        closing = moment_in_words(consultation.closes_at)
    assert closing in mail.outbox[0].body
