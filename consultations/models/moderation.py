"""Reports on comments and the append-only log of moderation and secretariat actions."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from consultations.models.archives import ConsultationArchive
from consultations.models.comments import Comment, CommentStatus
from consultations.models.consultations import Consultation, Question, TransitionRefused


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
    EDIT = "edit", _("Edited own comment")
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
    EDIT_COMMENT = "edit_comment", _("Changed a comment in the admin")
    REQUEST_CLARIFICATION = "request_clarification", _("Asked an author for clarification")
    CLOSE_CLARIFICATION = "close_clarification", _("Closed a request for clarification")
    ARCHIVE = "archive", _("Wrote the sealed record of a consultation")
    # The synthesis workbench (synthesis/).
    CREATE_THEME = "create_theme", _("Created a theme")
    EDIT_THEME = "edit_theme", _("Changed a theme")
    ADD_TAG = "add_tag", _("Tagged a contribution with a theme")
    REMOVE_TAG = "remove_tag", _("Removed a theme from a contribution")
    MARK_QUOTE = "mark_quote", _("Marked a key quote")
    REMOVE_QUOTE = "remove_quote", _("Removed a key quote")
    SET_PAPER_USE = "set_paper_use", _("Marked a contribution as used in the paper")
    CLEAR_PAPER_USE = "clear_paper_use", _("Unmarked a contribution as used in the paper")
    EXPORT_SYNTHESIS = "export_synthesis", _("Exported the synthesis")
    TRANSLATE = "translate", _("Translated a contribution")


class ClarificationClosing(models.TextChoices):
    AUTHOR_REPLIED = "author_replied", _("The author replied")
    AUTHOR_EDITED = "author_edited", _("The author edited the comment")
    MODERATOR_CLOSED = "moderator_closed", _("A moderator closed it")


class ClarificationRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def moderated_by(self, user):
        return self.filter(
            comment__question__consultation__in=Consultation.objects.moderated_by(user)
        )

    def oldest_first(self):
        return self.order_by("opened_at", "pk")

    def answered_by(self, reply: Comment):
        """Open requests that `reply` answers: its author's own comment, asked about, replied
        under (directly, or under the moderator's request)."""
        if reply.parent_id is None:
            return self.none()
        return self.open().filter(
            models.Q(comment__thread_key=reply.parent_id)
            | models.Q(follow_up__thread_key=reply.parent_id),
            comment__author_id=reply.author_id,
        )

    def with_context(self):
        return self.select_related(
            "comment__author",
            "comment__question__consultation",
            "follow_up__question__consultation",
            "requested_by",
        )


class ClarificationRequest(models.Model):
    """A moderator's request that the author clarify a comment, open until answered or closed.

    The request itself is public: the moderator's message is a reply under
    the comment (`follow_up`). It closes when the author replies under the
    comment or under the request, edits the comment, or a moderator closes it.
    """

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment"),
        on_delete=models.PROTECT,
        related_name="clarification_requests",
    )
    follow_up = models.OneToOneField(
        Comment,
        verbose_name=_("moderator's follow-up"),
        on_delete=models.PROTECT,
        related_name="clarification_request_opened",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("requested"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_how = models.CharField(
        _("how it was closed"), max_length=32, choices=ClarificationClosing.choices, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.ForeignKey(
        Comment,
        verbose_name=_("author's reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ClarificationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request for clarification")
        verbose_name_plural = _("requests for clarification")
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment"],
                condition=models.Q(closed_at__isnull=True),
                name="clarification_request_one_open_per_comment",
                violation_error_message=_("This comment already awaits a clarification."),
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, closed_how="", closed_by__isnull=True)
                | (models.Q(closed_at__isnull=False) & ~models.Q(closed_how="")),
                name="clarification_request_closed_with_how",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True)
                | models.Q(closed_at__gte=models.F("opened_at")),
                name="clarification_request_closed_after_opening",
            ),
        ]

    def __str__(self):
        return _("Request for clarification on comment %(id)s") % {"id": self.comment_id}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    # Transitions check and change the instance; services save and log them.

    @staticmethod
    def refusal_for(comment: Comment):
        """Why the author of `comment` cannot be asked to clarify it now, or None."""
        if comment.status == CommentStatus.WITHDRAWN:
            return _("Its author has withdrawn this comment.")
        if comment.status == CommentStatus.HIDDEN:
            return _("A moderator has hidden this comment.")
        if comment.status != CommentStatus.PUBLISHED:
            return _("Only a published comment can be the subject of a request for clarification.")
        return None

    @classmethod
    def opened(cls, *, comment: Comment, requested_by, now):
        """A new, unsaved request on `comment` (its `follow_up` still to set); refused unless
        the comment is published."""
        refusal = cls.refusal_for(comment)
        if refusal:
            raise TransitionRefused(refusal)
        return cls(comment=comment, requested_by=requested_by, opened_at=now)

    def close(self, *, how: ClarificationClosing, now, by=None, answer: Comment | None = None):
        if not self.is_open:
            raise TransitionRefused(_("This request for clarification is already closed."))
        self.closed_at = max(now, self.opened_at)
        self.closed_how = how
        self.closed_by = by
        self.answer = answer


# The models a change in the log can name, by the key stored with it.
_CHANGED_MODELS = {
    "consultation": Consultation,
    "question": Question,
    "comment": Comment,
    "clarification_request": ClarificationRequest,
    "archive": ConsultationArchive,
}


def register_changed_model(model: type[models.Model]) -> None:
    """Let the log name another app's fields in each reader's language (from its ready())."""
    _CHANGED_MODELS[model._meta.model_name] = model


def _loggable(value):
    """A field value as the log stores it: JSON data, the same in every language."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_loggable(item) for item in value)
    if isinstance(value, dict):
        return {str(key): _loggable(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def field_change(model: str, field: str, before, after) -> dict:
    """One fact for `ModerationEntry.changes`: which field of which model, before and after."""
    return {"model": model, "field": field, "before": _loggable(before), "after": _loggable(after)}


@dataclass(frozen=True)
class ChangeInWords:
    field: str
    before: str
    after: str


def _value_in_words(model_field, value) -> str:
    if isinstance(value, dict):
        # One value per language ({"en": ..., "fr": ...}): the reader's, or English.
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        value = value.get(language) or value.get(settings.LANGUAGE_CODE)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    choices = dict(model_field.flatchoices) if model_field is not None else {}
    return str(choices.get(value, value))


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
    # Facts, not sentences: [{"model", "field", "before", "after"}], put into
    # words in each reader's language when the log is read.
    changes = models.JSONField(_("changes"), default=list, blank=True, encoder=DjangoJSONEncoder)
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

    def changes_in_words(self) -> Iterable[ChangeInWords]:
        """What changed, with field names and values in the active language."""
        for change in self.changes:
            model = _CHANGED_MODELS.get(change.get("model"), Consultation)
            try:
                model_field = model._meta.get_field(change["field"])
            except FieldDoesNotExist:
                model_field = None
            yield ChangeInWords(
                field=str(model_field.verbose_name) if model_field else change["field"],
                before=_value_in_words(model_field, change.get("before")),
                after=_value_in_words(model_field, change.get("after")),
            )
