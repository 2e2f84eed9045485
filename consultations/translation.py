"""django-modeltranslation registrations: staff-written content only.

Comments are not translated; each stores the language it was written in.
"""

from modeltranslation.translator import TranslationOptions, register

from consultations.models import Consultation, Question


@register(Consultation)
class ConsultationTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "introduction", "objectives", "guiding_points", "organisers")
    required_languages = ("en",)


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en",)
