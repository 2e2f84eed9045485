from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from consultations import rules
from consultations.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEntry,
    Question,
)
from consultations.sanitize import render_markdown
from documents.services import comment_attachments_add
from notifications import services as notifications


@transaction.atomic
def comment_post(
    *,
    author,
    question: Question,
    body: str,
    language: str,
    parent: Comment | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Comment:
    """Publish (or hold, in a pre-moderated consultation) an answer or a reply, with its files."""
    # Lock the question row so a lock or close racing this post is seen.
    question = (
        Question.objects.select_related("consultation")
        .select_for_update(of=("self",))
        .get(pk=question.pk)
    )
    message = rules.posting_refusal(author, question, parent=parent)
    if message:
        raise rules.Refused(message)
    body = body.strip()
    status = (
        CommentStatus.PENDING
        if rules.needs_approval(author, question.consultation)
        else CommentStatus.PUBLISHED
    )
    comment = Comment.objects.create(
        question=question,
        parent=parent,
        author=author,
        body_source=body,
        body_html=render_markdown(body),
        language=language,
        status=status,
    )
    comment_attachments_add(comment=comment, files=list(attachments))
    notifications.follow_after_answering(user=author, question=question)
    notifications.enqueue_comment_notifications(comment)
    return comment


@transaction.atomic
def comment_edit(*, editor, comment: Comment, body: str, language: str) -> Comment:
    """Replace the author's own text, keeping the earlier version, and log the edit.

    In a pre-moderated consultation the new text waits for a moderator again,
    unless the author moderates it. Sending the same text and language back
    changes nothing and writes nothing. Returns the comment as saved.
    """
    # Lock the comment and its question: a hide, a lock or another edit racing
    # this one is seen, and two edits never keep the same earlier version.
    locked = (
        Comment.objects.select_related("question__consultation")
        .select_for_update(of=("self", "question"))
        .get(pk=comment.pk)
    )
    rules.check(editor, "edit", locked)
    body = body.strip()
    if body == locked.body_source and language == locked.language:
        return locked
    consultation = locked.question.consultation
    revision = locked.edit(
        body_source=body,
        body_html=render_markdown(body),
        language=language,
        now=timezone.now(),
        hold=rules.needs_approval(editor, consultation),
    )
    locked.save(update_fields=["body_source", "body_html", "language", "edited_at", "status"])
    revision.save()
    ModerationEntry.objects.create(
        actor=editor,
        action=ModerationAction.EDIT,
        consultation=consultation,
        question=locked.question,
        comment=locked,
    )
    return locked


@transaction.atomic
def comment_withdraw(*, author, comment: Comment) -> Comment:
    """The author takes their comment back; the text is kept for the record."""
    rules.check(author, "withdraw", comment)
    comment.withdraw()
    comment.save(update_fields=["status"])
    ModerationEntry.objects.create(
        actor=author,
        action=ModerationAction.WITHDRAW,
        consultation=comment.question.consultation,
        question=comment.question,
        comment=comment,
    )
    return comment
