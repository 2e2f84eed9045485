"""The posting service stores files only after checking them itself, whatever called it."""

import pytest
from django.core.exceptions import ValidationError

from consultations.models import Comment
from consultations.services.comments import comment_post
from documents.models import CommentAttachment
from tests.documents import samples


def test_the_posting_service_refuses_an_unchecked_bad_file_and_writes_nothing(
    stakeholder, question
):
    with pytest.raises(ValidationError):
        comment_post(
            author=stakeholder,
            question=question,
            body="Our survey of recruitment fees is attached.",
            language="en",
            attachments=[samples.upload("survey.pdf", samples.WINDOWS_EXECUTABLE)],
        )

    assert Comment.objects.count() == 0
    assert CommentAttachment.objects.count() == 0


def test_the_posting_service_refuses_more_files_than_the_limit(stakeholder, question, settings):
    settings.COMMENT_ATTACHMENTS_MAX_FILES = 1

    with pytest.raises(ValidationError):
        comment_post(
            author=stakeholder,
            question=question,
            body="Two annexes.",
            language="en",
            attachments=[samples.pdf("one.pdf"), samples.pdf("two.pdf")],
        )

    assert Comment.objects.count() == 0


def test_the_posting_service_attaches_checked_files(stakeholder, question):
    comment = comment_post(
        author=stakeholder,
        question=question,
        body="Our survey is attached.",
        language="en",
        attachments=[samples.upload("survey.xlsx", samples.xlsx_bytes())],
    )

    assert comment.attachments.get().kind_code == "xlsx"
