"""The secretariat's reading of a consultation, for its background paper.

A codebook of themes per consultation; tags putting contributions under
themes; key quotes, each an excerpt of a contribution's text; and the section
of the paper a contribution is used in. These are the readers' notes, not
anyone's words: a tag, a quote or a use can be removed (the audit log keeps
the fact), while the comments themselves are never touched.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consultations.models import Comment, CommentStatus, Consultation

QUOTE_MAX_LENGTH = 2000


def normalise_whitespace(text: str) -> str:
    """Every run of whitespace (line breaks and non-breaking spaces too) as one space."""
    return " ".join((text or "").split())


def _active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def objectives_in_active_language(consultation: Consultation) -> list[str]:
    """The objectives under review, numbered as in English, in the reader's language.

    A language whose list has a different number of lines than the English
    one cannot be matched line by line, so English is shown instead.
    """
    english_text = consultation.objectives_en or ""
    english = [line.strip() for line in english_text.splitlines() if line.strip()]
    translated_text = getattr(consultation, f"objectives_{_active_language()}", "") or ""
    translated = [line.strip() for line in translated_text.splitlines() if line.strip()]
    return translated if len(translated) == len(english) else english


class ThemeQuerySet(models.QuerySet):
    def for_consultation(self, consultation):
        return self.filter(consultation=consultation)

    def in_codebook_order(self):
        return self.order_by("number", "pk")


class Theme(models.Model):
    """One entry of a consultation's codebook: a numbered theme with a title in each language."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.PROTECT,
        related_name="themes",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what it covers"),
        blank=True,
        max_length=2000,
        help_text=_("A sentence or two saying which contributions belong under this theme."),
    )
    # Positions (1, 2, ...) in the consultation's list of objectives under review.
    objective_numbers = models.JSONField(_("objectives under review"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"],
                name="theme_number_unique_in_consultation",
                violation_error_message=_("This codebook already has a theme with this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="theme_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def clean(self):
        if self.consultation_id is None:
            return
        count = len(objectives_in_active_language(self.consultation))
        numbers = self.objective_numbers or []
        if not isinstance(numbers, list) or any(
            not isinstance(number, int) or not 1 <= number <= count for number in numbers
        ):
            raise ValidationError(
                {"objective_numbers": _("Choose among the consultation's objectives under review.")}
            )

    def titles(self) -> dict[str, str]:
        """The theme's number and title in every language (English where one is missing).

        Stored as such in the audit log, so each reader sees their own language.
        """
        return {
            code: f"{self.number}. {getattr(self, f'title_{code}', '') or self.title_en}"
            for code, _language in settings.LANGUAGES
        }

    def objectives(self) -> list[tuple[int, str]]:
        """(number, text) of the objectives this theme points to, in the reader's language."""
        listed = objectives_in_active_language(self.consultation)
        return [
            (number, listed[number - 1])
            for number in sorted(self.objective_numbers or [])
            if 1 <= number <= len(listed)
        ]


class ThemeTagQuerySet(models.QuerySet):
    def for_consultation(self, consultation):
        return self.filter(theme__consultation=consultation)


class ThemeTag(models.Model):
    """A contribution read as speaking to a theme."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="tags"
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="theme_tags"
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tagged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    tagged_at = models.DateTimeField(_("tagged"), default=timezone.now)

    objects = ThemeTagQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme tag")
        verbose_name_plural = _("theme tags")
        ordering = ["theme", "comment"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "comment"], name="theme_tag_once_per_comment")
        ]

    def __str__(self):
        return f"{self.theme} · {self.comment_id}"


def _refuse_unless_published(comment: Comment) -> None:
    if comment.status != CommentStatus.PUBLISHED:
        raise ValidationError(_("Only published contributions can be read for the synthesis."))


class Quote(models.Model):
    """A key quote: an excerpt of a contribution's text, whitespace made regular."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="key_quotes"
    )
    text = models.TextField(_("excerpt"), max_length=QUOTE_MAX_LENGTH)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("key quote")
        verbose_name_plural = _("key quotes")
        ordering = ["comment", "marked_at", "pk"]
        # No unique index on (comment, text): a long excerpt in a non-Latin
        # script outgrows PostgreSQL's index rows. quote_mark() checks for the
        # same excerpt under the comment's row lock instead.
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="quote_not_empty")]

    def __str__(self):
        return self.text

    @classmethod
    def excerpt_of(cls, comment: Comment, excerpt: str, *, marked_by) -> "Quote":
        """An unsaved quote of `excerpt`, which must be a part of the comment's text.

        Both are compared with their whitespace made regular, so an excerpt
        copied across a line break still matches.
        """
        _refuse_unless_published(comment)
        text = normalise_whitespace(excerpt)
        if not text:
            raise ValidationError(_("Paste the words you want to quote."))
        if len(text) > QUOTE_MAX_LENGTH:
            raise ValidationError(
                _("A key quote is at most %(limit)d characters.") % {"limit": QUOTE_MAX_LENGTH}
            )
        if text not in normalise_whitespace(comment.body_text):
            raise ValidationError(
                _(
                    "This excerpt is not a part of the contribution's text. Copy the words "
                    "exactly as they are written."
                )
            )
        if comment.key_quotes.filter(text=text).exists():
            raise ValidationError(_("This excerpt is already a key quote."))
        return cls(comment=comment, text=text, marked_by=marked_by)

    @property
    def is_in_current_text(self) -> bool:
        """False once the author has edited the contribution and the words are gone."""
        return self.text in normalise_whitespace(self.comment.body_text)


class PaperUse(models.Model):
    """Where the background paper draws on a contribution."""

    comment = models.OneToOneField(
        Comment, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="paper_use"
    )
    section = models.CharField(
        _("section of the paper"),
        max_length=200,
        help_text=_("For example “2.1 Fair recruitment”."),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("use in the paper")
        verbose_name_plural = _("uses in the paper")
        constraints = [
            models.CheckConstraint(condition=~Q(section=""), name="paper_use_section_not_empty"),
        ]

    def __str__(self):
        return self.section
