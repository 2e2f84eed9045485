import functools
import uuid
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
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
from consultations.services.clarifications import (
    clarifications_close_answered,
    clarifications_close_edited,
)
from documents.services import comment_attachments_add
from forum.compiled_queries import compiled_rows
from notifications import services as notifications


def comment_post(
    *,
    author,
    question: Question,
    body: str,
    language: str,
    parent: Comment | None = None,
    submission_token: uuid.UUID | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Comment:
    """Publish (or hold, in a pre-moderated consultation) an answer or a reply, with its files.

    A form sent again with the same `submission_token` and the same text
    returns the comment it already stored instead of writing a second one,
    with `sent_before` set.
    Raises `rules.Refused` when the rules say no and `limits.LimitReached`
    for the same text twice or, from a new account, too many links.
    """
    body = body.strip()
    post = functools.partial(
        _comment_post,
        author=author,
        question=question,
        body=body,
        # Before the transaction: the rows it locks wait for nothing but the database.
        body_html=render_markdown(body),
        language=language,
        parent=parent,
        attachments=attachments,
    )
    try:
        return post(submission_token=submission_token)
    except (IntegrityError, rules.Refused, limits.LimitReached) as refusal:
        # This form may be stored already, by a send that got in first (a
        # double click, or the same form sent at once to another page): the
        # database's unique constraint on the author's forms refused the
        # copy, or the rules did before it (the same text again, the window
        # closed meanwhile). The attempt was rolled back; nothing of it is
        # kept. It is looked for only now, so that a post that goes through
        # pays nothing for it.
        stored = Comment.objects.submitted_with(author, submission_token).first()
        if stored is None:
            raise
        if stored.body_source == body:
            stored.sent_before = True
            return stored
        if not isinstance(refusal, IntegrityError):
            raise
    # The same form with other words (a page brought back with the Back
    # button and written again): a new comment, not a replay.
    return post(submission_token=None)


@transaction.atomic
def _comment_post(
    *, author, question, body, body_html, language, parent, submission_token, attachments
) -> Comment:
    # Whether the author follows the question already, as the page read it
    # with the question (`followed_by_reader`): then following it is settled.
    follows = getattr(question, "reader_follows", None)
    # The consultation row is the one every window change locks (close now,
    # extend, reschedule): taking it first makes a post and a window change
    # wait for each other, so a post accepted here is stored before the
    # closing time the next change can set. The question row is locked after
    # it, against a moderator's lock racing the post.
    consultation = _locked(Consultation, question.consultation_id)
    question = _locked(Question, question.pk)
    question.consultation = consultation
    # One moment for the rules and the record: a post accepted as open is
    # dated before the closing time it was checked against.
    now = timezone.now()
    message = rules.posting_refusal(author, question, parent=parent, now=now)
    if message:
        raise rules.Refused(message)
    moderates = rules.is_moderator_of(author, consultation)
    if not moderates:
        limits.check_repost(author=author, body=body, now=now, comments=author.comments.all())
        limits.check_links(author=author, body_html=body_html, now=now)
    status = (
        CommentStatus.PENDING
        if rules.needs_approval(author, consultation)
        else CommentStatus.PUBLISHED
    )
    # A form stored already is not looked for here: the database's unique
    # constraint on (author, submission_token) refuses the second copy, and
    # `comment_post` then gives back the first.
    comment = Comment.objects.create(
        question=question,
        parent=parent,
        author=author,
        body_source=body,
        body_html=body_html,
        language=language,
        status=status,
        created_at=now,
        submission_token=submission_token,
        # Numbered here, under the question's lock already held: Comment.save() would
        # number it the same way but lock the row again (a statement more per post).
        reference_number=(
            Comment.objects.next_reference_number(question.pk)
            if status == CommentStatus.PUBLISHED
            else None
        ),
    )
    comment_attachments_add(comment=comment, files=list(attachments))
    clarifications_close_answered(reply=comment)
    notifications.follow_after_answering(user=author, question=question, follows=follows)
    notifications.enqueue_comment_notifications(comment)
    return comment


def _locked(model, pk):
    """`model.objects.select_for_update(of=("self",)).get(pk=pk)`. Inside a transaction.

    Every post locks two rows: their SQL is compiled once (forum/compiled_queries.py;
    the consultation's row alone, with its translated columns, took 2 ms of CPU to build).
    """
    rows = compiled_rows(
        f"{model._meta.label} locked",
        lambda pk: model.objects.select_for_update(of=("self",)).filter(pk=pk).order_by()[:2],
        key=(),
        for_writing=True,
        pk=pk,
    )
    if len(rows) != 1:
        raise model.DoesNotExist(f"No {model._meta.object_name} {pk} to lock.")
    return rows[0]


@transaction.atomic
def comment_edit(*, editor, comment: Comment, body: str, language: str) -> Comment:
    """Replace the author's own text, keeping the earlier version, and log the edit.

    In a pre-moderated consultation the new text waits for a moderator again,
    unless the author moderates it. Sending the same text and language back
    changes nothing and writes nothing. Returns the comment as saved.
    """
    # The consultation row first, as comment_post and every window change take
    # it: an edit accepted here is stored before a closing time set meanwhile.
    Consultation.objects.select_for_update(of=("self",)).get(questions__comments__pk=comment.pk)
    # Then the comment and its question: a hide, a lock or another edit racing
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
    clarifications_close_edited(comment=locked, editor=editor)
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
