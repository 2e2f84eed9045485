"""django-modeltranslation registrations: a theme's title and description are staff content."""

from modeltranslation.translator import TranslationOptions, register

from synthesis.models import Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)
