"""Form pieces shared by the apps whose staff-written content is translated (modeltranslation)."""

from django.conf import settings
from django.utils.text import capfirst


def by_language(names) -> list[str]:
    """The modeltranslation field names of `names` in every language: title_en, title_fr ..."""
    return [f"{name}_{code}" for code, _language in settings.LANGUAGES for name in names]


class TranslatedFieldsMixin:
    """Translated fields (title_en, title_fr ...) grouped by language, labelled without [en].

    The console's templates show one fieldset per language; the form calls
    `_label_translated_fields()` once its fields exist.
    """

    translated_fields: tuple[str, ...] = ()
    extra_names: frozenset[str] = frozenset()

    def _label_translated_fields(self):
        model = self._meta.model
        for name in self.translated_fields:
            label = capfirst(model._meta.get_field(name).verbose_name)
            for code, _language in settings.LANGUAGES:
                field = self.fields[f"{name}_{code}"]
                field.label = label
                field.widget.attrs["lang"] = code

    def language_fieldsets(self):
        """[(code, language name, [bound fields])], English first: one fieldset per language."""
        return [
            (code, language, [self[f"{name}_{code}"] for name in self.translated_fields])
            for code, language in settings.LANGUAGES
        ]

    def other_fields(self):
        translated = set(by_language(self.translated_fields))
        return [bound for bound in self if bound.name not in translated]

    def translated_values(self) -> dict:
        """The cleaned values of the translated fields only."""
        return {name: self.cleaned_data[name] for name in by_language(self.translated_fields)}

    def model_values(self) -> dict:
        """The cleaned values of the model's own fields, for a service to write."""
        return {
            name: value for name, value in self.cleaned_data.items() if name not in self.extra_names
        }
