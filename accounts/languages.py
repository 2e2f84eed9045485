"""The language a person picked, remembered in a cookie and (signed in) in their profile."""

from django.conf import settings
from django.utils import translation


def supported_language(code: str | None) -> str | None:
    """`code` as one of the site's languages ("fr-CA" -> "fr"), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def remembered_language(request) -> str:
    """The language `/` opens in: the one picked on this browser, the profile's, the browser's."""
    picked = supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if picked:
        return picked
    user = request.user
    if user.is_authenticated and supported_language(user.preferred_language):
        return supported_language(user.preferred_language)
    return translation.get_language_from_request(request, check_path=False)


def remember_language(response, language: str) -> None:
    """Keep `language` in the language cookie, so the next visit to `/` opens in it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
