"""Translations of contributions: made by the secretariat and its translators, shown in the
reader's language with who made them and when, the original one click away, out of date once
the original is edited."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from consultations.archive.writer import PUBLIC_RECORD_COLUMNS, published_rows
from consultations.exports import contribution_rows, rows_to_csv
from consultations.models import (
    CommentStatus,
    CommentTranslation,
    ModerationAction,
    ModerationEntry,
    TransitionRefused,
)
from consultations.rules import Refused
from consultations.services.comments import comment_edit
from consultations.services.translations import comment_translate
from tests.factories import make_comment, make_translator, make_user

pytestmark = pytest.mark.django_db

SPANISH_ORIGINAL = "Las ciudades deberían coordinar la acogida con las asociaciones locales."
ENGLISH_TRANSLATION = "Cities should coordinate reception with local associations."


@pytest.fixture
def author(db):
    return make_user(display_name="Lucía Fernández")


@pytest.fixture
def spanish_comment(question, author):
    return make_comment(question, author=author, body=SPANISH_ORIGINAL, language="es")


@pytest.fixture
def translator(db):
    return make_translator(display_name="Claire Martin")


def translate(comment, *, by, language="en", body=ENGLISH_TRANSLATION):
    return comment_translate(translator=by, comment=comment, language=language, body=body)


def page_in(client, language, comment):
    with translation.override(language):
        response = client.get(comment.question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def article_of(page, comment) -> str:
    start = page.index(f'id="comment-{comment.pk}"')
    return page[start : page.index("</article>", start)]


# --- The service ---------------------------------------------------------------------


def test_a_translation_keeps_its_translator_and_the_original_it_was_made_from(
    spanish_comment, translator
):
    saved, _entry = translate(spanish_comment, by=translator)

    stored = CommentTranslation.objects.get(pk=saved.pk)
    assert (stored.language, stored.translator, stored.body_source) == (
        "en",
        translator,
        ENGLISH_TRANSLATION,
    )
    assert "<p>Cities should coordinate" in stored.body_html
    assert stored.source_edited_at is None
    assert not stored.is_out_of_date


def test_translating_writes_an_audit_entry_with_the_facts(spanish_comment, translator):
    _saved, entry = translate(spanish_comment, by=translator)

    entry = ModerationEntry.objects.get(pk=entry.pk)
    assert (entry.action, entry.actor, entry.comment) == (
        ModerationAction.TRANSLATE,
        translator,
        spanish_comment,
    )
    assert entry.changes == [
        {"model": "commenttranslation", "field": "language", "before": None, "after": "en"},
        {
            "model": "commenttranslation",
            "field": "body_source",
            "before": None,
            "after": ENGLISH_TRANSLATION,
        },
    ]


def test_translating_again_replaces_the_text_and_logs_what_it_was(spanish_comment, translator):
    translate(spanish_comment, by=translator, body="A first draft.")
    saved, entry = translate(spanish_comment, by=translator)

    assert CommentTranslation.objects.filter(comment=spanish_comment).count() == 1
    assert CommentTranslation.objects.get(pk=saved.pk).body_source == ENGLISH_TRANSLATION
    assert entry.changes[1]["before"] == "A first draft."
    assert entry.changes[0]["before"] == "en"


def test_sending_the_same_translation_again_writes_nothing(spanish_comment, translator):
    translate(spanish_comment, by=translator)

    _saved, entry = translate(spanish_comment, by=translator)

    assert entry is None
    assert ModerationEntry.objects.filter(action=ModerationAction.TRANSLATE).count() == 1


def test_a_translation_goes_out_of_date_when_the_original_is_edited(
    spanish_comment, translator, author
):
    saved, _entry = translate(spanish_comment, by=translator)

    comment_edit(
        editor=author,
        comment=spanish_comment,
        body=SPANISH_ORIGINAL + " Y con los municipios vecinos.",
        language="es",
    )

    assert CommentTranslation.objects.get(pk=saved.pk).is_out_of_date


def test_translating_the_edited_original_again_brings_it_up_to_date(
    spanish_comment, translator, author
):
    translate(spanish_comment, by=translator)
    comment_edit(editor=author, comment=spanish_comment, body="Un texto nuevo.", language="es")

    saved, entry = translate(spanish_comment, by=translator)

    assert not CommentTranslation.objects.get(pk=saved.pk).is_out_of_date
    assert entry is not None  # the same text, but made from the new original


def test_the_secretariat_translates_without_joining_the_translators(spanish_comment, secretariat):
    saved, _entry = translate(spanish_comment, by=secretariat)

    assert saved.translator == secretariat


@pytest.mark.parametrize(
    ("language", "body", "message"),
    [
        ("es", ENGLISH_TRANSLATION, "already written in Spanish"),
        ("en", "   ", "the text is empty"),
        ("de", ENGLISH_TRANSLATION, "English, French or Spanish"),
    ],
    ids=["own language", "empty text", "not an interface language"],
)
def test_a_refused_translation_says_why_and_writes_nothing(
    spanish_comment, translator, language, body, message
):
    translate(spanish_comment, by=translator, language="fr", body="Une traduction.")

    with pytest.raises(TransitionRefused, match=message):
        translate(spanish_comment, by=translator, language=language, body=body)

    assert CommentTranslation.objects.get(comment=spanish_comment).body_source == (
        "Une traduction."
    )
    assert ModerationEntry.objects.filter(action=ModerationAction.TRANSLATE).count() == 1


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN]
)
def test_only_published_contributions_can_be_translated(question, translator, status):
    comment = make_comment(question, body=SPANISH_ORIGINAL, language="es", status=status)

    with pytest.raises(Refused, match="Only published contributions can be translated"):
        translate(comment, by=translator)

    assert not CommentTranslation.objects.exists()
    assert not ModerationEntry.objects.exists()


def test_a_stakeholder_cannot_translate(spanish_comment, stakeholder):
    with pytest.raises(Refused, match="secretariat and its translators"):
        translate(spanish_comment, by=stakeholder)

    assert not CommentTranslation.objects.exists()


# --- Reading --------------------------------------------------------------------------


def test_an_english_reader_sees_the_translation_with_who_made_it_and_when(
    client, spanish_comment, translator
):
    saved, _entry = translate(spanish_comment, by=translator)

    article = article_of(page_in(client, "en", spanish_comment), spanish_comment)

    with translation.override("en"):
        date = date_format(timezone.localtime(saved.updated_at), "DATE_FORMAT")
    assert ENGLISH_TRANSLATION in article
    assert f"Translated from Spanish by Claire Martin, {date}" in article
    assert "Out of date" not in article


def test_the_original_is_one_click_away_in_a_details_without_javascript(
    client, spanish_comment, translator
):
    translate(spanish_comment, by=translator)

    article = article_of(page_in(client, "en", spanish_comment), spanish_comment)

    details = re.search(
        r'<details class="comment__original">\s*<summary>Show the original \(Spanish\)</summary>'
        r'<div class="comment__body" lang="es">(.*?)</div></details>',
        article,
        re.DOTALL,
    )
    assert details is not None
    assert SPANISH_ORIGINAL in details[1]
    assert f'lang="en" id="comment-{spanish_comment.pk}-body"' in article


def test_a_reader_in_the_original_language_sees_only_the_original(
    client, spanish_comment, translator
):
    translate(spanish_comment, by=translator)

    article = article_of(page_in(client, "es", spanish_comment), spanish_comment)

    assert SPANISH_ORIGINAL in article
    assert ENGLISH_TRANSLATION not in article
    assert "comment__original" not in article


def test_a_reader_with_no_translation_in_their_language_sees_the_original(
    client, spanish_comment, translator
):
    translate(spanish_comment, by=translator)

    article = article_of(page_in(client, "fr", spanish_comment), spanish_comment)

    assert SPANISH_ORIGINAL in article
    assert ENGLISH_TRANSLATION not in article


def test_an_out_of_date_translation_says_so_and_opens_the_original(
    client, spanish_comment, translator, author
):
    translate(spanish_comment, by=translator)
    comment_edit(editor=author, comment=spanish_comment, body="Un texto nuevo.", language="es")

    article = article_of(page_in(client, "en", spanish_comment), spanish_comment)

    assert "Out of date: the original was edited after this translation." in article
    assert ENGLISH_TRANSLATION in article
    assert '<details class="comment__original" open>' in article
    assert "Un texto nuevo." in article


def test_a_hidden_comment_shows_no_translation(client, spanish_comment, translator, moderator):
    from consultations.services.moderation import comment_hide

    translate(spanish_comment, by=translator)
    comment_hide(moderator=moderator, comment=spanish_comment, reason="Off topic.")

    article = article_of(page_in(client, "en", spanish_comment), spanish_comment)

    assert ENGLISH_TRANSLATION not in article


# --- The translate page ---------------------------------------------------------------


def translate_url(comment):
    with translation.override("en"):
        return reverse("consultations:comment_translate", args=[comment.pk])


def test_the_translate_link_shows_for_translators_only(
    client_for, spanish_comment, translator, stakeholder
):
    link = f'href="{translate_url(spanish_comment)}"'

    assert link in page_in(client_for(translator), "en", spanish_comment)
    assert link not in page_in(client_for(stakeholder), "en", spanish_comment)


def test_the_translate_page_offers_only_the_other_languages(
    client_for, spanish_comment, translator
):
    page = client_for(translator).get(translate_url(spanish_comment)).content.decode()

    assert '<option value="en"' in page
    assert '<option value="fr"' in page
    assert '<option value="es"' not in page


def test_a_translator_saves_a_translation_through_the_page(client_for, spanish_comment, translator):
    response = client_for(translator).post(
        translate_url(spanish_comment), {"language": "en", "body": ENGLISH_TRANSLATION}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{spanish_comment.pk}")
    assert CommentTranslation.objects.get(comment=spanish_comment).translator == translator


def test_a_translation_into_the_own_language_is_refused_on_the_page_with_the_text_kept(
    client_for, spanish_comment, translator
):
    response = client_for(translator).post(
        translate_url(spanish_comment), {"language": "es", "body": ENGLISH_TRANSLATION}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "already written in Spanish; choose another language" in page
    assert ENGLISH_TRANSLATION in page
    assert not CommentTranslation.objects.exists()


def test_an_empty_translation_is_refused_on_the_page(client_for, spanish_comment, translator):
    response = client_for(translator).post(
        translate_url(spanish_comment), {"language": "en", "body": "  "}
    )

    assert response.status_code == 400
    assert "Write the translation: the text is empty." in response.content.decode()
    assert not CommentTranslation.objects.exists()


def test_the_page_refuses_a_hidden_comment_with_a_sentence(client_for, question, translator):
    hidden = make_comment(question, language="es", status=CommentStatus.HIDDEN)

    response = client_for(translator).get(translate_url(hidden))

    assert response.status_code == 403
    assert "Only published contributions can be translated" in response.content.decode()


# --- Exports and the sealed record ------------------------------------------------------


def test_the_export_gives_each_translation_beside_the_original_with_its_provenance(
    consultation, spanish_comment, translator, author
):
    translate(spanish_comment, by=translator)
    translate(spanish_comment, by=translator, language="fr", body="Les villes devraient…")
    comment_edit(editor=author, comment=spanish_comment, body="Un texto nuevo.", language="es")
    translate(spanish_comment, by=translator, language="fr", body="Un texte nouveau.")

    [row] = contribution_rows(consultation)

    assert (row["translation_en"], row["translation_fr"], row["translation_es"]) == (
        ENGLISH_TRANSLATION,
        "Un texte nouveau.",
        "",
    )
    en_line, fr_line = row["translation_provenance"].split("\n")
    assert en_line.startswith("en: Claire Martin, ") and en_line.endswith(" (out of date)")
    assert fr_line.startswith("fr: Claire Martin, ") and "out of date" not in fr_line


def test_the_csv_export_has_a_column_per_translation_language(consultation, spanish_comment):
    header = rows_to_csv(contribution_rows(consultation)).decode("utf-8-sig").splitlines()[0]

    assert {"translation_en", "translation_fr", "translation_es"} <= set(header.split(","))


def test_published_translations_are_part_of_the_sealed_record(
    consultation, spanish_comment, translator
):
    translate(spanish_comment, by=translator)

    [row] = published_rows(consultation)

    assert row["translation_en"] == ENGLISH_TRANSLATION
    assert "translation_provenance" in PUBLIC_RECORD_COLUMNS


# --- The translator role and the log ----------------------------------------------------


def test_the_translators_group_holds_the_right_to_translate_and_nothing_else(db):
    from django.contrib.auth.models import Group

    translators = Group.objects.get(name="Translators")

    assert list(translators.permissions.values_list("codename", flat=True)) == [
        "translate_contributions"
    ]


def test_the_log_names_the_translation_in_the_readers_language(
    client_for, spanish_comment, translator, secretariat
):
    translate(spanish_comment, by=translator)

    with translation.override("fr"):
        page = client_for(secretariat).get(reverse("consultations:audit_log")).content.decode()

    assert "A traduit une contribution" in page
    assert "Anglais" in page
