from django import template

from notifications.services import is_following

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, target):
    """A follow or unfollow button (a form: it works without JavaScript), for logged-in readers."""
    request = context["request"]
    is_question = hasattr(target, "number")
    return {
        "user": request.user,
        "target": target,
        "is_question": is_question,
        "consultation": target.consultation if is_question else target,
        "following": is_following(request.user, target),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
