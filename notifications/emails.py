"""Notification mail: what each one says, in its recipient's language, and its unsubscribe link.

Every message has a plain-text and an HTML part, links to the exact comment
in the recipient's language, and carries a signed one-click unsubscribe link
(in the text and in the RFC 8058 `List-Unsubscribe` headers). A comment the
recipient may not see (hidden, withdrawn, or pending for a non-moderator)
is left out; a mail left with nothing to say is not sent.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.time_zones import moment_in_words, zone_for
from consultations import rules
from consultations.models import CommentStatus, attach_thread_pages
from notifications.models import (
    Delivery,
    Notification,
    NotificationEvent,
    NotificationKind,
    NotificationPreference,
)

EXCERPT_CHARACTERS = 600
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


# --- Unsubscribe tokens -----------------------------------------------------------------


def unsubscribe_token(user, kinds) -> str:
    return signing.dumps(
        {"user": user.pk, "kinds": sorted(str(kind) for kind in kinds)},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """The user id and kinds a token names; raises signing.BadSignature (or its subclass
    SignatureExpired) when it was tampered with or is too old."""
    data = signing.loads(
        token,
        salt=UNSUBSCRIBE_SALT,
        max_age=timezone.timedelta(days=settings.ROUNDTABLE_UNSUBSCRIBE_MAX_AGE_DAYS),
    )
    try:
        user_id = int(data["user"])
        kinds = [NotificationKind(kind).value for kind in data["kinds"]]
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("Malformed unsubscribe token") from error
    return user_id, kinds


# --- Addresses ---------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


# --- What each notification says ----------------------------------------------------------


@dataclass
class Item:
    """One thing to tell, ready for the templates."""

    subject: str
    intro: str
    link: str
    link_label: str
    consultation_title: str = ""
    excerpt: str = ""
    from_moderator: bool = False
    lines: list[str] = field(default_factory=list)


def _may_see(notification: Notification) -> bool:
    """Whether the recipient may still see what this notification is about."""
    user = notification.recipient
    consultation = notification.consultation
    if consultation is not None and not consultation.is_published:
        return rules.can_manage_consultations(user)
    comment = notification.comment
    if comment is None:
        return True
    if comment.status == CommentStatus.PUBLISHED:
        return True
    if notification.event in (
        NotificationEvent.NEW_PENDING_COMMENT,
        NotificationEvent.NEW_REPORT,
    ):
        # Moderators are told of what awaits them, hidden or pending.
        return comment.status != CommentStatus.WITHDRAWN and rules.is_moderator_of(
            user, comment.question.consultation
        )
    return False


def _comment_item(notification: Notification, subject: str, intro: str) -> Item:
    comment = notification.comment
    return Item(
        subject=subject,
        intro=intro,
        link=absolute_url(comment.get_absolute_url()),
        link_label=_("Read the comment on Roundtable"),
        consultation_title=comment.question.consultation.title,
        excerpt=Truncator(comment.body_source).chars(EXCERPT_CHARACTERS),
    )


def _describe(notification: Notification) -> Item:  # noqa: C901 - one branch per event
    event = notification.event
    comment = notification.comment
    consultation = notification.consultation
    if comment is not None:
        names = {
            "author": comment.author.display_name,
            "question": comment.question.title,
            "consultation": comment.question.consultation.title,
        }
    if event == NotificationEvent.REPLY:
        return _comment_item(
            notification,
            _("%(author)s replied to your comment") % names,
            _("%(author)s replied to your comment on “%(question)s”:") % names,
        )
    if event == NotificationEvent.MODERATOR_FOLLOW_UP:
        item = _comment_item(
            notification,
            _("A moderator followed up on your comment"),
            _(
                "%(author)s, a moderator of this consultation, followed up on your comment on "
                "“%(question)s”:"
            )
            % names,
        )
        item.from_moderator = True
        return item
    if event == NotificationEvent.CLARIFICATION_REQUESTED:
        item = _comment_item(
            notification,
            _("A moderator asks you to clarify your comment"),
            _(
                "%(author)s, a moderator of this consultation, asks you to clarify your comment "
                "on “%(question)s”:"
            )
            % names,
        )
        item.from_moderator = True
        item.lines = [
            _(
                "Reply under the request or edit your comment: either tells the moderators "
                "you have answered."
            )
        ]
        item.link_label = _("Answer on Roundtable")
        return item
    if event == NotificationEvent.NEW_COMMENT:
        return _comment_item(
            notification,
            _("New comment on “%(question)s”") % names,
            _("%(author)s commented on “%(question)s”, which you follow:") % names,
        )
    if event == NotificationEvent.NEW_PENDING_COMMENT:
        item = _comment_item(
            notification,
            _("A comment awaits your approval in “%(consultation)s”") % names,
            _("%(author)s posted a comment on “%(question)s” that awaits a moderator's approval:")
            % names,
        )
        item.link = absolute_url(reverse("consultations:moderation_queue"))
        item.link_label = _("Open the moderation queue")
        return item
    if event == NotificationEvent.NEW_REPORT:
        report = notification.report
        item = _comment_item(
            notification,
            _("A comment was reported in “%(consultation)s”") % names,
            _("%(reporter)s reported a comment by %(author)s (%(reason)s):")
            % {
                **names,
                "reporter": report.reporter.display_name,
                "reason": report.get_reason_display(),
            },
        )
        item.link = absolute_url(reverse("consultations:moderation_queue"))
        item.link_label = _("Open the moderation queue")
        return item
    window = {
        "consultation": consultation.title,
        # In the recipient's own zone, else the consultation's, saying which.
        "closes": _moment_for(notification.recipient, consultation, consultation.closes_at),
    }
    item = Item(
        subject="",
        intro="",
        link=absolute_url(consultation.get_absolute_url()),
        link_label=_("Go to the consultation"),
        consultation_title=consultation.title,
    )
    if event == NotificationEvent.CONSULTATION_OPENED:
        item.subject = _("“%(consultation)s” is open for contributions") % window
        item.intro = (
            _(
                "The consultation “%(consultation)s”, which you follow, is open for contributions "
                "until %(closes)s."
            )
            % window
        )
    elif event == NotificationEvent.CLOSING_SOON:
        item.subject = _("“%(consultation)s” closes in 48 hours") % window
        item.intro = (
            _(
                "The consultation “%(consultation)s”, which you follow, closes on %(closes)s. "
                "There is still time to contribute."
            )
            % window
        )
    elif event == NotificationEvent.CLOSED_SUMMARY:
        facts = notification.facts
        item.subject = _("“%(consultation)s” has closed") % window
        item.intro = (
            _(
                "The consultation “%(consultation)s”, which you follow, has closed. It stays "
                "online, read-only. What happened to your contributions:"
            )
            % window
        )
        item.lines = [
            ngettext(
                "You posted %(count)s comment.",
                "You posted %(count)s comments.",
                facts.get("own_comments", 0),
            )
            % {"count": facts.get("own_comments", 0)},
            ngettext(
                "Others replied to your comments %(count)s time.",
                "Others replied to your comments %(count)s times.",
                facts.get("replies_received", 0),
            )
            % {"count": facts.get("replies_received", 0)},
            ngettext(
                "%(count)s person took part in the consultation.",
                "%(count)s people took part in the consultation.",
                facts.get("participants", 0),
            )
            % {"count": facts.get("participants", 0)},
        ]
    return item


# --- Building the message -------------------------------------------------------------------


def _unsubscribe_context(recipient, kinds) -> dict:
    kinds = sorted(set(kinds))
    url = absolute_url(
        reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(recipient, kinds)})
    )
    return {
        "unsubscribe_url": url,
        "unsubscribed_kinds": [NotificationKind(kind).label for kind in kinds],
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }


def _message(recipient, subject, template, context, unsubscribe_url) -> EmailMultiAlternatives:
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"
    context = {"recipient": recipient, "subject": subject, **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context).strip() + "\n",
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def _moment_for(recipient, consultation, moment) -> str:
    with timezone.override(zone_for(recipient, consultation)):
        return moment_in_words(moment)


def _still_wanted(notification: Notification, preference: NotificationPreference) -> bool:
    """An item the person has since turned off is dropped, even if it was already decided."""
    return preference.delivery_for(notification.kind) != Delivery.NEVER


def build_message(notification: Notification) -> EmailMultiAlternatives | None:
    """The mail for this notification (a single one or a digest), or None if nothing is left."""
    recipient = notification.recipient
    preference = NotificationPreference.objects.for_user(recipient)
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(zone_for(recipient)):
        if notification.event == NotificationEvent.DAILY_DIGEST:
            return _digest_message(notification, preference)
        if not (_may_see(notification) and _still_wanted(notification, preference)):
            return None
        item = _describe(notification)
        links = _unsubscribe_context(recipient, [notification.kind])
        return _message(
            recipient,
            item.subject,
            "notification",
            {"item": item, **links},
            links["unsubscribe_url"],
        )


def _digest_message(digest: Notification, preference) -> EmailMultiAlternatives | None:
    items = [
        item
        for item in digest.items.for_sending().order_by("created_at", "pk")
        if _may_see(item) and _still_wanted(item, preference)
    ]
    if not items:
        return None
    # Each item links to the page of its thread that shows it: found for all at once.
    attach_thread_pages(item.comment for item in items)
    groups: dict[str, list[Item]] = {}
    for notification in items:
        described = _describe(notification)
        groups.setdefault(described.consultation_title, []).append(described)
    links = _unsubscribe_context(digest.recipient, [item.kind for item in items])
    subject = ngettext(
        "Your daily digest: %(count)s update", "Your daily digest: %(count)s updates", len(items)
    ) % {"count": len(items)}
    return _message(
        digest.recipient,
        subject,
        "digest",
        {"groups": sorted(groups.items()), "count": len(items), **links},
        links["unsubscribe_url"],
    )
