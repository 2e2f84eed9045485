"""Writes of the notifications domain: follows, choices, and deciding who gets which mail.

Deciding is separate from sending: `notify()` records a Notification (once
per recipient and occasion) and, for mail chosen "immediately", enqueues
its sending after the commit; the daily digest gathers the rest.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from consultations import rules
from consultations.models import (
    ClarificationRequest,
    Comment,
    CommentStatus,
    Consultation,
    Question,
    Report,
)
from notifications.models import (
    EVENT_KIND,
    Delivery,
    Follow,
    Notification,
    NotificationEvent,
    NotificationPreference,
)

logger = logging.getLogger(__name__)


# --- Follows ---------------------------------------------------------------------------


def _target_fields(target) -> dict:
    if isinstance(target, Question):
        return {"question": target}
    if isinstance(target, Consultation):
        return {"consultation": target}
    raise TypeError(f"Cannot follow {target!r}")


def follow(*, user, target: Consultation | Question) -> Follow:
    """Follow a consultation or a question; following it again changes nothing."""
    fields = _target_fields(target)
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(user=user, **fields)[0]
    except IntegrityError:
        # Two clicks at once: the other one created it.
        return Follow.objects.get(user=user, **fields)


def unfollow(*, user, target: Consultation | Question) -> bool:
    """Stop following; returns whether there was something to stop."""
    deleted, _by_model = Follow.objects.filter(user=user, **_target_fields(target)).delete()
    return bool(deleted)


def follow_after_answering(*, user, question: Question, follows: bool | None = None) -> None:
    """Answering or replying follows the question, unless the person turned that off.

    `follows` is whether they follow it already, when the caller read it
    (`followed_by_reader`): if they do, nothing is read or written.
    """
    if follows:
        return
    if NotificationPreference.objects.filter(user=user, follow_questions_i_answer=False).exists():
        return
    # Following it already, or a follow written at once by another request,
    # is no error: the row is there either way.
    Follow.objects.bulk_create([Follow(user=user, question=question)], ignore_conflicts=True)


def is_following(user, target) -> bool:
    if not user.is_authenticated:
        return False
    # Read with the target by the page that shows it (`followed_by_reader`).
    known = getattr(target, "reader_follows", None)
    if known is not None:
        return known
    return Follow.objects.filter(user=user, **_target_fields(target)).exists()


def followed_by_reader(user, *, of: str, through: str = "pk"):
    """For `.annotate(reader_follows=...)` on questions (`of="question"`) or consultations
    (`of="consultation"`): whether `user` follows each one. On rows that point at
    them, `through` names the field that does (`through="question_id"` on comments)."""
    if not user.is_authenticated:
        return Value(False)
    return Exists(Follow.objects.filter(user=user, **{of: OuterRef(through)}))


# --- Choices ---------------------------------------------------------------------------


@transaction.atomic
def turn_off(*, user, kinds) -> NotificationPreference:
    """Set these kinds of mail to "never" (the unsubscribe link's action)."""
    preference = NotificationPreference.objects.for_user(user)
    for kind in kinds:
        setattr(preference, kind, Delivery.NEVER)
    preference.save()
    return preference


# --- Deciding who gets what --------------------------------------------------------------


def notify(
    *, recipient, event: NotificationEvent, key: str, facts=None, **about
) -> Notification | None:
    """Record one notification for `recipient`, as they chose; None when they chose never.

    `key` names the occasion; a second call for the same recipient and key
    returns the first row and enqueues nothing more.
    """
    kind = EVENT_KIND[event]
    delivery = NotificationPreference.objects.for_user(recipient).delivery_for(kind)
    if delivery == Delivery.NEVER or not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                recipient=recipient,
                key=key,
                defaults={
                    "event": event,
                    "kind": kind,
                    "delivery": delivery,
                    "facts": facts or {},
                    **about,
                },
            )
    except IntegrityError:
        return Notification.objects.get(recipient=recipient, key=key)
    if created and delivery == Delivery.IMMEDIATELY:
        enqueue_sending(notification)
    return notification


def enqueue_sending(notification: Notification) -> None:
    from notifications.tasks import send_notification

    notification_id = notification.pk
    transaction.on_commit(lambda: send_notification.enqueue(notification_id))


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def comment_notifications(comment: Comment) -> list[Notification]:
    """Who hears of this comment: moderators while it waits; once published, the author
    of the comment it answers and the followers of its question or consultation."""
    consultation = comment.question.consultation
    if comment.status == CommentStatus.PENDING:
        moderator_ids = consultation.moderator_ids() - {comment.author_id}
        return [
            notify(
                recipient=moderator,
                event=NotificationEvent.NEW_PENDING_COMMENT,
                key=f"new_pending_comment:comment:{comment.pk}",
                consultation=consultation,
                question=comment.question,
                comment=comment,
            )
            for moderator in _users(moderator_ids)
        ]
    if comment.status != CommentStatus.PUBLISHED:
        return []
    notified = {comment.author_id}
    sent = []
    parent = comment.parent
    if parent is not None and parent.author_id not in notified:
        from_moderator = rules.is_moderator_of(comment.author, consultation)
        event = NotificationEvent.MODERATOR_FOLLOW_UP if from_moderator else NotificationEvent.REPLY
        if from_moderator and ClarificationRequest.objects.filter(follow_up=comment).exists():
            event = NotificationEvent.CLARIFICATION_REQUESTED
        sent.append(
            notify(
                recipient=parent.author,
                event=event,
                key=f"{event}:comment:{comment.pk}",
                consultation=consultation,
                question=comment.question,
                comment=comment,
            )
        )
        notified.add(parent.author_id)
    follower_ids = set(
        Follow.objects.of_question_or_its_consultation(comment.question).values_list(
            "user_id", flat=True
        )
    )
    for follower in _users(follower_ids - notified):
        sent.append(
            notify(
                recipient=follower,
                event=NotificationEvent.NEW_COMMENT,
                key=f"new_comment:comment:{comment.pk}",
                consultation=consultation,
                question=comment.question,
                comment=comment,
            )
        )
    return sent


def report_notifications(report: Report) -> list[Notification]:
    """A new report goes to the moderators of the comment's consultation."""
    comment = report.comment
    consultation = comment.question.consultation
    return [
        notify(
            recipient=moderator,
            event=NotificationEvent.NEW_REPORT,
            key=f"new_report:report:{report.pk}",
            consultation=consultation,
            question=comment.question,
            comment=comment,
            report=report,
        )
        for moderator in _users(consultation.moderator_ids() - {report.reporter_id})
    ]


def enqueue_comment_notifications(comment: Comment) -> None:
    """For services: decide, after the commit and in the worker, who hears of this comment."""
    from notifications.tasks import notify_about_comment

    comment_id = comment.pk
    transaction.on_commit(lambda: notify_about_comment.enqueue(comment_id))


def enqueue_report_notifications(report: Report) -> None:
    from notifications.tasks import notify_about_report

    report_id = report.pk
    transaction.on_commit(lambda: notify_about_report.enqueue(report_id))


# --- Window mail and digests (run by `send_scheduled_notifications`) -------------------------

CLOSING_SOON_HOURS = 48
# Window mail is only about recent changes: a deploy on an old database must
# not mail about every consultation that ever opened or closed.
WINDOW_MAIL_LOOKBACK_DAYS = 3


def _window_key(event, consultation, moment) -> str:
    return f"{event}:consultation:{consultation.pk}:{moment:%Y%m%dT%H%M}"


def _followers_of(consultation):
    return _users(
        Follow.objects.of_consultation_or_its_questions(consultation).values_list(
            "user_id", flat=True
        )
    )


def _summary_facts(consultation, user) -> dict:
    published = Comment.objects.for_consultation(consultation).published()
    own = published.filter(author=user)
    return {
        "own_comments": own.count(),
        "replies_received": published.filter(parent__author=user).exclude(author=user).count(),
        "participants": published.values("author").distinct().count(),
    }


def window_notifications(now=None) -> int:
    """Opened, closing within 48 hours, closed: once per window, to followers. Returns how many."""
    now = now or timezone.now()
    lookback = now - timezone.timedelta(days=WINDOW_MAIL_LOOKBACK_DAYS)
    decided = 0
    consultations = Consultation.objects.published()
    for consultation in consultations.filter(opens_at__lte=now, opens_at__gt=lookback).filter(
        closes_at__gt=now
    ):
        for user in _followers_of(consultation):
            decided += bool(
                notify(
                    recipient=user,
                    event=NotificationEvent.CONSULTATION_OPENED,
                    key=_window_key("opened", consultation, consultation.opens_at),
                    consultation=consultation,
                )
            )
    closing_before = now + timezone.timedelta(hours=CLOSING_SOON_HOURS)
    for consultation in consultations.open(now).filter(closes_at__lte=closing_before):
        for user in _followers_of(consultation):
            decided += bool(
                notify(
                    recipient=user,
                    event=NotificationEvent.CLOSING_SOON,
                    key=_window_key("closing_soon", consultation, consultation.closes_at),
                    consultation=consultation,
                )
            )
    for consultation in consultations.closed(now).filter(closes_at__gt=lookback):
        for user in _followers_of(consultation):
            key = _window_key("closed", consultation, consultation.closes_at)
            if Notification.objects.filter(recipient=user, key=key).exists():
                continue
            decided += bool(
                notify(
                    recipient=user,
                    event=NotificationEvent.CLOSED_SUMMARY,
                    key=key,
                    consultation=consultation,
                    facts=_summary_facts(consultation, user),
                )
            )
    return decided


def digest_is_due(now) -> bool:
    from django.conf import settings

    return timezone.localtime(now).hour >= settings.ROUNDTABLE_DIGEST_HOUR


def daily_digests(now=None) -> int:
    """Gather each person's waiting digest items into one mail a day. Returns how many."""
    now = now or timezone.now()
    if not digest_is_due(now):
        return 0
    day = timezone.localdate(now)
    recipient_ids = set(
        Notification.objects.awaiting_digest()
        .filter(created_at__lte=now)
        .values_list("recipient_id", flat=True)
    )
    gathered = 0
    for recipient in _users(recipient_ids):
        with transaction.atomic():
            digest, created = Notification.objects.get_or_create(
                recipient=recipient,
                key=f"daily_digest:{day:%Y-%m-%d}",
                defaults={
                    "event": NotificationEvent.DAILY_DIGEST,
                    "delivery": Delivery.DAILY_DIGEST,
                },
            )
            if not created:
                continue  # today's digest went already; the rest waits for tomorrow
            Notification.objects.awaiting_digest().filter(
                recipient=recipient, created_at__lte=now
            ).update(digest=digest)
            enqueue_sending(digest)
            gathered += 1
    return gathered
