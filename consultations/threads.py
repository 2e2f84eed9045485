"""What a page needs to show the comments of one question or one consultation.

Each function costs a fixed number of queries whatever the thread's size:
the comments in one query with their authors, their files in one more, the
moderators in one more. The text of a comment the reader may not read
(hidden, withdrawn, someone else's pending one) is not fetched at all.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import get_language

from consultations import rules
from consultations.models import (
    Comment,
    CommentLanguage,
    Consultation,
    Question,
    ThreadEntry,
    arrange_thread,
)


@dataclass
class QuestionThread:
    question: Question
    entries: list[ThreadEntry]
    language_counts: dict[str, int] = field(default_factory=dict)

    @property
    def comment_count(self) -> int:
        return sum(1 for entry in self.entries if not entry.comment.is_placeholder)


def _count_languages(entries) -> dict[str, int]:
    counts = Counter(
        entry.comment.language for entry in entries if not entry.comment.is_placeholder
    )
    return {code: counts.get(code, 0) for code in CommentLanguage.values}


def _readable(comments, reader, consultation: Consultation):
    return (
        comments.with_clarification_state()
        .visible_to(reader)
        .with_text_only_where_readable(
            reader, moderates=rules.is_moderator_of(reader, consultation)
        )
        .with_translation_into(get_language())
        .in_thread_order()
    )


def question_thread(question: Question, reader, *, language: str | None = None) -> QuestionThread:
    comments = list(
        _readable(
            Comment.objects.for_question(question), reader, question.consultation
        ).prefetch_related("attachments")
    )
    for comment in comments:
        comment.question = question
    entries = arrange_thread(comments)
    counts = _count_languages(entries)
    if language:
        entries = [entry for entry in entries if entry.comment.language == language]
    return QuestionThread(question=question, entries=entries, language_counts=counts)


def consultation_threads(consultation: Consultation, reader) -> list[QuestionThread]:
    questions = list(consultation.questions.all())
    comments = _readable(
        Comment.objects.for_consultation(consultation), reader, consultation
    ).prefetch_related("attachments")
    by_question: dict[int, list[Comment]] = {question.pk: [] for question in questions}
    questions_by_pk = {question.pk: question for question in questions}
    for comment in comments:
        comment.question = questions_by_pk[comment.question_id]
        by_question[comment.question_id].append(comment)
    threads = []
    for question in questions:
        question.consultation = consultation
        entries = arrange_thread(by_question[question.pk])
        threads.append(
            QuestionThread(
                question=question, entries=entries, language_counts=_count_languages(entries)
            )
        )
    return threads
