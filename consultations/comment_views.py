"""Everything one comment shows, computed in Python before its template runs.

A page builds one `CommentReader` (who reads, asked of `rules.py` once) and
turns its thread entries into `CommentView`s in one pass. The comment
template reads nothing but its view and constant labels, so a view's
`fragment_key`, a digest of all its values, names its HTML exactly: two
readers with the same view get the same fragment, and a change to anything
shown (an edit, a hide, a translation, an author's new name, the reader's
role, time zone or page) gives another key.
"""

import hashlib
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from operator import attrgetter
from urllib.parse import quote

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import dateformat, dates, timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from accounts.time_zones import zone_label
from consultations import rules
from consultations.citations import Citations
from consultations.models import CommentStatus, Consultation, ThreadEntry
from search.folding import organisation_key

# An id no comment has, reversed once per page in place of each comment's own.
_STAND_IN_ID = 918273645
_STAND_IN_REFERENCE = "Q918273645-1"
_STAND_IN_KEY = "organisation-stand-in"
# What `reverse` leaves unquoted in a path (django.urls.resolvers).
_SAFE_IN_PATH = "!$&'()*+,;=" + "/~:@"


@lru_cache(maxsize=8192)
def _quoted_organisation_key(name: str) -> str:
    """The organisation's key as `reverse` writes it in its address, escaped for HTML
    ("" when it has no letters)."""
    return escape(quote(organisation_key(name), safe=_SAFE_IN_PATH))


@dataclass(frozen=True)
class _Address:
    """An address with a comment's id (or reference) to put in: `address(17)` gives it escaped
    for HTML, its fixed parts escaped once for the page (an id or a reference has nothing to
    escape), so the template does not escape it again for each comment; `address.raw(17)`
    as it is."""

    before: str
    after: str

    def __post_init__(self):
        object.__setattr__(self, "_escaped", (escape(self.before), escape(self.after)))

    def __call__(self, value) -> SafeString:
        before, after = self._escaped
        return SafeString(f"{before}{value}{after}")

    def raw(self, value) -> str:
        return f"{self.before}{value}{self.after}"


def _reversed(name: str, stand_in=_STAND_IN_ID, **kwargs) -> _Address:
    """The URL pattern `name` reversed once, around a stand-in for each comment's own value."""
    address = reverse(name, kwargs=kwargs) if kwargs else reverse(name, args=[stand_in])
    before, separator, after = address.partition(str(stand_in))
    if not separator:
        raise ValueError(f"{name} does not hold its stand-in: {address}")
    return _Address(before, after)


@dataclass(frozen=True)
class FileView:
    name: str
    url: str
    kind: str
    size: str  # "1.2 MB", in the page's language


@dataclass(frozen=True)
class TranslationView:
    language: str
    body_html: str
    source_language_name: str
    translator_name: str
    date: str
    is_out_of_date: bool


@dataclass(frozen=True)
class CommentView:
    """One comment as one reader sees it on one page: every value its template shows."""

    pk: int
    depth: int
    indent: int
    status: str
    confirmation: str | None
    confirmation_level: str | None
    # Empty for a withdrawn comment: its byline names nobody.
    author_name: str
    author_url: str
    organisation: str
    organisation_url: str
    author_is_moderator: bool
    permalink: str
    created_iso: str
    created_text: str
    edited_iso: str | None
    edited_text: str | None
    revisions_url: str | None
    reference: str | None
    reference_url: str | None
    awaits_clarification: bool
    parent_pk: int | None
    parent_name: str
    parent_is_withdrawn: bool
    hidden_reason: str  # the moderator's reason, on a hidden comment
    shows_hidden_text: bool  # a hidden comment's text, for its moderators
    body_html: str
    html_lang: str
    translation: TranslationView | None
    is_teaser: bool  # cut short, with "Read more"
    files: tuple[FileView, ...]
    reply_url: str | None
    edit_url: str | None
    withdraw_url: str | None
    approve_url: str | None
    hide_url: str | None
    clarification_url: str | None
    restore_url: str | None
    report_url: str | None
    translate_url: str | None
    citation: str | None

    # The template asks `view.x`; Django tries `view["x"]` before `getattr`, and a
    # failed subscript costs an exception per variable.
    def __getitem__(self, name):
        return getattr(self, name)

    @property
    def is_hidden(self) -> bool:
        return self.status == CommentStatus.HIDDEN

    @cached_property
    def fragment_key(self) -> str | None:
        """A digest of every value shown, or None when the HTML is for this request only:
        it holds a confirmation meant for this reader. (The moderators' forms hold a
        stand-in for the CSRF token: consultations/page_cache.py.)"""
        if self.confirmation is not None:
            return None
        values = repr(_field_values(self))
        return hashlib.blake2b(values.encode(), digest_size=20).hexdigest()


_field_values = attrgetter(*(view_field.name for view_field in fields(CommentView)))


@dataclass
class CommentReader:
    """Who reads a page of comments, asked of `rules.py` once for the page.

    Every action rule about a comment depends on the comment only through
    its question, its status and whether the reader wrote it; `may()` asks
    `rules.may` once for each such kind of comment and remembers the answer.
    """

    user: object
    consultation: Consultation
    # Views for the readers of this one's kind who wrote none of the comments: a block
    # kept for all of them (consultations/answer_blocks.py) gets each reader's own
    # comments put back in with `as_written_by_reader`.
    as_another_author: bool = False
    _answers: dict = field(default_factory=dict, repr=False)

    @cached_property
    def pk(self):
        return self.user.pk

    @cached_property
    def is_authenticated(self) -> bool:
        return self.user.is_authenticated

    @cached_property
    def is_verified(self) -> bool:
        return rules.is_verified(self.user)

    @cached_property
    def moderates(self) -> bool:
        return rules.is_moderator_of(self.user, self.consultation)

    @cached_property
    def may_contribute_now(self) -> bool:
        return rules.contributing_refusal(self.user, self.consultation) is None

    @cached_property
    def can_translate(self) -> bool:
        return rules.can_translate(self.user)

    @cached_property
    def is_secretariat(self) -> bool:
        return rules.can_manage_consultations(self.user)

    def wrote(self, comment) -> bool:
        return not self.as_another_author and self.is_authenticated and comment.author_id == self.pk

    def may(self, action: str, comment) -> bool:
        wrote = self.wrote(comment)
        kind = (action, comment.question_id, comment.status, wrote)
        answer = self._answers.get(kind)
        if answer is None:
            if not wrote and comment.author_id == self.pk:
                # Asked for another author: the rules see a comment nobody wrote.
                comment = _CommentFacts(
                    pk=comment.pk, author_id=None, question=comment.question, status=comment.status
                )
            answer = self._answers[kind] = rules.may(self.user, action, comment)
        return answer


class _CommentFacts:
    """What `rules.py` reads of a comment (its author, question and status), with
    `author_id` given: a comment as written by someone else, or by the reader."""

    __slots__ = ("pk", "author_id", "question", "question_id", "status")

    def __init__(self, *, pk, author_id, question, status):
        self.pk = pk
        self.author_id = author_id
        self.question = question
        self.question_id = question.pk
        self.status = status


class _PageAddresses:
    """The comment actions' addresses, reversed once for the page."""

    def __init__(self, consultation: Consultation, request):
        self.participant = _reversed("search:participant")
        self.attachment = _reversed("documents:comment_attachment")
        self.reply = _reversed("consultations:comment_reply")
        self.edit = _reversed("consultations:comment_edit")
        self.withdraw = _reversed("consultations:comment_withdraw")
        self.revisions = _reversed("consultations:comment_revisions")
        self.approve = _reversed("consultations:comment_approve")
        self.hide = _reversed("consultations:comment_hide")
        self.restore = _reversed("consultations:comment_restore")
        self.clarification = _reversed("consultations:comment_request_clarification")
        self.report = _reversed("consultations:comment_report")
        self.translate = _reversed("consultations:comment_translate")
        self.reference = _reversed(
            "consultations:reference",
            stand_in=_STAND_IN_REFERENCE,
            slug=consultation.slug,
            reference=_STAND_IN_REFERENCE,
        )
        # A citation links to the reference with the site's scheme and host.
        self.absolute_reference = (
            _Address(request.build_absolute_uri(self.reference.before), self.reference.after)
            if request is not None
            else self.reference
        )
        self._organisation = _reversed(
            "search:organisation", stand_in=_STAND_IN_KEY, key=_STAND_IN_KEY
        )

    def organisation(self, name: str) -> str:
        """As search's `organisation_url` filter gives it, without folding a name twice."""
        key = _quoted_organisation_key(name)
        return self._organisation(key) if key else ""


# What each format character of Django's `date` filter writes, for those a page's formats
# use (django.utils.dateformat.DateFormat, with the same names); any other character is
# asked of DateFormat itself.
_DATE_PIECES = {
    "d": lambda value, translated: f"{value.day:02d}",
    "j": lambda value, translated: str(value.day),
    "m": lambda value, translated: f"{value.month:02d}",
    "n": lambda value, translated: str(value.month),
    "Y": lambda value, translated: f"{value.year:04d}",
    "y": lambda value, translated: f"{value.year % 100:02d}",
    "H": lambda value, translated: f"{value.hour:02d}",
    "G": lambda value, translated: str(value.hour),
    "i": lambda value, translated: f"{value.minute:02d}",
    "s": lambda value, translated: f"{value.second:02d}",
    "F": lambda value, translated: translated(dates.MONTHS, value.month),
    "E": lambda value, translated: translated(dates.MONTHS_ALT, value.month),
    "N": lambda value, translated: translated(dates.MONTHS_AP, value.month),
    "b": lambda value, translated: translated(dates.MONTHS_3, value.month),
    "l": lambda value, translated: translated(dates.WEEKDAYS, value.weekday()),
    "D": lambda value, translated: translated(dates.WEEKDAYS_ABBR, value.weekday()),
}


class DateText:
    """`django.utils.dateformat.format(value, format_string)`, the text of the `date` filter,
    for the many moments of one page: the format is split once, and each month or day name
    translated once into the active language (Django splits the format and builds a
    formatter, checking the zone, for every value)."""

    def __init__(self, format_string: str):
        self._pieces = []
        for index, piece in enumerate(dateformat.re_formatchars.split(str(format_string))):
            if index % 2:
                self._pieces.append(_DATE_PIECES.get(piece) or self._asked_of_django(piece))
            elif piece:
                self._pieces.append(dateformat.re_escaped.sub(r"\1", piece))
        self._names = {}

    @staticmethod
    def _asked_of_django(character: str):
        return lambda value, translated: str(getattr(dateformat.DateFormat(value), character)())

    def _translated(self, names: dict, number: int) -> str:
        """`names[number]` (django.utils.dates: lazy translations) in the active language."""
        key = (id(names), number)  # the tables are constants of django.utils.dates
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = str(names[number])
        return name

    def __call__(self, value) -> str:
        translated = self._translated
        return "".join(
            piece if type(piece) is str else piece(value, translated) for piece in self._pieces
        )


class _Moments:
    """`accounts.time_zones.moment_in_words` for the many moments of one page, with what is
    the same for all of them (format, sentence, zone labels) looked up once; and the
    ISO form of the moment in the same zone, as `|date:'c'` gives it."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.date_and_time = DateText(get_format("DATETIME_FORMAT"))
        self.date = DateText(get_format("DATE_FORMAT"))
        self.sentence = gettext("%(moment)s %(zone)s")
        self.zone_labels = {}

    def __call__(self, value) -> tuple[str, str]:
        local = value.astimezone(self.zone)
        offset = local.utcoffset()
        label = self.zone_labels.get(offset)
        if label is None:
            label = self.zone_labels[offset] = zone_label(local)
        words = self.sentence % {"moment": self.date_and_time(local), "zone": label}
        return words, local.isoformat()

    def day(self, value) -> str:
        """As `date_format(localtime(value), "DATE_FORMAT")`."""
        return self.date(value.astimezone(self.zone))


def _attachments(comment):
    # Where consultations.threads put them, as a list; asked of the database otherwise.
    listed = getattr(comment, "listed_attachments", None)
    return listed if listed is not None else comment.attachments.all()


def _files(comment, addresses) -> tuple[FileView, ...]:
    return tuple(
        FileView(
            name=attachment.original_name,
            url=addresses.attachment(attachment.pk),
            kind=str(attachment.kind_label),
            size=filesizeformat(attachment.size),
        )
        for attachment in _attachments(comment)
    )


def _translation(comment, moment: _Moments) -> TranslationView | None:
    translation = comment.reader_translation
    if translation is None:
        return None
    return TranslationView(
        language=translation.language,
        body_html=translation.body_html,
        source_language_name=str(translation.source_language_name),
        translator_name=translation.translator.display_name,
        date=moment.day(translation.updated_at),
        is_out_of_date=translation.is_out_of_date,
    )


class SharedByPage:
    """What the comments of one page share, made once for the page however many blocks
    it is drawn in: the actions' addresses, the dates' formatters, the citations' facts.
    `request` makes the citations' absolute links."""

    def __init__(self, consultation: Consultation, request=None):
        self.addresses = _PageAddresses(consultation, request)
        self.moment = _Moments()
        self.citations_by_question = {}


def comment_views(
    entries: list[ThreadEntry],
    *,
    reader: CommentReader,
    page_address: str,
    teaser: bool = False,
    confirmations=None,
    moderator_ids=frozenset(),
    request=None,
    shared: SharedByPage | None = None,
) -> list[CommentView]:
    """The views of a page's comments, in order.

    `page_address` is the address their permalinks start from (the page
    itself); `confirmations` the messages to show inside comments, by id;
    `moderator_ids` the authors whose comments carry the Moderator badge;
    `shared` what the page's other comments use too (made from `request`
    when not given).
    """
    shared = shared or SharedByPage(reader.consultation, request)
    addresses = shared.addresses
    moment = shared.moment
    citations_by_question = shared.citations_by_question
    escaped_page_address = escape(page_address)
    confirmations = confirmations or {}
    views = []
    for entry in entries:
        comment = entry.comment
        pk = comment.pk
        status = comment.status
        withdrawn = status == CommentStatus.WITHDRAWN
        hidden = status == CommentStatus.HIDDEN
        readable = not withdrawn and not hidden  # published, or pending for this reader
        author = comment.author
        shows_hidden_text = hidden and reader.may("restore", comment)
        awaits_clarification = getattr(comment, "awaits_clarification", False)
        confirmation = confirmations.get(pk)
        parent = entry.parent
        reference = comment.reference

        if withdrawn:
            author_name = author_url = organisation = organisation_link = ""
            author_is_moderator = False
        else:
            author_name = author.display_name
            author_url = addresses.participant(comment.author_id)
            organisation = author.organisation
            organisation_link = addresses.organisation(organisation) if organisation else ""
            author_is_moderator = comment.author_id in moderator_ids

        created_text, created_iso = moment(comment.created_at)
        edited_at = comment.edited_at
        edited_text, edited_iso = moment(edited_at) if edited_at else (None, None)

        if reference and status == CommentStatus.PUBLISHED:
            reference_url = addresses.reference(reference)
            citations = citations_by_question.get(comment.question_id)
            if citations is None:
                citations = citations_by_question[comment.question_id] = Citations(
                    comment.question, day=moment.day
                )
            citation = citations(comment, url=addresses.absolute_reference.raw(reference))
        else:
            reference_url = addresses.reference(reference) if reference else None
            citation = None

        views.append(
            CommentView(
                pk=pk,
                depth=entry.depth,
                indent=entry.indent,
                status=status,
                confirmation=str(confirmation) if confirmation is not None else None,
                confirmation_level=confirmation.level_tag if confirmation is not None else None,
                author_name=author_name,
                author_url=author_url,
                organisation=organisation,
                organisation_url=organisation_link,
                author_is_moderator=author_is_moderator,
                permalink=SafeString(f"{escaped_page_address}#comment-{pk}"),
                created_iso=created_iso,
                created_text=created_text,
                edited_iso=edited_iso,
                edited_text=edited_text,
                reference=reference,
                reference_url=reference_url,
                awaits_clarification=bool(awaits_clarification) and readable,
                parent_pk=parent.pk if parent is not None else None,
                parent_name=""
                if parent is None or parent.status == CommentStatus.WITHDRAWN
                else parent.author.display_name,
                parent_is_withdrawn=parent is not None and parent.status == CommentStatus.WITHDRAWN,
                hidden_reason=comment.moderation_reason if hidden else "",
                shows_hidden_text=shows_hidden_text,
                body_html=comment.body_html if readable or shows_hidden_text else "",
                html_lang=comment.html_lang,
                translation=_translation(comment, moment) if readable else None,
                is_teaser=teaser and readable and comment.is_long,
                files=_files(comment, addresses) if readable or shows_hidden_text else (),
                citation=citation,
                **_actions(
                    reader,
                    comment,
                    addresses,
                    edited=edited_at is not None,
                    awaits_clarification=awaits_clarification,
                ),
            )
        )
    return views


def _actions(reader: CommentReader, comment, addresses, *, edited, awaits_clarification) -> dict:
    """The addresses of what `reader` may do with `comment` (None for what they may not):
    the only values of a view that depend on whether the reader wrote the comment."""
    pk, status = comment.pk, comment.status
    own = reader.wrote(comment)
    approve_url = hide_url = clarification_url = restore_url = report_url = None
    if reader.may("hide", comment):
        if status == CommentStatus.PENDING and reader.may("approve", comment):
            approve_url = addresses.approve(pk)
        if status in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
            hide_url = addresses.hide(pk)
            if not awaits_clarification and reader.may("request_clarification", comment):
                clarification_url = addresses.clarification(pk)
        elif status == CommentStatus.HIDDEN and reader.may("restore", comment):
            restore_url = addresses.restore(pk)
    elif reader.may("report", comment):
        report_url = addresses.report(pk)
    return {
        "revisions_url": addresses.revisions(pk)
        if edited and reader.may("read_revisions", comment)
        else None,
        "reply_url": addresses.reply(pk) if reader.may("reply", comment) else None,
        "edit_url": addresses.edit(pk) if own and reader.may("edit", comment) else None,
        "withdraw_url": addresses.withdraw(pk) if own and reader.may("withdraw", comment) else None,
        "approve_url": approve_url,
        "hide_url": hide_url,
        "clarification_url": clarification_url,
        "restore_url": restore_url,
        "report_url": report_url,
        "translate_url": addresses.translate(pk)
        if status == CommentStatus.PUBLISHED and reader.may("translate", comment)
        else None,
    }


def as_written_by_reader(
    view: CommentView, *, reader: CommentReader, question, addresses
) -> CommentView:
    """`view` of a comment that `reader` wrote, made for the readers who did not write it
    (`CommentReader.as_another_author`), as the reader sees it: with their own controls.

    Only the actions differ for a reader who does not moderate: the moderators see a
    hidden comment's text, so their blocks are built for them alone."""
    comment = _CommentFacts(pk=view.pk, author_id=reader.pk, question=question, status=view.status)
    return replace(
        view,
        **_actions(
            reader,
            comment,
            addresses,
            edited=view.edited_iso is not None,
            awaits_clarification=view.awaits_clarification,
        ),
    )
