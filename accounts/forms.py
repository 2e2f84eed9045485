from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import OrganisationType, User
from accounts.time_zones import time_zone_choices_names, time_zone_names
from accounts.validators import refuse_control_characters
from site_identity.services import terms_accept


def _country_choices():
    # A callable, so the names are listed in the language of each request
    # rather than frozen in whatever language was active at import.
    return [("", _("Choose a country")), *countries]


class TimeZoneField(forms.ChoiceField):
    """A select of every IANA zone ("Europe/Paris"); a name not in it is refused by name."""

    def __init__(self, *, blank_label=None, **kwargs):
        # The names are the tz database's own ("America/Sao_Paulo"): data, not words.
        choices = [
            (name, _("UTC") if name == "UTC" else name) for name in time_zone_choices_names()
        ]
        if blank_label is not None:
            choices = [("", blank_label), *choices]
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _(
                    "“%(value)s” is not a time zone we know. Choose one from the list, "
                    "for example “Europe/Paris” or “America/Bogota”."
                )
            },
        )
        super().__init__(choices=choices, **kwargs)

    def valid_value(self, value):
        # Aliases the list leaves out ("CET") are still real zones.
        return value in time_zone_names()


class ProfileSignupForm(forms.Form):
    """The profile questions allauth's signup form asks after email and password."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("Shown with everything you post."),
        validators=[refuse_control_characters],
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        validators=[refuse_control_characters],
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose one"))] + list(OrganisationType.choices),
    )
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    accept_terms = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick the box to accept the terms of participation: you cannot take part "
                "without them. Everything else you typed is kept."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request, so the links point at the pages in the page's language.
        self.fields["accept_terms"].label = format_html(
            gettext(
                "I accept the {terms_link}terms of participation{end_link} and have read the "
                "{privacy_link}privacy notice{end_link}: what I post is public, with my name "
                "and organisation."
            ),
            terms_link=format_html(
                '<a href="{}">', reverse("site_identity:notice", args=["terms"])
            ),
            privacy_link=format_html(
                '<a href="{}">', reverse("site_identity:notice", args=["privacy"])
            ),
            end_link=mark_safe("</a>"),
        )

    def signup(self, request, user):
        """allauth calls this after saving; the adapter has already stored the profile."""
        terms_accept(user=user)


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves after signing up."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "organisation",
            "organisation_type",
            "country",
            "preferred_language",
            "time_zone",
        ]
        labels = {
            "display_name": _("Your name"),
            "organisation": _("Organisation"),
            "organisation_type": _("Type of organisation"),
            "country": _("Country"),
            "preferred_language": _("Your language"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            ("", _("No preference: the language of the page I am on")),
            *settings.LANGUAGES,
        ]

    time_zone = TimeZoneField(
        label=_("Your time zone"),
        required=False,
        blank_label=_("Each consultation's own time zone"),
        help_text=_("Every date and time on the site and in our emails is shown in this zone."),
    )
