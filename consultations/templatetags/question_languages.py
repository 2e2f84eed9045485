"""A question in every language at once, as on a printed consultation page."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info

register = template.Library()


@dataclass(frozen=True)
class QuestionVersion:
    language: str
    language_name: str  # in its own language: "Français"
    title: str
    body: str


@register.simple_tag
def question_versions(question) -> list[QuestionVersion]:
    """The question's title and body in each site language that has them, English first."""
    versions = []
    for language, _name in settings.LANGUAGES:
        title = getattr(question, f"title_{language}", "") or ""
        body = getattr(question, f"body_{language}", "") or ""
        if title or body:
            name = capfirst(get_language_info(language)["name_local"])
            versions.append(QuestionVersion(language, name, title, body))
    return versions


@register.simple_tag(takes_context=True)
def question_languages_toggle_url(context, show: str) -> str:
    """This page's address asking to show the questions in `show` ("all" or "one")."""
    query = context["request"].GET.copy()
    query["questions"] = show
    return f"?{query.urlencode()}"
