"""The codebook's pages: adding and changing themes in three languages, errors kept."""

from django.urls import reverse

from consultations.models import ModerationAction, ModerationEntry
from synthesis.models import Theme


def _create_url(reading):
    return reverse("synthesis:theme_create", args=[reading.consultation.slug])


def _edit_url(reading, number):
    return reverse("synthesis:theme_edit", args=[reading.consultation.slug, number])


def test_adding_a_theme_in_three_languages_pointing_to_an_objective(reading, secretariat_client):
    response = secretariat_client.post(
        _create_url(reading),
        {
            "title_en": "Decent work",
            "title_fr": "Travail décent",
            "title_es": "Trabajo decente",
            "objective_numbers": ["2"],
        },
    )

    assert response.status_code == 302
    theme = Theme.objects.get(title_en="Decent work")
    assert (theme.number, theme.title_fr, theme.title_es) == (
        4,
        "Travail décent",
        "Trabajo decente",
    )
    assert theme.objective_numbers == [2]
    assert ModerationEntry.objects.filter(action=ModerationAction.CREATE_THEME).count() == 1


def test_the_theme_form_offers_the_objectives_in_the_readers_language(reading, secretariat_client):
    url = _create_url(reading).replace("/en/", "/fr/")

    page = secretariat_client.get(url).content.decode()

    assert "Un recrutement équitable" in page


def test_a_theme_without_an_english_title_is_refused_and_what_was_typed_kept(
    reading, secretariat_client
):
    response = secretariat_client.post(
        _create_url(reading), {"title_en": "", "title_fr": "Travail décent"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the errors below" in page
    assert 'value="Travail décent"' in page
    assert not Theme.objects.filter(title_fr="Travail décent").exists()
    assert not ModerationEntry.objects.exists()


def test_an_objective_the_consultation_does_not_list_is_refused(reading, secretariat_client):
    response = secretariat_client.post(
        _create_url(reading), {"title_en": "Nowhere", "objective_numbers": ["7"]}
    )

    assert "Choose among the consultation&#x27;s objectives under review." in (
        response.content.decode()
    )
    assert not Theme.objects.filter(title_en="Nowhere").exists()


def test_changing_a_theme_keeps_its_number(reading, secretariat_client):
    response = secretariat_client.post(
        _edit_url(reading, 3),
        {"title_en": "Regular pathways", "title_es": "Vías regulares", "objective_numbers": ["1"]},
    )

    assert response.status_code == 302
    theme = Theme.objects.get(pk=reading.pathways.pk)
    assert (theme.number, theme.title_en, theme.objective_numbers) == (3, "Regular pathways", [1])
    [entry] = ModerationEntry.objects.filter(action=ModerationAction.EDIT_THEME)
    assert {change["field"] for change in entry.changes} == {
        "title_en",
        "title_es",
        "objective_numbers",
    }


def test_an_unknown_theme_number_is_not_found(reading, secretariat_client):
    assert secretariat_client.get(_edit_url(reading, 42)).status_code == 404


def test_the_codebook_lists_themes_and_missing_translations(reading, secretariat_client):
    page = secretariat_client.get(
        reverse("synthesis:codebook", args=[reading.consultation.slug])
    ).content.decode()

    assert "Fair recruitment" in page
    assert "2. Fair recruitment" in page  # the objective it points to
    assert "French, Spanish" in page  # "Data" has only an English title
