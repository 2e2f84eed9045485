from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import ProfileForm
from accounts.languages import remember_language, remembered_language
from notifications.models import Follow


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in person's name, organisation and language; email and password via allauth."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        # The profile opens again in the language just chosen, which is remembered.
        language = form.instance.preferred_language or translation.get_language()
        with translation.override(language):
            messages.success(request, _("Your profile is saved."))
            response = redirect(reverse("accounts:profile"))
        remember_language(response, language)
        return response
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "follows": Follow.objects.of(request.user).in_listing_order()},
    )


@require_GET
def language_redirect(request):
    """`/` opens the site in the language picked before, the profile's, then the browser's."""
    return redirect(f"/{remembered_language(request)}/")


@never_cache
@require_GET
def language_switch(request, code):
    """The header's language links: the same page in `code`, and the choice remembered."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(translate_url(target, code) if target != "/" else f"/{code}/")
    remember_language(response, code)
    if request.user.is_authenticated and request.user.preferred_language != code:
        request.user.preferred_language = code
        request.user.save(update_fields=["preferred_language"])
    return response
