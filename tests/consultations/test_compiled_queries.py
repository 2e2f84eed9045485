"""Queries compiled once and run for other ids (consultations/compiled_queries.py)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from consultations.compiled_queries import CompiledQuery
from consultations.models import Comment, Consultation, Question
from consultations.services.comments import _locked
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
