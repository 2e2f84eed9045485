"""Background work: deciding who hears of what, and sending mail, with retries.

Each task loads what it needs by id and is safe to run twice. A send that
fails because the mail server is unreachable is logged and tried again
later (1, 5, 25 ... minutes, `ROUNDTABLE_EMAIL_MAX_ATTEMPTS` in all); the
last failure is raised, so the task result is FAILED and the secretariat
console counts it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from consultations.models import Comment, Report
from notifications import emails, services
from notifications.models import Notification

logger = logging.getLogger(__name__)

RETRY_GROWTH = 5


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1, 5, 25 ... minutes)."""
    return timedelta(seconds=settings.ROUNDTABLE_EMAIL_RETRY_BASE_SECONDS) * (
        RETRY_GROWTH ** (attempt - 1)
    )


def _try_again_later(retried_task, *, attempt: int, error: Exception, args, what: str):
    if attempt >= settings.ROUNDTABLE_EMAIL_MAX_ATTEMPTS:
        logger.error("Sending %s failed for good after %s attempts: %s", what, attempt, error)
        raise error
    delay = retry_delay(attempt)
    logger.warning(
        "Sending %s failed (attempt %s): %s; trying again in %s", what, attempt, error, delay
    )
    if retried_task.get_backend().supports_defer:
        retried_task = retried_task.using(run_after=timezone.now() + delay)
    retried_task.enqueue(*args, attempt=attempt + 1)


@task()
def notify_about_comment(comment_id: int) -> int:
    """Decide who hears of a new (or newly approved) comment."""
    comment = (
        Comment.objects.select_related("author", "question__consultation", "parent__author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    with transaction.atomic():
        return len([n for n in services.comment_notifications(comment) if n is not None])


@task()
def notify_about_report(report_id: int) -> int:
    report = (
        Report.objects.select_related("reporter", "comment__question__consultation")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return 0
    with transaction.atomic():
        return len([n for n in services.report_notifications(report) if n is not None])


def deliver(notification_id: int) -> str:
    """Send one notification unless it was handled already; mark it in the same transaction.

    The row is locked while sending, so a second worker given the same task
    waits, then finds it sent. A failed send rolls back and leaves it unsent.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.for_sending()
            .select_for_update(of=("self",))
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "gone"
        if notification.is_handled:
            return "already handled"
        message = emails.build_message(notification)
        now = timezone.now()
        if message is None:
            notification.skipped_at = now
            notification.save(update_fields=["skipped_at"])
            return "skipped"
        message.send()
        notification.sent_at = now
        notification.save(update_fields=["sent_at"])
        if notification.items.exists():
            notification.items.update(sent_at=now)
        return "sent"


@task()
def send_notification(notification_id: int, attempt: int = 1) -> str:
    try:
        return deliver(notification_id)
    except OSError as error:  # smtplib.SMTPException and refused connections are OSErrors
        _try_again_later(
            send_notification,
            attempt=attempt,
            error=error,
            args=(notification_id,),
            what=f"notification {notification_id}",
        )
        return "retrying"


def email_message_as_data(message: EmailMultiAlternatives) -> dict:
    """A rendered message as JSON-safe data, for a task argument."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
    }


@task()
def send_email_message(message: dict, attempt: int = 1) -> str:
    """Send a message rendered in the request (allauth's account mail)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
        alternatives=[tuple(alternative) for alternative in message["alternatives"]],
    )
    email.content_subtype = message.get("content_subtype", "plain")
    try:
        email.send()
    except OSError as error:
        _try_again_later(
            send_email_message,
            attempt=attempt,
            error=error,
            args=(message,),
            what=f"account mail “{message['subject']}”",
        )
        return "retrying"
    return "sent"
