"""Closing requests for clarification: by the author's reply or edit, or by a moderator.

Opening one posts the moderator's message as a reply, so it lives beside the
other moderator actions (`services.moderation.comment_request_clarification`).
Each close writes its log entry in the caller's transaction.
"""

from django.db import transaction
from django.utils import timezone

from consultations import rules
from consultations.models import (
    ClarificationClosing,
    ClarificationRequest,
    Comment,
    ModerationAction,
    ModerationEntry,
    field_change,
)


def _close(
    request: ClarificationRequest, *, how: ClarificationClosing, by, now, answer=None
) -> ModerationEntry:
    request.close(how=how, by=by, now=now, answer=answer)
    request.save(update_fields=["closed_at", "closed_how", "closed_by", "answer"])
    comment = request.comment
    return ModerationEntry.objects.create(
        actor=by,
        action=ModerationAction.CLOSE_CLARIFICATION,
        consultation=comment.question.consultation,
        question=comment.question,
        comment=comment,
        changes=[field_change("clarification_request", "closed_how", "", how)],
        created_at=now,
    )


def _locked_open(requests):
    return list(
        requests.open()
        .select_related("comment__question__consultation")
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def clarifications_close_answered(*, reply: Comment) -> list[ModerationEntry]:
    """Close the open requests `reply` answers: its author replied under their own comment
    or under the moderator's request. For services, inside their transaction."""
    if _answers_no_request(reply):
        return []
    now = timezone.now()
    return [
        _close(
            request,
            how=ClarificationClosing.AUTHOR_REPLIED,
            by=reply.author,
            now=now,
            answer=reply,
        )
        for request in _locked_open(ClarificationRequest.objects.answered_by(reply))
    ]


def _answers_no_request(reply: Comment) -> bool:
    """Whether `reply` plainly answers no request, known without a query.

    A request is about the author's own comment, and its moderator's message
    is posted as a reply right under that comment
    (`comment_request_clarification`). So a reply answers one only under the
    author's own comment, or under a reply to it. What the caller read with
    the reply's parent (and the parent's own parent) says whether it is.
    """
    if reply.parent_id is None:
        return True
    if not Comment.parent.is_cached(reply):
        return False
    parent = reply.parent
    if parent.author_id == reply.author_id:
        return False
    if parent.parent_id is None:
        return True
    if not Comment.parent.is_cached(parent):
        return False
    return parent.parent.author_id != reply.author_id


def clarifications_close_edited(*, comment: Comment, editor) -> list[ModerationEntry]:
    """Close the open request on `comment`: its author has edited it. Inside a transaction."""
    now = timezone.now()
    return [
        _close(request, how=ClarificationClosing.AUTHOR_EDITED, by=editor, now=now)
        for request in _locked_open(comment.clarification_requests.all())
    ]


@transaction.atomic
def clarification_close(*, moderator, request: ClarificationRequest) -> ModerationEntry | None:
    """A moderator closes a request (answered elsewhere, or no longer needed).

    None when it was closed already (by the author meanwhile, or a second click).
    """
    rules.check(moderator, "close_clarification", request)
    locked = (
        ClarificationRequest.objects.select_related("comment__question__consultation")
        .select_for_update(of=("self",))
        .get(pk=request.pk)
    )
    if not locked.is_open:
        return None
    entry = _close(
        locked, how=ClarificationClosing.MODERATOR_CLOSED, by=moderator, now=timezone.now()
    )
    request.closed_at, request.closed_how = locked.closed_at, locked.closed_how
    return entry
