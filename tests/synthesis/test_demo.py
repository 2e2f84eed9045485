"""The demo's open consultation comes with a small codebook, tags, quotes and a use."""

from django.urls import reverse
from django.utils import timezone

from consultations.demo import load_demo
from synthesis.models import PaperUse, Quote, Theme, ThemeTag, normalise_whitespace


def test_the_demo_has_a_codebook_in_three_languages_with_tags_and_quotes(db):
    demo = load_demo()

    themes = Theme.objects.for_consultation(demo.open_consultation).in_codebook_order()
    assert [theme.title_fr for theme in themes] == [
        "Des voies régulières plus souples",
        "Recrutement équitable et travail décent",
        "Données et éléments probants",
    ]
    assert all(theme.title_es for theme in themes)
    assert ThemeTag.objects.for_consultation(demo.open_consultation).count() == 7
    assert PaperUse.objects.get().section == "2.1 Fair recruitment"
    for quote in Quote.objects.select_related("comment"):
        assert quote.text in normalise_whitespace(quote.comment.body_text)


def test_loading_the_demo_again_writes_no_codebook_twice(db):
    moment = timezone.now()
    load_demo(now=moment)
    counts = (Theme.objects.count(), ThemeTag.objects.count(), Quote.objects.count())

    second = load_demo(now=moment)

    assert (Theme.objects.count(), ThemeTag.objects.count(), Quote.objects.count()) == counts
    assert (second.created, second.updated) == (0, 0)


def test_the_demo_secretariat_reads_the_synthesis(db, client_for):
    demo = load_demo()

    response = client_for(demo.accounts["secretariat"]).get(
        reverse("synthesis:page", args=[demo.open_consultation.slug])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pedimos que se pueda cambiar de empleador sin perder el permiso." in page
