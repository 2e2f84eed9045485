"""Markdown -> safe HTML. The only module that imports markdown-it or bleach.

Comments are written in a small Markdown subset (paragraphs, emphasis,
lists, links, block quotes, line breaks). markdown-it renders it with raw
HTML switched off, then bleach cleans the result against a short allowlist
and gives every link `rel="nofollow ugc noopener"`. The output of
`render_markdown` is a fixed point of `sanitize_html`: cleaning it again
changes nothing.
"""

import re
from functools import lru_cache
from html.parser import HTMLParser

import bleach
from bleach.linkifier import TLDS, LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Notices (privacy, terms, accessibility) are long staff texts that need
# section headings; the page's own <h1> is the notice's title.
NOTICE_TAGS = ALLOWED_TAGS | {"h2", "h3"}


def _comment_subset() -> MarkdownIt:
    return MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
        ["emphasis", "list", "link", "autolink", "blockquote", "newline", "escape"]
    )


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return _comment_subset()


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


# Bare addresses in the text ("see www.example.org") become links too.
# bleach's own pattern backtracks quadratically on long runs such as
# "((((:))))", "a-a-a-..." or "a.b-a.b-..." (a 20,000-character comment took
# minutes), and it links every protocol html5lib knows, "data:" among them.
# This one only starts at the beginning of a run of address characters (never
# after "@", ".", "-" or inside a run of "("), a host label starts with a
# letter or digit and never gives characters back, so no two attempts scan the
# same run: linear time. It links only the protocols the cleaner allows.
_BARE_URL = re.compile(
    r"""(?<!\()\(*  # opening parentheses, tried from the first of a run only
    \b(?<![@.-])(?:(?:{protocols}):/{{0,3}}(?:(?:\w{{1,64}}:)?\w{{1,64}}@)?)?  # https://
    (?:\w[\w-]{{0,62}}+\.){{1,16}}(?:{tlds})(?::[0-9]{{1,5}})?(?!\.\w)\b  # host.tld:port
    (?:[/?][^\s{{}}|\\^`<>"]*)?  # /path?query
    """.format(
        protocols="|".join(sorted(ALLOWED_PROTOCOLS)),
        # Longest first, so "com" is tried before "co".
        tlds="|".join(sorted(TLDS, key=lambda tld: (-len(tld), tld))),
    ),
    re.IGNORECASE | re.VERBOSE,
)


class _LinkifyCleanText(LinkifyFilter):
    """LinkifyFilter for use inside the cleaner, after the sanitizer.

    The sanitizer has already turned character references into entity tokens
    and "&amp;" into a literal "&"; LinkifyFilter would decode the text a
    second time, so "&amp;amp;lt;" lost one "&amp;" on every cleaning and the
    output was no fixed point.
    """

    def extract_entities(self, token):
        yield token


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            lambda source: _LinkifyCleanText(
                source,
                callbacks=[_set_link_rel],
                skip_tags={"pre", "code"},
                parse_email=False,
                url_re=_BARE_URL,
            )
        ],
    )


@lru_cache(maxsize=1)
def _notice_markdown() -> MarkdownIt:
    return _comment_subset().enable(["heading"])


@lru_cache(maxsize=1)
def _notice_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=NOTICE_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def render_notice_markdown(source: str) -> str:
    """Render a notice: the comment subset plus ## and ### headings, cleaned the same way."""
    return _notice_cleaner().clean(_notice_markdown().render(source)).strip()


def sanitize_html(html: str) -> str:
    """Clean HTML against the allowlist; links get rel="nofollow ugc noopener"."""
    return _cleaner().clean(html)


def render_markdown(source: str) -> str:
    """Render the comment Markdown subset to sanitized HTML."""
    return sanitize_html(_markdown().render(source)).strip()


# Blocks and how far apart they stand in plain text: a blank line between
# paragraphs, lists and quotes; a line break between list items.
_BLOCK_BREAKS = {"p": 2, "blockquote": 2, "ul": 2, "ol": 2, "li": 1, "br": 1}
_LIST_INDENT = "   "


class _TextOnly(HTMLParser):
    """The text of cleaned HTML, keeping what the tags meant.

    A link keeps its address after its text ("the report (https://…)"), a
    numbered list its numbers ("1. ", or from its `start`), a bulleted list
    its bullets ("• "), nested lists their indent.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        # The line breaks owed before the next text, and whether the last
        # thing seen was a block tag (the newlines markdown-it puts between
        # blocks are layout, not text).
        self.breaks_owed = 0
        self.after_block = True
        self.lists: list[list] = []  # [tag, next number] for each open list
        self.marker_written = False  # a list item's marker waits for its text
        self.link: tuple[str, int] | None = None  # (address, where its text starts)

    def _owe(self, breaks: int):
        self.breaks_owed = max(self.breaks_owed, breaks)
        self.after_block = True

    def _write(self, text: str):
        if self.breaks_owed and self.pieces:
            # The owed breaks replace the newlines around a block's edge.
            self.pieces[-1] = self.pieces[-1].rstrip("\n")
            self.pieces.append("\n" * self.breaks_owed)
            text = text.lstrip("\n")
        self.breaks_owed = 0
        self.pieces.append(text)
        self.after_block = False
        self.marker_written = False

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
            self._owe(1 if len(self.lists) > 1 else 2)
        elif tag == "li":
            self._owe(1)
            self._write(_LIST_INDENT * (len(self.lists) - 1) + self._item_marker())
            self.after_block = self.marker_written = True
        elif tag == "p" and self.marker_written:
            pass  # a paragraph of a list item starts on its marker's line
        elif tag in _BLOCK_BREAKS:
            self._owe(_BLOCK_BREAKS[tag])
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.pieces))

    def _item_marker(self) -> str:
        if not self.lists:
            return "• "
        current = self.lists[-1]
        if current[0] == "ul":
            return "• "
        current[1] += 1
        return f"{current[1] - 1}. "

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._owe(1 if self.lists else 2)
        elif tag in _BLOCK_BREAKS:
            self._owe(_BLOCK_BREAKS[tag])
        elif tag == "a" and self.link is not None:
            address, text_start = self.link
            self.link = None
            text = "".join(self.pieces[text_start:])
            if address and _without_scheme(address) != _without_scheme(text):
                self._write(f" ({address.removeprefix('mailto:')})")

    def handle_data(self, data):
        if self.after_block and not data.strip():
            return
        self._write(data)


def _without_scheme(address: str) -> str:
    """The address as a reader compares it: "https://www.x.org/" is "www.x.org"."""
    for scheme in ("https://", "http://", "mailto:"):
        address = address.removeprefix(scheme)
    return address.strip().rstrip("/")


def plain_text(html: str) -> str:
    """The text of sanitized HTML without any tags, for exports and teasers.

    Python's own parser, not a second bleach pass: the HTML was cleaned
    already, and cleaning a long hostile comment again took seconds.
    """
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.pieces).strip()
