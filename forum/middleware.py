"""Project-wide middleware: health, database-down page, NUL bytes, caching, limits, time zone."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from accounts.time_zones import zone_for
from consultations.models import Comment, Consultation

HEALTH_PATH = "/healthz"


def health_problems() -> list[str]:
    """What keeps this process from serving: an unreachable database or unapplied migrations."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return ["database unreachable"]
    if unapplied:
        return [f"{len(unapplied)} migrations not applied"]
    return []


class HealthCheckMiddleware:
    """Answer `/healthz` first, before the host check and the HTTPS redirect.

    Load balancers probe by IP address over plain HTTP; neither is a reason to
    call a healthy process unhealthy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        problems = health_problems()
        response = JsonResponse(
            {"status": "unavailable" if problems else "ok", "problems": problems},
            status=503 if problems else 200,
        )
        response["Cache-Control"] = "no-store"
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gets a translated 503 page, not the 500 page.

    The page is rendered without the request context (the context processors
    would ask the database again) and gives back the text of a comment being
    posted, so nothing a person wrote is lost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        posted_text = request.POST.get("body", "") if request.method == "POST" else ""
        response = HttpResponse(
            render_to_string("503.html", {"posted_text": posted_text}), status=503
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


def _has_null_character(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class RefuseNullCharactersMiddleware:
    """A NUL byte in the address, the query string or a cookie gets the translated 400 page.

    No person types one, PostgreSQL refuses to store or compare one, and a
    query using one would fail as a server error. Form fields are left to
    the forms, which refuse it with a message beside the person's own text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_null_character(request):
            response = HttpResponse(render_to_string("400.html"), status=400)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)

    @staticmethod
    def _carries_null_character(request) -> bool:
        if "\x00" in request.path:
            return True
        cookies = request.COOKIES.items()
        if any("\x00" in name or "\x00" in value for name, value in cookies):
            return True
        return _has_null_character(request.GET)


class PrivateWhenSessionUsedMiddleware:
    """`Cache-Control: private, no-store` and `Vary: Cookie` on whatever used the session.

    A page that read the session or the user (every page whose header says
    "Log in" or a name, every form with a CSRF token, the console, exports)
    differs from one visitor to the next: no shared cache may keep it, and the
    browser should not store it either. Responses that used neither keep
    whatever caching their view chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        used_session = session is not None and session.accessed
        used_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get(
            "CSRF_COOKIE_USED"
        )
        if used_session or used_csrf:
            response.headers.pop("Expires", None)
            cache_control = response.get("Cache-Control", "")
            if "public" in cache_control or "max-age" in cache_control:
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ("Cookie",))
        return response


class LimitReachedStatusMiddleware:
    """A form refused because a limit was reached is shown again, with its text, as a 429.

    The code that refuses (allauth's failed log-in limit, through our adapter)
    sets `request.limit_retry_after`; the page itself is the form with its
    message, so the person keeps what they typed and a client learns the wait.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        retry_after = getattr(request, "limit_retry_after", None)
        if retry_after and response.status_code == 200:
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
        return response


def activates_consultation_zone(view):
    """Marks a view that reads its consultation anyway and activates the consultation's
    time zone itself (for readers without one of their own): TimeZoneMiddleware then
    need not read the consultation a second time to find it."""
    view.activates_consultation_zone = True
    return view


class TimeZoneMiddleware:
    """Activate the zone each page's dates and times are read in, for the whole request.

    A signed-in person's own choice wins; otherwise a page about one
    consultation (its pages, its comments, its console) uses the
    consultation's zone, and every other page the site's. Every date shown
    says which zone it is in, so a page is never ambiguous.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(zone_for(self._reader(request)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _reader(request):
        # Without a session cookie there is nobody signed in; asking
        # request.user would read the (empty) session and so turn every
        # response private (PrivateWhenSessionUsedMiddleware).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return request.user

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(self._reader(request), "time_zone", ""):
            return None
        # Views that read their consultation anyway activate its zone themselves.
        if getattr(view_func, "activates_consultation_zone", False):
            return None
        match = request.resolver_match
        if match is None or match.app_name != "consultations":
            return None
        zone = _consultation_zone(view_kwargs)
        if zone:
            timezone.activate(zone)
        return None


def _consultation_zone(view_kwargs) -> str | None:
    """The zone of the consultation a consultations page is about, if it names one."""
    if "slug" in view_kwargs:
        zones = Consultation.objects.filter(slug=view_kwargs["slug"])
        return zones.values_list("time_zone", flat=True).first()
    if "comment_id" in view_kwargs:
        zones = Comment.objects.filter(pk=view_kwargs["comment_id"])
        return zones.values_list("question__consultation__time_zone", flat=True).first()
    return None
