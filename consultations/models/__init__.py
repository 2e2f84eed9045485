"""The domain: consultations and questions, comments, reports and the moderation log."""

from consultations.models.archives import ConsultationArchive, ConsultationArchiveQuerySet
from consultations.models.comments import (
    Comment,
    CommentLanguage,
    CommentQuerySet,
    CommentStatus,
    Revision,
    RevisionQuerySet,
    ThreadEntry,
    arrange_thread,
)
from consultations.models.consultations import (
    Consultation,
    ConsultationQuerySet,
    ConsultationState,
    ModerationMode,
    Question,
    TransitionRefused,
)
from consultations.models.moderation import (
    ModerationAction,
    ModerationEntry,
    ModerationEntryQuerySet,
    Report,
    ReportQuerySet,
    ReportReason,
    ReportStatus,
    field_change,
)

__all__ = [
    "Comment",
    "CommentLanguage",
    "CommentQuerySet",
    "CommentStatus",
    "Consultation",
    "ConsultationArchive",
    "ConsultationArchiveQuerySet",
    "ConsultationQuerySet",
    "ConsultationState",
    "ModerationAction",
    "ModerationEntry",
    "ModerationEntryQuerySet",
    "ModerationMode",
    "Question",
    "Report",
    "ReportQuerySet",
    "ReportReason",
    "ReportStatus",
    "Revision",
    "RevisionQuerySet",
    "ThreadEntry",
    "TransitionRefused",
    "arrange_thread",
    "field_change",
]
