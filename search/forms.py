from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import OrganisationType
from consultations.models import CommentLanguage, Consultation

# Long enough for any real question; a longer text is refused with a message
# (and shown back), never sent to the database.
QUERY_MAX_LENGTH = 200


class SearchTextField(forms.CharField):
    """Typed text with NUL characters dropped (they cannot be stored or searched)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", "")
        return super().to_python(value)


def _with_anything(choices, label):
    return [("", label), *choices]


class SearchForm(forms.Form):
    """The search box and its filters, read from the address (GET)."""

    q = SearchTextField(
        label=_("Search for"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Please search for at most %(limit_value)d characters (you typed %(show_value)d)."
            )
        },
    )
    consultation = forms.ChoiceField(label=_("Consultation"), required=False)
    question = forms.TypedChoiceField(
        label=_("Question"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(
        label=_("Language of the contribution"),
        required=False,
        choices=_with_anything(CommentLanguage.choices, _("Any language")),
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=_with_anything(OrganisationType.choices, _("Any type")),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    posted_from = forms.DateField(
        label=_("Posted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    posted_until = forms.DateField(
        label=_("Posted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultations = {
            consultation.slug: consultation
            for consultation in Consultation.objects.visible_to(user).prefetch_related("questions")
        }
        self.fields["consultation"].choices = _with_anything(
            [(slug, consultation.title) for slug, consultation in self.consultations.items()],
            _("All consultations"),
        )
        numbers = sorted(
            {
                q.number
                for consultation in self.consultations.values()
                for q in consultation.questions.all()
            }
        )
        self.fields["question"].choices = _with_anything(
            [(number, _("Question %(number)s") % {"number": number}) for number in numbers],
            _("All questions"),
        )
        self.fields["country"].choices = _with_anything(list(countries), _("Any country"))

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("question")
        slug = cleaned.get("consultation")
        if number is not None and not slug:
            self.add_error("question", _("Choose a consultation to search one of its questions."))
        elif number is not None and slug:
            if not any(q.number == number for q in self.consultations[slug].questions.all()):
                self.add_error("question", _("This consultation has no question with that number."))
        start, end = cleaned.get("posted_from"), cleaned.get("posted_until")
        if start and end and start > end:
            raise ValidationError(_("The first date must come before the second."))
        return cleaned

    def comment_filters(self) -> dict:
        """The chosen filters as lookups on Comment (call after is_valid())."""
        data = self.cleaned_data
        filters = {}
        if data.get("consultation"):
            filters["question__consultation"] = self.consultations[data["consultation"]]
        if data.get("question") is not None:
            filters["question__number"] = data["question"]
        if data.get("language"):
            filters["language"] = data["language"]
        if data.get("organisation_type"):
            filters["author__organisation_type"] = data["organisation_type"]
        if data.get("country"):
            # A person who hides their country is never found through it.
            filters["author__country"] = data["country"]
            filters["author__hide_country"] = False
        if data.get("posted_from"):
            filters["created_at__date__gte"] = data["posted_from"]
        if data.get("posted_until"):
            filters["created_at__date__lte"] = data["posted_until"]
        return filters


class OrganisationMergeForm(forms.Form):
    from_key = forms.ChoiceField(label=_("Merge this spelling"))
    into_key = forms.ChoiceField(label=_("into this organisation"))

    def __init__(self, *args, known, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (key, f"{organisation.name} ({len(organisation.member_ids)})")
            for key, organisation in sorted(known.items(), key=lambda item: item[1].name.casefold())
        ]
        self.fields["from_key"].choices = choices
        self.fields["into_key"].choices = choices
