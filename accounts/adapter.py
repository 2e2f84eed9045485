from allauth.account import app_settings as allauth_account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.urls import translate_url
from django.utils import translation

from consultations.limits import seconds_until_allowed
from notifications.tasks import email_message_as_data, send_email_message

# When allauth's limiter cannot tell the wait, a minute is a fair first guess.
DEFAULT_RETRY_AFTER = 60


class AccountAdapter(DefaultAccountAdapter):
    """Roundtable's hooks into allauth: the profile at signup, mail in the reader's language."""

    def save_user(self, request, user, form, commit=True):
        profile = form.cleaned_data
        user.display_name = profile["display_name"]
        user.organisation = profile.get("organisation", "")
        user.organisation_type = profile.get("organisation_type", "")
        user.country = profile.get("country", "")
        user.preferred_language = translation.get_language() or user.preferred_language
        return super().save_user(request, user, form, commit=commit)

    def pre_authenticate(self, request, **credentials):
        """Too many failed log-ins: the form says so, and the page answers 429 with the wait."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            wait = seconds_until_allowed(
                request,
                app="allauth.account",
                action="login_failed",
                config=allauth_account_settings.RATE_LIMITS,
                key=self._get_login_attempts_cache_key(request, **credentials),
            )
            request.limit_retry_after = wait or DEFAULT_RETRY_AFTER
            raise

    def send_account_already_exists_mail(self, email):
        """Sign-up with a taken address: do the work a new account costs, then send the mail.

        A new account's password is hashed, which is the slow part of signing
        up on purpose; hashing the submitted one here too makes both answers
        take the same time, so the delay does not tell whether an address has
        an account.
        """
        request = allauth_context.request
        make_password(request.POST.get("password1", "") if request is not None else "")
        super().send_account_already_exists_mail(email)

    def send_mail(self, template_prefix, email, context):
        language = self._language_of_recipient(email, context)
        # allauth builds the links before it sends, in the language of the page
        # that asked; point them at the pages in the reader's language. (They
        # must be resolved while the page's language is still active.)
        context = {
            key: translate_url(value, language)
            if key.endswith("_url") and isinstance(value, str)
            else value
            for key, value in context.items()
        }
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        # Rendered here, in the reader's language, while the request is at
        # hand; the worker only sends, so a slow or absent mail server never
        # holds up (or fails) the page.
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        send_email_message.enqueue(email_message_as_data(message))

    @staticmethod
    def _language_of_recipient(email, context):
        recipient = context.get("user")
        if recipient is None:
            recipient = get_user_model().objects.filter(email__iexact=email).first()
        if recipient is not None and recipient.preferred_language:
            return recipient.preferred_language
        return translation.get_language()
