from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consultations.models import CommentLanguage


class CommentForm(forms.Form):
    """An answer, a reply or an edit: the Markdown text and the language it is written in."""

    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=settings.ROUNDTABLE_COMMENT_MAX_LENGTH,
        strip=True,
        help_text=_(
            "Plain text with a little Markdown: *emphasis*, **strong**, lists, "
            "[links](https://example.org) and > quotes."
        ),
        error_messages={
            "required": _("Write something before you post."),
            "max_length": _(
                "Please keep your comment under %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of your comment"),
        choices=CommentLanguage.choices,
        error_messages={
            "invalid_choice": _(
                "Choose the language your comment is written in: English, French, "
                "Spanish or another language."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            interface_language = (get_language() or "en").split("-")[0]
            if interface_language in CommentLanguage.values:
                self.initial.setdefault("language", interface_language)


# --- Moderation forms (issue 4) ---------------------------------------------


# --- Secretariat forms (issue 4) --------------------------------------------
