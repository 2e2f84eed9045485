"""Following and unfollowing consultations and questions, and "what I follow"."""

import re

import pytest
from django.core import mail

from notifications.models import Follow, NotificationPreference
from tests.factories import make_consultation, make_question

pytestmark = pytest.mark.django_db


def test_following_a_consultation_works_without_javascript(
    stakeholder_client, stakeholder, consultation
):
    response = stakeholder_client.post(f"/en/consultations/{consultation.slug}/follow/")

    assert response.status_code == 302
    assert response["Location"] == consultation.get_absolute_url()
    assert Follow.objects.filter(user=stakeholder, consultation=consultation).exists()


def test_following_twice_keeps_one_follow(stakeholder_client, stakeholder, consultation):
    stakeholder_client.post(f"/en/consultations/{consultation.slug}/follow/")
    stakeholder_client.post(f"/en/consultations/{consultation.slug}/follow/")

    assert Follow.objects.filter(user=stakeholder).count() == 1


def test_unfollowing_a_question(stakeholder_client, stakeholder, question):
    url = f"/en/consultations/{question.consultation.slug}/questions/1/follow/"
    stakeholder_client.post(url)

    stakeholder_client.post(url, {"action": "unfollow"})

    assert not Follow.objects.filter(user=stakeholder).exists()


def test_following_a_draft_is_a_clear_404(stakeholder_client, stakeholder):
    draft = make_consultation(state="draft")
    make_question(draft)

    for url in (
        f"/en/consultations/{draft.slug}/follow/",
        f"/en/consultations/{draft.slug}/questions/1/follow/",
    ):
        assert stakeholder_client.post(url).status_code == 404
    assert not Follow.objects.exists()


def test_a_visitor_is_asked_to_log_in_to_follow(client, consultation):
    response = client.post(f"/en/consultations/{consultation.slug}/follow/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_following_goes_back_to_the_page_it_was_asked_from(stakeholder_client, question):
    page = question.get_absolute_url() + "?language=fr"

    response = stakeholder_client.post(
        f"/en/consultations/{question.consultation.slug}/questions/1/follow/", {"next": page}
    )

    assert response["Location"] == page


def test_following_refuses_to_send_you_elsewhere(stakeholder_client, consultation):
    response = stakeholder_client.post(
        f"/en/consultations/{consultation.slug}/follow/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == consultation.get_absolute_url()


def test_pages_show_a_follow_button_and_then_an_unfollow_button(
    stakeholder_client, stakeholder, question
):
    page = stakeholder_client.get(question.get_absolute_url()).content.decode()
    assert "Follow this question" in page
    assert f'action="/en/consultations/{question.consultation.slug}/questions/1/follow/"' in page

    Follow.objects.create(user=stakeholder, question=question)
    page = stakeholder_client.get(question.get_absolute_url()).content.decode()
    assert 'value="unfollow"' in page


def test_the_consultation_page_has_a_follow_button(stakeholder_client, consultation):
    page = stakeholder_client.get(consultation.get_absolute_url()).content.decode()

    assert "Follow this consultation" in page


def test_visitors_see_no_follow_button(client, consultation):
    assert (
        "Follow this consultation"
        not in client.get(consultation.get_absolute_url()).content.decode()
    )


def test_answering_a_question_follows_it(stakeholder_client, stakeholder, question):
    stakeholder_client.post(
        question.get_absolute_url(), {"body": "Fees must be banned.", "language": "en"}
    )

    assert Follow.objects.filter(user=stakeholder, question=question).exists()


def test_answering_follows_nothing_when_turned_off(stakeholder_client, stakeholder, question):
    NotificationPreference.objects.create(user=stakeholder, follow_questions_i_answer=False)

    stakeholder_client.post(
        question.get_absolute_url(), {"body": "Fees must be banned.", "language": "en"}
    )

    assert not Follow.objects.filter(user=stakeholder).exists()


def test_the_profile_lists_what_i_follow(stakeholder_client, stakeholder, question):
    Follow.objects.create(user=stakeholder, question=question)
    Follow.objects.create(user=stakeholder, consultation=make_consultation(title="Remittances"))

    page = stakeholder_client.get("/en/accounts/profile/").content.decode()

    assert "What you follow" in page
    assert question.title in page
    assert "Remittances" in page
    assert "Stop following" in page


def test_the_notifications_page_shows_the_defaults_and_saves_choices(
    stakeholder_client, stakeholder
):
    page = stakeholder_client.get("/en/notifications/").content.decode()
    assert re.search(r'name="reply" value="immediately"[^>]*checked', page)
    assert re.search(r'name="followed_activity" value="daily_digest"[^>]*checked', page)
    assert "moderation_alert" not in page  # not a moderator

    response = stakeholder_client.post(
        "/en/notifications/",
        {
            "reply": "daily_digest",
            "moderator_follow_up": "immediately",
            "followed_activity": "never",
            "window": "immediately",
        },
    )

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=stakeholder)
    assert (preference.reply, preference.followed_activity) == ("daily_digest", "never")
    assert preference.follow_questions_i_answer is False  # an unticked box
    assert mail.outbox == []


def test_moderators_choose_their_alerts_too(client_for, moderator):
    page = client_for(moderator).get("/en/notifications/").content.decode()

    assert "moderation_alert" in page
