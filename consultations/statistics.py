"""Counts of a consultation's published contributions, for the secretariat's statistics page.

Five aggregate queries whatever the consultation's size: per question, per
language, per organisation type, per day, and the totals. Only published
comments count as contributions; the totals also give every stored comment
(pending, hidden and withdrawn included) for comparison.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Lower, Trim, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import OrganisationType
from consultations.models import (
    Comment,
    CommentLanguage,
    CommentStatus,
    Consultation,
    Question,
)


@dataclass(frozen=True)
class Bar:
    """One row of a chart: what is counted, how many, and its bar's share of the longest."""

    label: str
    count: int
    width: str  # a percentage of the longest bar, written for SVG ("42.5%")


@dataclass(frozen=True)
class ConsultationStatistics:
    per_question: list[Bar]
    per_language: list[Bar]
    per_organisation_type: list[Bar]
    per_day: list[Bar]
    contributions: int
    all_comments: int
    participants: int
    organisations: int


def _bars(counted: list[tuple[str, int]]) -> list[Bar]:
    longest = max((count for _label, count in counted), default=0)
    return [
        Bar(
            label=str(label),
            count=count,
            width=f"{(100 * count / longest) if longest else 0:.1f}%",
        )
        for label, count in counted
    ]


def _per_question(consultation: Consultation) -> list[Bar]:
    questions = (
        Question.objects.filter(consultation=consultation)
        .annotate(
            contributions=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED))
        )
        .order_by("number")
    )
    return _bars(
        [
            (_("Question %(number)s") % {"number": question.number}, question.contributions)
            for question in questions
        ]
    )


def _counted_by(comments, field: str, choices) -> list[tuple[str, int]]:
    """Counts per value of `field`, in the order of `choices`, every choice shown."""
    counts = {
        row[field]: row["contributions"]
        for row in comments.values(field).annotate(contributions=Count("pk")).order_by()
    }
    counted = [(label, counts.pop(value, 0)) for value, label in choices]
    unknown = sum(counts.values())
    if unknown:
        counted.append((_("Not stated"), unknown))
    return counted


def _per_day(comments) -> list[Bar]:
    rows = (
        comments.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(contributions=Count("pk"))
        .order_by("day")
    )
    counts: dict[date, int] = {row["day"]: row["contributions"] for row in rows}
    if not counts:
        return []
    # Every day from the first contribution to the last, quiet days included.
    first, last = min(counts), max(counts)
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return _bars([(date_format(day, "SHORT_DATE_FORMAT"), counts.get(day, 0)) for day in days])


def consultation_statistics(consultation: Consultation) -> ConsultationStatistics:
    comments = Comment.objects.for_consultation(consultation)
    published = comments.published()
    totals = comments.aggregate(
        all_comments=Count("pk"),
        contributions=Count("pk", filter=Q(status=CommentStatus.PUBLISHED)),
        participants=Count("author", distinct=True, filter=Q(status=CommentStatus.PUBLISHED)),
        organisations=Count(
            Lower(Trim("author__organisation")),
            distinct=True,
            filter=Q(status=CommentStatus.PUBLISHED) & ~Q(author__organisation=""),
        ),
    )
    return ConsultationStatistics(
        per_question=_per_question(consultation),
        per_language=_bars(_counted_by(published, "language", CommentLanguage.choices)),
        per_organisation_type=_bars(
            _counted_by(published, "author__organisation_type", OrganisationType.choices)
        ),
        per_day=_per_day(published),
        **totals,
    )
