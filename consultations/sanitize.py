"""Markdown -> safe HTML. The only module that imports markdown-it or bleach.

Comments are written in a small Markdown subset (paragraphs, emphasis,
lists, links, block quotes, line breaks). markdown-it renders it with raw
HTML switched off, then bleach cleans the result against a short allowlist
and gives every link `rel="nofollow ugc noopener"`. The output of
`render_markdown` is a fixed point of `sanitize_html`: cleaning it again
changes nothing.
"""

import html as html_entities
from functools import lru_cache

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False}).enable(
        ["emphasis", "list", "link", "autolink", "blockquote", "newline", "escape"]
    )


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


@lru_cache(maxsize=1)
def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            # Bare addresses in the text become links too, with the same rel.
            lambda source: LinkifyFilter(
                source, callbacks=[_set_link_rel], skip_tags={"pre", "code"}, parse_email=False
            )
        ],
    )


def sanitize_html(html: str) -> str:
    """Clean HTML against the allowlist; links get rel="nofollow ugc noopener"."""
    return _cleaner().clean(html)


def render_markdown(source: str) -> str:
    """Render the comment Markdown subset to sanitized HTML."""
    return sanitize_html(_markdown().render(source)).strip()


def plain_text(html: str) -> str:
    """The text of sanitized HTML without any tags, for exports and teasers."""
    return html_entities.unescape(bleach.clean(html, tags=set(), strip=True)).strip()
