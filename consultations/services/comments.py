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
from notifications import services as notifications


@transaction.atomic
def comment_post(
    *, author, question: Question, body: str, language: str, parent: Comment | None = None
) -> Comment:
    """Publish (or hold, in a pre-moderated consultation) an answer or a reply."""
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
        if question.consultation.is_pre_moderated
        and not rules.is_moderator_of(author, question.consultation)
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
    notifications.follow_after_answering(user=author, question=question)
    notifications.enqueue_comment_notifications(comment)
    return comment


@transaction.atomic
def comment_edit(*, editor, comment: Comment, body: str, language: str) -> Comment:
    """Replace the author's own text; the comment records when it was edited."""
    rules.check(editor, "edit", comment)
    body = body.strip()
    comment.body_source = body
    comment.body_html = render_markdown(body)
    comment.language = language
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body_source", "body_html", "language", "edited_at"])
    return comment


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
