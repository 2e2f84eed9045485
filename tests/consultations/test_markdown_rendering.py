"""What a comment's Markdown becomes: cmark-gfm parses it, bleach cleans it.

test_sanitize.py proves the output safe against the hostile corpora; these
tests pin what a reader sees: nothing the author wrote is lost, addresses
become links, and the worst shapes at the longest allowed body render cleanly
(how fast is `make bench`'s job, not a test's).
"""

import importlib
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consultations import sanitize
from consultations.models import Comment, CommentTranslation, Consultation, Revision
from consultations.sanitize import (
    LINK_REL,
    plain_text,
    render_markdown,
    render_notice_markdown,
    sanitize_html,
)
from consultations.templatetags import roundtable
from tests.consultations.test_sanitize import LONGEST_BODY, elements, problems
from tests.factories import make_comment, make_translator


def links(html: str) -> list[dict]:
    return [dict(attributes) for tag, attributes in elements(html) if tag == "a"]


def letters(text: str) -> Counter:
    return Counter(character for character in text if character.isalpha())


# --- The worst shapes, at the longest allowed body -------------------------------------

# The bodies benchmarks/bench.py times (issue 12): runs that made markdown-it
# and bleach slow, nesting that makes an HTML parser slow, unbroken addresses.
PATHOLOGICAL_BODIES = {
    "strong-runs": "**a" * 6666,
    "brackets": "[" * 20_000,
    "emphasis-runs": "*a" * 10_000,
    "underscore-runs": "_a" * 10_000,
    "mixed-emphasis": "*_" * 10_000,
    "parentheses-then-colon": "(" * 19_999 + ":",
    "parenthesis-colon": "(:" * 10_000,
    "unclosed-links": "[a](" * 5000,
    "address-then-parentheses": "http://" + "(" * 19_993,
    "nested-quotes": "> " * 10_000,
    "nested-lists": "- " * 10_000,
    "nested-numbered-lists": "1. " * 6666,
    "indented-list": "".join("  " * level + "- a\n" for level in range(1000))[:20_000],
    "long-https-address": "https://example.org/" + "a" * 19_980,
    "long-www-address": "www." + "a" * 19_992 + ".org",
    "long-email-address": "a" * 19_988 + "@example.org",
    "dotted-names": "a." * 10_000,
}


@pytest.mark.parametrize("source", PATHOLOGICAL_BODIES.values(), ids=PATHOLOGICAL_BODIES.keys())
def test_a_pathological_body_renders_clean_and_keeps_its_letters(source):
    assert len(source) <= LONGEST_BODY

    html = render_markdown(source)

    assert problems(html) == []
    assert letters(plain_text(html)) == letters(source)


# Bodies whose HTML would need thousands of tags: no comment a person writes.
TAG_HEAVY_BODIES = {
    "empty-list-items": "-\n" * 10_000,
    "one-letter-paragraphs": "a\n\n" * 6666,
    "one-letter-items": "- a\n" * 5000,
    "links": "[a](/b) " * 2500,
    "bare-addresses": "www.a.io a@b.co " * 1250,
    "hard-breaks": "a  \n" * 5000,
}


@pytest.mark.parametrize("source", TAG_HEAVY_BODIES.values(), ids=TAG_HEAVY_BODIES.keys())
def test_a_body_needing_thousands_of_tags_is_shown_as_typed(source):
    assert len(source) <= LONGEST_BODY

    html = render_markdown(source)

    assert problems(html) == []
    assert [tag for tag, _attributes in elements(html)] == ["p"]
    assert plain_text(html) == source.strip()


def test_a_long_richly_formatted_comment_keeps_its_formatting():
    paragraph = (
        "Our *first* point on **fair recruitment**, see [the review](https://example.org/r) "
        "and www.example.org.\n\n- one\n- two\n\n> quoted\n\n"
    )
    source = paragraph * (LONGEST_BODY // len(paragraph))

    html = render_markdown(source)

    tags = Counter(tag for tag, _attributes in elements(html))
    assert tags["em"] == tags["strong"] == tags["blockquote"] == source.count("*first*")
    assert tags["a"] == 2 * source.count("*first*")


def test_quotes_nested_past_the_deepest_level_keep_their_words():
    html = render_markdown("> " * 10_000 + "the deepest words")

    assert html.count("<blockquote>") == 32
    assert "the deepest words" in html
    assert problems(html) == []


def test_list_items_nested_past_the_deepest_level_keep_their_words():
    source = "".join("  " * level + f"- item{level}\n" for level in range(60))

    html = render_markdown(source)

    assert html.count("<ul>") + html.count("<li>") == 32
    assert all(f"item{level}" in html for level in range(60))
    assert problems(html) == []


# --- What cmark makes beyond the allowlist keeps its words ----------------------------


def test_a_heading_is_a_paragraph_in_a_comment():
    assert render_markdown("# Our position\n\nWe agree.") == "<p>Our position</p>\n<p>We agree.</p>"


def test_an_underlined_heading_is_a_paragraph_in_a_comment():
    assert render_markdown("Our position\n============\nWe agree.") == (
        "<p>Our position</p>\n<p>We agree.</p>"
    )


def test_an_indented_block_keeps_its_lines_and_characters():
    html = render_markdown("Text:\n\n    if a < b && c:\n        go()")

    assert html == "<p>Text:</p>\n<p>if a &lt; b &amp;&amp; c:<br>\n    go()</p>"


def test_a_fenced_block_drops_its_language_and_keeps_its_text():
    html = render_markdown("```python\nprint('<b>')\n```")

    assert html == "<p>print('&lt;b&gt;')</p>"


def test_a_code_span_keeps_its_characters():
    assert render_markdown("Use `a<b & c` here") == "<p>Use a&lt;b &amp; c here</p>"


def test_an_image_is_its_description():
    html = render_markdown('See ![A chart of arrivals](https://example.org/c.png "Chart") here')

    assert html == "<p>See A chart of arrivals here</p>"


def test_an_image_without_a_description_leaves_nothing():
    assert render_markdown("![](https://example.org/pixel.png)") == ""


def test_an_image_inside_a_link_leaves_the_link_with_its_description():
    html = render_markdown("[![logo](https://example.org/l.png)](https://example.org/)")

    assert html == f'<p><a href="https://example.org/" rel="{LINK_REL}">logo</a></p>'


def test_tables_strikethrough_and_task_lists_stay_as_typed():
    source = "| a | b |\n|---|---|\n| 1 | 2 |\n~~gone~~ [ ] task"

    html = render_markdown(source)

    assert html == f"<p>{source}</p>"


def test_text_that_looks_like_html_is_kept_as_typed():
    source = "Fill in <Annex II> and <name>; a < b > c, <b>not bold</b> <!-- kept -->"

    html = render_markdown(source)

    assert plain_text(html) == source
    assert [tag for tag, _attributes in elements(html)] == ["p"]


def test_a_paragraph_starting_with_a_tag_is_not_swallowed():
    html = render_markdown("<div>\nThe whole paragraph\n</div>")

    assert plain_text(html) == "<div>\nThe whole paragraph\n</div>"


# --- Addresses ---------------------------------------------------------------------


def test_bare_http_https_www_and_email_addresses_become_links_with_the_rel():
    html = render_markdown(
        "Read http://example.org/a, https://example.org/b?x=1 and www.example.org/c. "
        "Write to desk@example.org."
    )

    assert [link["href"] for link in links(html)] == [
        "http://example.org/a",
        "https://example.org/b?x=1",
        "http://www.example.org/c",
        "mailto:desk@example.org",
    ]
    assert {link["rel"] for link in links(html)} == {LINK_REL}


def test_addresses_in_angle_brackets_become_links():
    html = render_markdown("<https://example.org/a> and <desk@example.org>")

    assert [link["href"] for link in links(html)] == [
        "https://example.org/a",
        "mailto:desk@example.org",
    ]


def test_a_link_to_a_refused_address_keeps_only_its_text():
    assert render_markdown("[click](javascript:alert(1))") == "<p>click</p>"
    assert render_markdown("[file](ftp://example.org/f)") == "<p>file</p>"


def test_the_cleaner_unwraps_a_link_whose_address_it_refuses():
    assert sanitize_html('<a href="ftp://example.org/f">file</a> <a>none</a>') == "file none"


def test_an_ampersand_in_an_address_is_escaped_once():
    html = render_markdown("https://example.org/?a=1&b=2 and [x](https://example.org/?c=3&d=4)")

    assert [link["href"] for link in links(html)] == [
        "https://example.org/?a=1&b=2",
        "https://example.org/?c=3&d=4",
    ]
    assert "&amp;amp;" not in html


# --- Characters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "source", ["&amp;lt;", "&#60;script&#62;", "&lt;b&gt;", "&copy; &nbsp; AT&T R&D", "&&&;;"]
)
def test_character_references_are_shown_as_typed_and_never_decoded_twice(source):
    html = render_markdown(source)

    assert plain_text(html) == source
    assert sanitize_html(html) == html
    assert plain_text(sanitize_html(sanitize_html(html))) == source


def test_a_backslash_escapes_markup_in_text_but_not_in_code():
    html = render_markdown(r"\<b\> \& \*not emphasis\* `\<b\> \&`")

    assert plain_text(html) == r"<b> & *not emphasis* \<b\> \&"


def test_invisible_control_characters_go_and_odd_code_points_become_replacements():
    html = render_markdown("a\x00b\x0b-c \ufdd0 \ufdd1 \ud800 d")

    assert html == "<p>ab-c \ufffd \ufffd \ufffd d</p>"


# --- Notices ------------------------------------------------------------------------


def test_notice_headings_are_section_headings_under_the_page_title():
    html = render_notice_markdown("# Notice\n\n## Contact\n\n### Post\n\n#### Desk\n\nText")

    assert html == "<h2>Notice</h2>\n<h2>Contact</h2>\n<h3>Post</h3>\n<h3>Desk</h3>\n<p>Text</p>"


def test_notices_link_bare_addresses_and_show_html_as_text():
    html = render_notice_markdown("Write to desk@example.org <script>x</script>")

    assert links(html) == [{"href": "mailto:desk@example.org", "rel": LINK_REL}]
    assert "&lt;script&gt;x&lt;/script&gt;" in html


# --- Memory -------------------------------------------------------------------------


def test_each_render_gives_back_cmarks_tree_and_output(monkeypatch):
    """cmarkgfm's own helpers leak both, about 1 MB per long comment."""
    node_free, free = sanitize._cmark_memory()
    freed = Counter()

    def counting(name, function):
        def call(address):
            freed[name] += 1
            return function(address)

        return call

    monkeypatch.setattr(
        sanitize,
        "_cmark_memory",
        lambda: (counting("tree", node_free), counting("output", free)),
    )

    render_markdown("Some *text* with www.example.org")
    render_notice_markdown("## A heading")

    assert freed == {"tree": 2, "output": 2}


# --- Stored bodies ------------------------------------------------------------------


def _rerender_migration():
    """The data migration, found by its name (a merge may renumber it)."""
    folder = Path(sanitize.__file__).parent / "migrations"
    (path,) = folder.glob("*_rerender_bodies_with_cmark.py")
    return importlib.import_module(f"consultations.migrations.{path.stem}"), path.stem


def test_the_migration_renders_stored_bodies_again_with_cmark(question):
    migration, name = _rerender_migration()
    source = "# Our view\n\nWrite to desk@example.org"
    comment = make_comment(question, body=source)
    untouched = make_comment(question, body="Nothing to change.")
    # As markdown-it and the old linkifier stored them.
    Comment.objects.filter(pk=comment.pk).update(
        body_html="<p># Our view</p>\n<p>Write to desk@example.org</p>",
        body_text="# Our view\n\nWrite to desk@example.org",
    )
    revision = Revision.objects.create(
        comment=comment,
        body_source="See ![the chart](https://example.org/c.png)",
        body_html="<p>See </p>",
        language="en",
        written_at=comment.created_at,
        replaced_at=comment.created_at,
    )
    translation = CommentTranslation.objects.create(
        comment=comment,
        language="fr",
        body_source="Écrire à desk@example.org",
        body_html="<p>Écrire à desk@example.org</p>",
        translator=make_translator(),
    )
    state = MigrationExecutor(connection).loader.project_state(("consultations", name))
    display_version = Consultation.objects.get(pk=question.consultation_id).display_version

    migration.rerender_bodies(state.apps, schema_editor=None)

    comment.refresh_from_db()
    untouched.refresh_from_db()
    revision.refresh_from_db()
    translation.refresh_from_db()
    assert comment.body_html == render_markdown(source)
    assert comment.body_text == "Our view\n\nWrite to desk@example.org"
    assert comment.edited_at is None
    assert untouched.body_html == "<p>Nothing to change.</p>"
    assert revision.body_html == "<p>See the chart</p>"
    assert translation.body_html == render_markdown("Écrire à desk@example.org")
    assert 'href="mailto:desk@example.org"' in translation.body_html
    # Pages kept in the cache showed the old HTML.
    assert Consultation.objects.get(pk=question.consultation_id).display_version > display_version


def test_a_text_the_secretariat_wrote_is_rendered_once_for_every_page_that_shows_it(
    monkeypatch,
):
    rendered = []

    def render_and_count(source):
        rendered.append(source)
        return render_markdown(source)

    monkeypatch.setattr(roundtable, "render_markdown", render_and_count)
    roundtable._staff_markdown.cache_clear()
    question_text = "How should **seasonal permits** work? See https://example.org/permits"

    first = roundtable.markdown(question_text)
    assert roundtable.markdown(question_text) == first == render_markdown(question_text)
    assert roundtable.markdown(question_text + " Thank you.") != first
    assert rendered == [question_text, question_text + " Thank you."]
    roundtable._staff_markdown.cache_clear()
