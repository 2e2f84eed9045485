"""Moderators' writes and reports: each atomic, checking `rules` first and logging what it did.

A moderation service returns the log entry it wrote, or None when there was
nothing to do because the object was already in the state asked for (a
double-submitted form, or two moderators acting at once): that is harmless
and writes nothing. A change the current state does not allow (approving a
withdrawn comment) raises `TransitionRefused`.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import rules
from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentStatus,
    Consultation,
    ModerationAction,
    ModerationEntry,
    Question,
    Report,
    ReportStatus,
    TransitionRefused,
    field_change,
)
from consultations.services.comments import comment_post
from notifications import services as notifications


def _locked_comment(comment: Comment) -> Comment:
    """The comment re-read under a row lock, so concurrent actions see each other's result."""
    return (
        Comment.objects.select_related("question__consultation")
        .select_for_update(of=("self",))
        .get(pk=comment.pk)
    )


def _locked_for_publishing(comment: Comment) -> Comment:
    """The comment locked after its consultation's row, the order every post and edit takes:
    publishing it (approve, restore) numbers it under its question's lock, and a post or an
    edit racing this one must not hold that lock while waiting for the comment."""
    Consultation.objects.select_for_update(of=("self",)).get(questions__comments__pk=comment.pk)
    return _locked_comment(comment)


def _log(
    *, actor, action: ModerationAction, comment: Comment, reason: str = "", changes=()
) -> ModerationEntry:
    return ModerationEntry.objects.create(
        actor=actor,
        action=action,
        consultation=comment.question.consultation,
        question=comment.question,
        comment=comment,
        reason=reason,
        changes=list(changes),
    )


def _sync(target: Comment, source: Comment) -> None:
    """Let the caller's instance show the saved state."""
    target.status = source.status
    target.moderation_reason = source.moderation_reason
    target.reference_number = source.reference_number


@transaction.atomic
def comment_report(
    *, reporter, comment: Comment, reason: str, details: str = ""
) -> tuple[Report, bool]:
    """Report a comment once; returns the report and whether it is new.

    When the comment reaches `ROUNDTABLE_REPORTS_TO_AUTO_HIDE` open reports it
    is hidden at once, pending a moderator's review.
    """
    comment = _locked_comment(comment)
    # Checked before the rules: a second report of a comment the first one
    # auto-hid is a double submit, not a forbidden action.
    existing = comment.reports.by(reporter).first()
    if existing is not None:
        return existing, False
    rules.check(reporter, "report", comment)
    report = Report.objects.create(
        comment=comment, reporter=reporter, reason=reason, details=details.strip()
    )
    notifications.enqueue_report_notifications(report)
    open_reports = comment.reports.open().count()
    if (
        comment.status == CommentStatus.PUBLISHED
        and open_reports >= settings.ROUNDTABLE_REPORTS_TO_AUTO_HIDE
    ):
        comment.hide_pending_review()
        comment.save(update_fields=["status", "moderation_reason"])
        _log(actor=None, action=ModerationAction.AUTO_HIDE, comment=comment)
    return report, True


@transaction.atomic
def comment_approve(*, moderator, comment: Comment, reason: str = "") -> ModerationEntry | None:
    """Publish a comment that was awaiting moderation; an optional reason goes to the log."""
    rules.check(moderator, "approve", comment)
    locked = _locked_for_publishing(comment)
    if locked.status == CommentStatus.PUBLISHED:
        return None
    locked.approve()
    locked.save(update_fields=["status"])
    _sync(comment, locked)
    # Now published: its replies, followers and parent's author hear of it.
    notifications.enqueue_comment_notifications(locked)
    return _log(
        actor=moderator, action=ModerationAction.APPROVE, comment=locked, reason=reason.strip()
    )


@transaction.atomic
def comment_hide(*, moderator, comment: Comment, reason: str) -> ModerationEntry | None:
    """Hide a comment behind a placeholder giving the reason; its open reports are upheld."""
    rules.check(moderator, "hide", comment)
    locked = _locked_comment(comment)
    open_reports = locked.reports.open()
    # Hidden with open reports means hidden automatically: hiding it again
    # confirms it. Hidden without is a moderator's earlier decision.
    if locked.status == CommentStatus.HIDDEN and not open_reports.exists():
        return None
    locked.hide(reason)
    locked.save(update_fields=["status", "moderation_reason"])
    open_reports.resolve(ReportStatus.UPHELD)
    _sync(comment, locked)
    return _log(
        actor=moderator,
        action=ModerationAction.HIDE,
        comment=locked,
        reason=locked.moderation_reason,
    )


@transaction.atomic
def comment_restore(*, moderator, comment: Comment, reason: str = "") -> ModerationEntry | None:
    """Show a hidden comment again; reports still open on it are dismissed with it.

    An optional reason goes to the log (the hiding reason stays in the log too).
    """
    rules.check(moderator, "restore", comment)
    locked = _locked_for_publishing(comment)
    if locked.status == CommentStatus.PUBLISHED:
        return None
    locked.restore()
    locked.save(update_fields=["status", "moderation_reason"])
    # Left open, the old reports would hide it again at the next report.
    locked.reports.resolve(ReportStatus.DISMISSED)
    _sync(comment, locked)
    return _log(
        actor=moderator, action=ModerationAction.RESTORE, comment=locked, reason=reason.strip()
    )


@transaction.atomic
def comment_dismiss_reports(*, moderator, comment: Comment) -> ModerationEntry | None:
    """Dismiss the open reports on a comment, and restore it if they had hidden it."""
    rules.check(moderator, "dismiss_reports", comment)
    locked = _locked_for_publishing(comment)
    dismissed = locked.reports.resolve(ReportStatus.DISMISSED)
    if not dismissed:
        return None
    entry = _log(
        actor=moderator,
        action=ModerationAction.DISMISS_REPORTS,
        comment=locked,
    )
    # A moderator's hide upholds the open reports, so a hidden comment that
    # still had some was hidden automatically by them.
    if locked.status == CommentStatus.HIDDEN:
        locked.restore()
        locked.save(update_fields=["status", "moderation_reason"])
        _log(actor=moderator, action=ModerationAction.RESTORE, comment=locked)
    _sync(comment, locked)
    return entry


@transaction.atomic
def comment_request_clarification(
    *, moderator, comment: Comment, message: str, language: str
) -> ClarificationRequest:
    """Ask the author to clarify a published comment; the message is posted as the moderator's
    reply under it, and the author hears of it by email (see notifications).

    Raises `rules.Refused` when the moderator may not (or may no longer post: the window
    closed, the question is locked) and `TransitionRefused` when the comment cannot be asked
    about (withdrawn, hidden) or already awaits a clarification.
    """
    rules.check(moderator, "request_clarification", comment)
    message = (message or "").strip()
    if not message:
        raise TransitionRefused(
            _("Write your question to the author: it is posted under the comment.")
        )
    locked = _locked_for_publishing(comment)
    if locked.clarification_requests.open().exists():
        raise TransitionRefused(_("This comment already awaits a clarification from its author."))
    now = timezone.now()
    request = ClarificationRequest.opened(comment=locked, requested_by=moderator, now=now)
    request.follow_up = comment_post(
        author=moderator, question=locked.question, body=message, language=language, parent=locked
    )
    request.opened_at = request.follow_up.created_at
    request.save()
    _log(
        actor=moderator,
        action=ModerationAction.REQUEST_CLARIFICATION,
        comment=locked,
        reason=message,
        changes=[field_change("clarification_request", "opened_at", None, request.opened_at)],
    )
    return request


def _locked_question(question: Question) -> Question:
    return (
        Question.objects.select_related("consultation")
        .select_for_update(of=("self",))
        .get(pk=question.pk)
    )


def _log_question(*, actor, action: ModerationAction, question: Question) -> ModerationEntry:
    return ModerationEntry.objects.create(
        actor=actor, action=action, consultation=question.consultation, question=question
    )


@transaction.atomic
def question_lock(*, moderator, question: Question) -> ModerationEntry | None:
    """Stop a question taking new comments; what is there stays readable."""
    rules.check(moderator, "lock", question)
    locked = _locked_question(question)
    if locked.is_locked:
        return None
    locked.lock()
    locked.save(update_fields=["is_locked"])
    question.is_locked = locked.is_locked
    return _log_question(actor=moderator, action=ModerationAction.LOCK, question=locked)


@transaction.atomic
def question_unlock(*, moderator, question: Question) -> ModerationEntry | None:
    """Let a locked question take comments again."""
    rules.check(moderator, "unlock", question)
    locked = _locked_question(question)
    if not locked.is_locked:
        return None
    locked.unlock()
    locked.save(update_fields=["is_locked"])
    question.is_locked = locked.is_locked
    return _log_question(actor=moderator, action=ModerationAction.UNLOCK, question=locked)
