"""Public notice pages, the host's logo and favicon, and the secretariat's pages to edit them."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from consultations.views.secretariat import secretariat_only
from site_identity import services
from site_identity.forms import NoticeForm, SiteIdentityForm
from site_identity.models import Notice, NoticeKind, SiteIdentity, cached_identity

# An uploaded SVG opened on its own, not through <img>, could otherwise run
# what the checks missed: the sandbox gives it no script, no forms, no origin.
ASSET_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
ASSET_CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


@require_GET
def notice(request, kind):
    return render(
        request,
        "site_identity/notice.html",
        {"notice": Notice.objects.current(kind), "contact_email": cached_identity().contact_email},
    )


@require_GET
def site_asset(request, asset):
    file = getattr(cached_identity(), asset)
    extension = file.name.rsplit(".", 1)[-1].lower() if file else ""
    if extension not in ASSET_CONTENT_TYPES:
        raise Http404
    try:
        opened = file.storage.open(file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(opened, content_type=ASSET_CONTENT_TYPES[extension])
    response["Content-Security-Policy"] = ASSET_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    # The page links it with the identity's stamp, so a new logo is a new address.
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- The secretariat's pages -------------------------------------------------------------


@secretariat_only()
@require_http_methods(["GET", "POST"])
def identity_edit_view(request):
    identity = SiteIdentity.objects.current()
    form = SiteIdentityForm(request.POST or None, request.FILES or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        services.identity_edit(
            actor=request.user,
            values={
                **form.translated_values(),
                "contact_email": form.cleaned_data["contact_email"],
            },
            logo=form.cleaned_data["logo_upload"],
            logo_image=form.logo_image,
            favicon=form.cleaned_data["favicon_upload"],
            favicon_image=form.favicon_image,
            remove_logo=form.cleaned_data["remove_logo"],
            remove_favicon=form.cleaned_data["remove_favicon"],
        )
        messages.success(request, _("The host's identity is saved."))
        return redirect("site_identity:identity_edit")
    return render(
        request,
        "site_identity/identity_form.html",
        {"form": form, "identity": SiteIdentity.objects.current()},
    )


@secretariat_only()
@require_http_methods(["GET", "POST"])
def notice_edit_view(request, kind):
    notice = Notice.objects.current(kind)
    form = NoticeForm(request.POST or None, instance=Notice.objects.current(kind))
    if request.method == "POST" and form.is_valid():
        edited = services.notice_edit(
            actor=request.user, kind=kind, values=form.translated_values()
        )
        if edited.version != notice.version:
            messages.success(
                request,
                _("The notice is saved as version %(version)s.") % {"version": edited.version},
            )
        else:
            messages.info(request, _("Nothing changed; the notice keeps its version."))
        return redirect("site_identity:notice_edit", kind=kind)
    return render(
        request,
        "site_identity/notice_form.html",
        {"form": form, "notice": notice, "kinds": NoticeKind},
    )
