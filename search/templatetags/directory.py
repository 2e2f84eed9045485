from django import template
from django.urls import reverse

from search.folding import organisation_key

register = template.Library()


@register.filter
def organisation_url(name: str) -> str:
    """The organisation page for a name as someone typed it ("" when it has no letters)."""
    key = organisation_key(name)
    return reverse("search:organisation", kwargs={"key": key}) if key else ""
