"""django-modeltranslation registrations: background documents are staff content."""

from modeltranslation.translator import TranslationOptions, register

from documents.models import BackgroundDocument


@register(BackgroundDocument)
class BackgroundDocumentTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)
