from django.urls import path, re_path

from synthesis import views

app_name = "synthesis"

SYNTHESIS = "consultations/<slug:slug>/synthesis/"
CONTRIBUTION = SYNTHESIS + "contributions/<int:comment_id>/"

urlpatterns = [
    path(SYNTHESIS, views.synthesis_page, name="page"),
    path(SYNTHESIS + "themes/", views.codebook, name="codebook"),
    path(SYNTHESIS + "themes/new/", views.theme_create_view, name="theme_create"),
    path(SYNTHESIS + "themes/<int:number>/", views.theme_edit_view, name="theme_edit"),
    path(CONTRIBUTION, views.contribution_view, name="contribution"),
    path(CONTRIBUTION + "themes/", views.contribution_themes_view, name="contribution_themes"),
    path(CONTRIBUTION + "quotes/", views.quote_mark_view, name="quote_mark"),
    path(
        CONTRIBUTION + "quotes/<int:quote_id>/remove/",
        views.quote_remove_view,
        name="quote_remove",
    ),
    path(CONTRIBUTION + "paper-use/", views.paper_use_view, name="paper_use"),
    re_path(
        r"^consultations/(?P<slug>[-a-zA-Z0-9_]+)/synthesis/export/(?P<file_format>docx|md|json)/$",
        views.synthesis_export_view,
        name="export",
    ),
]
