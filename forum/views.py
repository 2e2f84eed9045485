"""The project's error pages: 400 (and 413 for a request too large) and 429.

They are rendered without the request context, like the 500 and 503 pages:
a request refused for a forged Host header or a body too large must not run
the context processors (which ask the database and build addresses from the
host) to say so.
"""

from allauth.account import app_settings as allauth_account_settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template.loader import render_to_string

from consultations.limits import seconds_until_allowed

# The allauth page behind each URL name, and the action its limiter counts.
_ALLAUTH_ACTIONS = {
    "account_signup": "signup",
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_email": "manage_email",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_reauthenticate": "reauthenticate",
}
# When the wait cannot be told (a limit per email address), a minute is a
# fair first guess: most of allauth's rates are per minute.
DEFAULT_RETRY_AFTER = 60


def _page(template: str, status: int, context=None) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context or {}), status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    """400 for a request Django refuses (a forged Host, a malformed body); 413 when too large."""
    if isinstance(exception, RequestDataTooBig):
        return _page("413.html", 413)
    return _page("400.html", 400)


def too_many_requests(request):
    """allauth's 429 (sign-up, log-in, password reset too often), with `Retry-After`."""
    match = request.resolver_match
    action = _ALLAUTH_ACTIONS.get(match.url_name if match else "")
    wait = 0
    if action:
        wait = seconds_until_allowed(
            request,
            app="allauth.account",
            action=action,
            config=allauth_account_settings.RATE_LIMITS,
        )
    response = _page("429.html", 429)
    response["Retry-After"] = str(wait or DEFAULT_RETRY_AFTER)
    return response
