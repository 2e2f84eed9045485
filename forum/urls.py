from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from consultations.views.reading import language_redirect

urlpatterns = [
    path("", language_redirect, name="language_redirect"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("notifications.urls")),
    path("", include("consultations.urls")),
    path("", include("documents.urls")),
    prefix_default_language=True,
)

# MEDIA_URL is never served, not even with DEBUG: uploaded files are only
# downloaded through documents/views.py, which asks who may read them.
