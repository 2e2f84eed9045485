"""A thread page costs a fixed number of SQL queries, whatever its size."""

import uuid
from datetime import timedelta
from itertools import cycle

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import OrganisationType, User
from consultations.models import Comment, CommentStatus, CommentTranslation
from consultations.sanitize import render_markdown
from consultations.threads import consultation_threads, question_thread
from tests.factories import (
    make_consultation,
    make_question,
    make_secretariat_member,
    make_user,
)

SMALL, LARGE = 10, 500
LONG_BODY = "A long contribution that needs a Read more link. " * 20
STATUSES = [
    CommentStatus.PUBLISHED,
    CommentStatus.PUBLISHED,
    CommentStatus.PUBLISHED,
    CommentStatus.PENDING,
    CommentStatus.HIDDEN,
    CommentStatus.WITHDRAWN,
]


def build_discussion(size: int, *, reader: User, moderator: User):
    """One open consultation, two questions, `size` comments on the first: every author
    different, replies nested deep, every status, the reader's own comments and a moderator's,
    some of them edited."""
    consultation = make_consultation(moderators=[moderator])
    question = make_question(consultation, number=1)
    make_question(consultation, number=2)
    authors = User.objects.bulk_create(
        User(
            email=f"author-{uuid.uuid4().hex}@example.org",
            display_name=f"Author {number}",
            organisation=f"Organisation {number}",
            organisation_type=OrganisationType.ACADEMIA,
            password="!",
        )
        for number in range(size)
    )
    body_html = render_markdown(LONG_BODY)
    start = timezone.now() - timedelta(days=1)
    comments: list[Comment] = []
    statuses = cycle(STATUSES)
    for number in range(size):
        # Every third comment answers the question; the others reply to an earlier one.
        parent = comments[number // 2] if number % 3 else None
        author = reader if number % 7 == 1 else moderator if number % 11 == 2 else authors[number]
        comment = Comment(
            question=question,
            thread_key=f"{question.pk}:{uuid.uuid4().hex}",
            parent_id=parent.thread_key if parent else None,
            answer_id=(parent.answer_id or parent.thread_key) if parent else None,
            author=author,
            body_source=LONG_BODY,
            body_html=body_html,
            language=["en", "fr", "es", "other"][number % 4],
            status=next(statuses),
            created_at=start + timedelta(seconds=number),
            moderation_reason="off topic",
            # Every fourth comment was edited: "edited <time>" and the versions link.
            edited_at=start + timedelta(seconds=number, minutes=5) if number % 4 == 0 else None,
        )
        comments.append(comment)
    # Parents are referenced by their thread key, so one insert holds the whole tree.
    Comment.objects.bulk_create(comments)
    assert Comment.objects.filter(question=question).count() == size
    # Every fifth comment not written in English is translated into it, each by another
    # translator; some of the originals were edited since (out of date).
    CommentTranslation.objects.bulk_create(
        CommentTranslation(
            comment=comment,
            language="en",
            body_source="A translation.",
            body_html=render_markdown("A translation."),
            translator=authors[number],
        )
        for number, comment in enumerate(Comment.objects.filter(question=question))
        if number % 5 == 0 and comment.language != "en"
    )
    return consultation, question


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def queries_for(client, page, size, reader, moderator) -> int:
    consultation, question = build_discussion(size, reader=reader, moderator=moderator)
    url = question.get_absolute_url() if page == "question" else consultation.get_absolute_url()
    count_queries(client, url)  # the first request warms the session and the site cache
    return count_queries(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["question", "consultation"])
@pytest.mark.parametrize("who", ["visitor", "stakeholder", "moderator", "secretariat"])
def test_page_costs_the_same_queries_with_10_or_500_comments(client, client_for, page, who):
    reader = make_user(display_name="Reader")
    moderator = make_user(display_name="Moderator")
    browser = {
        "visitor": client,
        "stakeholder": client_for(reader),
        "moderator": client_for(moderator),
        "secretariat": client_for(make_secretariat_member()),
    }[who]

    small = queries_for(browser, page, SMALL, reader, moderator)
    large = queries_for(browser, page, LARGE, reader, moderator)

    assert small == large, f"{page} page as {who}: {small} queries for {SMALL}, {large} for {LARGE}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "stakeholder"])
@pytest.mark.parametrize(
    ("language", "queries"),
    [
        # The counts; the page's places with the versions their blocks are kept under;
        # every comment of their blocks with its author and the reader's translation;
        # their files.
        (None, 4),
        # The counts; the page's comments in that language; their files.
        ("fr", 3),
    ],
)
def test_a_page_of_answers_costs_a_fixed_number_of_queries(
    django_assert_num_queries, who, language, queries
):
    reader = make_user(display_name="Reader")
    consultation, question = build_discussion(SMALL, reader=reader, moderator=make_user())
    reader = AnonymousUser() if who == "visitor" else User.objects.get(pk=reader.pk)
    question_thread(question, reader, language=language)  # the reader's roles, once per request

    with django_assert_num_queries(queries):
        thread = question_thread(question, reader, language=language)

    assert thread.entries


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "stakeholder"])
def test_the_latest_answers_of_every_question_cost_four_queries(django_assert_num_queries, who):
    """The questions; the counts; the latest answers with their authors and the reader's
    translations; their files."""
    reader = make_user(display_name="Reader")
    consultation, _ = build_discussion(SMALL, reader=reader, moderator=make_user())
    reader = AnonymousUser() if who == "visitor" else User.objects.get(pk=reader.pk)
    consultation_threads(consultation, reader)  # the reader's roles, once per request

    with django_assert_num_queries(4):
        threads = consultation_threads(consultation, reader)

    assert any(thread.entries for thread in threads)
