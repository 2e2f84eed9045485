"""allauth's forms in the site's words (ACCOUNT_FORMS): sentence case, labels without placeholders.

Kept apart from accounts.forms, which allauth imports while building its own
forms (ACCOUNT_SIGNUP_FORM_CLASS): importing allauth's forms there would be a cycle.
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _


class SiteWordsMixin:
    """Relabel fields (`labels`) and drop placeholders that only repeat the visible label."""

    labels: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]


_NEW_PASSWORD_LABELS = {
    "password1": _("New password"),
    "password2": _("New password, again"),
}


class LoginForm(SiteWordsMixin, allauth_forms.LoginForm):
    labels = {"login": _("Email address")}


class SignupForm(SiteWordsMixin, allauth_forms.SignupForm):
    labels = {"email": _("Email address"), "password2": _("Password, again")}


class AddEmailForm(SiteWordsMixin, allauth_forms.AddEmailForm):
    labels = {"email": _("Email address")}


class ChangePasswordForm(SiteWordsMixin, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": _("Current password"), **_NEW_PASSWORD_LABELS}


class SetPasswordForm(SiteWordsMixin, allauth_forms.SetPasswordForm):
    labels = _NEW_PASSWORD_LABELS


class ResetPasswordForm(SiteWordsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": _("Email address")}


class ResetPasswordKeyForm(SiteWordsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = _NEW_PASSWORD_LABELS


class ReauthenticateForm(SiteWordsMixin, allauth_forms.ReauthenticateForm):
    pass
