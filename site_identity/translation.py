"""django-modeltranslation registrations: the host's texts in each language."""

from modeltranslation.translator import TranslationOptions, register

from site_identity.models import Notice, SiteIdentity


@register(SiteIdentity)
class SiteIdentityTranslationOptions(TranslationOptions):
    fields = ("name", "tagline", "footer_text", "disclaimer")
    required_languages = ("en",)


@register(Notice)
class NoticeTranslationOptions(TranslationOptions):
    fields = ("body",)
    required_languages = ("en",)
