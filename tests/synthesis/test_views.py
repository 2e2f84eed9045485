"""The workbench's pages through the test client: filters, tagging, quotes, uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import ModerationEntry
from synthesis.models import PaperUse, Quote, ThemeTag
from tests.factories import make_comment, make_consultation, make_tag, make_theme, make_user


def _page_url(reading, **query):
    url = reverse("synthesis:page", args=[reading.consultation.slug])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def _contribution_url(reading, comment, name="contribution", *extra):
    return reverse(f"synthesis:{name}", args=[reading.consultation.slug, comment.pk, *extra])


def _state(comment):
    """What the workbench stores about a comment, to show a refusal changed nothing."""
    return (
        sorted(ThemeTag.objects.filter(comment=comment).values_list("theme_id", flat=True)),
        list(Quote.objects.filter(comment=comment).values_list("text", flat=True)),
        list(PaperUse.objects.filter(comment=comment).values_list("section", flat=True)),
    )


def test_the_synthesis_page_shows_counts_themes_quotes_and_references(reading, secretariat_client):
    Quote.objects.create(
        comment=reading.recruitment,
        text="Ban them outright, and make the employer pay.",
        marked_by=reading.recruitment.author,
    )

    response = secretariat_client.get(_page_url(reading))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Themes and organisation types" in page
    assert "“Ban them outright, and make the employer pay.”" in page
    assert f'href="{reading.recruitment.get_reference_url()}">Q1-1</a>' in page
    assert "Off-topic words." not in page
    assert "5 contributions shown" in page


def test_not_yet_tagged_shows_only_what_is_left_to_read(reading, secretariat_client):
    response = secretariat_client.get(_page_url(reading, tag_state="untagged"))

    page = response.content.decode()
    assert "2 contributions shown" in page
    assert "Our survey of 2,000 workers" in page
    assert "Cities collect data" in page
    assert "Recruitment fees push workers" not in page


def test_filters_by_question_language_and_organisation_type(reading, secretariat_client):
    by_question = secretariat_client.get(_page_url(reading, question=2)).content.decode()
    by_language = secretariat_client.get(_page_url(reading, language="fr")).content.decode()
    by_type = secretariat_client.get(_page_url(reading, organisation_type="academia")).content

    assert "2 contributions shown" in by_question
    assert "1 contribution shown" in by_language and "Les syndicats" in by_language
    assert "Our survey of 2,000 workers" in by_type.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"question": "99"}, "Question"),
        ({"question": "two"}, "Question"),
        ({"language": "klingon"}, "Language"),
        ({"organisation_type": "guild"}, "Organisation type"),
        ({"tag_state": "maybe"}, "Tagged"),
    ],
)
def test_an_unknown_filter_value_is_named_and_left_out(reading, secretariat_client, query, field):
    response = secretariat_client.get(_page_url(reading, **query))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{field}: “{next(iter(query.values()))}” is not one of the choices" in page
    assert "5 contributions shown" in page


def test_the_filters_page_works_in_french(reading, secretariat_client):
    url = _page_url(reading, tag_state="untagged").replace("/en/", "/fr/")

    response = secretariat_client.get(url)

    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    assert "Recrutement équitable" in response.content.decode()


def test_tagging_a_contribution_adds_and_removes_themes(reading, secretariat_client):
    response = secretariat_client.post(
        _contribution_url(reading, reading.recruitment, "contribution_themes"),
        {"themes": [reading.pathways.pk, reading.fair_recruitment.pk]},
    )

    assert response.status_code == 302
    assert _state(reading.recruitment)[0] == sorted(
        [reading.fair_recruitment.pk, reading.pathways.pk]
    )


def test_marking_a_quote_that_is_in_the_text_across_a_line_break(reading, secretariat_client):
    excerpt = "before they even arrive.\r\n\r\n  Ban them outright"

    response = secretariat_client.post(
        _contribution_url(reading, reading.recruitment, "quote_mark"), {"excerpt": excerpt}
    )

    assert response.status_code == 302
    assert _state(reading.recruitment)[1] == ["before they even arrive. Ban them outright"]


def test_a_quote_not_in_the_text_is_refused_and_the_excerpt_kept(reading, secretariat_client):
    before = _state(reading.recruitment)

    response = secretariat_client.post(
        _contribution_url(reading, reading.recruitment, "quote_mark"),
        {"excerpt": "Fees are a fair price for a job abroad."},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This excerpt is not a part of the contribution&#x27;s text." in page
    assert "Fees are a fair price for a job abroad.</textarea>" in page
    assert _state(reading.recruitment) == before


def test_the_same_quote_twice_is_refused(reading, secretariat_client):
    url = _contribution_url(reading, reading.recruitment, "quote_mark")
    secretariat_client.post(url, {"excerpt": "Ban them outright"})

    response = secretariat_client.post(url, {"excerpt": "Ban  them outright"})

    assert "This excerpt is already a key quote." in response.content.decode()
    assert Quote.objects.filter(comment=reading.recruitment).count() == 1


def test_removing_a_quote(reading, secretariat_client):
    quote = Quote.objects.create(
        comment=reading.recruitment, text="Ban them outright", marked_by=reading.data.author
    )

    response = secretariat_client.post(
        _contribution_url(reading, reading.recruitment, "quote_remove", quote.pk)
    )

    assert response.status_code == 302
    assert not Quote.objects.filter(pk=quote.pk).exists()


def test_marking_and_clearing_a_use_in_the_paper(reading, secretariat_client):
    url = _contribution_url(reading, reading.unions, "paper_use")

    secretariat_client.post(url, {"section": "  2.1   Fair recruitment "})
    marked = _state(reading.unions)[2]
    secretariat_client.post(url, {"clear": "yes"})

    assert marked == ["2.1 Fair recruitment"]
    assert _state(reading.unions)[2] == []


def test_an_empty_section_is_refused_with_a_message(reading, secretariat_client):
    response = secretariat_client.post(
        _contribution_url(reading, reading.unions, "paper_use"), {"section": "   "}
    )

    assert response.status_code == 200
    assert "Say which section of the paper uses this contribution." in response.content.decode()
    assert _state(reading.unions)[2] == []


@pytest.mark.parametrize("status_name", ["hidden", "pending", "withdrawn"])
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("contribution_themes", {"themes": "THEME"}),
        ("quote_mark", {"excerpt": "words"}),
        ("paper_use", {"section": "2.1 Fair recruitment"}),
    ],
)
def test_an_unpublished_contribution_cannot_be_tagged_quoted_or_used(
    reading, secretariat_client, status_name, action, data
):
    comment = getattr(reading, status_name)
    data = {key: reading.pathways.pk if value == "THEME" else value for key, value in data.items()}
    before, entries = _state(comment), ModerationEntry.objects.count()

    response = secretariat_client.post(_contribution_url(reading, comment, action), data)

    assert response.status_code == 403
    assert "Only published contributions can be" in response.content.decode()
    assert _state(comment) == before
    assert ModerationEntry.objects.count() == entries


def test_the_contribution_page_of_a_hidden_comment_says_why_there_are_no_forms(
    reading, secretariat_client
):
    response = secretariat_client.get(_contribution_url(reading, reading.hidden))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Only published contributions can be read for the synthesis" in page
    assert "Save the themes" not in page


def test_a_theme_of_another_consultation_is_refused(reading, secretariat_client):
    elsewhere = make_theme(make_consultation(), title="Elsewhere")

    response = secretariat_client.post(
        _contribution_url(reading, reading.reply, "contribution_themes"),
        {"themes": [elsewhere.pk]},
        follow=True,
    )

    assert "Choose themes of this consultation&#x27;s codebook." in response.content.decode()
    assert _state(reading.reply)[0] == []


def test_a_comment_of_another_consultation_is_not_found_here(reading, secretariat_client):
    stranger = make_comment(body="Elsewhere.")

    response = secretariat_client.get(_contribution_url(reading, stranger))

    assert response.status_code == 404


def test_the_next_untagged_contribution_is_offered(reading, secretariat_client):
    response = secretariat_client.get(_contribution_url(reading, reading.research))

    assert _contribution_url(reading, reading.reply) in response.content.decode()


def test_a_moderator_of_the_consultation_may_use_the_workbench(reading, client_for):
    moderator = make_user()
    reading.consultation.moderators.add(moderator)

    response = client_for(moderator).get(_page_url(reading))

    assert response.status_code == 200


def test_a_visitor_is_sent_to_log_in(reading, client):
    response = client.get(_page_url(reading))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_console_links_to_the_synthesis(reading, secretariat_client):
    response = secretariat_client.get(
        reverse("consultations:console_consultation", args=[reading.consultation.slug])
    )

    assert _page_url(reading) in response.content.decode()


def test_the_moderation_page_links_a_moderator_to_the_synthesis_of_their_consultations(
    reading, client_for
):
    moderator = make_user()
    reading.consultation.moderators.add(moderator)
    elsewhere = make_consultation(slug="somewhere-else")

    page = client_for(moderator).get(reverse("consultations:moderation_queue")).content.decode()

    assert _page_url(reading) in page
    assert reverse("synthesis:page", args=[elsewhere.slug]) not in page


def _add_tagged_contributions(reading, how_many):
    for number in range(how_many):
        comment = make_comment(
            reading.recruitment.question, body=f"Contribution number {number}, with words."
        )
        make_tag(comment, reading.pathways, tagged_by=reading.recruitment.author)
        Quote.objects.create(comment=comment, text="with words.", marked_by=comment.author)


def test_the_synthesis_page_costs_the_same_queries_for_few_or_many_contributions(
    reading, secretariat_client, django_assert_max_num_queries
):
    _add_tagged_contributions(reading, 3)
    with CaptureQueriesContext(connection) as few:
        secretariat_client.get(_page_url(reading))
    _add_tagged_contributions(reading, 40)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretariat_client.get(_page_url(reading))

    assert "48 contributions shown" in response.content.decode()


def test_a_withdrawn_contributions_text_is_not_shown_on_its_page(reading, secretariat_client):
    response = secretariat_client.get(_contribution_url(reading, reading.withdrawn))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Withdrawn by its author" in page
    assert "Words taken back." not in page
