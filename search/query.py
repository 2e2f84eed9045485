"""Building a search: which contributions a reader may find, matched and ranked.

`readable_comments(user)` is the reading rule, composed from the comment and
consultation QuerySets: published text of the consultations the reader may
see; their own text awaiting moderation; and, for the consultations they
moderate, pending and hidden text too. Withdrawn text is never found.

`ContributionSearch` matches the words a person typed:

* On PostgreSQL, full-text search with the text-search configuration of each
  contribution's language (english, french, spanish, simple for other), each
  with unaccent before its stemmer (search/migrations/0002), served by one
  GIN index per language. The typed text only ever reaches
  `websearch_to_tsquery`, which accepts any input; ranked by ts_rank, with
  contributions in the page's language first; snippets from ts_headline.
* On SQLite (development), every word must appear in the text once both are
  folded (no case, no accents, see folding.py): Python folds, as a SQL
  function. No stemming there: "travailleur" finds "travailleurs" because it
  is a prefix, not because French grammar is known.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from consultations.models import Comment, CommentStatus, Consultation, Question
from search.folding import folded_with_positions, words

# Contribution language -> the text search configuration made in migration 0002.
CONFIGURATIONS = {
    "en": "roundtable_english",
    "fr": "roundtable_french",
    "es": "roundtable_spanish",
    "other": "roundtable_simple",
}
# ts_headline marks matches with these (private-use characters, removed from
# the text first), so the snippet can be escaped before <mark> goes in.
_START, _STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 40


def readable_comments(user):
    """Contributions whose text this reader may read, in consultations they may see."""
    comments = Comment.objects.visible_to(user).filter(
        question__consultation__in=Consultation.objects.visible_to(user)
    )
    readable = comments.published()
    if user.is_authenticated:
        readable = (
            readable
            | comments.filter(status=CommentStatus.PENDING, author=user)
            | comments.moderated_by(user).filter(
                status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN]
            )
        )
    return readable


def marked_snippet(text: str) -> SafeString:
    """Text with matches between the marker characters, escaped, matches in <mark>."""
    return mark_safe(escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>"))


class _Fold(Func):
    function = "roundtable_fold"
    output_field = TextField()


@dataclass
class _FoldedTextMatch:
    """SQLite: every folded word must appear in the folded text."""

    text: str
    language: str

    @property
    def has_words(self) -> bool:
        return bool(words(self.text))

    def _condition(self, fields) -> Q:
        condition = Q()
        for word in words(self.text):
            in_any_field = [(f"_folded_{field}__contains", word) for field in fields]
            condition &= Q(*in_any_field, _connector=Q.OR)
        return condition

    def matching(self, queryset, fields):
        folded = {f"_folded_{field}": _Fold(field) for field in fields}
        return queryset.annotate(**folded).filter(self._condition(fields))

    def ranked(self, comments):
        return comments.annotate(search_rank=Value(0.0, output_field=FloatField()))

    def snippet(self, comment) -> SafeString:
        text = comment.body_text
        folded, positions = folded_with_positions(text)
        marks = []
        for word in words(self.text):
            start = folded.find(word)
            while start != -1:
                marks.append((positions[start], positions[start + len(word) - 1] + 1))
                start = folded.find(word, start + len(word))
        marks.sort()
        first = marks[0][0] if marks else 0
        # Start a little before the first match, at the beginning of a word.
        begin = text.find(" ", first - 120) + 1 if first > 120 else 0
        end = min(len(text), begin + 320)
        pieces, cursor = [], begin
        for mark_start, mark_end in marks:
            if mark_start < cursor or mark_end > end:
                continue
            pieces += [text[cursor:mark_start], _START, text[mark_start:mark_end], _STOP]
            cursor = mark_end
        pieces.append(text[cursor:end])
        prefix = "… " if begin else ""
        suffix = " …" if end < len(text) else ""
        return marked_snippet(prefix + "".join(pieces) + suffix)


def _per_language(template: str) -> str:
    """A CASE over the comment's language, `template` filled with each configuration."""
    branches = " ".join(
        "WHEN '{}' THEN {}".format(language, template.format(config=f"'{name}'::regconfig"))
        for language, name in CONFIGURATIONS.items()
    )
    return f'(CASE "consultations_comment"."language" {branches} END)'


@dataclass
class _FullTextMatch:
    """PostgreSQL: full-text search in each contribution's own language."""

    text: str
    language: str

    @property
    def has_words(self) -> bool:
        """False when the page's language reduces the text to nothing (only stop words)."""
        config = CONFIGURATIONS.get(self.language, CONFIGURATIONS["other"])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))", [config, self.text]
            )
            return cursor.fetchone()[0] > 0

    def _comment_condition(self):
        # The query read in every language, OR-ed, is one scan of the GIN
        # index on the stored vector (search/migrations/0002); then each
        # contribution must match the query read in its own language.
        queries = [
            f"websearch_to_tsquery('{name}'::regconfig, %s)" for name in CONFIGURATIONS.values()
        ]
        vector = '"consultations_comment"."search_vector"'
        in_its_language = " OR ".join(
            f'("consultations_comment"."language" = \'{language}\' AND {vector} @@ {query})'
            for language, query in zip(CONFIGURATIONS, queries, strict=True)
        )
        return RawSQL(
            f"({vector} @@ ({' || '.join(queries)}) AND ({in_its_language}))",
            [self.text] * (2 * len(queries)),
            output_field=BooleanField(),
        )

    def matching_comments(self, comments):
        return comments.filter(self._comment_condition())

    def matching(self, queryset, fields):
        config = CONFIGURATIONS.get(self.language, CONFIGURATIONS["other"])
        table = queryset.model._meta.db_table
        document = " || ' ' || ".join(f'coalesce("{table}"."{field}", \'\')' for field in fields)
        condition = RawSQL(
            f"to_tsvector(%s::regconfig, {document}) @@ websearch_to_tsquery(%s::regconfig, %s)",
            [config, config, self.text],
            output_field=BooleanField(),
        )
        return queryset.filter(condition)

    def ranked(self, comments):
        vector = '"consultations_comment"."search_vector"'
        query = _per_language("websearch_to_tsquery({config}, %s)")
        return comments.annotate(
            search_rank=RawSQL(
                f"ts_rank({vector}, {query})",
                [self.text] * len(CONFIGURATIONS),
                output_field=FloatField(),
            ),
            search_headline=RawSQL(
                "ts_headline("
                + _per_language("{config}")
                + ", replace(replace(\"consultations_comment\".\"body_text\", %s, ''), %s, ''), "
                + _per_language("websearch_to_tsquery({config}, %s)")
                + ", %s)",
                [
                    _START,
                    _STOP,
                    *[self.text] * len(CONFIGURATIONS),
                    f"StartSel={_START}, StopSel={_STOP}, MaxWords={SNIPPET_WORDS}, "
                    'MinWords=15, MaxFragments=2, FragmentDelimiter=" … "',
                ],
                output_field=TextField(),
            ),
        )

    def snippet(self, comment) -> SafeString:
        return marked_snippet(comment.search_headline)


def _text_match(text: str, language: str):
    if connection.vendor == "postgresql":
        return _FullTextMatch(text, language)
    return _FoldedTextMatch(text, language)


class ContributionSearch:
    """What a reader finds for `text`, on a page in `language`."""

    def __init__(self, *, text: str, language: str, user):
        self.text = text
        self.language = language
        self.user = user
        self.match = _text_match(text, language)

    @property
    def has_words(self) -> bool:
        return self.match.has_words

    def comments(self, *, filters=None):
        """Matching contributions: the page's language first, best match first, then newest."""
        comments = readable_comments(self.user).filter(**(filters or {}))
        if isinstance(self.match, _FullTextMatch):
            comments = self.match.matching_comments(comments)
        else:
            comments = self.match.matching(comments, ["body_text"])
        comments = self.match.ranked(comments).annotate(
            in_page_language=Case(
                When(language=self.language, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        return comments.select_related("author", "question__consultation").order_by(
            F("in_page_language").desc(), F("search_rank").desc(), "-created_at", "-pk"
        )

    def questions(self, limit=10):
        """Questions of the consultations the reader may see whose title or text match."""
        fields = _translated_columns(("title", "body"), self.language)
        questions = Question.objects.filter(
            consultation__in=Consultation.objects.visible_to(self.user)
        ).select_related("consultation")
        matching = self.match.matching(questions, fields)
        return list(matching.order_by("consultation", "number")[:limit])

    def consultations(self, limit=10):
        fields = _translated_columns(("title", "summary", "introduction"), self.language)
        consultations = Consultation.objects.visible_to(self.user)
        return list(self.match.matching(consultations, fields).order_by("-opens_at")[:limit])

    def snippet(self, comment) -> SafeString:
        return self.match.snippet(comment)


def _translated_columns(fields, language) -> list[str]:
    """The page's language's columns, and English ones where it falls back."""
    languages = dict.fromkeys([language if language in ("en", "fr", "es") else "en", "en"])
    return [f"{field}_{code}" for field in fields for code in languages]
