"""Abuse limits on posting, replying and reporting: a 429 with the text kept and `Retry-After`."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Report, ReportReason
from tests.consultations.test_posting import answer, reply, shown_text
from tests.factories import make_comment, make_question, make_user

TEXT = "Recruitment fees should be paid by employers, never by the workers they hire."


def established_user(**fields):
    """An account older than a day: the ordinary rates apply."""
    return make_user(date_joined=timezone.now() - timedelta(days=3), **fields)


@pytest.fixture
def rates(settings):
    settings.ROUNDTABLE_RATE_LIMITS = {
        "post": "1/10s/user,30/h/user",
        "post_new_account": "1/30s/user,10/h/user",
        "report": "2/m/user",
    }
    return settings.ROUNDTABLE_RATE_LIMITS


@pytest.mark.django_db
def test_a_second_answer_within_ten_seconds_is_refused_with_its_text(rates, client_for, question):
    client = client_for(established_user())
    assert answer(client, question, body=TEXT).status_code == 302

    second = "Remittance costs fall when mobile operators may serve migrants directly."
    response = answer(client, question, body=second)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 10
    assert shown_text(response) == second
    assert "You are posting faster than this discussion allows" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_posting_is_allowed_again_once_the_wait_is_over(rates, client_for, question):
    client = client_for(established_user())
    answer(client, question, body=TEXT)

    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        response = answer(client, question, body="A second, different answer.")

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def _sent_with_token(client, question, token, body=TEXT):
    return client.post(
        question.get_absolute_url(), {"body": body, "language": "en", "submission_token": token}
    )


@pytest.mark.django_db
def test_a_form_sent_again_within_the_limit_gives_back_its_comment(rates, client_for, question):
    client = client_for(established_user())
    token = str(uuid.uuid4())
    first = _sent_with_token(client, question, token)

    again = _sent_with_token(client, question, token)

    comment = Comment.objects.get()
    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == comment.get_absolute_url()


@pytest.mark.django_db
def test_a_form_sent_again_later_counts_against_no_limit(rates, client_for, question):
    client = client_for(established_user())
    token = str(uuid.uuid4())
    start = timezone.now()
    _sent_with_token(client, question, token)

    with time_machine.travel(start + timedelta(seconds=11)):
        again = _sent_with_token(client, question, token)
    with time_machine.travel(start + timedelta(seconds=12)):
        # One post in ten seconds: refused, had the form sent again counted as one.
        response = answer(client, question, body="A second, different answer.")

    assert again.status_code == 302
    assert response.status_code == 302
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_form_sent_again_after_the_close_gives_back_its_comment(rates, client_for, question):
    client = client_for(established_user())
    token = str(uuid.uuid4())
    _sent_with_token(client, question, token)
    question.consultation.closes_at = timezone.now() + timedelta(minutes=1)
    question.consultation.save()

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        again = _sent_with_token(client, question, token)
        refused = _sent_with_token(client, question, str(uuid.uuid4()), body="Too late.")

    assert again.status_code == 302
    assert again["Location"] == Comment.objects.get().get_absolute_url()
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_hourly_rate_refuses_the_thirty_first_post(rates, client_for, question):
    client = client_for(established_user())
    start = timezone.now()
    for number in range(30):
        with time_machine.travel(start + timedelta(seconds=11 * number)):
            assert answer(client, question, body=f"Point {number}.").status_code == 302

    with time_machine.travel(start + timedelta(seconds=11 * 30)):
        response = answer(client, question, body="Point 31.")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 60 * 50
    assert Comment.objects.count() == 30


@pytest.mark.django_db
def test_replies_count_against_the_same_limit_and_keep_their_text(rates, client_for, question):
    client = client_for(established_user())
    parent = make_comment(question)
    assert answer(client, question).status_code == 302

    response = reply(client, parent, body="A reply sent too soon after the answer.")

    assert response.status_code == 429
    assert "Retry-After" in response
    assert shown_text(response) == "A reply sent too soon after the answer."


@pytest.mark.django_db
def test_an_account_younger_than_a_day_has_the_tighter_rate(rates, client_for, question):
    client = client_for(make_user())  # joined just now
    assert answer(client, question).status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=15)):
        response = answer(client, question, body="Fifteen seconds later.")

    assert response.status_code == 429
    assert 10 <= int(response["Retry-After"]) <= 15


@pytest.mark.django_db
def test_moderators_of_the_consultation_are_not_slowed(rates, client_for, question, moderator):
    client = client_for(moderator)
    for number in range(3):
        assert answer(client, question, body=f"Thanks, point {number}.").status_code == 302


@pytest.mark.django_db
def test_a_refused_post_does_not_use_up_the_limit(rates, client_for, consultation):
    client = client_for(established_user())
    locked = make_question(consultation, is_locked=True)
    assert answer(client, locked).status_code == 403

    assert answer(client, make_question(consultation)).status_code == 302


@pytest.mark.django_db
def test_the_same_text_again_within_five_minutes_is_refused(client_for, consultation):
    client = client_for(established_user())
    answer(client, make_question(consultation), body=TEXT)

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = answer(client, make_question(consultation), body=TEXT)

    assert response.status_code == 429
    assert 170 <= int(response["Retry-After"]) <= 180
    assert shown_text(response) == TEXT
    assert "You posted this same text a moment ago" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_the_same_text_may_be_posted_again_after_five_minutes(client_for, question):
    client = client_for(established_user())
    answer(client, question, body=TEXT)

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = answer(client, question, body=TEXT)

    assert response.status_code == 302


LINKS = (
    "See [the ILO principles](https://www.ilo.org/fair-recruitment), "
    "[the IRIS standard](https://iris.iom.int) and [a study](https://example.org/study)."
)


@pytest.mark.django_db
def test_a_new_account_may_not_post_more_than_two_links(client_for, question):
    client = client_for(make_user())

    response = answer(client, question, body=LINKS)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 60 * 60 * 23
    assert shown_text(response) == LINKS
    assert "New accounts can include at most 2 links" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_an_established_account_may_post_many_links(client_for, question):
    response = answer(client_for(established_user()), question, body=LINKS)

    assert response.status_code == 302


@pytest.mark.django_db
def test_reports_are_limited_per_person(rates, client_for, question):
    client = client_for(established_user())
    comments = [make_comment(question) for _number in range(3)]
    for comment in comments[:2]:
        url = reverse("consultations:comment_report", kwargs={"comment_id": comment.pk})
        assert client.post(url, {"reason": ReportReason.SPAM}).status_code == 302

    url = reverse("consultations:comment_report", kwargs={"comment_id": comments[2].pk})
    details = "The same advertisement appears under every question."
    response = client.post(url, {"reason": ReportReason.SPAM, "details": details})

    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert details in response.content.decode()
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_the_limit_refusal_is_in_the_readers_language(rates, client_for, question):
    client = client_for(established_user())
    answer(client, question)

    response = client.post(
        question.get_absolute_url().replace("/en/", "/fr/"),
        {"body": "Trop tôt.", "language": "fr"},
    )

    assert response.status_code == 429
    assert "Vous publiez plus vite" in response.content.decode()
