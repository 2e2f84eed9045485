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


_BLOCK_TAGS = frozenset({"p", "ul", "ol", "li", "blockquote"})
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_starttag(self, tag, attrs):
        # Paragraphs and list items stay apart by a line of their own.
        if tag in _BLOCK_TAGS:
            self.pieces.append("\n")

    def handle_data(self, data):
        self.pieces.append(data)


def plain_text(html: str) -> str:
    """The text of sanitized HTML without any tags, for exports and teasers.

    Python's own parser, not a second bleach pass: the HTML was cleaned
    already, and cleaning a long hostile comment again took seconds.
    """
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return _BLANK_LINES.sub("\n\n", "".join(parser.pieces)).strip()
