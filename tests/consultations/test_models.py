"""The consultation window from the clock, the listing order, and what the database refuses."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from consultations.models import (
    Comment,
    Consultation,
    ConsultationState,
    Question,
    Report,
    ReportReason,
)
from tests.factories import make_comment, make_consultation, make_question, make_user

OPENS = datetime(2031, 3, 2, 9, 0, tzinfo=UTC)
CLOSES = datetime(2031, 3, 30, 17, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def scheduled(*, opens_at=OPENS, closes_at=CLOSES, is_published=True, **fields) -> Consultation:
    return make_consultation(
        opens_at=opens_at, closes_at=closes_at, is_published=is_published, **fields
    )


# --- The window from the clock -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (OPENS - SECOND, ConsultationState.UPCOMING),
        (OPENS, ConsultationState.OPEN),
        (CLOSES - SECOND, ConsultationState.OPEN),
        (CLOSES, ConsultationState.CLOSED),
        (CLOSES + timedelta(days=400), ConsultationState.CLOSED),
    ],
    ids=[
        "second-before-opening",
        "opening-instant",
        "last-second",
        "closing-instant",
        "long-after",
    ],
)
def test_state_follows_the_clock_at_the_window_boundaries(moment, expected):
    assert scheduled().state_at(moment) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [OPENS - SECOND, OPENS, CLOSES])
def test_unpublished_consultation_is_a_draft_whatever_the_clock(moment):
    assert scheduled(is_published=False).state_at(moment) == ConsultationState.DRAFT


@pytest.mark.django_db
def test_state_property_reads_the_current_time():
    consultation = scheduled()
    with time_machine.travel(OPENS - SECOND, tick=False):
        assert consultation.state == ConsultationState.UPCOMING
        assert not consultation.is_open
    with time_machine.travel(OPENS, tick=False):
        assert consultation.is_open
    with time_machine.travel(CLOSES, tick=False):
        assert consultation.is_closed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "open_", "upcoming", "closed"),
    [
        (OPENS - SECOND, False, True, False),
        (OPENS, True, False, False),
        (CLOSES - SECOND, True, False, False),
        (CLOSES, False, False, True),
    ],
    ids=["before", "opening-instant", "last-second", "closing-instant"],
)
def test_querysets_agree_with_state_at_the_boundaries(moment, open_, upcoming, closed):
    consultation = scheduled()
    assert (consultation in Consultation.objects.open(now=moment)) is open_
    assert (consultation in Consultation.objects.upcoming(now=moment)) is upcoming
    assert (consultation in Consultation.objects.closed(now=moment)) is closed
    with time_machine.travel(moment, tick=False):
        assert (consultation in Consultation.objects.open()) is open_
        assert (consultation in Consultation.objects.upcoming()) is upcoming
        assert (consultation in Consultation.objects.closed()) is closed


@pytest.mark.django_db
def test_drafts_are_in_none_of_the_public_querysets():
    draft = scheduled(is_published=False)
    for moment in (OPENS - SECOND, OPENS, CLOSES):
        assert draft not in Consultation.objects.open(now=moment)
        assert draft not in Consultation.objects.upcoming(now=moment)
        assert draft not in Consultation.objects.closed(now=moment)


@pytest.mark.django_db
def test_listing_order_is_open_then_upcoming_then_closed():
    now = datetime(2031, 6, 1, 12, 0, tzinfo=UTC)
    day = timedelta(days=1)
    closed_long_ago = scheduled(
        slug="closed-long-ago", opens_at=now - 90 * day, closes_at=now - 60 * day
    )
    closed_recently = scheduled(
        slug="closed-recently", opens_at=now - 30 * day, closes_at=now - day
    )
    upcoming_later = scheduled(
        slug="upcoming-later", opens_at=now + 20 * day, closes_at=now + 50 * day
    )
    upcoming_soon = scheduled(
        slug="upcoming-soon", opens_at=now + 2 * day, closes_at=now + 40 * day
    )
    open_closing_late = scheduled(
        slug="open-late", opens_at=now - 5 * day, closes_at=now + 30 * day
    )
    open_closing_soon = scheduled(
        slug="open-soon", opens_at=now - 20 * day, closes_at=now + 3 * day
    )
    # Exactly at the boundaries: this one opens now (open), that one closes now (closed).
    opening_now = scheduled(slug="opening-now", opens_at=now, closes_at=now + 10 * day)
    closing_now = scheduled(slug="closing-now", opens_at=now - 10 * day, closes_at=now)

    listed = list(Consultation.objects.published().in_listing_order(now=now))

    assert listed == [
        open_closing_soon,
        opening_now,
        open_closing_late,
        upcoming_soon,
        upcoming_later,
        closing_now,
        closed_recently,
        closed_long_ago,
    ]


@pytest.mark.django_db
def test_listing_order_uses_the_current_time_by_default():
    now = datetime(2031, 6, 1, 12, 0, tzinfo=UTC)
    day = timedelta(days=1)
    later = scheduled(slug="later", opens_at=now + day, closes_at=now + 9 * day)
    earlier = scheduled(slug="earlier", opens_at=now - 9 * day, closes_at=now - day)
    with time_machine.travel(now, tick=False):
        assert list(Consultation.objects.in_listing_order()) == [later, earlier]
    with time_machine.travel(now + 2 * day, tick=False):
        assert list(Consultation.objects.in_listing_order()) == [later, earlier]
    with time_machine.travel(now + 10 * day, tick=False):
        assert list(Consultation.objects.in_listing_order()) == [later, earlier]
    with time_machine.travel(now - 10 * day, tick=False):
        assert list(Consultation.objects.in_listing_order()) == [earlier, later]


# --- What the database refuses, whatever the Python code does --------------------------
# Each write runs in its own savepoint: PostgreSQL aborts the whole transaction
# on an error, and the test must be able to go on.


def refused_by_database(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_database_refuses_a_reply_whose_parent_is_on_another_question():
    consultation = make_consultation()
    first, second = make_question(consultation), make_question(consultation)
    parent = make_comment(first)

    assert refused_by_database(
        lambda: Comment.objects.create(
            question=second,
            parent=parent,
            author=make_user(),
            body_source="Misplaced reply",
            body_html="<p>Misplaced reply</p>",
        )
    )
    assert not Comment.objects.filter(question=second).exists()


@pytest.mark.django_db
def test_database_refuses_moving_a_reply_to_another_question():
    consultation = make_consultation()
    first, second = make_question(consultation), make_question(consultation)
    reply = make_comment(first, parent=make_comment(first))

    assert refused_by_database(lambda: Comment.objects.filter(pk=reply.pk).update(question=second))


@pytest.mark.django_db
def test_database_accepts_a_reply_on_the_same_question():
    question = make_question()
    parent = make_comment(question)
    reply = Comment.objects.create(
        question=question,
        parent=parent,
        author=make_user(),
        body_source="A reply",
        body_html="<p>A reply</p>",
    )
    assert reply.parent == parent


@pytest.mark.django_db
def test_database_refuses_a_reply_to_a_question_whose_id_starts_with_the_same_digits():
    """Question 4242's keys start "4242:", question 42420's "42420:": the colon keeps them apart."""
    consultation = make_consultation()
    short = Question.objects.create(pk=4242, consultation=consultation, number=1, title="Short")
    long = Question.objects.create(pk=42420, consultation=consultation, number=2, title="Long")
    parent = make_comment(long)
    assert refused_by_database(
        lambda: Comment.objects.create(
            question=short, parent=parent, author=make_user(), body_source="x", body_html="x"
        )
    )


@pytest.mark.django_db
def test_database_refuses_an_empty_comment_body():
    question = make_question()
    assert refused_by_database(
        lambda: Comment.objects.create(
            question=question, author=make_user(), body_source="", body_html=""
        )
    )


@pytest.mark.django_db
def test_question_number_is_unique_within_its_consultation():
    consultation = make_consultation()
    make_question(consultation, number=3)
    assert refused_by_database(
        lambda: Question.objects.create(consultation=consultation, number=3, title="Again")
    )


@pytest.mark.django_db
def test_same_question_number_is_fine_in_another_consultation():
    make_question(make_consultation(), number=3)
    other = Question.objects.create(consultation=make_consultation(), number=3, title="Three")
    assert other.pk is not None


@pytest.mark.django_db
@pytest.mark.parametrize("closes_at", [OPENS, OPENS - timedelta(days=1)], ids=["equal", "reversed"])
def test_database_refuses_a_window_that_does_not_open_before_it_closes(closes_at):
    assert refused_by_database(lambda: scheduled(closes_at=closes_at))


@pytest.mark.django_db
def test_database_refuses_moving_the_closing_time_before_the_opening():
    consultation = scheduled()
    assert refused_by_database(
        lambda: Consultation.objects.filter(pk=consultation.pk).update(closes_at=OPENS)
    )


@pytest.mark.django_db
def test_database_refuses_a_second_report_of_the_same_comment_by_the_same_person():
    comment = make_comment()
    reporter = make_user()
    Report.objects.create(comment=comment, reporter=reporter, reason=ReportReason.SPAM)
    assert refused_by_database(
        lambda: Report.objects.create(comment=comment, reporter=reporter, reason=ReportReason.OTHER)
    )


@pytest.mark.django_db
def test_two_people_may_report_the_same_comment():
    comment = make_comment()
    Report.objects.create(comment=comment, reporter=make_user(), reason=ReportReason.SPAM)
    Report.objects.create(comment=comment, reporter=make_user(), reason=ReportReason.SPAM)
    assert comment.reports.count() == 2
