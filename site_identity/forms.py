from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.forms import TranslatedFieldsMixin, by_language
from site_identity.models import Notice, SiteIdentity
from site_identity.uploads import check_image

LOGO_MAX_BYTES = 512 * 1024
FAVICON_MAX_BYTES = 100 * 1024
TRANSLATED_IDENTITY_FIELDS = ("name", "tagline", "footer_text", "disclaimer")


class SiteIdentityForm(TranslatedFieldsMixin, forms.ModelForm):
    """The host's name and texts in each language, its contact address, logo and favicon."""

    translated_fields = TRANSLATED_IDENTITY_FIELDS

    logo_upload = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("A PNG or SVG image, at most 512 KB. Shown beside the host's name."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    favicon_upload = forms.FileField(
        label=_("New favicon"),
        required=False,
        help_text=_("A small square PNG or SVG image, at most 100 KB, shown in browser tabs."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    remove_favicon = forms.BooleanField(label=_("Remove the current favicon"), required=False)

    class Meta:
        model = SiteIdentity
        fields = [*by_language(TRANSLATED_IDENTITY_FIELDS), "contact_email"]
        widgets = {
            f"footer_text_{code}": forms.Textarea(attrs={"rows": 3})
            for code, _language in settings.LANGUAGES
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_translated_fields()
        self.fields["name_en"].error_messages["required"] = _(
            "Give the host's name in English: it is shown wherever a translation is missing."
        )
        self.logo_image = self.favicon_image = None

    def _checked(self, name, max_bytes):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        return check_image(upload, max_bytes=max_bytes)

    def clean_logo_upload(self):
        self.logo_image = self._checked("logo_upload", LOGO_MAX_BYTES)
        return self.cleaned_data["logo_upload"]

    def clean_favicon_upload(self):
        self.favicon_image = self._checked("favicon_upload", FAVICON_MAX_BYTES)
        return self.cleaned_data["favicon_upload"]

    def clean(self):
        cleaned = super().clean()
        for name in ("logo", "favicon"):
            if cleaned.get(f"{name}_upload") and cleaned.get(f"remove_{name}"):
                self.add_error(
                    f"remove_{name}",
                    ValidationError(_("Either upload a new image or remove the current one.")),
                )
        return cleaned


class NoticeForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = ("body",)

    class Meta:
        model = Notice
        fields = by_language(["body"])
        widgets = {
            f"body_{code}": forms.Textarea(attrs={"rows": 18})
            for code, _language in settings.LANGUAGES
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._label_translated_fields()
        self.fields["body_en"].required = True
        self.fields["body_en"].error_messages["required"] = _(
            "The English text cannot be empty: it is shown wherever a translation is missing."
        )
        for code, _language in settings.LANGUAGES:
            self.fields[f"body_{code}"].strip = True
