"""Posts racing window changes and themselves, on PostgreSQL with real concurrent connections.

Each thread has its own database connection, so the row locks are the
database's, not a simulation.
"""

import threading
import time
import uuid

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from consultations import rules
from consultations.models import Comment, Consultation
from consultations.services.comments import comment_post
from consultations.services.consultations import consultation_close_now, consultation_extend
from consultations.services.moderation import comment_approve
from tests.factories import make_consultation, make_question, make_user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks, it locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]


def in_threads(*functions):
    """Run each function in its own thread (and connection); return results or exceptions."""
    results = [None] * len(functions)

    def run(index, function):
        try:
            results[index] = function()
        except Exception as error:  # the test inspects what each one raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def post(author, question, body):
    return lambda: comment_post(author=author, question=question, body=body, language="en")


def test_a_post_waits_for_close_now_and_is_then_refused():
    consultation = make_consultation(state="open")
    question = make_question(consultation)
    secretariat = make_user(is_superuser=True)  # groups do not survive a flush
    authors = [make_user() for _number in range(8)]
    close_has_the_lock = threading.Event()
    committed_at = {}

    def close_slowly():
        with transaction.atomic():
            consultation_close_now(actor=secretariat, consultation=consultation)
            close_has_the_lock.set()
            time.sleep(0.5)  # the posts arrive while "Close now" is not yet committed
        committed_at["close"] = time.monotonic()

    def post_after_close_started(author):
        def attempt():
            close_has_the_lock.wait(5)
            return post(author, question, "Answer sent as the window closed.")()

        return attempt

    results = in_threads(close_slowly, *[post_after_close_started(author) for author in authors])

    assert all(isinstance(result, rules.Refused) for result in results[1:]), results
    assert "closed" in results[1].message
    assert not Comment.objects.exists()


def test_every_post_accepted_around_close_now_is_dated_before_the_closing_time():
    consultation = make_consultation(state="open")
    question = make_question(consultation)
    secretariat = make_user(is_superuser=True)  # groups do not survive a flush
    authors = [make_user() for _number in range(12)]
    start = threading.Barrier(len(authors) + 1)

    def close():
        start.wait(5)
        time.sleep(0.01)
        return consultation_close_now(actor=secretariat, consultation=consultation)

    def racing_post(author):
        def attempt():
            start.wait(5)
            return post(author, question, f"Remittance corridors, view {author.pk}.")()

        return attempt

    results = in_threads(close, *[racing_post(author) for author in authors])

    closes_at = Consultation.objects.get(pk=consultation.pk).closes_at
    stored = list(Comment.objects.all())
    refused = [result for result in results[1:] if isinstance(result, rules.Refused)]
    assert len(stored) + len(refused) == len(authors), results
    assert all(comment.created_at < closes_at for comment in stored)


def test_an_extension_racing_posts_leaves_every_accepted_post_inside_the_window():
    consultation = make_consultation(state="open")
    question = make_question(consultation)
    secretariat = make_user(is_superuser=True)  # groups do not survive a flush
    authors = [make_user() for _number in range(6)]
    new_closing = timezone.now() + timezone.timedelta(days=60)

    results = in_threads(
        lambda: consultation_extend(
            actor=secretariat, consultation=consultation, closes_at=new_closing
        ),
        *[post(author, question, f"Fair recruitment, view {author.pk}.") for author in authors],
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert Comment.objects.count() == len(authors)


def test_the_same_form_sent_ten_times_at_once_stores_one_comment():
    question = make_question(make_consultation(state="open"))
    author = make_user()
    token = uuid.uuid4()

    def send():
        return comment_post(
            author=author,
            question=question,
            body="Skills recognition needs both countries at the table.",
            language="en",
            submission_token=token,
        )

    results = in_threads(*[send] * 10)

    assert not any(isinstance(result, Exception) for result in results), results
    assert Comment.objects.count() == 1
    assert {result.pk for result in results} == {Comment.objects.get().pk}


def test_answers_posted_at_once_take_distinct_references_in_a_row():
    question = make_question(make_consultation(state="open"), number=3)
    authors = [make_user() for _number in range(10)]

    results = in_threads(
        *[post(author, question, f"Labour mobility, view {author.pk}.") for author in authors]
    )

    assert not any(isinstance(result, Exception) for result in results), results
    numbers = sorted(Comment.objects.values_list("reference_number", flat=True))
    assert numbers == list(range(1, 11))


def test_approvals_racing_posts_never_give_one_reference_twice():
    moderator = make_user(is_superuser=True)  # groups do not survive a flush
    consultation = make_consultation(state="open", moderation_mode="pre", moderators=[moderator])
    question = make_question(consultation, number=1)
    held = [
        comment_post(author=make_user(), question=question, body=f"Held {n}.", language="en")
        for n in range(5)
    ]
    consultation.moderation_mode = "post"
    consultation.save()
    authors = [make_user() for _number in range(5)]

    results = in_threads(
        *[lambda comment=comment: comment_approve(moderator=moderator, comment=comment)
          for comment in held],
        *[post(author, question, f"Posted {author.pk}.") for author in authors],
    )  # fmt: skip

    assert not any(isinstance(result, Exception) for result in results), results
    numbers = sorted(Comment.objects.values_list("reference_number", flat=True))
    assert numbers == list(range(1, 11))
