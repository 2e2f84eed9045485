"""Markdown -> safe HTML. The only module that imports cmarkgfm or bleach.

Comments are written in Markdown. GitHub's cmark-gfm (through cmarkgfm)
parses it in linear time, whatever the input, with its autolink extension
turning bare addresses ("www.example.org", "https://...", "desk@example.org")
into links. Raw HTML is never passed through: every "<" that does not open an
autolink, and every "&", is hidden from the parser and comes back as text, so
what the author typed is shown as typed ("<Annex II>", "&copy;"). What cmark
makes beyond the allowlist keeps its words: a heading or a code block becomes
a paragraph, an image its description. bleach then cleans the result against
a short allowlist and gives every link `rel="nofollow ugc noopener"`. The
output of `render_markdown` is a fixed point of `sanitize_html`: cleaning it
again changes nothing.
"""

import ctypes
import re
import threading
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

import bleach
from bleach.html5lib_shim import Filter
from cmarkgfm import _cmark

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Notices (privacy, terms, accessibility) are long staff texts that need
# section headings; the page's own <h1> is the notice's title.
NOTICE_TAGS = ALLOWED_TAGS | {"h2", "h3"}


# --- cmark-gfm -----------------------------------------------------------------------

# No CMARK_OPT_UNSAFE: cmark would pass raw HTML through. No smart
# punctuation and no hard breaks: quotes and line ends stay as typed.
_CMARK_OPTIONS = _cmark.lib.CMARK_OPT_DEFAULT
# Only the autolink extension: tables, strikethrough and task lists stay text.
# Registered once, at import, which no two threads do at the same time.
_cmark.lib.cmark_gfm_core_extensions_ensure_registered()
_CMARK_EXTENSIONS = (_cmark.lib.cmark_find_syntax_extension(b"autolink"),)


@lru_cache(maxsize=1)
def _cmark_memory():
    """What cmarkgfm's own helpers never call, so each render leaked its tree and output.

    The package's wrapper (theacodes/cmarkgfm issue 53) leaves the syntax tree
    and the rendered string to the caller and frees neither: about 1 MB per
    long comment. Both functions are exported by the library the package ships.
    """
    library = ctypes.CDLL(_cmark.__file__)
    library.cmark_node_free.argtypes = [ctypes.c_void_p]
    library.cmark_node_free.restype = None
    allocator = library.cmark_get_default_mem_allocator
    allocator.restype = ctypes.POINTER(_CmarkMemory)
    return library.cmark_node_free, allocator().contents.free


class _CmarkMemory(ctypes.Structure):
    _fields_ = [
        ("calloc", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t)),
        ("realloc", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


def _address(pointer) -> int:
    return int(_cmark.ffi.cast("uintptr_t", pointer))


def _cmark_html(source: str) -> str:
    """cmark-gfm's HTML for `source`, with the memory it used given back."""
    lib, ffi = _cmark.lib, _cmark.ffi
    node_free, free = _cmark_memory()
    encoded = source.encode("utf-8")
    parser = lib.cmark_parser_new(_CMARK_OPTIONS)
    try:
        for extension in _CMARK_EXTENSIONS:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = lib.cmark_parser_finish(parser)
        try:
            html = lib.cmark_render_html(
                root, _CMARK_OPTIONS, lib.cmark_parser_get_syntax_extensions(parser)
            )
            try:
                return ffi.string(html).decode("utf-8")
            finally:
                free(_address(html))
        finally:
            node_free(_address(root))
    finally:
        lib.cmark_parser_free(parser)


# --- Before cmark: what the author typed stays text ----------------------------------

# Unicode noncharacters (reserved for a program's internal use) stand in for
# "<" and "&", and for "\<" and "\&" (escaped by the author), while cmark
# parses: it then sees no raw HTML and no character references, in text, code
# and link addresses alike, and each comes back as the author typed it.
_LESS_THAN, _AMPERSAND = "\ufdd0", "\ufdd1"
_ESCAPED_LESS_THAN, _ESCAPED_AMPERSAND = "\ufdd2", "\ufdd3"
# What each stands for in text, in code (where "\" escapes nothing) and in
# an address (where cmark writes it as its percent-encoded UTF-8).
_STAND_INS = {
    _LESS_THAN: ("&lt;", "&lt;", "%3C"),
    _AMPERSAND: ("&amp;", "&amp;", "&amp;"),
    _ESCAPED_LESS_THAN: ("&lt;", "\\&lt;", "%3C"),
    _ESCAPED_AMPERSAND: ("&amp;", "\\&amp;", "&amp;"),
}
# An author's own noncharacters become U+FFFD first, so nothing else is
# mistaken for a stand-in; lone surrogates, which UTF-8 cannot carry, go the
# same way. Control characters (but tab and line ends) show nothing: they go,
# where the cleaner would have shown each as "?".
_UNTYPEABLE = re.compile("[\ufdd0-\ufdef\ud800-\udfff]")
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A "\" before "<" or "&" escapes it unless that "\" is itself escaped. Tried
# only from the first "\" of a run, whose pairs are never given back.
_ESCAPED_MARKUP = re.compile(r"(?<!\\)((?:\\\\)*+)\\([<&])")
# A "<" that opens an autolink cmark may keep (an http, https or mailto
# address, or an email address, in angle brackets) stays; any other is text.
# Neither lookahead can pass a "<", so no two of them scan the same characters.
_TEXT_LESS_THAN = re.compile(
    r"<(?!(?:https?|mailto):[^\x00-\x20<>]*+>"
    r"|[a-zA-Z0-9.!#$%'*+/=?^_`{|}~-]++@[a-zA-Z0-9.-]++>)",
    re.IGNORECASE,
)


def _escaped_stand_in(match: re.Match) -> str:
    return match[1] + (_ESCAPED_LESS_THAN if match[2] == "<" else _ESCAPED_AMPERSAND)


def _hide_markup_characters(typed: str) -> str:
    hidden = _ESCAPED_MARKUP.sub(_escaped_stand_in, typed).replace("&", _AMPERSAND)
    return _TEXT_LESS_THAN.sub(_LESS_THAN, hidden)


# --- After cmark: what the allowlist lacks keeps its words ---------------------------

# cmark's own output, where every "<" of the text is escaped already.
_CODE = re.compile(r'<code(?: class="[^"]*")?>[^<]*</code>')
_ADDRESS = re.compile(r'href="[^"]*"')
_IMAGE = re.compile(r'<img src="[^"]*" alt="([^"]*)"(?: title="[^"]*")? />')
_CODE_BLOCK = re.compile(r'<pre><code(?: class="[^"]*")?>([^<]*)</code></pre>')
_HEADING = re.compile(r"<(/?)h([1-6])>")
_IN_TEXT = {stand_in: shown[0] for stand_in, shown in _STAND_INS.items()}
_IN_CODE = {stand_in: shown[1] for stand_in, shown in _STAND_INS.items()}
_IN_ADDRESS = {
    "".join(f"%{byte:02X}" for byte in stand_in.encode()): shown[2]
    for stand_in, shown in _STAND_INS.items()
}


def _shown(html: str, stand_ins: dict[str, str]) -> str:
    for stand_in, shown in stand_ins.items():
        html = html.replace(stand_in, shown)
    return html


def _code_block_as_paragraph(match: re.Match) -> str:
    lines = match[1].removesuffix("\n")
    return "<p>" + lines.replace("\n", "<br>\n") + "</p>" if lines else ""


def _within_allowlist(html: str, heading_tags: dict[str, str]) -> str:
    html = _CODE.sub(lambda match: _shown(match[0], _IN_CODE), html)
    html = _ADDRESS.sub(lambda match: _shown(match[0], _IN_ADDRESS), html)
    html = _shown(html, _IN_TEXT)
    # An image is its description; one without a description leaves nothing.
    html = _IMAGE.sub(r"\1", html).replace("<p></p>", "")
    html = _CODE_BLOCK.sub(_code_block_as_paragraph, html)
    return _HEADING.sub(lambda match: f"<{match[1]}{heading_tags[match[2]]}>", html)


# A comment's headings are paragraphs; a notice's are its section headings
# under the page's own <h1>.
_COMMENT_HEADINGS = dict.fromkeys("123456", "p")
_NOTICE_HEADINGS = {"1": "h2", "2": "h2", "3": "h3", "4": "h3", "5": "h3", "6": "h3"}


# bleach (html5lib in pure Python) costs about 30-100 microseconds a tag, and
# more the deeper the tag: cmark's output for a 20,000-character body can hold
# 20,000 tags ("-\n" repeated) or nest 10,000 quotes deep ("> " repeated).
# Quotes and lists deeper than this lose their indent, never their text...
_DEEPEST_NESTING = 32
_NESTING_TAG = re.compile(r"<(/?)(?:blockquote|ul|ol|li)\b[^>]*>")
# ...and a body that still needs more tags than this is no real comment (a
# long, richly formatted one needs a few hundred): it is shown as typed. A
# link counts twice over, as it costs the cleaner about twice as much.
_MOST_TAGS = 4000


def _flatten_deep_nesting(html: str) -> str:
    pieces, kept, depth, position = [], [], 0, 0
    for match in _NESTING_TAG.finditer(html):
        if match[1]:
            keep = kept.pop()
            depth -= keep
        else:
            keep = depth < _DEEPEST_NESTING
            kept.append(keep)
            depth += keep
        pieces.append(html[position : match.start()])
        if keep:
            pieces.append(match[0])
        position = match.end()
    pieces.append(html[position:])
    return "".join(pieces)


def _markdown_html(source: str, headings: dict[str, str]) -> str:
    """HTML for `source` that bleach can clean fast and that keeps every word."""
    typed = _UNTYPEABLE.sub("\ufffd", _INVISIBLE.sub("", source))
    html = _cmark_html(_hide_markup_characters(typed))
    html = _flatten_deep_nesting(_within_allowlist(html, headings))
    if html.count("<") + html.count("<a ") > _MOST_TAGS:
        return f"<p>{escape(typed, quote=False)}</p>"
    return html


# --- bleach --------------------------------------------------------------------------


class _LinkRules(Filter):
    """Every link gets the rel; an <a> left without an address is no link, its text stays.

    The cleaner drops an address it refuses ("javascript:", "ftp:"), and cmark
    leaves one empty when it refuses it.
    """

    def __iter__(self):
        dropped = []  # for each open <a>, whether its tags are left out
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attributes = token["data"]
                dropped.append(not attributes.get((None, "href")))
                if dropped[-1]:
                    continue
                attributes.pop((None, "rel"), None)
                attributes[(None, "rel")] = LINK_REL
            elif token["type"] == "EndTag" and token["name"] == "a" and dropped:
                if dropped.pop():
                    continue
            yield token


def _make_cleaner(tags) -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_LinkRules],
    )


# bleach's Cleaner keeps the text it is cleaning on itself, and bleach says a
# cleaner must not be shared by threads: gunicorn's gthread workers clean
# several posts at once, and eight threads sharing one raised IndexError now
# and then. Each thread builds its own, once.
_cleaners = threading.local()


def _cleaner() -> bleach.Cleaner:
    """This thread's cleaner for comments."""
    cleaner = getattr(_cleaners, "comment", None)
    if cleaner is None:
        cleaner = _cleaners.comment = _make_cleaner(ALLOWED_TAGS)
    return cleaner


def _notice_cleaner() -> bleach.Cleaner:
    """This thread's cleaner for notices (their headings too)."""
    cleaner = getattr(_cleaners, "notice", None)
    if cleaner is None:
        cleaner = _cleaners.notice = _make_cleaner(NOTICE_TAGS)
    return cleaner


def sanitize_html(html: str) -> str:
    """Clean HTML against the allowlist; links get rel="nofollow ugc noopener"."""
    return _cleaner().clean(html)


def render_markdown(source: str) -> str:
    """Render a comment's Markdown to sanitized HTML."""
    return sanitize_html(_markdown_html(source, _COMMENT_HEADINGS)).strip()


def render_notice_markdown(source: str) -> str:
    """Render a notice: a comment's Markdown with ## and ### headings, cleaned the same way."""
    return _notice_cleaner().clean(_markdown_html(source, _NOTICE_HEADINGS)).strip()


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
        # thing seen was a block tag (the newlines the renderer puts between
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
