"""Queries compiled once and run for other values (forum/compiled_queries.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Comment, Consultation, Question
from consultations.services.comments import _locked
from forum.compiled_queries import CompiledQuery, _compiled_shapes, compiled_rows, padded
from tests.factories import make_comment, make_question

pytestmark = pytest.mark.django_db

STAND_IN = -987_654_321


def _by_question(alias="default"):
    queryset = Comment.objects.select_related("question__consultation", "author").filter(
        question=STAND_IN
    )
    return CompiledQuery(queryset, alias, stand_ins={"question": STAND_IN})


def test_a_compiled_query_finds_what_the_queryset_finds_for_each_id():
    questions = [make_question() for _ in range(3)]
    for number, question in enumerate(questions):
        for _ in range(number):
            make_comment(question)
    compiled = _by_question()

    for question in questions:
        found = compiled.rows(question=question.pk)
        expected = list(
            Comment.objects.select_related("question__consultation", "author").filter(
                question=question
            )
        )
        assert found == expected
        assert [comment.question.consultation.slug for comment in found] == [
            comment.question.consultation.slug for comment in expected
        ]
        assert [comment.author.email for comment in found] == [
            comment.author.email for comment in expected
        ]


def test_an_id_beyond_the_column_finds_nothing():
    assert _by_question().rows(question=2**63) == []


def test_a_post_locks_its_rows_with_the_compiled_statements(question):
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        consultation = _locked(Consultation, question.consultation_id)
        locked_question = _locked(Question, question.pk)

    assert (consultation, locked_question) == (question.consultation, question)
    assert locked_question.title == question.title
    reads = [
        query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")
    ]
    assert len(reads) == 2
    if connection.features.has_select_for_update_of:
        assert all("FOR UPDATE OF" in sql for sql in reads)


def test_locking_a_row_that_is_gone_is_refused_as_get_would():
    with pytest.raises(Question.DoesNotExist), transaction.atomic():
        _locked(Question, 987_654)


def test_compiled_rows_run_each_shape_for_its_own_values():
    question, other = make_question(), make_question()
    comments = [make_comment(question) for _ in range(3)] + [make_comment(other)]

    def by_keys(question, thread_keys):
        return Comment.objects.filter(question=question, thread_key__in=thread_keys).order_by("pk")

    for chosen in (comments[:1], comments[1:3], comments[:3], comments[3:], comments[1:2]):
        found = compiled_rows(
            "test: by keys",
            by_keys,
            key=(),
            question=chosen[0].question,
            thread_keys=[comment.thread_key for comment in chosen],
        )
        assert found == chosen


def test_a_query_that_asks_the_clock_is_read_afresh_each_time(question):
    comment = make_comment(question)

    def written_by_now(question):
        return Comment.objects.filter(question=question, created_at__lte=timezone.now())

    assert compiled_rows("test: by now", written_by_now, key=(), question=question) == [comment]
    with time_machine.travel(comment.created_at - timedelta(hours=1), tick=False):
        assert compiled_rows("test: by now", written_by_now, key=(), question=question) == []


def test_a_stand_in_out_of_its_columns_range_still_finds_what_the_real_value_finds(question):
    """A negative stand-in for a question's number (which is not an id) makes Django find
    nothing without asking the database: the real values are asked instead."""

    def numbered(question, number):
        return Question.objects.filter(pk=question.pk, number=number)

    for _ in range(2):
        assert compiled_rows(
            "test: numbered", numbered, key=(), question=question, number=question.number
        ) == [question]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([7], [7]),
        ([7, 8], [7, 8]),
        ([7, 8, 9], [7, 8, 9, 9]),
        ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 5, 5, 5]),
    ],
)
def test_padded_lists_run_to_the_next_power_of_two_repeating_the_last(values, expected):
    assert padded(values) == expected


def test_padded_lists_of_several_lengths_share_one_compiled_shape_and_find_the_same_rows():
    question = make_question()
    comments = [make_comment(question) for _ in range(7)]

    def by_ids(pks):
        return Comment.objects.filter(pk__in=pks).order_by("pk")

    for count in (5, 6, 7):
        pks = [comment.pk for comment in comments[:count]]
        assert (
            compiled_rows("test: padded ids", by_ids, key=(), pks=padded(pks)) == comments[:count]
        )
    # Counted by name: the kept shapes are bounded, so their number need not grow by one.
    assert [key for key in _compiled_shapes if key[0] == "test: padded ids"] == [
        ("test: padded ids", (), (8,), "default")
    ]
