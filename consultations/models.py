import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TransitionRefused(Exception):
    """A state change the object's current state does not allow; the message says why."""

    def __init__(self, message):
        message = str(message)  # in the language active where it was raised
        super().__init__(message)
        self.message = message


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", pgettext_lazy("consultation state", "Open")
    CLOSED = "closed", pgettext_lazy("consultation state", "Closed")


class ModerationMode(models.TextChoices):
    POST = "post", _("Post-moderated: contributions are published at once")
    PRE = "pre", _("Pre-moderated: contributions wait for a moderator's approval")


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        """Consultations the public may see: everything but drafts."""
        return self.filter(is_published=True)

    def open(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__gt=now)

    def closed(self, now=None):
        now = now or timezone.now()
        return self.published().filter(closes_at__lte=now)

    def in_listing_order(self, now=None):
        """Open ones first (closing soonest first), then upcoming, then closed (latest first)."""
        now = now or timezone.now()
        return self.annotate(
            listing_rank=Case(
                When(opens_at__lte=now, closes_at__gt=now, then=Value(0)),
                When(opens_at__gt=now, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            # Upcoming and open sort ascending by their next date, closed ones
            # by how recently they closed: one expression, one ORDER BY.
            listing_date=Case(
                When(opens_at__gt=now, then=F("opens_at")),
                default=F("closes_at"),
            ),
        ).order_by(
            "listing_rank",
            Case(When(closes_at__lte=now, then=Value(None)), default=F("listing_date")).asc(
                nulls_last=True
            ),
            F("closes_at").desc(),
            "pk",
        )

    def visible_to(self, user):
        from consultations import rules

        if rules.can_manage_consultations(user):
            return self
        return self.published()

    def moderated_by(self, user):
        """The consultations this user moderates: named on them, or all for global moderators."""
        from consultations import rules

        if not user.is_authenticated:
            return self.none()
        if rules.can_moderate_every_consultation(user):
            return self
        return self.filter(moderators=user)


class Consultation(models.Model):
    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences shown in the list.")
    )
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Markdown: paragraphs, emphasis, lists, links.")
    )
    objectives = models.TextField(
        _("objectives under review"), blank=True, help_text=_("One objective per line.")
    )
    guiding_points = models.TextField(
        _("guiding points"),
        blank=True,
        help_text=_("Markdown: paragraphs, emphasis, lists, links."),
    )
    organisers = models.CharField(
        _("organisers"),
        max_length=300,
        blank=True,
        help_text=_("For example “Moderated by the network secretariat”."),
    )
    contact_email = models.EmailField(_("help and contact email"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Unpublished consultations are drafts.")
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    moderation_mode = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_consultations",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="consultation_opens_before_it_closes",
                violation_error_message=_("A consultation must open before it closes."),
            ),
        ]
        permissions = [
            ("manage_consultations", _("Can create, schedule and edit every consultation")),
            ("moderate_every_consultation", _("Can moderate every consultation")),
            ("export_contributions", _("Can export contributions")),
            ("view_statistics", _("Can read consultation statistics")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", kwargs={"slug": self.slug})

    def state_at(self, now) -> ConsultationState:
        if not self.is_published:
            return ConsultationState.DRAFT
        if now < self.opens_at:
            return ConsultationState.UPCOMING
        if now < self.closes_at:
            return ConsultationState.OPEN
        return ConsultationState.CLOSED

    @property
    def state(self) -> ConsultationState:
        return self.state_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.state == ConsultationState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == ConsultationState.CLOSED

    @property
    def is_pre_moderated(self) -> bool:
        return self.moderation_mode == ModerationMode.PRE

    def moderator_ids(self) -> set[int]:
        """Everyone whose comments here carry the Moderator badge: named or global moderators."""
        from django.contrib.auth import get_user_model

        permission = {
            "permissions__codename": "moderate_every_consultation",
            "permissions__content_type__app_label": "consultations",
        }
        return set(
            get_user_model()
            .objects.filter(
                Q(moderated_consultations=self)
                | Q(**{f"groups__{key}": value for key, value in permission.items()})
                | Q(**{f"user_{key}": value for key, value in permission.items()})
            )
            .values_list("pk", flat=True)
            .distinct()
        )

    def objectives_as_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def clean(self):
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("A consultation must open before it closes.")})

    # Window transitions: each checks and moves the dates, never saves. The
    # state then follows from the clock, so no scheduled job is involved.

    def open_now(self, now):
        """Publish and open from `now`, keeping the closing date."""
        if self.state_at(now) == ConsultationState.OPEN:
            raise ValidationError(_("This consultation is already open."))
        if self.closes_at <= now:
            raise ValidationError(
                _(
                    "This consultation's closing date has passed. Reschedule it with a new "
                    "closing date, or extend it, to open it again."
                )
            )
        self.opens_at = now
        self.is_published = True

    def close_now(self, now):
        if self.state_at(now) != ConsultationState.OPEN:
            raise ValidationError(_("Only an open consultation can be closed."))
        self.closes_at = now

    def extend(self, closes_at, now):
        """Move the closing date later; a closed consultation reopens until then."""
        if closes_at <= self.closes_at:
            raise ValidationError(
                {"closes_at": _("The new closing date must be later than the current one.")}
            )
        if closes_at <= now:
            raise ValidationError({"closes_at": _("The new closing date must be in the future.")})
        self.closes_at = closes_at

    def reschedule(self, opens_at, closes_at):
        if opens_at >= closes_at:
            raise ValidationError({"closes_at": _("A consultation must open before it closes.")})
        if (opens_at, closes_at) == (self.opens_at, self.closes_at):
            raise ValidationError(_("This is already the consultation's window."))
        self.opens_at, self.closes_at = opens_at, closes_at


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown: paragraphs, emphasis, lists, links.")
    )
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked question takes no new comments.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        # Highest number first, as the consultation pages this models do.
        ordering = ["consultation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"],
                name="question_number_unique_in_consultation",
                violation_error_message=_(
                    "This consultation already has a question with this number."
                ),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="question_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "consultations:question",
            kwargs={"slug": self.consultation.slug, "number": self.number},
        )

    def lock(self):
        if self.is_locked:
            raise TransitionRefused(_("This question is already locked."))
        self.is_locked = True

    def unlock(self):
        if not self.is_locked:
            raise TransitionRefused(_("This question is not locked."))
        self.is_locked = False


class CommentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Other language")


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting moderation")
    HIDDEN = "hidden", _("Hidden by a moderator")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class CommentQuerySet(models.QuerySet):
    def for_question(self, question):
        return self.filter(question=question)

    def for_consultation(self, consultation):
        return self.filter(question__consultation=consultation)

    def visible_to(self, user):
        """Everything that has a place in the thread for this reader.

        Hidden and withdrawn comments stay in (they render as placeholders so
        their replies keep their place); pending ones only for their author
        and the consultation's moderators.
        """
        from consultations import rules

        shown = Q(
            status__in=[CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN]
        )
        if user.is_authenticated:
            shown |= Q(status=CommentStatus.PENDING, author=user)
            if rules.can_moderate_every_consultation(user):
                return self
            shown |= Q(
                status=CommentStatus.PENDING,
                question__consultation__in=Consultation.objects.filter(moderators=user),
            )
        return self.filter(shown)

    def published(self):
        return self.filter(status=CommentStatus.PUBLISHED)

    def in_thread_order(self):
        return self.select_related("author").order_by("created_at", "pk")

    def moderated_by(self, user):
        return self.filter(question__consultation__in=Consultation.objects.moderated_by(user))

    def awaiting_moderation(self):
        """Pending comments and comments with open reports (auto-hidden ones included)."""
        has_open_reports = Exists(
            Report.objects.filter(comment=OuterRef("pk"), status=ReportStatus.OPEN)
        )
        return self.filter(Q(status=CommentStatus.PENDING) | Q(has_open_reports))

    def with_moderation_context(self):
        """Oldest first, with what a moderator needs to judge each: its question and
        consultation, its author, the comment it answers, and its open reports
        (as `open_reports`), in a fixed number of queries."""
        return (
            self.select_related(
                "author",
                "question__consultation",
                "parent__author",
                "parent__question__consultation",
            )
            .prefetch_related(
                models.Prefetch(
                    "reports",
                    queryset=Report.objects.open().select_related("reporter"),
                    to_attr="open_reports",
                )
            )
            .order_by("created_at", "pk")
        )


def _new_thread_key(question_id) -> str:
    return f"{question_id}:{uuid.uuid4().hex}"


class Comment(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="comments"
    )
    # The parent is referenced through `thread_key`, "<question id>:<random>",
    # rather than the integer id, so the database itself can check that a
    # reply's parent belongs to the same question: the foreign key proves the
    # parent exists with that key, and the check constraints below prove that
    # both keys start with the same question id.
    thread_key = models.CharField(max_length=64, unique=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        to_field="thread_key",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    body_source = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=CommentLanguage.choices,
        default=CommentLanguage.ENGLISH,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommentStatus.choices,
        default=CommentStatus.PUBLISHED,
        db_index=True,
    )
    moderation_reason = models.TextField(
        _("reason for hiding"), blank=True, help_text=_("Shown in place of a hidden comment.")
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    thread_key__startswith=Concat(
                        Cast("question_id", models.CharField()), Value(":")
                    )
                ),
                name="comment_thread_key_names_its_question",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True)
                | StartsWith(
                    F("parent_id"), Concat(Cast("question_id", models.CharField()), Value(":"))
                ),
                name="comment_parent_in_same_question",
                violation_error_message=_("A reply must answer a comment on the same question."),
            ),
            models.CheckConstraint(condition=~Q(body_source=""), name="comment_body_not_empty"),
        ]
        indexes = [models.Index(fields=["question", "created_at"])]

    def __str__(self):
        return _("Comment %(id)s by %(author)s") % {"id": self.pk, "author": self.author}

    def save(self, *args, **kwargs):
        if not self.thread_key:
            self.thread_key = _new_thread_key(self.question_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_placeholder(self) -> bool:
        """Hidden and withdrawn comments keep their place but not their text."""
        return self.status in (CommentStatus.HIDDEN, CommentStatus.WITHDRAWN)

    @property
    def is_long(self) -> bool:
        return len(self.body_source) > 700

    # Transitions check and change the instance; services save and log them.

    def approve(self):
        if self.status != CommentStatus.PENDING:
            raise TransitionRefused(_("Only a comment awaiting moderation can be approved."))
        self.status = CommentStatus.PUBLISHED

    def hide(self, reason: str):
        """Hide with the reason shown in its place; a hidden comment may be hidden again
        to confirm an automatic hide with a moderator's own reason."""
        if self.status == CommentStatus.WITHDRAWN:
            raise TransitionRefused(_("Its author has withdrawn this comment."))
        reason = (reason or "").strip()
        if not reason:
            raise TransitionRefused(_("Give a reason for hiding this comment."))
        self.status = CommentStatus.HIDDEN
        self.moderation_reason = reason

    def restore(self):
        if self.status != CommentStatus.HIDDEN:
            raise TransitionRefused(_("Only a hidden comment can be restored."))
        self.status = CommentStatus.PUBLISHED
        self.moderation_reason = ""

    def withdraw(self):
        if self.status == CommentStatus.WITHDRAWN:
            raise TransitionRefused(_("This comment has already been withdrawn."))
        if self.status == CommentStatus.HIDDEN:
            raise TransitionRefused(_("A moderator has hidden this comment."))
        self.status = CommentStatus.WITHDRAWN


@dataclass(frozen=True)
class ThreadEntry:
    """One comment in a thread, in reading order, with its place in the tree."""

    comment: Comment
    depth: int
    parent: Comment | None

    @property
    def indent(self) -> int:
        return min(self.depth, settings.ROUNDTABLE_THREAD_MAX_INDENT)


def arrange_thread(comments) -> list[ThreadEntry]:
    """Order comments depth-first, each reply under its parent, oldest first.

    Takes the comments of one question (or several) already fetched in one
    query; a reply whose parent is not among them (a pending parent the
    reader may not see) is shown at the top level.
    """
    comments = sorted(comments, key=lambda comment: (comment.created_at, comment.pk))
    by_key = {comment.thread_key: comment for comment in comments}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:
        parent_key = comment.parent_id if comment.parent_id in by_key else None
        children.setdefault(parent_key, []).append(comment)

    entries: list[ThreadEntry] = []
    stack = [(comment, 0) for comment in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        parent = by_key.get(comment.parent_id) if comment.parent_id else None
        entries.append(ThreadEntry(comment=comment, depth=depth, parent=parent))
        for child in reversed(children.get(comment.thread_key, [])):
            stack.append((child, depth + 1))
    return entries


class ReportReason(models.TextChoices):
    ABUSIVE = "abusive", _("Abusive or hateful")
    PERSONAL_DATA = "personal_data", _("Shares someone's personal data")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportStatus.OPEN)

    def by(self, user):
        return self.filter(reporter=user) if user.is_authenticated else self.none()

    def resolve(self, status: ReportStatus, now=None) -> int:
        """Close the open ones among these reports as dismissed or upheld; returns how many."""
        return self.open().update(status=status, resolved_at=now or timezone.now())


class Report(models.Model):
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.PROTECT, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason.choices)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                name="report_once_per_comment_and_reporter",
                violation_error_message=_("You have already reported this comment."),
            ),
        ]

    def __str__(self):
        return _("Report on comment %(id)s") % {"id": self.comment_id}


class ModerationAction(models.TextChoices):
    APPROVE = "approve", _("Approved a comment")
    HIDE = "hide", _("Hid a comment")
    AUTO_HIDE = "auto_hide", _("Hid a comment automatically after reports")
    RESTORE = "restore", _("Restored a comment")
    WITHDRAW = "withdraw", _("Withdrew own comment")
    DISMISS_REPORTS = "dismiss_reports", _("Dismissed reports")
    LOCK = "lock", _("Locked a question")
    UNLOCK = "unlock", _("Unlocked a question")
    CREATE_CONSULTATION = "create_consultation", _("Created a consultation")
    EDIT_CONSULTATION = "edit_consultation", _("Edited a consultation")
    OPEN_NOW = "open_now", _("Opened a consultation")
    CLOSE_NOW = "close_now", _("Closed a consultation")
    RESCHEDULE = "reschedule", _("Changed a consultation's window")
    CREATE_QUESTION = "create_question", _("Created a question")
    EDIT_QUESTION = "edit_question", _("Edited a question")
    EXPORT = "export", _("Exported contributions")


class ModerationEntryQuerySet(models.QuerySet):
    def for_consultation(self, consultation):
        return self.filter(consultation=consultation)

    def update(self, **kwargs):
        raise TypeError("The moderation log is append-only.")

    def delete(self):
        raise TypeError("The moderation log is append-only.")


class ModerationEntry(models.Model):
    """One line of the append-only log of moderation and secretariat actions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_entries",
        help_text=_("Empty for actions Roundtable took by itself."),
    )
    action = models.CharField(_("action"), max_length=32, choices=ModerationAction.choices)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="moderation_entries",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, null=True, blank=True
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ModerationEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("add", "view")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The moderation log is append-only.")
