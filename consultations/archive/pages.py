"""A consultation's pages as an anonymous visitor sees them, made to open from a folder.

Each page is rendered by the view its address resolves to, for a visitor
who is not logged in: what the public record shows, and nothing a person's
own controls would add. Links between the archived pages then become
relative paths inside the folder, the stylesheet is the copy beside them,
and every other link (logging in, feeds, files) points at the live site.
Scripts are left out: every page works without JavaScript.
"""

import html
import posixpath
import re
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils import translation

from consultations.models import Consultation

STYLESHEET_STATIC_PATH = "css/roundtable.css"
STYLESHEET = "roundtable.css"

# Our own templates and the sanitizer both write attributes in double quotes;
# text that merely looks like an attribute is escaped (`href=&quot;`) and
# never matches.
_URL_ATTRIBUTE = re.compile(r'(?P<name>\b(?:href|src|action))="(?P<value>[^"]*)"')
_SCRIPT = re.compile(r"\s*<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


class PageNotRendered(Exception):
    """A page of the consultation did not render for a visitor (it answered another status)."""


class _VisitorRequest(HttpRequest):
    """A GET by an anonymous visitor, made in the worker rather than received.

    The host is the site's own domain, taken from the database rather than a
    client, so it is not checked against ALLOWED_HOSTS.
    """

    def __init__(self, path: str, *, origin: str, language: str):
        super().__init__()
        scheme, host = origin.split("://", 1)
        self.method = "GET"
        self.path = self.path_info = path
        # The sealed record keeps every answer of a question on its one page.
        self.shows_every_answer = True
        self.META = {"SERVER_NAME": host, "SERVER_PORT": "443" if scheme == "https" else "80"}
        self.user = AnonymousUser()
        self.session = import_module(settings.SESSION_ENGINE).SessionStore()  # empty, never saved
        self.LANGUAGE_CODE = language
        self._origin_host, self._origin_scheme = host, scheme

    def get_host(self):
        return self._origin_host

    def _get_scheme(self):
        return self._origin_scheme


def site_origin() -> str:
    """The live site's scheme and domain, e.g. `https://consult.example.org`."""
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{Site.objects.get_current().domain}"


def render_as_visitor(path: str, *, language: str, origin: str) -> str:
    """The HTML a visitor who is not logged in gets at `path`, in `language`."""
    with translation.override(language):
        request = _VisitorRequest(path, origin=origin, language=language)
        match = resolve(path)
        response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise PageNotRendered(f"{path} answered {response.status_code}")
    return response.content.decode(response.charset)


@dataclass(frozen=True)
class ArchivedPage:
    site_path: str  # /fr/consultations/<slug>/questions/2/
    file_path: str  # fr/questions/2.html
    language: str


def archived_pages(consultation: Consultation) -> list[ArchivedPage]:
    """The consultation's page and each question's page, in every language of the site."""
    numbers = sorted(consultation.questions.values_list("number", flat=True))
    pages = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            pages.append(
                ArchivedPage(consultation.get_absolute_url(), f"{language}/index.html", language)
            )
            for number in numbers:
                address = reverse(
                    "consultations:question", kwargs={"slug": consultation.slug, "number": number}
                )
                pages.append(ArchivedPage(address, f"{language}/questions/{number}.html", language))
    return pages


class OfflineLinks:
    """Rewrites a rendered page's links for a folder opened without the site."""

    def __init__(self, pages: list[ArchivedPage], *, origin: str):
        self.file_for_site_path = {page.site_path: page.file_path for page in pages}
        self.stylesheet_url = urlsplit(static(STYLESHEET_STATIC_PATH)).path
        self.origin = origin
        self.language_switch_prefix = reverse("language_switch", args=["xx"])[: -len("xx/")]

    def page(self, content: str, *, page: ArchivedPage) -> str:
        content = _SCRIPT.sub("", content)

        def replace(match: re.Match) -> str:
            target = self._target(html.unescape(match["value"]), page=page)
            return f'{match["name"]}="{html.escape(target)}"'

        return _URL_ATTRIBUTE.sub(replace, content)

    def _target(self, url: str, *, page: ArchivedPage) -> str:
        if not url or url.startswith("#"):
            return url
        parts = urlsplit(urljoin(page.site_path, url))
        if parts.scheme or parts.netloc:
            return url  # mailto:, or already absolute
        if parts.path.startswith(self.language_switch_prefix):
            # The header's language links remember the pick on the live site;
            # offline they lead straight to the page in that language.
            parts = urlsplit(parse_qs(parts.query).get("next", [""])[0])
        if parts.path == self.stylesheet_url:
            local = STYLESHEET
        elif not parts.query or set(parse_qs(parts.query)) <= {"order", "page"}:
            # A page of answers: offline, the question's one page holds them all.
            local = self.file_for_site_path.get(parts.path)
        else:
            local = None  # a filtered view is the live site's business
        if local is None:
            return self.origin + urlunsplit(("", "", parts.path, parts.query, parts.fragment))
        relative = posixpath.relpath(local, posixpath.dirname(page.file_path) or ".")
        return relative + (f"#{parts.fragment}" if parts.fragment else "")
