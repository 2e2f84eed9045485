"""Who wants mail about what, and when; and every notification decided, sent or not."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consultations.models import Comment, Consultation, Question, Report


class NotificationKind(models.TextChoices):
    """What a person chooses about, each kind on its own: immediately, in a digest, never."""

    REPLY = "reply", _("Replies to your comments")
    MODERATOR_FOLLOW_UP = "moderator_follow_up", _("Moderators' follow-ups on your comments")
    FOLLOWED_ACTIVITY = "followed_activity", _("New comments on what you follow")
    WINDOW = "window", _("Openings, closings and summaries of what you follow")
    MODERATION_ALERT = (
        "moderation_alert",
        _("New reports and comments awaiting approval (moderators)"),
    )


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY_DIGEST = "daily_digest", _("In a daily digest")
    NEVER = "never", _("Never")


class NotificationEvent(models.TextChoices):
    """What happened; each event belongs to one kind (see EVENT_KIND)."""

    REPLY = "reply", _("Reply to your comment")
    MODERATOR_FOLLOW_UP = "moderator_follow_up", _("Moderator's follow-up")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Request for clarification")
    NEW_COMMENT = "new_comment", _("New comment on something you follow")
    CONSULTATION_OPENED = "consultation_opened", _("Consultation opened")
    CLOSING_SOON = "closing_soon", _("Consultation closes in 48 hours")
    CLOSED_SUMMARY = "closed_summary", _("Summary after closing")
    NEW_REPORT = "new_report", _("New report")
    NEW_PENDING_COMMENT = "new_pending_comment", _("New comment awaiting approval")
    DAILY_DIGEST = "daily_digest", _("Daily digest")


EVENT_KIND = {
    NotificationEvent.REPLY: NotificationKind.REPLY,
    NotificationEvent.MODERATOR_FOLLOW_UP: NotificationKind.MODERATOR_FOLLOW_UP,
    # A moderator's follow-up that asks the author a question they are expected to answer.
    NotificationEvent.CLARIFICATION_REQUESTED: NotificationKind.MODERATOR_FOLLOW_UP,
    NotificationEvent.NEW_COMMENT: NotificationKind.FOLLOWED_ACTIVITY,
    NotificationEvent.CONSULTATION_OPENED: NotificationKind.WINDOW,
    NotificationEvent.CLOSING_SOON: NotificationKind.WINDOW,
    NotificationEvent.CLOSED_SUMMARY: NotificationKind.WINDOW,
    NotificationEvent.NEW_REPORT: NotificationKind.MODERATION_ALERT,
    NotificationEvent.NEW_PENDING_COMMENT: NotificationKind.MODERATION_ALERT,
}


class FollowQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def of_question_or_its_consultation(self, question):
        return self.filter(Q(question=question) | Q(consultation_id=question.consultation_id))

    def of_consultation_or_its_questions(self, consultation):
        return self.filter(Q(consultation=consultation) | Q(question__consultation=consultation))

    def in_listing_order(self):
        return self.select_related("consultation", "question__consultation").order_by(
            "-created_at", "-pk"
        )


class Follow(models.Model):
    """A person's wish to hear about a consultation or one of its questions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation__isnull=False, question__isnull=True)
                | Q(consultation__isnull=True, question__isnull=False),
                name="follow_names_a_consultation_or_a_question",
            ),
            models.UniqueConstraint(
                fields=["user", "consultation"],
                condition=Q(consultation__isnull=False),
                name="follow_consultation_once",
            ),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="follow_question_once",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.target}"

    @property
    def target(self):
        return self.question if self.question_id else self.consultation


DEFAULT_DELIVERY = {
    NotificationKind.REPLY: Delivery.IMMEDIATELY,
    NotificationKind.MODERATOR_FOLLOW_UP: Delivery.IMMEDIATELY,
    NotificationKind.FOLLOWED_ACTIVITY: Delivery.DAILY_DIGEST,
    NotificationKind.WINDOW: Delivery.IMMEDIATELY,
    NotificationKind.MODERATION_ALERT: Delivery.IMMEDIATELY,
}


def _delivery_field(kind: NotificationKind):
    return models.CharField(
        kind.label,
        max_length=16,
        choices=Delivery.choices,
        default=DEFAULT_DELIVERY[kind],
    )


class NotificationPreferenceQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationPreference":
        """The person's saved choices, or the defaults (unsaved) when they never chose."""
        return self.filter(user=user).first() or NotificationPreference(user=user)


class NotificationPreference(models.Model):
    """One person's choices: one field per notification kind, named after the kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    reply = _delivery_field(NotificationKind.REPLY)
    moderator_follow_up = _delivery_field(NotificationKind.MODERATOR_FOLLOW_UP)
    followed_activity = _delivery_field(NotificationKind.FOLLOWED_ACTIVITY)
    window = _delivery_field(NotificationKind.WINDOW)
    moderation_alert = _delivery_field(NotificationKind.MODERATION_ALERT)
    follow_questions_i_answer = models.BooleanField(
        _("Follow the questions I answer or reply to"), default=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def delivery_for(self, kind: str) -> str:
        return getattr(self, NotificationKind(kind).value)


class NotificationQuerySet(models.QuerySet):
    def awaiting_digest(self):
        """Chosen for a digest and not yet gathered into one."""
        return self.filter(
            delivery=Delivery.DAILY_DIGEST, digest__isnull=True, sent_at__isnull=True
        ).exclude(event=NotificationEvent.DAILY_DIGEST)

    def for_sending(self):
        return self.select_related(
            "recipient",
            "consultation",
            "question__consultation",
            "comment__author",
            "comment__question__consultation",
            "comment__parent",
            "report__reporter",
        )


class Notification(models.Model):
    """One mail decided for one person, about one thing; sent at most once.

    `key` names the occasion (the event and its object, and for window mail
    the window), unique per recipient: deciding twice finds the row, and a
    retried send sees `sent_at` and mails nothing.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=32, choices=NotificationEvent.choices)
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=NotificationKind.choices,
        blank=True,
        help_text=_("Empty for a digest, which carries several kinds."),
    )
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices)
    key = models.CharField(_("occasion"), max_length=200)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in digest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    created_at = models.DateTimeField(_("decided"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    skipped_at = models.DateTimeField(
        _("skipped"),
        null=True,
        blank=True,
        help_text=_(
            "Not sent: by then there was nothing the recipient may see, or they opted out."
        ),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notification_once_per_recipient_and_occasion"
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.recipient}"

    @property
    def is_handled(self) -> bool:
        return self.sent_at is not None or self.skipped_at is not None
