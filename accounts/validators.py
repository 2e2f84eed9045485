"""Checks on the names people give themselves, shown beside everything they post."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters that reorder the text around them (a name that reads "Ministry"
# on screen can hold other words in another order) or that are invisible.
# Zero-width joiners and non-joiners stay allowed: Persian, Indic and emoji
# spellings need them.
BIDIRECTIONAL_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")


def refuse_control_characters(value: str) -> None:
    """Refuse bidirectional overrides, control characters and other invisible formatting."""
    for character in value:
        category = unicodedata.category(character)
        if (
            character in BIDIRECTIONAL_CONTROLS
            or category == "Cc"
            or (category == "Cf" and character not in ALLOWED_FORMAT_CHARACTERS)
        ):
            raise ValidationError(
                _(
                    "Please use only visible letters, digits, spaces and punctuation: "
                    "this contains a hidden character (U+%(code)04X) that can change "
                    "how the text around it reads."
                ),
                code="control_character",
                params={"code": ord(character)},
            )
