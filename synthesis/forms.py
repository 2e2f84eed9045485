"""The workbench's forms: they validate and say what is wrong; services write."""

from django import forms
from django.conf import settings
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationType
from consultations.forms import TranslatedFieldsMixin
from consultations.models import CommentLanguage, Consultation
from synthesis.models import QUOTE_MAX_LENGTH, Theme, objectives_in_active_language
from synthesis.reading import SynthesisFilters, TagState

TRANSLATED_THEME_FIELDS = ("title", "description")


def _translated(names):
    return [f"{name}_{code}" for code, _language in settings.LANGUAGES for name in names]


class ThemeForm(TranslatedFieldsMixin, forms.ModelForm):
    """A theme of the codebook: title and description per language, the objectives it serves."""

    translated_fields = TRANSLATED_THEME_FIELDS

    objective_numbers = forms.TypedMultipleChoiceField(
        label=_("Objectives under review it speaks to"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the consultation's objectives under review.")
        },
    )

    class Meta:
        model = Theme
        fields = [*_translated(TRANSLATED_THEME_FIELDS), "objective_numbers"]
        widgets = {
            f"description_{code}": forms.Textarea(attrs={"rows": 3})
            for code, _language in settings.LANGUAGES
        }

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_translated_fields()
        field = self.fields["objective_numbers"]
        field.choices = [
            (number, text)
            for number, text in enumerate(objectives_in_active_language(consultation), start=1)
        ]
        if not field.choices:
            del self.fields["objective_numbers"]


class ContributionThemesForm(forms.Form):
    """The themes a contribution speaks to: checkboxes of the codebook."""

    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose themes of this consultation's codebook."),
            "invalid_pk_value": _("Choose themes of this consultation's codebook."),
        },
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.for_consultation(
            consultation
        ).in_codebook_order()


class QuoteForm(forms.Form):
    excerpt = forms.CharField(
        label=_("Key quote"),
        # Room for the whitespace a copied excerpt brings; the quote itself is checked later.
        max_length=QUOTE_MAX_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Copy the words from the contribution's text above, exactly as written. "
            "Line breaks and spacing do not matter."
        ),
        error_messages={
            "required": _("Paste the words you want to quote."),
            "max_length": _("A key quote is at most %(limit_value)d characters."),
        },
    )


class PaperUseForm(forms.Form):
    section = forms.CharField(
        label=_("Section of the paper"),
        max_length=200,
        help_text=_("For example “2.1 Fair recruitment”."),
        error_messages={
            "required": _("Say which section of the paper uses this contribution."),
            "max_length": _("Please keep the section under %(limit_value)d characters."),
        },
    )


def _any(label):
    return [("", label)]


class SynthesisFilterForm(forms.Form):
    """The synthesis page's filters, read from the address; an unknown value is an error."""

    question = forms.TypedChoiceField(
        label=_("Question"), coerce=int, required=False, empty_value=None
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    organisation_type = forms.ChoiceField(label=_("Organisation type"), required=False)
    tag_state = forms.ChoiceField(
        label=_("Tagged"),
        required=False,
        choices=[
            (TagState.ANY, _("Tagged or not")),
            (TagState.TAGGED, _("Tagged with a theme")),
            (TagState.UNTAGGED, _("Not yet tagged")),
        ],
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = consultation.questions.order_by("number").values_list("number", flat=True)
        self.fields["question"].choices = _any(_("All questions")) + [
            (number, _("Question %(number)s") % {"number": number}) for number in numbers
        ]
        self.fields["language"].choices = _any(_("All languages")) + list(CommentLanguage.choices)
        self.fields["organisation_type"].choices = _any(_("All organisation types")) + list(
            OrganisationType.choices
        )
        for name, field in self.fields.items():
            field.error_messages["invalid_choice"] = _(
                "“%(value)s” is not one of the choices; the filter is left out."
            )
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def filters(self) -> SynthesisFilters:
        """The filters that were valid; an invalid one is left out (its error says so)."""
        self.is_valid()
        cleaned = self.cleaned_data
        return SynthesisFilters(
            question=cleaned.get("question"),
            language=cleaned.get("language") or None,
            organisation_type=cleaned.get("organisation_type") or None,
            tag_state=TagState(cleaned.get("tag_state") or TagState.ANY),
        )

    def as_query(self) -> str:
        """The valid filters as an address query, for links that keep them (pages, exports)."""
        filters = self.filters()
        pairs = {
            "question": filters.question,
            "language": filters.language,
            "organisation_type": filters.organisation_type,
            "tag_state": filters.tag_state if filters.tag_state != TagState.ANY else None,
        }
        return urlencode({key: value for key, value in pairs.items() if value is not None})
