"""The synthesis as a DOCX annex, Markdown and JSON: each read back and checked."""

import io
import json

from django.urls import reverse
from django.utils import translation
from docx import Document

from synthesis.exports import export_synthesis, summary_to_markdown, synthesis_summary
from synthesis.models import Quote

QUOTE = "Ban them outright, and make the employer pay."


def _quote(reading, text=QUOTE, comment=None):
    comment = comment or reading.recruitment
    return Quote.objects.create(comment=comment, text=text, marked_by=comment.author)


def _docx_paragraphs(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]


def test_the_docx_annex_opens_and_holds_each_theme_with_its_quotes(reading):
    _quote(reading)

    paragraphs = _docx_paragraphs(export_synthesis(reading.consultation, "docx").content)

    assert paragraphs[0] == "Summary of inputs by theme"
    assert "Theme 1: Fair recruitment" in paragraphs
    assert "Theme 3: Pathways" in paragraphs
    assert f"“{QUOTE}”" in paragraphs
    attribution = paragraphs[paragraphs.index(f"“{QUOTE}”") + 1]
    assert attribution.startswith(
        "— Amina Diallo, Coastal Migrants Network (Civil society organisation, Senegal) · "
        "Question 1 · Q1-1 · "
    )
    assert attribution.endswith(reading.recruitment.get_absolute_url())


def test_the_docx_quote_is_under_every_theme_of_its_contribution(reading):
    _quote(reading)

    paragraphs = _docx_paragraphs(export_synthesis(reading.consultation, "docx").content)

    assert paragraphs.count(f"“{QUOTE}”") == 2  # Fair recruitment and Data


def test_the_docx_lists_tagged_contributions_without_a_quote(reading):
    paragraphs = _docx_paragraphs(export_synthesis(reading.consultation, "docx").content)

    assert "Also tagged, without a key quote:" in paragraphs
    assert any(text.startswith("Kwame Mensah, Builders' Union") for text in paragraphs)


def test_the_docx_leaves_out_characters_a_document_cannot_hold(reading):
    reading.recruitment.author.display_name = "Amina\x0b Diallo\x1f"
    reading.recruitment.author.save()
    _quote(reading)

    paragraphs = _docx_paragraphs(export_synthesis(reading.consultation, "docx").content)

    assert any(text.startswith("— Amina Diallo, Coastal") for text in paragraphs)


def test_the_docx_is_in_the_language_it_was_made_in(reading):
    with translation.override("fr"):
        content = export_synthesis(reading.consultation, "docx").content

    paragraphs = _docx_paragraphs(content)
    assert "Thème 1 : Recrutement équitable" in paragraphs


def test_the_markdown_has_headings_quotes_and_attributions(reading):
    _quote(reading)

    markdown = export_synthesis(reading.consultation, "md").content.decode()

    assert markdown.startswith("# Summary of inputs by theme\n")
    assert "\n## Theme 2: Data\n" in markdown
    assert f"\n> {QUOTE}\n" in markdown
    assert "> — Amina Diallo, Coastal Migrants Network" in markdown


def test_the_markdown_escapes_what_would_read_as_formatting(reading):
    _quote(reading, text="Ban them outright")
    reading.recruitment.author.display_name = "[Click](javascript:alert(1)) *Amina*"
    reading.recruitment.author.save()

    markdown = summary_to_markdown(synthesis_summary(reading.consultation))

    assert r"\[Click\](javascript:alert(1)) \*Amina\*" in markdown
    assert "[Click](" not in markdown


def test_the_json_gives_every_theme_with_its_contributions(reading):
    _quote(reading)

    data = json.loads(export_synthesis(reading.consultation, "json").content)

    assert data["contributions"] == 5 and data["not_yet_tagged"] == 2
    themes = {theme["number"]: theme for theme in data["themes"]}
    assert themes[1]["titles"] == {
        "en": "Fair recruitment",
        "fr": "Recrutement équitable",
        "es": "Contratación equitativa",
    }
    assert themes[1]["objectives"] == [{"number": 2, "text": "Fair recruitment"}]
    assert [c["author"] for c in themes[1]["contributions"]] == ["Amina Diallo", "Kwame Mensah"]
    recruitment = themes[1]["contributions"][0]
    assert recruitment["quotes"] == [{"text": QUOTE, "in_current_text": True}]
    assert recruitment["organisation_type"] == "Civil society organisation"
    assert recruitment["country"] == "Senegal"
    assert recruitment["region"] == "Africa"
    assert recruitment["reference"] == "Q1-1"
    assert themes[3]["contributions"] == []


def test_the_json_leaves_out_a_hidden_contribution(reading):
    data = json.loads(export_synthesis(reading.consultation, "json").content)

    ids = {c["id"] for theme in data["themes"] for c in theme["contributions"]}
    assert reading.hidden.pk not in ids


def test_the_download_is_an_attachment_with_absolute_links(reading, secretariat_client):
    _quote(reading)
    url = reverse("synthesis:export", args=[reading.consultation.slug, "json"])

    response = secretariat_client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="regional-review-synthesis.json"'
    )
    data = json.loads(response.content)
    assert data["themes"][0]["contributions"][0]["url"].startswith("http://testserver/en/")


def test_an_unknown_export_format_is_not_found(reading, secretariat_client):
    response = secretariat_client.get(
        f"/en/consultations/{reading.consultation.slug}/synthesis/export/pdf/"
    )

    assert response.status_code == 404


def test_the_docx_quotes_in_the_quotation_marks_of_its_language(reading):
    _quote(reading)

    with translation.override("fr"):
        paragraphs = _docx_paragraphs(export_synthesis(reading.consultation, "docx").content)

    assert f"«\u00a0{QUOTE}\u00a0»" in paragraphs


def test_the_annex_says_when_it_was_made_with_the_time_zone(reading):
    paragraphs = _docx_paragraphs(export_synthesis(reading.consultation, "docx").content)

    made = next(paragraph for paragraph in paragraphs if "Made on" in paragraph)
    assert made.rstrip(".").endswith("UTC")
