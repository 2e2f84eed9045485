from django import template

from consultations.models import Consultation

register = template.Library()


@register.simple_tag
def consultations_to_synthesise(user):
    """The consultations whose synthesis this moderator works on, newest first."""
    return Consultation.objects.moderated_by(user).order_by("-opens_at", "pk")
