"""Translations of published contributions, with who made them and from which version."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.comments import Comment, CommentLanguage, CommentStatus
from consultations.models.consultations import TransitionRefused
from consultations.models.moderation import register_changed_model

# The interface languages a contribution can be translated into.
TRANSLATION_LANGUAGES = (CommentLanguage.ENGLISH, CommentLanguage.FRENCH, CommentLanguage.SPANISH)


class CommentTranslationQuerySet(models.QuerySet):
    def into(self, language: str):
        return self.filter(language=language)


class CommentTranslation(models.Model):
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("contribution"),
        on_delete=models.PROTECT,
        related_name="translations",
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[(language.value, language.label) for language in TRANSLATION_LANGUAGES],
    )
    body_source = models.TextField(_("translation"))
    body_html = models.TextField(editable=False)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        on_delete=models.PROTECT,
        related_name="comment_translations",
    )
    created_at = models.DateTimeField(_("translated"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    # The original's edit time when the translation was written (None: never
    # edited then). Once the original's `edited_at` differs, the translation
    # no longer says what the original says.
    source_edited_at = models.DateTimeField(_("original edited"), null=True, blank=True)

    objects = CommentTranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation of a contribution")
        verbose_name_plural = _("translations of contributions")
        ordering = ["comment", "language"]
        permissions = [("translate_contributions", _("Can translate contributions"))]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "language"],
                name="comment_translation_once_per_language",
            ),
            models.CheckConstraint(
                condition=~Q(body_source=""), name="comment_translation_not_empty"
            ),
        ]

    def __str__(self):
        return _("Translation of comment %(id)s into %(language)s") % {
            "id": self.comment_id,
            "language": self.get_language_display(),
        }

    @property
    def is_out_of_date(self) -> bool:
        """The original was edited after this translation was written."""
        return self.comment.edited_at != self.source_edited_at

    @property
    def source_language_name(self) -> str:
        return self.comment.get_language_display()

    @staticmethod
    def refusal_for(comment: Comment, language: str):
        """Why `comment` cannot be translated into `language`, or None."""
        if comment.status != CommentStatus.PUBLISHED:
            return _(
                "Only published contributions can be translated: this one is awaiting "
                "moderation, hidden or withdrawn."
            )
        if language not in {choice.value for choice in TRANSLATION_LANGUAGES}:
            return _("Choose English, French or Spanish for the translation.")
        if language == comment.language:
            return _(
                "This contribution is already written in %(language)s; choose another language."
            ) % {"language": comment.get_language_display()}
        return None

    def write(self, *, body_source: str, body_html: str, translator, now):
        """Set the text, the translator and the original's version; raises when empty."""
        if not (body_source or "").strip():
            raise TransitionRefused(_("Write the translation: the text is empty."))
        self.body_source = body_source
        self.body_html = body_html
        self.translator = translator
        self.updated_at = now
        self.source_edited_at = self.comment.edited_at


register_changed_model(CommentTranslation)
