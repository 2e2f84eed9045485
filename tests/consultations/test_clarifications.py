"""Requests for clarification: asked by a moderator, open until the author answers or a
moderator closes them; told by email, listed on the moderation page and the profile."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from consultations.models import (
    ClarificationClosing,
    ClarificationRequest,
    CommentStatus,
    ModerationAction,
    ModerationEntry,
    TransitionRefused,
)
from consultations.services.clarifications import clarification_close
from consultations.services.comments import comment_edit, comment_post
from consultations.services.moderation import comment_request_clarification
from tests.factories import make_comment, make_user

pytestmark = pytest.mark.django_db

QUESTION_TO_AUTHOR = "Thanks — could you give a concrete example from your city?"


@pytest.fixture
def author(db):
    return make_user(display_name="Amina Diallo", preferred_language="en")


@pytest.fixture
def comment(question, author):
    return make_comment(question, author=author, body="Cities should lead on inclusion.")


@pytest.fixture
def ask(moderator, django_capture_on_commit_callbacks):
    """`ask(comment)`: the moderator's request through the service, with what runs after commit."""

    def asking(comment, message=QUESTION_TO_AUTHOR, *, by=None):
        with django_capture_on_commit_callbacks(execute=True):
            return comment_request_clarification(
                moderator=by or moderator, comment=comment, message=message, language="en"
            )

    return asking


def reply(author, comment, body="Here is an example from Lyon."):
    return comment_post(
        author=author, question=comment.question, body=body, language="en", parent=comment
    )


def fresh(request):
    return ClarificationRequest.objects.get(pk=request.pk)


# --- Opening -------------------------------------------------------------------------------


def test_the_request_is_posted_as_the_moderators_reply_under_the_comment(ask, comment, moderator):
    request = ask(comment)

    follow_up = request.follow_up
    assert (follow_up.author, follow_up.parent, follow_up.body_source) == (
        moderator,
        comment,
        QUESTION_TO_AUTHOR,
    )
    assert follow_up.status == CommentStatus.PUBLISHED
    assert request.is_open


def test_the_request_is_logged_as_facts(ask, comment, moderator):
    request = ask(comment)

    entry = ModerationEntry.objects.get(action=ModerationAction.REQUEST_CLARIFICATION)
    assert (entry.actor, entry.comment, entry.reason) == (moderator, comment, QUESTION_TO_AUTHOR)
    assert entry.changes[0]["model"] == "clarification_request"
    assert entry.changes[0]["field"] == "opened_at"
    assert request.opened_at is not None


def test_the_thread_shows_the_state_and_the_moderators_badge(ask, client, comment):
    request = ask(comment)

    page = client.get(comment.question.get_absolute_url()).content.decode()

    comment_html = page.split(f'id="comment-{comment.pk}"')[1].split("</article>")[0]
    follow_up_html = page.split(f'id="comment-{request.follow_up.pk}"')[1].split("</article>")[0]
    assert "Clarification requested" in comment_html
    assert "badge--moderator" in follow_up_html


def test_a_closed_request_no_longer_marks_the_comment(ask, client, comment, author):
    ask(comment)
    reply(author, comment)

    page = client.get(comment.question.get_absolute_url()).content.decode()

    assert "Clarification requested" not in page


def test_the_author_is_told_by_email_in_their_language_with_the_link(ask, question):
    author = make_user(preferred_language="fr")
    comment = make_comment(question, author=author)

    request = ask(comment)

    assert [message.to for message in mail.outbox] == [[author.email]]
    message = mail.outbox[0]
    assert "Un modérateur vous demande de préciser votre commentaire" in message.subject
    assert QUESTION_TO_AUTHOR in message.body
    assert (
        f"/fr/consultations/{question.consultation.slug}/questions/1/"
        f"?order=oldest&page=1#comment-{request.follow_up.pk}" in message.body
    )


def test_the_email_is_a_moderator_follow_up_the_author_can_turn_off(ask, comment, author):
    from notifications.models import Notification, NotificationEvent, NotificationKind

    ask(comment)

    notification = Notification.objects.get(recipient=author)
    assert notification.event == NotificationEvent.CLARIFICATION_REQUESTED
    assert notification.kind == NotificationKind.MODERATOR_FOLLOW_UP


# --- Closing: each way ---------------------------------------------------------------------


def test_the_authors_reply_under_the_comment_closes_it(ask, comment, author):
    request = ask(comment)

    answer = reply(author, comment)

    closed = fresh(request)
    assert (closed.closed_how, closed.closed_by, closed.answer) == (
        ClarificationClosing.AUTHOR_REPLIED,
        author,
        answer,
    )
    entry = ModerationEntry.objects.get(action=ModerationAction.CLOSE_CLARIFICATION)
    assert entry.actor == author
    assert entry.changes == [
        {
            "model": "clarification_request",
            "field": "closed_how",
            "before": "",
            "after": "author_replied",
        }
    ]


def test_the_authors_reply_under_the_request_closes_it(ask, comment, author):
    request = ask(comment)

    answer = reply(author, request.follow_up)

    assert fresh(request).answer == answer


def test_someone_elses_reply_leaves_it_open(ask, comment):
    request = ask(comment)

    reply(make_user(), comment)

    assert fresh(request).is_open


def test_a_new_answer_by_the_author_elsewhere_leaves_it_open(ask, comment, author):
    request = ask(comment)

    comment_post(author=author, question=comment.question, body="Another point.", language="en")

    assert fresh(request).is_open


def test_editing_the_comment_closes_it(ask, comment, author):
    request = ask(comment)

    comment_edit(editor=author, comment=comment, body="With an example: Lyon.", language="en")

    closed = fresh(request)
    assert (closed.closed_how, closed.closed_by) == (ClarificationClosing.AUTHOR_EDITED, author)


def test_sending_the_same_text_back_is_no_edit_and_leaves_it_open(ask, comment, author):
    request = ask(comment)

    comment_edit(editor=author, comment=comment, body=comment.body_source, language="en")

    assert fresh(request).is_open


def test_a_moderator_can_close_it(ask, comment, moderator):
    request = ask(comment)

    entry = clarification_close(moderator=moderator, request=request)

    closed = fresh(request)
    assert (closed.closed_how, closed.closed_by) == (
        ClarificationClosing.MODERATOR_CLOSED,
        moderator,
    )
    assert entry.action == ModerationAction.CLOSE_CLARIFICATION


def test_closing_a_closed_request_changes_nothing_and_says_so(ask, comment, moderator, client):
    request = ask(comment)
    clarification_close(moderator=moderator, request=request)
    client.force_login(moderator)

    response = client.post(
        reverse("consultations:clarification_close", args=[request.pk]), follow=True
    )

    assert "This request for clarification was already closed." in response.content.decode()
    assert ModerationEntry.objects.filter(action=ModerationAction.CLOSE_CLARIFICATION).count() == 1
    assert fresh(request).closed_how == ClarificationClosing.MODERATOR_CLOSED


def test_the_model_refuses_to_close_twice(ask, comment, moderator):
    request = ask(comment)
    request.close(how=ClarificationClosing.MODERATOR_CLOSED, by=moderator, now=timezone.now())

    with pytest.raises(TransitionRefused):
        request.close(how=ClarificationClosing.AUTHOR_EDITED, by=moderator, now=timezone.now())


def test_after_closing_a_new_request_can_be_opened(ask, comment, author):
    ask(comment)
    reply(author, comment)

    second = ask(comment, "And how many people did it reach?")

    assert second.is_open
    assert ClarificationRequest.objects.filter(comment=comment).count() == 2


# --- Bad input ----------------------------------------------------------------------------------


def request_through_the_view(client, comment, message=QUESTION_TO_AUTHOR):
    return client.post(
        reverse("consultations:comment_request_clarification", args=[comment.pk]),
        {"message": message},
    )


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (CommentStatus.WITHDRAWN, "Its author has withdrawn this comment."),
        (CommentStatus.HIDDEN, "A moderator has hidden this comment."),
        (CommentStatus.PENDING, "Only a published comment can be"),
    ],
)
def test_a_comment_that_is_not_published_cannot_be_asked_about(
    client, moderator, question, status, message
):
    comment = make_comment(question, status=status, moderation_reason="Spam")
    client.force_login(moderator)

    response = request_through_the_view(client, comment)

    assert response.status_code == 403
    assert message in response.content.decode()
    assert not ClarificationRequest.objects.exists()


def test_a_moderator_cannot_ask_about_their_own_comment(client, moderator, question):
    own = make_comment(question, author=moderator)
    client.force_login(moderator)

    response = request_through_the_view(client, own)

    assert response.status_code == 403
    assert "You cannot ask yourself for clarification." in response.content.decode()


def test_an_empty_message_is_sent_back_with_a_message(client, moderator, comment):
    client.force_login(moderator)

    response = request_through_the_view(client, comment, message="   ")

    assert response.status_code == 200
    assert "Write your question to the author" in response.content.decode()
    assert not ClarificationRequest.objects.exists()


def test_a_second_open_request_is_refused_and_the_message_kept(ask, client, moderator, comment):
    ask(comment)
    client.force_login(moderator)

    response = request_through_the_view(client, comment, message="Another question, kept.")

    assert response.status_code == 409
    page = response.content.decode()
    assert "already awaits a clarification" in page
    assert "Another question, kept." in page
    assert ClarificationRequest.objects.count() == 1


def test_after_the_close_a_request_is_refused_and_the_message_kept(client, moderator, comment):
    consultation = comment.question.consultation
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    client.force_login(moderator)

    response = request_through_the_view(client, comment, message="Too late, but kept.")

    assert response.status_code == 403
    assert "Too late, but kept." in response.content.decode()
    assert not ClarificationRequest.objects.exists()


def test_the_service_refuses_an_empty_message(moderator, comment):
    with pytest.raises(TransitionRefused):
        comment_request_clarification(
            moderator=moderator, comment=comment, message=" ", language="en"
        )


def test_a_moderator_of_another_consultation_cannot_close_it(ask, comment, client):
    request = ask(comment)
    other = make_user()
    client.force_login(other)

    response = client.post(reverse("consultations:clarification_close", args=[request.pk]))

    assert response.status_code == 403
    assert fresh(request).is_open


# --- Where it is listed ---------------------------------------------------------------------------


def test_the_moderation_page_lists_open_requests_oldest_first_with_their_age(
    ask, client, moderator, question
):
    old = ask(make_comment(question, author=make_user(display_name="Old Author")))
    ClarificationRequest.objects.filter(pk=old.pk).update(
        opened_at=timezone.now() - timedelta(days=3, hours=2)
    )
    recent = ask(make_comment(question, author=make_user(display_name="Recent Author")))
    answered = ask(make_comment(question))
    reply(answered.comment.author, answered.comment)
    client.force_login(moderator)

    page = client.get(reverse("consultations:moderation_queue")).content.decode()

    section = page.split('id="clarifications-heading"')[1].split("</section>")[0]
    assert "2 open requests for clarification" in section
    assert section.index("Old Author") < section.index("Recent Author")
    assert "3\xa0days, 2\xa0hours" in section
    assert f'id="clarification-{answered.pk}"' not in section
    assert reverse("consultations:clarification_close", args=[recent.pk]) in section


def test_the_moderation_page_leaves_out_other_consultations_requests(
    ask, client, question, other_moderator
):
    ask(make_comment(question))  # other_moderator moderates another consultation
    client.force_login(other_moderator)

    page = client.get(reverse("consultations:moderation_queue")).content.decode()

    assert "0 open requests for clarification" in page


def test_the_author_sees_the_open_request_on_their_profile(ask, client, comment, author):
    request = ask(comment)
    client.force_login(author)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Moderators ask you to clarify" in page
    assert QUESTION_TO_AUTHOR in page
    assert escape(request.follow_up.get_absolute_url()) in page


def test_the_profile_no_longer_lists_an_answered_request(ask, client, comment, author):
    ask(comment)
    reply(author, comment)
    client.force_login(author)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Moderators ask you to clarify" not in page


def test_the_comment_offers_moderators_the_request_until_one_is_open(
    ask, client, moderator, comment
):
    client.force_login(moderator)
    link = reverse("consultations:comment_request_clarification", args=[comment.pk])
    assert link in client.get(comment.question.get_absolute_url()).content.decode()

    ask(comment)

    assert link not in client.get(comment.question.get_absolute_url()).content.decode()


def test_the_audit_log_says_how_each_request_was_closed(ask, client, comment, author, secretariat):
    ask(comment)
    reply(author, comment)
    client.force_login(secretariat)

    page = client.get(reverse("consultations:audit_log")).content.decode()

    assert "Asked an author for clarification" in page
    assert "Closed a request for clarification" in page
    assert "The author replied" in page


def _queue_queries(client) -> int:
    client.get(reverse("consultations:moderation_queue"))  # caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("consultations:moderation_queue")).status_code == 200
    return len(queries)


def test_the_moderation_page_costs_the_same_queries_for_one_or_many_requests(
    ask, client, moderator, question
):
    client.force_login(moderator)
    ask(make_comment(question, author=make_user()))
    one = _queue_queries(client)
    for _number in range(4):
        ask(make_comment(question, author=make_user()))

    assert _queue_queries(client) == one
