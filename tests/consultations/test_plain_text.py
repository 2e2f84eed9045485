"""The plain text kept beside each comment: what the exports' body_text column holds."""

import importlib

from django.apps import apps

from consultations.models import Comment
from consultations.sanitize import plain_text, render_markdown
from tests.factories import make_comment


def text_of(source: str) -> str:
    return plain_text(render_markdown(source))


def test_a_link_keeps_its_address_after_its_text():
    assert (
        text_of("Read [the 2024 review](https://example.org/review) first.")
        == "Read the 2024 review (https://example.org/review) first."
    )


def test_a_bare_address_is_not_repeated():
    assert text_of("See www.example.org or https://example.org/a/") == (
        "See www.example.org or https://example.org/a/"
    )


def test_an_email_link_shows_the_address_without_mailto():
    assert text_of("Write [to us](mailto:desk@example.org).") == "Write to us (desk@example.org)."


def test_a_link_whose_address_was_refused_keeps_only_its_text():
    assert plain_text('<p><a rel="nofollow">no address</a> here</p>') == "no address here"


def test_a_numbered_list_keeps_its_numbers_one_item_a_line():
    source = "Our priorities:\n\n1. Language access\n2. Fair recruitment\n3. Data"

    assert text_of(source) == "Our priorities:\n\n1. Language access\n2. Fair recruitment\n3. Data"


def test_a_numbered_list_may_start_at_another_number():
    assert text_of("4. Fourth\n5. Fifth") == "4. Fourth\n5. Fifth"


def test_bullets_and_nested_lists_are_marked_and_indented():
    source = "- Housing\n- Work\n  1. permits\n  2. contracts\n- Health"

    assert text_of(source) == "• Housing\n• Work\n   1. permits\n   2. contracts\n• Health"


def test_a_loose_list_item_starts_on_its_marker_line():
    assert text_of("1. First\n\n2. Second") == "1. First\n\n2. Second"


def test_paragraphs_stand_a_blank_line_apart_and_line_breaks_stay():
    assert text_of("One\nstill one\n\nTwo  \nbroken") == "One\nstill one\n\nTwo\nbroken"


def test_inline_emphasis_keeps_the_spaces_between_words():
    assert text_of("*Fair* **recruitment** _now_") == "Fair recruitment now"


def test_a_formula_in_a_link_stays_text_in_the_plain_text():
    # Neutralising is the exports' job; the plain text keeps what was written.
    assert text_of("=HYPERLINK [x](https://example.org)") == "=HYPERLINK x (https://example.org)"


def test_the_migration_recomputes_the_plain_text_of_existing_comments(question):
    comment = make_comment(question, body="Priorities:\n\n1. [Access](https://example.org/a)")
    untouched = make_comment(question, body="Nothing to change.")
    # As the earlier plain_text stored it: no number, no address.
    Comment.objects.filter(pk=comment.pk).update(body_text="Priorities:\n\nAccess")
    migration = importlib.import_module("consultations.migrations.0016_recompute_comment_body_text")

    migration.recompute_body_text(apps, schema_editor=None)

    comment.refresh_from_db()
    untouched.refresh_from_db()
    assert comment.body_text == "Priorities:\n\n1. Access (https://example.org/a)"
    assert untouched.body_text == "Nothing to change."
