from django.urls import path

from consultations.views import posting, reading

app_name = "consultations"

urlpatterns = [
    path("", reading.consultation_list, name="list"),
    path("consultations/<slug:slug>/", reading.consultation_detail, name="detail"),
    path(
        "consultations/<slug:slug>/questions/<int:number>/",
        reading.question_detail,
        name="question",
    ),
    path("comments/<int:comment_id>/reply/", posting.comment_reply, name="comment_reply"),
    path("comments/<int:comment_id>/edit/", posting.comment_edit_view, name="comment_edit"),
    path(
        "comments/<int:comment_id>/withdraw/",
        posting.comment_withdraw_view,
        name="comment_withdraw",
    ),
]

# Moderation (issue 4): the queue, reports and moderators' actions.
urlpatterns += []

# Secretariat (issue 4): the console, exports, statistics and the audit log.
urlpatterns += []
