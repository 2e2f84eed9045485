from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from consultations.views.reading import language_redirect
from site_identity.views import site_asset

urlpatterns = [
    path("", language_redirect, name="language_redirect"),
    # The host's logo and favicon, the same in every language.
    re_path(r"^site/(?P<asset>logo|favicon)$", site_asset, name="site_asset"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("site_identity.urls")),
    path("", include("consultations.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
