import functools
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.time_zones import moment_in_words, zone_for
from consultations import rules
from consultations.citations import citation_text
from consultations.models import ClarificationRequest, ConsultationState, attach_thread_pages
from consultations.sanitize import render_markdown

register = template.Library()


@register.filter
def markdown(source):
    """Staff-written Markdown (introductions, questions) through the same sanitizer as comments."""
    return mark_safe(_staff_markdown(source or ""))


@functools.lru_cache(maxsize=256)
def _staff_markdown(source: str) -> str:
    """The HTML of a text the secretariat wrote, kept by its words: every page shows its
    question's text, which changes seldom (a comment's HTML is stored with it instead)."""
    return render_markdown(source)


@dataclass(frozen=True)
class TranslatedText:
    value: str
    language: str
    is_fallback: bool

    def __str__(self):
        return self.value

    @property
    def fallback_note(self) -> str:
        # One whole sentence per language, so translators never assemble one.
        notes = {
            "fr": _("Not available in French — shown in English"),
            "es": _("Not available in Spanish — shown in English"),
        }
        return notes.get(get_language(), _("Not available in this language — shown in English"))


@register.simple_tag
def translated(instance, field_name):
    """The current language's version of a translated field, or English, saying which."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    value = getattr(instance, f"{field_name}_{language}", None)
    if value:
        return TranslatedText(value, language, is_fallback=False)
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return TranslatedText(
        getattr(instance, f"{field_name}_{default}", "") or "",
        default,
        is_fallback=language != default,
    )


@register.simple_tag
def question_heading(question, plain=False):
    """ "Question 3: <title>" as one sentence for translators, the title marked if in English.

    `plain=True` gives text only, for the <title> element.
    """
    title = translated(question, "title")
    sentence = _("Question %(number)s: %(title)s")
    if plain:
        return sentence % {"number": question.number, "title": title.value}
    title_html = (
        format_html('<span lang="{}">{}</span>', title.language, title.value)
        if title.is_fallback
        else conditional_escape(title.value)
    )
    return mark_safe(
        conditional_escape(sentence) % {"number": question.number, "title": title_html}
    )


@register.simple_tag(takes_context=True)
def window_in_words(context, consultation):
    """ "Open until 15 March 2027, 17:00 UTC+01:00", in the reader's zone or the consultation's."""
    state = consultation.state
    with timezone.override(zone_for(context.get("user"), consultation)):
        closes = moment_in_words(consultation.closes_at)
        opens = moment_in_words(consultation.opens_at)
    if state == ConsultationState.OPEN:
        return _("Open until %(date)s") % {"date": closes}
    if state == ConsultationState.UPCOMING:
        return _("Opens on %(date)s") % {"date": opens}
    if state == ConsultationState.CLOSED:
        return _("Closed on %(date)s") % {"date": closes}
    return _("Draft, not published")


@register.simple_tag
def may(user, action, target=None):
    """`{% may user "hide" comment as can_hide %}`: asks consultations.rules."""
    return rules.may(user, action, target)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def citation(context, comment):
    """The citation of a published comment in the page's language, with an absolute link."""
    return citation_text(
        comment, url=context["request"].build_absolute_uri(comment.get_reference_url())
    )


@register.inclusion_tag("consultations/_clarification_requests_to_answer.html")
def clarification_requests_to_answer(user):
    """The open requests for clarification on this person's comments, for their profile page."""
    requests = (
        ClarificationRequest.objects.open()
        .filter(comment__author=user)
        .with_context()
        .oldest_first()
        if user.is_authenticated
        else ClarificationRequest.objects.none()
    )
    requests = list(requests)
    attach_thread_pages(asked.follow_up for asked in requests)
    return {"clarification_requests": requests}


@register.simple_tag(takes_context=True)
def messages_for_the_top(context):
    """The page's messages, less those shown inside the comment they are about."""
    shown_beside = {
        id(message) for message in (context.get("comment_confirmations") or {}).values()
    }
    return [message for message in context.get("messages", ()) if id(message) not in shown_beside]
