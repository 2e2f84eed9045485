"""Consultations and their numbered questions; the state comes from the clock."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.time_zones import default_time_zone, validate_time_zone
from forum.compiled_queries import compiled_rows


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


def _comments():
    # Comment's module imports this one: looked up when asked, not at import.
    return apps.get_model("consultations", "Comment").objects


class ConsultationQuerySet(models.QuerySet):
    def with_reader_wrote_here(self, user):
        """Each consultation with `reader_wrote_here`: whether `user` has commented on it."""
        if not user.is_authenticated:
            return self.annotate(reader_wrote_here=Value(False))
        comments = _comments()
        return self.annotate(
            reader_wrote_here=Exists(
                comments.filter(question__consultation=OuterRef("pk"), author=user)
            )
        )

    def note_display_change(self) -> int:
        """Something these consultations' pages show beside the comments has changed (a
        question, a moderator, a name): their cached pages and answer blocks are stale."""
        return self.update(display_version=F("display_version") + 1)

    def note_comment_change(self) -> int:
        """A comment (or its translation, file or clarification request) has changed:
        their cached pages are stale; only the answer blocks holding it are (see
        Comment.thread_version)."""
        return self.update(comments_version=F("comments_version") + 1)

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


def _moderator_ids_query(consultation):
    from django.contrib.auth import get_user_model

    # Three small lookups, each served by an index of its link table, in one
    # statement. Joining them to the accounts with OR instead read every
    # account on every page (40 ms with 100,000 accounts).
    user_model = get_user_model()
    permission = {
        "codename": "moderate_every_consultation",
        "content_type__app_label": "consultations",
    }
    named = Consultation.moderators.through.objects.filter(consultation=consultation).values_list(
        "user_id"
    )
    through_groups = user_model.groups.through.objects.filter(
        **{f"group__permissions__{key}": value for key, value in permission.items()}
    ).values_list("user_id")
    directly = user_model.user_permissions.through.objects.filter(
        **{f"permission__{key}": value for key, value in permission.items()}
    ).values_list("user_id")
    return named.union(through_groups, directly)


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
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_(
            "Visitors read the consultation's dates and times in this zone, "
            "for example “Europe/Geneva”."
        ),
    )
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
    # One more each time something its pages show changes (consultations/display_changes.py):
    # display_version for what stands beside the comments (a question, a moderator, a
    # name), comments_version for the comments themselves (with their translations,
    # files, clarification requests). Cached pages are kept under both, so a change
    # makes them miss at once in every process; answer blocks under the first only,
    # with their own thread_version.
    display_version = models.PositiveBigIntegerField(default=0, editable=False)
    comments_version = models.PositiveBigIntegerField(default=0, editable=False)

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
        """Everyone whose comments here carry the Moderator badge: named or global moderators
        (SQL compiled once: every page of comments asks)."""
        rows = compiled_rows(
            "moderators of a consultation", _moderator_ids_query, key=(), consultation=self
        )
        return {user_id for (user_id,) in rows}

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


class QuestionQuerySet(models.QuerySet):
    def with_reader_wrote_here(self, user):
        """Each question with `reader_wrote_here`: whether `user` has commented on it."""
        if not user.is_authenticated:
            return self.annotate(reader_wrote_here=Value(False))
        comments = _comments()
        return self.annotate(
            reader_wrote_here=Exists(comments.filter(question=OuterRef("pk"), author=user))
        )


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

    objects = QuestionQuerySet.as_manager()

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
