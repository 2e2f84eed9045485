"""What the synthesis page and its exports read: filtered contributions, counts, themes.

Only published contributions are read. The counts take a fixed number of
aggregate queries whatever the consultation's size; the themes with their
tagged contributions, quotes and uses take a fixed number too.
"""

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import OrganisationType
from consultations.models import Comment, Consultation
from synthesis.models import Quote, Theme, ThemeTag
from synthesis.regions import REGIONS, region_of


class TagState(StrEnum):
    ANY = "any"
    TAGGED = "tagged"
    UNTAGGED = "untagged"


@dataclass(frozen=True)
class SynthesisFilters:
    """Which contributions the page counts and lists; None means any."""

    question: int | None = None
    language: str | None = None
    organisation_type: str | None = None
    tag_state: TagState = TagState.ANY


def _is_tagged():
    return Exists(ThemeTag.objects.filter(comment=OuterRef("pk")))


def contributions(consultation: Consultation, filters: SynthesisFilters = SynthesisFilters()):
    """The consultation's published contributions that pass the filters, in reading order."""
    comments = Comment.objects.for_consultation(consultation).published()
    if filters.question is not None:
        comments = comments.filter(question__number=filters.question)
    if filters.language is not None:
        comments = comments.filter(language=filters.language)
    if filters.organisation_type is not None:
        comments = comments.filter(author__organisation_type=filters.organisation_type)
    if filters.tag_state == TagState.TAGGED:
        comments = comments.filter(_is_tagged())
    elif filters.tag_state == TagState.UNTAGGED:
        comments = comments.filter(~_is_tagged())
    return comments.order_by("question__number", "created_at", "pk")


def with_reading(comments):
    """Contributions with what a reader of the synthesis shows beside each."""
    return comments.select_related(
        "author", "question__consultation", "paper_use"
    ).prefetch_related(
        Prefetch("theme_tags", queryset=ThemeTag.objects.select_related("theme")),
        Prefetch("key_quotes", queryset=Quote.objects.order_by("marked_at", "pk")),
    )


# --- Counts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    value: str
    label: str


@dataclass
class CountRow:
    label: str
    cells: list[int]
    total: int
    theme: Theme | None = None


@dataclass
class CrossTable:
    """Contributions counted per theme (rows) and per organisation type or country (columns).

    A contribution tagged with two themes counts in both rows, so the theme
    rows may add up to more than the total row.
    """

    columns: list[Column]
    themes: list[CountRow]
    untagged: CountRow
    total: CountRow


def _not_stated(values) -> list[Column]:
    return [Column("", _("Not stated"))] if "" in values else []


def _organisation_type_columns(values: set[str]) -> list[Column]:
    columns = [
        Column(value, str(label)) for value, label in OrganisationType.choices if value in values
    ]
    return columns + _not_stated(values)


def _country_columns(values: set[str]) -> list[Column]:
    named = sorted(
        (Column(code, str(countries.name(code)) or code) for code in values if code),
        key=lambda column: column.label,
    )
    return named + _not_stated(values)


def _region_columns(values: set[str]) -> list[Column]:
    columns = [Column(key, str(name)) for key, name, _codes in REGIONS if key in values]
    return columns + _not_stated(values)


def _same(value: str) -> str:
    return value


# Each way of counting: the author's field it reads, the columns it shows, and
# which column a value of that field counts in.
_DIMENSIONS = {
    "organisation_type": ("organisation_type", _organisation_type_columns, _same),
    "country": ("country", _country_columns, _same),
    "region": ("country", _region_columns, region_of),
}


def _counts(rows, field: str, column_of) -> dict:
    counts: dict[tuple, int] = defaultdict(int)
    for row in rows:
        counts[(row.get("theme"), column_of(row[field] or ""))] += row["contributions"]
    return counts


def cross_table(themes: list[Theme], filtered, dimension: str) -> CrossTable:
    """Three aggregate queries: per theme and column, per column, untagged per column."""
    field, make_columns, column_of = _DIMENSIONS[dimension]
    by_author, by_comment_author = f"author__{field}", f"comment__author__{field}"
    per_theme = _counts(
        ThemeTag.objects.filter(comment__in=filtered.order_by())
        .values("theme", by_comment_author)
        .annotate(contributions=Count("comment", distinct=True))
        .order_by(),
        by_comment_author,
        column_of,
    )
    per_column = _counts(
        filtered.order_by().values(by_author).annotate(contributions=Count("pk")),
        by_author,
        column_of,
    )
    untagged = _counts(
        filtered.filter(~_is_tagged())
        .order_by()
        .values(by_author)
        .annotate(contributions=Count("pk")),
        by_author,
        column_of,
    )
    columns = make_columns({value for _theme, value in per_column})

    def row(label, counts, theme_id=None, theme=None):
        cells = [counts.get((theme_id, column.value), 0) for column in columns]
        return CountRow(label=label, cells=cells, total=sum(cells), theme=theme)

    return CrossTable(
        columns=columns,
        themes=[row(str(theme), per_theme, theme.pk, theme) for theme in themes],
        untagged=row(_("Not yet tagged"), untagged),
        total=row(_("All contributions shown"), per_column),
    )


# --- Themes with their contributions -------------------------------------------------------


def themes_with_contributions(consultation: Consultation, filtered) -> list[Theme]:
    """The codebook in order, each theme with `readings`: its tags on the filtered contributions,
    each tag's comment with author, question, quotes and use in the paper."""
    tags = (
        ThemeTag.objects.filter(comment__in=filtered.order_by())
        .select_related("comment__author", "comment__question__consultation", "comment__paper_use")
        .prefetch_related(
            Prefetch("comment__key_quotes", queryset=Quote.objects.order_by("marked_at", "pk"))
        )
        .order_by("comment__question__number", "comment__created_at", "comment__pk")
    )
    return list(
        Theme.objects.for_consultation(consultation)
        .select_related("consultation")
        .prefetch_related(Prefetch("tags", queryset=tags, to_attr="readings"))
        .in_codebook_order()
    )
