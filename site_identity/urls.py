from django.urls import path, re_path

from site_identity import views

app_name = "site_identity"

NOTICE_KINDS = "privacy|terms|accessibility"

urlpatterns = [
    re_path(rf"^(?P<kind>{NOTICE_KINDS})/$", views.notice, name="notice"),
    # Before the consultations' "secretariat/<slug>/": these names are reserved slugs.
    path("secretariat/identity/", views.identity_edit_view, name="identity_edit"),
    re_path(
        rf"^secretariat/notices/(?P<kind>{NOTICE_KINDS})/$",
        views.notice_edit_view,
        name="notice_edit",
    ),
]
