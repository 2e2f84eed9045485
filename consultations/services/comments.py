import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations import limits, rules
from consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ModerationAction,
    ModerationEntry,
    Question,
)
from consultations.sanitize import render_markdown


@transaction.atomic
def comment_post(
    *,
    author,
    question: Question,
    body: str,
    language: str,
    parent: Comment | None = None,
    submission_token: uuid.UUID | None = None,
) -> Comment:
    """Publish (or hold, in a pre-moderated consultation) an answer or a reply.

    A form sent again with the same `submission_token` and the same text
    returns the comment it already stored instead of writing a second one.
    Raises `rules.Refused` when the rules say no and `limits.LimitReached`
    for the same text twice or, from a new account, too many links.
    """
    # The consultation row is the one every window change locks (close now,
    # extend, reschedule): taking it first makes a post and a window change
    # wait for each other, so a post accepted here is stored before the
    # closing time the next change can set. The question row is locked after
    # it, against a moderator's lock racing the post.
    consultation = Consultation.objects.select_for_update(of=("self",)).get(
        pk=question.consultation_id
    )
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    question.consultation = consultation
    body = body.strip()
    stored = Comment.objects.submitted_with(author, submission_token).first()
    if stored is not None:
        if stored.body_source == body:
            return stored
        # The same form with other words (a page brought back with the Back
        # button and written again): a new comment, not a replay.
        submission_token = None
    # One moment for the rules and the record: a post accepted as open is
    # dated before the closing time it was checked against.
    now = timezone.now()
    message = rules.posting_refusal(author, question, parent=parent, now=now)
    if message:
        raise rules.Refused(message)
    body_html = render_markdown(body)
    moderates = rules.is_moderator_of(author, consultation)
    if not moderates:
        limits.check_repost(author=author, body=body, now=now, comments=author.comments.all())
        limits.check_links(author=author, body_html=body_html, now=now)
    status = (
        CommentStatus.PENDING
        if consultation.is_pre_moderated and not moderates
        else CommentStatus.PUBLISHED
    )
    try:
        with transaction.atomic():
            return Comment.objects.create(
                question=question,
                parent=parent,
                author=author,
                body_source=body,
                body_html=body_html,
                language=language,
                status=status,
                created_at=now,
                submission_token=submission_token,
            )
    except IntegrityError:
        # The same form sent at once to another consultation's page: the
        # constraint, not the lock, saw the two.
        stored = Comment.objects.submitted_with(author, submission_token).first()
        if stored is None:
            raise
        return stored


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
