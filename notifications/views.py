"""The notifications page, one-click unsubscribe, and follow buttons."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from consultations import rules
from consultations.models import Consultation
from notifications import services
from notifications.emails import read_unsubscribe_token
from notifications.forms import NotificationPreferenceForm
from notifications.models import NotificationKind, NotificationPreference


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = NotificationPreferenceForm(
        request.POST or None,
        instance=NotificationPreference.objects.for_user(request.user),
        show_moderation=rules.is_moderator_anywhere(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _invalid_link(request, reason: str):
    return render(request, "notifications/unsubscribe_invalid.html", {"reason": reason}, status=400)


# Mail clients send the one-click POST (RFC 8058) without a CSRF token; the
# signed token is the authority, and all it can do is turn mail off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks for the one click (link scanners fetch links); POST turns the mail off."""
    try:
        user_id, kinds = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return _invalid_link(request, "expired")
    except signing.BadSignature:
        return _invalid_link(request, "tampered")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return _invalid_link(request, "tampered")
    labels = [NotificationKind(kind).label for kind in kinds]
    if request.method == "POST":
        services.turn_off(user=user, kinds=kinds)
        return render(request, "notifications/unsubscribed.html", {"kinds": labels})
    return render(request, "notifications/unsubscribe_confirm.html", {"kinds": labels})


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _follow_or_unfollow(request, target, *, followed: str, unfollowed: str):
    if request.POST.get("action") == "unfollow":
        services.unfollow(user=request.user, target=target)
        messages.success(request, unfollowed)
    else:
        services.follow(user=request.user, target=target)
        messages.success(request, followed)
    return _back(request, target.get_absolute_url())


def _visible_consultation(request, slug) -> Consultation:
    """Only what the person may read can be followed: a draft is a 404, as when reading it."""
    return get_object_or_404(Consultation.objects.visible_to(request.user), slug=slug)


@login_required
@require_POST
def follow_consultation(request, slug):
    consultation = _visible_consultation(request, slug)
    return _follow_or_unfollow(
        request,
        consultation,
        followed=_("You follow this consultation: we will email you about it."),
        unfollowed=_("You no longer follow this consultation."),
    )


@login_required
@require_POST
def follow_question(request, slug, number):
    consultation = _visible_consultation(request, slug)
    question = get_object_or_404(consultation.questions, number=number)
    question.consultation = consultation
    return _follow_or_unfollow(
        request,
        question,
        followed=_("You follow this question: we will email you about new comments."),
        unfollowed=_("You no longer follow this question."),
    )
