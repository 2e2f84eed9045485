"""What a post costs: the queries of an answer, a reply and the reply page, pinned.

Under load every post waits for the ones before it, so each query it saves
is saved sixteen times over. The counts below are today's, with the
production rates (two per person: four cache statements each) and a thread
already there, counted as in production: outside a test's transaction
(which would turn each statement's own transaction into savepoints and keep
the work after the commit from running). A change that adds a query to
posting makes one of these fail and must say why it is worth it where it
raises the number.
"""

import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import notifications.tasks
from consultations.models import ClarificationRequest, Comment, CommentStatus
from consultations.services.comments import comment_post
from consultations.services.moderation import comment_request_clarification
from notifications.models import Follow, NotificationPreference
from tests.factories import make_comment, make_user

TEXT = "Recognition of skills works best when both countries train the assessors together."
RATES = {"post": "1/10s/user,30/h/user", "post_new_account": "1/30s/user,10/h/user"}

# The answer: the session, the person (with whether their address is
# verified, whether they moderate anything and whether they hold any
# permission: accounts.backends), the consultation and the question, the
# form already stored?, four cache statements per rate, then the transaction
# (both rows locked, the same text lately?, the reference number, read under
# the question's lock taken already rather than by save() locking it again, the
# row, the consultation's comments version) and after it the page the redirect
# opens at. In production one more writes the notification task's row; the
# tests run tasks at once, in the same process, so it is left out here.
ANSWER_QUERIES = 22
# The reply: the same, with the parent (with whether the question is followed,
# and its consultation, whose time zone the page is read in: no query of the
# time zone middleware's own) read instead of the consultation and the question,
# and its answer's thread version moved on (consultations/display_changes.py), so
# that only that answer's block is built again.
REPLY_QUERIES = 22
# The reply page: the session, the person, the parent (with its consultation and
# so its time zone), the site's identity (cached) and the parent's page for the
# way back.
REPLY_PAGE_QUERIES = 5


@pytest.fixture
def rates(settings):
    settings.ROUNDTABLE_RATE_LIMITS = {**settings.ROUNDTABLE_RATE_LIMITS, **RATES}


@pytest.fixture(autouse=True)
def _tasks_queued_not_run(monkeypatch):
    """The notification task is queued (a row, in production) rather than run here and now."""
    queued = []
    monkeypatch.setattr(
        notifications.tasks,
        "notify_about_comment",
        SimpleNamespace(enqueue=queued.append),
    )
    return queued


@pytest.fixture
def thread(question):
    """A question with answers and replies by others, some of them nested."""
    authors = [make_user() for _ in range(3)]
    answers = [make_comment(question, author=author) for author in authors]
    for answer in answers:
        reply = make_comment(question, author=authors[0], parent=answer)
        make_comment(question, author=authors[1], parent=reply)
    return answers


@pytest.fixture
def poster(stakeholder, question):
    """Someone who answered this question before (and so follows it), an hour ago."""
    make_comment(question, author=stakeholder)
    Follow.objects.create(user=stakeholder, question=question)
    return stakeholder


def _sent(client, path, body=TEXT):
    form = {"body": body, "language": "en", "submission_token": str(uuid.uuid4())}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(path, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return captured


def _reply_path(parent):
    return reverse("consultations:comment_reply", kwargs={"comment_id": parent.pk})


def _statements(captured, table):
    return [query["sql"] for query in captured.captured_queries if table in query["sql"]]


def test_an_answer_costs_a_fixed_number_of_queries(
    transactional_db, rates, client_for, poster, question, thread
):
    captured = _sent(client_for(poster), question.get_absolute_url())

    assert len(captured) <= ANSWER_QUERIES, "\n".join(q["sql"][:150] for q in captured)
    assert Comment.objects.filter(author=poster).count() == 2


def test_a_reply_costs_a_fixed_number_of_queries(
    transactional_db, rates, client_for, poster, thread
):
    captured = _sent(client_for(poster), _reply_path(thread[1]))

    assert len(captured) <= REPLY_QUERIES, "\n".join(q["sql"][:150] for q in captured)
    assert Comment.objects.get(author=poster, parent=thread[1]).body_source == TEXT


def test_the_reply_page_costs_a_fixed_number_of_queries(
    transactional_db, client_for, poster, thread
):
    client = client_for(poster)
    client.get(_reply_path(thread[0]))  # the site's identity, cached once for every page

    with CaptureQueriesContext(connection) as captured:
        response = client.get(_reply_path(thread[1]))

    assert response.status_code == 200
    assert len(captured) <= REPLY_PAGE_QUERIES, "\n".join(q["sql"][:150] for q in captured)


def test_a_rate_limit_costs_four_statements_with_no_count_of_the_cache(
    transactional_db, rates, client_for, poster, question
):
    captured = _sent(client_for(poster), question.get_absolute_url())

    cache_statements = _statements(captured, "roundtable_cache")
    assert len(cache_statements) == 4 * len(RATES["post"].split(","))
    assert not [sql for sql in cache_statements if "COUNT(" in sql]


@pytest.mark.django_db
def test_posting_into_a_question_one_follows_reads_no_preference(
    rates, client_for, poster, question, thread
):
    for path in (question.get_absolute_url(), _reply_path(thread[0])):
        client = client_for(poster)
        captured = _sent(client, path, body=f"{TEXT} ({path})")

        assert not _statements(captured, '"notifications_notificationpreference"')
        assert not _statements(captured, 'INSERT INTO "notifications_follow"')
        cache.clear()  # the next post is not held back by the rate
    assert Follow.objects.filter(user=poster, question=question).count() == 1


@pytest.mark.django_db
def test_a_first_post_follows_the_question(rates, client_for, stakeholder, question):
    _sent(client_for(stakeholder), question.get_absolute_url())

    assert Follow.objects.filter(user=stakeholder, question=question).exists()


@pytest.mark.django_db
def test_a_first_reply_follows_the_question_unless_turned_off(client_for, question, thread):
    following, not_following = make_user(), make_user()
    NotificationPreference.objects.create(user=not_following, follow_questions_i_answer=False)

    for person in (following, not_following):
        _sent(client_for(person), _reply_path(thread[0]))

    assert Follow.objects.filter(user=following, question=question).exists()
    assert not Follow.objects.filter(user=not_following).exists()


@pytest.mark.django_db
def test_a_reply_to_someone_elses_answer_reads_no_clarification_request(
    rates, client_for, poster, thread
):
    captured = _sent(client_for(poster), _reply_path(thread[2]))

    assert not _statements(captured, "clarificationrequest")


@pytest.mark.django_db
def test_a_reply_deep_in_someone_elses_thread_reads_no_clarification_request(
    client_for, question, thread
):
    somebody = make_user()
    nested = Comment.objects.filter(parent__parent__isnull=False).first()

    captured = _sent(client_for(somebody), _reply_path(nested))

    assert not _statements(captured, "clarificationrequest")


@pytest.mark.django_db
def test_a_reply_under_ones_own_comment_asked_about_closes_the_request(
    client_for, question, moderator
):
    author = make_user()
    asked_about = make_comment(question, author=author)
    request = comment_request_clarification(
        moderator=moderator, comment=asked_about, message="Which country?", language="en"
    )

    _sent(client_for(author), _reply_path(asked_about), body="In Ghana, since 2019.")

    assert ClarificationRequest.objects.get(pk=request.pk).closed_at is not None


@pytest.mark.django_db
def test_a_reply_under_a_moderators_request_still_closes_it(client_for, question, moderator):
    author = make_user()
    asked_about = make_comment(question, author=author)
    request = comment_request_clarification(
        moderator=moderator, comment=asked_about, message="Which country?", language="en"
    )

    _sent(client_for(author), _reply_path(request.follow_up), body="In Ghana, since 2019.")

    request = ClarificationRequest.objects.get(pk=request.pk)
    assert request.closed_at is not None
    assert request.answer.body_source == "In Ghana, since 2019."


# --- The same form sent again, straight to the service ---------------------------------


@pytest.mark.django_db
def test_the_same_form_sent_again_gives_back_the_stored_comment(stakeholder, question):
    token = uuid.uuid4()
    first = comment_post(
        author=stakeholder, question=question, body=TEXT, language="en", submission_token=token
    )

    again = comment_post(
        author=stakeholder,
        question=question,
        body=f"  {TEXT}\n",
        language="en",
        submission_token=token,
    )

    assert again.pk == first.pk
    assert Comment.objects.count() == 1
    assert Follow.objects.filter(user=stakeholder, question=question).count() == 1


@pytest.mark.django_db
def test_the_same_form_with_other_words_is_a_new_comment_numbered_next(stakeholder, question):
    token = uuid.uuid4()
    first = comment_post(
        author=stakeholder, question=question, body=TEXT, language="en", submission_token=token
    )

    other = comment_post(
        author=stakeholder,
        question=question,
        body="Written again after the Back button.",
        language="en",
        submission_token=token,
    )

    assert other.pk != first.pk
    assert other.submission_token is None
    assert other.status == CommentStatus.PUBLISHED
    assert (first.reference_number, other.reference_number) == (1, 2)
    assert Comment.objects.get(pk=other.pk).reference_number == 2
