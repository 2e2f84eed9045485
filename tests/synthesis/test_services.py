"""Every tagging action writes one audit log entry whose facts read in each reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from consultations.models import ModerationAction, ModerationEntry
from consultations.rules import Refused
from synthesis import services
from synthesis.models import PaperUse, Quote, Theme, ThemeTag


def _entries(action):
    return list(ModerationEntry.objects.filter(action=action).order_by("pk"))


def _changes_in(language, entry):
    with translation.override(language):
        return [(c.field, c.before, c.after) for c in entry.changes_in_words()]


def test_creating_a_theme_numbers_it_and_logs_its_titles(reading, secretariat):
    theme = services.theme_create(
        actor=secretariat,
        consultation=reading.consultation,
        values={"title_en": "Decent work", "title_fr": "Travail décent", "objective_numbers": [2]},
    )

    [entry] = _entries(ModerationAction.CREATE_THEME)
    assert theme.number == 4
    assert entry.actor == secretariat and entry.consultation == reading.consultation
    assert ("title [en]", "—", "Decent work") in _changes_in("en", entry)
    assert ("objectives under review", "—", "2") in _changes_in("en", entry)


def test_changing_a_theme_logs_before_and_after(reading, secretariat):
    services.theme_edit(
        actor=secretariat, theme=reading.pathways, values={"title_es": "Vías regulares"}
    )

    [entry] = _entries(ModerationAction.EDIT_THEME)
    assert _changes_in("en", entry) == [("title [es]", "—", "Vías regulares")]
    assert Theme.objects.get(pk=reading.pathways.pk).title_es == "Vías regulares"


def test_a_theme_unchanged_writes_nothing(reading, secretariat):
    result = services.theme_edit(
        actor=secretariat, theme=reading.pathways, values={"title_en": "Pathways"}
    )

    assert result is None
    assert _entries(ModerationAction.EDIT_THEME) == []


def test_an_objective_the_consultation_does_not_have_is_refused(reading, secretariat):
    with pytest.raises(ValidationError):
        services.theme_create(
            actor=secretariat,
            consultation=reading.consultation,
            values={"title_en": "Nowhere", "objective_numbers": [9]},
        )

    assert not Theme.objects.filter(title_en="Nowhere").exists()
    assert _entries(ModerationAction.CREATE_THEME) == []


def test_each_tag_added_or_removed_is_one_entry_naming_the_theme_in_the_readers_language(
    reading, secretariat
):
    services.comment_themes_set(
        actor=secretariat, comment=reading.recruitment, themes=[reading.data_theme]
    )
    services.comment_themes_set(
        actor=secretariat,
        comment=reading.recruitment,
        themes=[reading.data_theme, reading.fair_recruitment],
    )

    removed, added = _entries(ModerationAction.REMOVE_TAG), _entries(ModerationAction.ADD_TAG)
    assert [entry.comment for entry in removed + added] == [reading.recruitment] * 2
    assert _changes_in("en", removed[0]) == [("theme", "1. Fair recruitment", "—")]
    assert _changes_in("fr", added[0]) == [("thème", "—", "1. Recrutement équitable")]
    assert _changes_in("es", added[0]) == [("tema", "—", "1. Contratación equitativa")]


def test_setting_the_same_themes_again_writes_nothing(reading, secretariat):
    services.comment_themes_set(
        actor=secretariat,
        comment=reading.recruitment,
        themes=[reading.fair_recruitment, reading.data_theme],
    )

    assert ModerationEntry.objects.count() == 0


def test_marking_and_removing_a_quote_are_logged_with_its_words(reading, secretariat):
    quote = services.quote_mark(
        actor=secretariat, comment=reading.recruitment, excerpt="make the employer pay"
    )
    services.quote_remove(actor=secretariat, quote=quote)

    [marked] = _entries(ModerationAction.MARK_QUOTE)
    [removed] = _entries(ModerationAction.REMOVE_QUOTE)
    assert _changes_in("en", marked) == [("excerpt", "—", "make the employer pay")]
    assert _changes_in("en", removed) == [("excerpt", "make the employer pay", "—")]
    assert not Quote.objects.exists()


def test_removing_a_quote_twice_logs_once(reading, secretariat):
    quote = services.quote_mark(
        actor=secretariat, comment=reading.recruitment, excerpt="make the employer pay"
    )
    services.quote_remove(actor=secretariat, quote=quote)

    assert services.quote_remove(actor=secretariat, quote=quote) is None
    assert len(_entries(ModerationAction.REMOVE_QUOTE)) == 1


def test_using_a_contribution_in_the_paper_is_logged_when_set_changed_and_cleared(
    reading, secretariat
):
    services.paper_use_set(actor=secretariat, comment=reading.data, section="3 Data")
    services.paper_use_set(actor=secretariat, comment=reading.data, section="3 Data")
    services.paper_use_set(actor=secretariat, comment=reading.data, section="3.2 Data gaps")
    services.paper_use_clear(actor=secretariat, comment=reading.data)

    first, second = _entries(ModerationAction.SET_PAPER_USE)
    [cleared] = _entries(ModerationAction.CLEAR_PAPER_USE)
    assert _changes_in("en", first) == [("section of the paper", "—", "3 Data")]
    assert _changes_in("en", second) == [("section of the paper", "3 Data", "3.2 Data gaps")]
    assert _changes_in("en", cleared) == [("section of the paper", "3.2 Data gaps", "—")]
    assert not PaperUse.objects.exists()


def test_exporting_the_synthesis_is_logged(reading, secretariat):
    services.synthesis_export(
        actor=secretariat, consultation=reading.consultation, file_format="md"
    )

    [entry] = _entries(ModerationAction.EXPORT_SYNTHESIS)
    assert entry.reason == "Format: MD"


def test_a_stakeholder_is_refused_and_nothing_is_written(reading, stakeholder):
    with pytest.raises(Refused):
        services.comment_themes_set(
            actor=stakeholder, comment=reading.reply, themes=[reading.pathways]
        )

    assert not ThemeTag.objects.filter(comment=reading.reply).exists()
    assert ModerationEntry.objects.count() == 0


def test_the_audit_log_page_shows_a_tag_in_the_readers_language(
    reading, secretariat, secretariat_client
):
    services.comment_themes_set(
        actor=secretariat, comment=reading.reply, themes=[reading.fair_recruitment]
    )

    with translation.override("fr"):
        url = reverse("consultations:audit_log")
    page = secretariat_client.get(url).content.decode()

    assert "Recrutement équitable" in page
    assert "Contratación equitativa" not in page
