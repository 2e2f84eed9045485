from django.urls import path, re_path

from consultations import feeds
from consultations.views import archives, moderation, posting, reading, secretariat, translations

app_name = "consultations"

urlpatterns = [
    path("", reading.consultation_list, name="list"),
    path("consultations/<slug:slug>/", reading.consultation_detail, name="detail"),
    path(
        "consultations/<slug:slug>/questions/<int:number>/",
        reading.question_detail,
        name="question",
    ),
    path(
        "consultations/<slug:slug>/ref/<str:reference>/",
        reading.comment_by_reference,
        name="reference",
    ),
    path("consultations/<slug:slug>/feed/", feeds.consultation_feed, name="feed"),
    path(
        "consultations/<slug:slug>/questions/<int:number>/feed/",
        feeds.question_feed,
        name="question_feed",
    ),
    path(
        "consultations/<slug:slug>/archive/v<int:version>.zip",
        archives.archive_download,
        name="archive_download",
    ),
    path("comments/<int:comment_id>/reply/", posting.comment_reply, name="comment_reply"),
    path("comments/<int:comment_id>/edit/", posting.comment_edit_view, name="comment_edit"),
    path(
        "comments/<int:comment_id>/versions/",
        posting.comment_revisions_view,
        name="comment_revisions",
    ),
    path(
        "comments/<int:comment_id>/withdraw/",
        posting.comment_withdraw_view,
        name="comment_withdraw",
    ),
    path(
        "comments/<int:comment_id>/translate/",
        translations.comment_translate_view,
        name="comment_translate",
    ),
]

# Moderation: the queue, reports and moderators' actions.
urlpatterns += [
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path(
        "comments/<int:comment_id>/report/",
        moderation.comment_report_view,
        name="comment_report",
    ),
    path(
        "comments/<int:comment_id>/approve/",
        moderation.comment_approve_view,
        name="comment_approve",
    ),
    path("comments/<int:comment_id>/hide/", moderation.comment_hide_view, name="comment_hide"),
    path(
        "comments/<int:comment_id>/restore/",
        moderation.comment_restore_view,
        name="comment_restore",
    ),
    path(
        "comments/<int:comment_id>/dismiss-reports/",
        moderation.comment_dismiss_reports_view,
        name="comment_dismiss_reports",
    ),
    path(
        "comments/<int:comment_id>/clarification/",
        moderation.comment_request_clarification_view,
        name="comment_request_clarification",
    ),
    path(
        "clarifications/<int:request_id>/close/",
        moderation.clarification_close_view,
        name="clarification_close",
    ),
    path(
        "consultations/<slug:slug>/questions/<int:number>/lock/",
        moderation.question_lock_view,
        name="question_lock",
    ),
    path(
        "consultations/<slug:slug>/questions/<int:number>/unlock/",
        moderation.question_unlock_view,
        name="question_unlock",
    ),
]

# Secretariat: the console, exports, statistics and the audit log.
# "new" and "log" come before <slug>, which is why consultations cannot use them as slugs.
urlpatterns += [
    path("secretariat/", secretariat.console, name="console"),
    path("secretariat/new/", secretariat.consultation_create_view, name="console_create"),
    path("secretariat/log/", secretariat.audit_log, name="audit_log"),
    path(
        "secretariat/<slug:slug>/",
        secretariat.consultation_console,
        name="console_consultation",
    ),
    path(
        "secretariat/<slug:slug>/edit/",
        secretariat.consultation_edit_view,
        name="console_edit",
    ),
    path(
        "secretariat/<slug:slug>/questions/new/",
        secretariat.question_create_view,
        name="console_question_create",
    ),
    path(
        "secretariat/<slug:slug>/questions/<int:number>/",
        secretariat.question_edit_view,
        name="console_question_edit",
    ),
    path(
        "secretariat/<slug:slug>/open-now/",
        secretariat.consultation_open_now_view,
        name="console_open_now",
    ),
    path(
        "secretariat/<slug:slug>/close-now/",
        secretariat.consultation_close_now_view,
        name="console_close_now",
    ),
    path(
        "secretariat/<slug:slug>/moderators/",
        secretariat.consultation_moderators_view,
        name="console_moderators",
    ),
    path(
        "secretariat/<slug:slug>/extend/",
        secretariat.consultation_extend_view,
        name="console_extend",
    ),
    path(
        "secretariat/<slug:slug>/reschedule/",
        secretariat.consultation_reschedule_view,
        name="console_reschedule",
    ),
    re_path(
        r"^secretariat/(?P<slug>[-a-zA-Z0-9_]+)/export/(?P<file_format>csv|xlsx|json)/$",
        secretariat.consultation_export_view,
        name="console_export",
    ),
    path(
        "secretariat/<slug:slug>/statistics/",
        secretariat.consultation_statistics_view,
        name="console_statistics",
    ),
]
