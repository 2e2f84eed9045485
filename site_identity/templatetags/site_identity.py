from django import template
from django.utils.safestring import mark_safe

from consultations.sanitize import render_notice_markdown

register = template.Library()


@register.filter
def notice_markdown(source):
    """A notice's Markdown, with headings, through the project's sanitizer."""
    return mark_safe(render_notice_markdown(source or ""))
