"""Sessions end after a time without requests and, whatever happens, some time after login."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

STARTED_KEY = "roundtable_session_started_at"
LAST_SEEN_KEY = "roundtable_session_last_seen_at"
# The last-seen time is written at most this often, so reading pages does not
# save the session on every request.
LAST_SEEN_RESOLUTION = 60


def start_session_clock(sender, request, user, **kwargs):
    """At login (a `user_logged_in` receiver): the session's lifetime starts now."""
    if hasattr(request, "session"):
        request.session[STARTED_KEY] = request.session[LAST_SEEN_KEY] = time.time()


class SessionTimeoutMiddleware:
    """Log out a session idle longer than SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.

    Django's own expiry moves forward each time the session is saved, so it
    is no absolute limit; the start is recorded at login (or, for a session
    older than this code, at its next request) and never moved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = time.time()
        started = session.get(STARTED_KEY)
        last_seen = session.get(LAST_SEEN_KEY)
        if started is None:
            session[STARTED_KEY] = session[LAST_SEEN_KEY] = now
            return
        idle = last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT
        if idle or now - started > settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(
                request,
                _(
                    "You were logged out after a long time away or a long session. "
                    "Please log in again."
                ),
            )
            return
        if last_seen is None or now - last_seen > LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_KEY] = now
