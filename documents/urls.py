from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path(
        "files/background/<int:document_id>/",
        views.background_document_download,
        name="background_document",
    ),
    path(
        "files/comments/<int:attachment_id>/",
        views.comment_attachment_download,
        name="comment_attachment",
    ),
]
