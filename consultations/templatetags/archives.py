from django import template

from consultations.models import ConsultationArchive

register = template.Library()


@register.inclusion_tag("consultations/_sealed_record.html")
def sealed_record(consultation):
    """The digest and download of a closed consultation's archives, once its close has one."""
    if not consultation.is_closed:
        return {"archives": []}
    archives = list(ConsultationArchive.objects.of(consultation).select_related("consultation"))
    sealed = bool(archives) and archives[0].created_at >= consultation.closes_at
    return {"archives": archives if sealed else []}
