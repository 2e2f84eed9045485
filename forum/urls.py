from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from accounts.views import language_redirect, language_switch
from site_identity.views import site_asset

# The admin's own login form has no limit on wrong passwords; send it to
# allauth's, which has them (and lets only staff through to the admin).
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "forum.views.bad_request"
handler429 = "forum.views.too_many_requests"

urlpatterns = [
    path("", language_redirect, name="language_redirect"),
    # The header's language links go through here, which remembers the choice.
    path("language/<str:code>/", language_switch, name="language_switch"),
    # The host's logo and favicon, the same in every language.
    re_path(r"^site/(?P<asset>logo|favicon)$", site_asset, name="site_asset"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("notifications.urls")),
    path("", include("site_identity.urls")),
    path("", include("consultations.urls")),
    path("", include("synthesis.urls")),
    path("", include("documents.urls")),
    path("", include("search.urls")),
    prefix_default_language=True,
)

# MEDIA_URL is never served, not even with DEBUG: uploaded files are only
# downloaded through documents/views.py, which asks who may read them.
