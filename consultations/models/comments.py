"""Comments, their languages and states, and the arrangement of a thread."""

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import StartsWith
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models.consultations import Consultation, Question, TransitionRefused
from consultations.sanitize import plain_text


class CommentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Other language")


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting moderation")
    HIDDEN = "hidden", _("Hidden by a moderator")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


TEXT_FIELDS = ("body_source", "body_html", "body_text")


class _TextWhereReadableIterable(ModelIterable):
    """Comments whose text columns hold only what the query let through.

    The real columns were deferred; the readable copies are set in their
    place, so reading `comment.body_html` never goes back to the database.
    """

    def __iter__(self):
        for comment in super().__iter__():
            for name in TEXT_FIELDS:
                setattr(comment, name, getattr(comment, f"readable_{name}"))
            yield comment


class CommentQuerySet(models.QuerySet):
    def for_question(self, question):
        return self.filter(question=question)

    def for_consultation(self, consultation):
        return self.filter(question__consultation=consultation)

    def visible_to(self, user):
        """Everything that has a place in the thread for this reader.

        Hidden and withdrawn comments stay in (they render as placeholders so
        their replies keep their place); pending ones only for their author
        and the consultation's moderators.
        """
        from consultations import rules

        shown = Q(
            status__in=[CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN]
        )
        if user.is_authenticated:
            shown |= Q(status=CommentStatus.PENDING, author=user)
            if rules.can_moderate_every_consultation(user):
                return self
            # Someone known at sign-in (accounts.backends) to moderate nothing needs no
            # subquery for it: most readers, on every thread query of their pages.
            if getattr(user, "moderates_a_consultation", None) is not False:
                shown |= Q(
                    status=CommentStatus.PENDING,
                    question__in=Question.objects.filter(consultation__moderators=user).values(
                        "pk"
                    ),
                )
        return self.filter(shown)

    def published(self):
        return self.filter(status=CommentStatus.PUBLISHED)

    def latest_first(self):
        return self.order_by("-created_at", "-pk")

    def submitted_with(self, author, submission_token, body=None):
        """What `author` already stored from the form that carried this token (and this text)."""
        if not author.is_authenticated or submission_token is None:
            return self.none()
        submitted = self.filter(author=author, submission_token=submission_token)
        return submitted if body is None else submitted.filter(body_source=body)

    def with_text_only_where_readable(self, user, *, moderates: bool):
        """Fetch a comment's text only where this reader may read it.

        Published text for everyone; pending text for its author and the
        moderators; hidden text for the moderators; withdrawn text never (the
        placeholders need none of it). Elsewhere the text columns come back
        empty from the database itself, and are never loaded later.
        """
        readable = Q(status=CommentStatus.PUBLISHED)
        if moderates:
            readable |= Q(status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN])
        elif user.is_authenticated:
            readable |= Q(status=CommentStatus.PENDING, author=user)
        queryset = self.defer(*TEXT_FIELDS).annotate(
            **{
                f"readable_{name}": Case(
                    When(readable, then=F(name)),
                    default=Value(""),
                    output_field=models.TextField(),
                )
                for name in TEXT_FIELDS
            }
        )
        queryset._iterable_class = _TextWhereReadableIterable
        return queryset

    def with_clarification_state(self):
        """Each with `awaits_clarification`: whether a moderator's request to its author is open
        (in the same query)."""
        from consultations.models.moderation import ClarificationRequest

        return self.annotate(
            awaits_clarification=Exists(
                ClarificationRequest.objects.open().filter(comment=OuterRef("pk"))
            )
        )

    def with_translation_into(self, language: str | None):
        """Each with `reader_translation_row`: its translation into `language` with its
        translator, or None (joined in the same query: a comment has at most one
        translation per language)."""
        language = (language or "").split("-")[0]
        return self.annotate(
            reader_translation_row=models.FilteredRelation(
                "translations", condition=Q(translations__language=language)
            )
        ).select_related("reader_translation_row__translator")

    def answers(self):
        """Direct answers to the question (the top level of the thread)."""
        return self.filter(parent__isnull=True)

    def in_subtrees_of(self, roots):
        """The given comments and every reply under them, at any depth, in one recursive
        query. `roots` is a list of thread keys, or a queryset of comments (sliced and
        ordered if need be) that becomes part of the same query."""
        table = self.model._meta.db_table
        if isinstance(roots, models.QuerySet):
            roots_query = roots.values("thread_key").query
            try:
                roots_sql, params = roots_query.get_compiler(using=self.db).as_sql()
            except EmptyResultSet:
                return self.none()
        else:
            params = list(roots)
            if not params:
                return self.none()
            roots_sql = ", ".join(["%s"] * len(params))
        subtree = RawSQL(
            f"WITH RECURSIVE subtree(thread_key) AS ("
            f"SELECT thread_key FROM {table} WHERE thread_key IN ({roots_sql}) "
            f"UNION ALL SELECT reply.thread_key FROM {table} reply "
            f"JOIN subtree ON reply.parent_id = subtree.thread_key"
            f") SELECT thread_key FROM subtree",
            params,
        )
        return self.filter(thread_key__in=subtree)

    def _columns_not_in_a_byline(self, relation: str) -> list[str]:
        person = self.model._meta.get_field(relation).related_model
        return [
            f"{relation}__{column.attname}"
            for column in person._meta.concrete_fields
            if column.attname not in ("id", "display_name", "organisation")
        ]

    def next_reference_number(self, question_id) -> int:
        """The number the next comment published on this question takes: read it while
        holding the lock on the question's row, under which every comment published
        there is numbered (numbers of hidden and withdrawn comments stay taken)."""
        highest = self.filter(question_id=question_id).aggregate(
            highest=models.Max("reference_number")
        )["highest"]
        return (highest or 0) + 1

    def in_thread_order(self):
        """With their authors, as a thread shows them (name and organisation only: the
        rest of a person's row is never read on a page of comments), oldest first."""
        return (
            self.select_related("author")
            .defer(*self._columns_not_in_a_byline("author"))
            .order_by("created_at", "pk")
        )

    def moderated_by(self, user):
        return self.filter(question__consultation__in=Consultation.objects.moderated_by(user))

    def awaiting_moderation(self):
        """Pending comments and comments with open reports (auto-hidden ones included)."""
        from consultations.models.moderation import Report, ReportStatus

        has_open_reports = Exists(
            Report.objects.filter(comment=OuterRef("pk"), status=ReportStatus.OPEN)
        )
        return self.filter(Q(status=CommentStatus.PENDING) | Q(has_open_reports))

    def with_moderation_context(self):
        """Oldest first, with what a moderator needs to judge each: its question and
        consultation, its author, the comment it answers, and its open reports
        (as `open_reports`), in a fixed number of queries."""
        from consultations.models.moderation import Report

        return (
            self.select_related(
                "author",
                "question__consultation",
                "parent__author",
                "parent__question__consultation",
            )
            .prefetch_related(
                models.Prefetch(
                    "reports",
                    queryset=Report.objects.open().select_related("reporter"),
                    to_attr="open_reports",
                )
            )
            .order_by("created_at", "pk")
        )


REFERENCE_PATTERN = re.compile(r"^Q(?P<question>[1-9][0-9]{0,4})-(?P<number>[1-9][0-9]{0,8})$")


def format_reference(question_number: int, reference_number: int) -> str:
    return f"Q{question_number}-{reference_number}"


def parse_reference(reference: str) -> tuple[int, int] | None:
    """(question number, reference number) from "Q3-17" (any case), or None if it is not one."""
    match = REFERENCE_PATTERN.match((reference or "").strip().upper())
    if match is None:
        return None
    return int(match["question"]), int(match["number"])


def _new_thread_key(question_id) -> str:
    return f"{question_id}:{uuid.uuid4().hex}"


# Moved on by consultations/display_changes.py only, never by a save.
_THREAD_VERSIONS = frozenset({"thread_version", "thread_edit_version"})


def _answer_key_of(thread_key: str) -> str:
    """The thread key of the answer that the comment with `thread_key` is, or stands under."""
    return (
        Comment.objects.filter(thread_key=thread_key)
        .values_list(Coalesce("answer_id", "thread_key"), flat=True)
        .get()
    )


class Comment(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="comments"
    )
    # The parent is referenced through `thread_key`, "<question id>:<random>",
    # rather than the integer id, so the database itself can check that a
    # reply's parent belongs to the same question: the foreign key proves the
    # parent exists with that key, and the check constraints below prove that
    # both keys start with the same question id.
    thread_key = models.CharField(max_length=64, unique=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        to_field="thread_key",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    # The answer a reply stands under, at any depth (null for an answer), through its
    # thread key like the parent. An answer with all its replies is one block of a
    # question's page, cached as a whole (consultations/answer_blocks.py).
    answer = models.ForeignKey(
        "self",
        verbose_name=_("answer"),
        to_field="thread_key",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # On an answer: one more each time anything its block shows changes (the answer,
    # a reply under it, their translations, files and clarification requests), moved
    # on by consultations/display_changes.py, never by save() (see there).
    thread_version = models.PositiveBigIntegerField(default=0, editable=False)
    # On an answer: one more each time its block changes otherwise than by a new comment
    # in it (an edit, a hide, a translation...): while it stays, a block kept at an
    # earlier thread_version only lacks the comments posted since
    # (consultations/answer_blocks.py). A default in the database too, so that the
    # processes still running the release before this field can post while it is added.
    thread_edit_version = models.PositiveBigIntegerField(default=0, db_default=0, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    body_source = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    # The text of body_html without tags, kept beside it (save() fills it) so
    # exports and teasers never clean the HTML again: that took seconds per
    # hostile comment.
    body_text = models.TextField(editable=False, default="")
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=CommentLanguage.choices,
        default=CommentLanguage.ENGLISH,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommentStatus.choices,
        default=CommentStatus.PUBLISHED,
        db_index=True,
    )
    moderation_reason = models.TextField(
        _("reason for hiding"), blank=True, help_text=_("Shown in place of a hidden comment.")
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # The one-time token of the form the comment came from: the same form sent
    # twice (a double click, a replay) stores one comment.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    # The comment's place among the contributions to its question the first
    # time it was published (its reference is "Q<question number>-<this>").
    # Given once by save(), kept through edits, hides and withdrawals, never
    # given to another comment.
    reference_number = models.PositiveIntegerField(
        _("reference number"), null=True, blank=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    # True on the comment `comment_post` gives back for a form sent again: stored by an
    # earlier send, not by this one (consultations/services/comments.py).
    sent_before = False

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    thread_key__startswith=Concat(
                        Cast("question_id", models.CharField()), Value(":")
                    )
                ),
                name="comment_thread_key_names_its_question",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True)
                | StartsWith(
                    F("parent_id"), Concat(Cast("question_id", models.CharField()), Value(":"))
                ),
                name="comment_parent_in_same_question",
                violation_error_message=_("A reply must answer a comment on the same question."),
            ),
            # A reply stands under the answer of its thread, on the same question.
            models.CheckConstraint(
                condition=Q(parent__isnull=True, answer__isnull=True)
                | (
                    Q(parent__isnull=False, answer__isnull=False)
                    & StartsWith(
                        F("answer_id"), Concat(Cast("question_id", models.CharField()), Value(":"))
                    )
                ),
                name="comment_reply_under_answer_of_same_question",
            ),
            models.CheckConstraint(condition=~Q(body_source=""), name="comment_body_not_empty"),
            models.UniqueConstraint(
                fields=["author", "submission_token"], name="comment_submitted_once_per_form"
            ),
            # With the question's number unique in its consultation (and kept
            # once a contribution to it is cited), this makes every reference
            # unique in its consultation.
            models.UniqueConstraint(
                fields=["question", "reference_number"],
                name="comment_reference_unique_in_question",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "created_at"]),
            # A question's answers in the order they came: the latest few of
            # every question on the consultation page, one lookup each.
            models.Index(
                fields=["question", "parent", "created_at", "id"],
                name="comment_answers_in_time_order",
            ),
            # Everything a thread's counts read, so counting a question's
            # comments never reads their text (SQLite: 5 times faster at 1,000).
            models.Index(
                fields=["question", "status", "parent", "language", "author"],
                name="comment_counts_by_question",
            ),
        ]

    def __str__(self):
        return _("Comment %(id)s by %(author)s") % {"id": self.pk, "author": self.author}

    def save(self, *args, **kwargs):
        if not self.thread_key:
            self.thread_key = _new_thread_key(self.question_id)
        if self.parent_id and not self.answer_id:
            parent = self._state.fields_cache.get("parent")
            self.answer_id = (
                parent.answer_id or parent.thread_key
                if parent is not None and parent.thread_key == self.parent_id
                else _answer_key_of(self.parent_id)
            )
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Every field but the thread's versions: an instance read before its
            # block changed must not move them back to ones a cached block is kept
            # under.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in _THREAD_VERSIONS
            ]
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body_html" in update_fields:
            self.body_text = plain_text(self.body_html)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_text"}
        if self.status != CommentStatus.PUBLISHED or self.reference_number is not None:
            super().save(*args, **kwargs)
            return
        # Published for the first time: numbered and stored while its question's row is
        # locked, so a number is given once. The lock is held to the end of the caller's
        # transaction.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "reference_number"}
        try:
            # No savepoint of its own inside the caller's transaction: a failure
            # here fails that transaction, which a caller catching it must have
            # wrapped in an atomic block of its own anyway.
            with transaction.atomic(savepoint=False):
                self._take_next_reference_number()
                super().save(*args, **kwargs)
        except Exception:
            self.reference_number = None  # not stored: the next save numbers it again
            raise

    def get_absolute_url(self):
        """The question's page that holds this comment, oldest answers first, opened at it.

        A `#comment-<id>` fragment never reaches the server, so the page number
        is in the address itself: one query finds the comment's answer (its
        top-level ancestor) and counts the answers before it.
        """
        return (
            f"{self.question.get_absolute_url()}"
            f"?order=oldest&page={self.page_in_thread()}#comment-{self.pk}"
        )

    def page_in_thread(self) -> int:
        """The page of the question's thread (oldest answers first) that shows this comment.

        Answers awaiting moderation are not counted: most readers do not see them.
        """
        if getattr(self, "_page_in_thread", None) is None:
            attach_thread_pages([self])
        return self._page_in_thread

    @property
    def reference(self) -> str | None:
        """The citation of this contribution within its consultation ("Q3-17"), once published."""
        if self.reference_number is None:
            return None
        return format_reference(self.question.number, self.reference_number)

    def get_reference_url(self):
        return reverse(
            "consultations:reference",
            kwargs={
                "slug": self.question.consultation.slug,
                "reference": self.reference,
            },
        )

    def _take_next_reference_number(self):
        """The next number on this question, read under a lock on the question's row.

        Every comment published on the question goes through here while it
        holds the lock, so two comments published at once wait for each other
        and never take the same number. Numbers of hidden and withdrawn
        comments stay taken.
        """
        Question.objects.select_for_update(of=("self",)).filter(pk=self.question_id).first()
        self.reference_number = Comment.objects.next_reference_number(self.question_id)

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_placeholder(self) -> bool:
        """Hidden and withdrawn comments keep their place but not their text."""
        return self.status in (CommentStatus.HIDDEN, CommentStatus.WITHDRAWN)

    @property
    def html_lang(self) -> str:
        """The comment's language as an HTML `lang` value ("und": not one we list)."""
        return "und" if self.language == CommentLanguage.OTHER else self.language

    @property
    def reader_translation(self):
        """The translation fetched by `with_translation_into` for a published comment, or None."""
        translation = getattr(self, "reader_translation_row", None)
        if translation is None or self.status != CommentStatus.PUBLISHED:
            return None
        if translation.language == self.language:  # the author rewrote it in this language
            return None
        translation.comment = self
        return translation

    @property
    def is_long(self) -> bool:
        return len(self.body_source) > 700

    # Transitions check and change the instance; services save and log them.

    def approve(self):
        if self.status != CommentStatus.PENDING:
            raise TransitionRefused(_("Only a comment awaiting moderation can be approved."))
        self.status = CommentStatus.PUBLISHED

    def hide(self, reason: str):
        """Hide with the reason shown in its place; a hidden comment may be hidden again
        to confirm an automatic hide with a moderator's own reason."""
        if self.status == CommentStatus.WITHDRAWN:
            raise TransitionRefused(_("Its author has withdrawn this comment."))
        reason = (reason or "").strip()
        if not reason:
            raise TransitionRefused(_("Give a reason for hiding this comment."))
        self.status = CommentStatus.HIDDEN
        self.moderation_reason = reason

    def hide_pending_review(self):
        """Hide after too many reports, until a moderator decides.

        No reason is stored: the placeholder says why in each reader's language.
        """
        if self.status != CommentStatus.PUBLISHED:
            raise TransitionRefused(_("Only a published comment can be hidden after reports."))
        self.status = CommentStatus.HIDDEN
        self.moderation_reason = ""

    def restore(self):
        if self.status != CommentStatus.HIDDEN:
            raise TransitionRefused(_("Only a hidden comment can be restored."))
        self.status = CommentStatus.PUBLISHED
        self.moderation_reason = ""

    def withdraw(self):
        if self.status == CommentStatus.WITHDRAWN:
            raise TransitionRefused(_("This comment has already been withdrawn."))
        if self.status == CommentStatus.HIDDEN:
            raise TransitionRefused(_("A moderator has hidden this comment."))
        self.status = CommentStatus.WITHDRAWN

    def edit(self, *, body_source: str, body_html: str, language: str, now, hold: bool):
        """Replace the text; returns the unsaved Revision keeping the text it replaces.

        `hold` sends the comment back to the moderators (a pre-moderated
        consultation): the new text waits for approval like a new post.
        """
        if self.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
            raise TransitionRefused(_("This comment can no longer be changed."))
        revision = Revision(
            comment=self,
            body_source=self.body_source,
            body_html=self.body_html,
            language=self.language,
            written_at=self.edited_at or self.created_at,
            replaced_at=now,
        )
        self.body_source, self.body_html, self.language = body_source, body_html, language
        self.edited_at = now
        if hold:
            self.status = CommentStatus.PENDING
        return revision


class RevisionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-written_at", "-pk")

    def update(self, **kwargs):
        raise TypeError("Earlier versions of a comment are kept as they were written.")


class Revision(models.Model):
    """An earlier version of a comment, kept when its author edits it."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.PROTECT, related_name="revisions"
    )
    body_source = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    language = models.CharField(_("language"), max_length=8, choices=CommentLanguage.choices)
    written_at = models.DateTimeField(
        _("written"), help_text=_("When this version was posted, or written by an earlier edit.")
    )
    replaced_at = models.DateTimeField(_("replaced"), help_text=_("When an edit replaced it."))

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["comment", "written_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(written_at__lte=F("replaced_at")),
                name="revision_written_before_it_is_replaced",
            ),
        ]

    def __str__(self):
        return _("Version of comment %(id)s written %(moment)s") % {
            "id": self.comment_id,
            "moment": f"{self.written_at:%Y-%m-%d %H:%M}",
        }

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Earlier versions of a comment are kept as they were written.")
        super().save(*args, **kwargs)

    @property
    def html_lang(self) -> str:
        return "und" if self.language == CommentLanguage.OTHER else self.language


def attach_thread_pages(comments) -> None:
    """Find, in one query, the page of its thread that shows each of `comments`
    (for lists of links: each `get_absolute_url` then costs nothing).

    Pages are counted as most readers see them: answers awaiting approval are not
    there, and a reply to one stands among the answers as a place of its own. So a
    comment's place is its highest ancestor reached through comments that are not
    waiting, and its page follows from the places before that one.
    """
    comments = [comment for comment in comments if comment is not None]
    if not comments:
        return
    table = Comment._meta.db_table
    placeholders = ", ".join(["%s"] * len(comments))
    is_a_place = (
        "({row}.parent_id IS NULL OR EXISTS (SELECT 1 FROM {table} waiting "
        "WHERE waiting.thread_key = {row}.parent_id AND waiting.status = %s))"
    )
    with connections[router.db_for_read(Comment)].cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE ancestry(start_id, thread_key, parent_id, created_at, id, "
            f"question_id) AS ("
            f"SELECT id, thread_key, parent_id, created_at, id, question_id FROM {table} "
            f"WHERE id IN ({placeholders}) "
            f"UNION ALL SELECT ancestry.start_id, parent.thread_key, parent.parent_id, "
            f"parent.created_at, parent.id, parent.question_id FROM {table} parent "
            f"JOIN ancestry ON parent.thread_key = ancestry.parent_id "
            f"WHERE parent.status <> %s) "
            f"SELECT ancestry.start_id, COUNT(earlier.id) FROM ancestry LEFT JOIN {table} earlier "
            f"ON earlier.question_id = ancestry.question_id "
            f"AND {is_a_place.format(row='earlier', table=table)} "
            f"AND earlier.status <> %s AND (earlier.created_at < ancestry.created_at "
            f"OR (earlier.created_at = ancestry.created_at AND earlier.id < ancestry.id)) "
            f"WHERE {is_a_place.format(row='ancestry', table=table)} "
            f"GROUP BY ancestry.start_id",
            [
                *(comment.pk for comment in comments),
                CommentStatus.PENDING,
                CommentStatus.PENDING,
                CommentStatus.PENDING,
                CommentStatus.PENDING,
            ],
        )
        places_before = dict(cursor.fetchall())
    for comment in comments:
        before = places_before.get(comment.pk, 0)
        comment._page_in_thread = before // settings.ROUNDTABLE_ANSWERS_PER_PAGE + 1


@dataclass(frozen=True)
class ThreadEntry:
    """One comment in a thread, in reading order, with its place in the tree."""

    comment: Comment
    depth: int
    parent: Comment | None

    @property
    def indent(self) -> int:
        return min(self.depth, settings.ROUNDTABLE_THREAD_MAX_INDENT)


def arrange_thread(comments) -> list[ThreadEntry]:
    """Order comments depth-first, each reply under its parent, oldest first.

    Takes the comments of one question (or several) already fetched in one
    query; a reply whose parent is not among them (a pending parent the
    reader may not see) is shown at the top level.
    """
    comments = sorted(comments, key=lambda comment: (comment.created_at, comment.pk))
    by_key = {comment.thread_key: comment for comment in comments}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:
        parent_key = comment.parent_id if comment.parent_id in by_key else None
        children.setdefault(parent_key, []).append(comment)

    entries: list[ThreadEntry] = []
    stack = [(comment, 0) for comment in reversed(children.get(None, []))]
    while stack:
        comment, depth = stack.pop()
        parent = by_key.get(comment.parent_id) if comment.parent_id else None
        entries.append(ThreadEntry(comment=comment, depth=depth, parent=parent))
        for child in reversed(children.get(comment.thread_key, [])):
            stack.append((child, depth + 1))
    return entries
