"""Participants' public pages, the country they may hide, and "my contributions"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import CommentStatus
from consultations.services.moderation import comment_hide
from tests.factories import make_comment, make_consultation, make_question, make_user


@pytest.fixture
def speaker(db):
    return make_user(
        display_name="Grace Mensah",
        organisation="Ghana Trades Union Congress",
        organisation_type="trade_union",
        country="GH",
    )


def test_a_public_page_shows_who_someone_is(client, speaker, question):
    make_comment(question, author=speaker, body="Fees must go.")

    page = client.get(f"/en/participants/{speaker.pk}/").content.decode()

    assert "Grace Mensah" in page
    assert "Ghana Trades Union Congress" in page
    assert "Trade union" in page
    assert "<dd>Ghana</dd>" in page


def test_a_person_who_hides_their_country_is_shown_without_it(client, speaker, question):
    make_comment(question, author=speaker, body="Fees must go.")
    speaker.hide_country = True
    speaker.save()

    page = client.get(f"/en/participants/{speaker.pk}/").content.decode()

    assert "Grace Mensah" in page
    assert "<dd>Ghana</dd>" not in page


def test_the_profile_form_saves_the_choice_to_hide_the_country(client, speaker):
    client.force_login(speaker)

    client.post(
        "/en/accounts/profile/",
        {
            "display_name": speaker.display_name,
            "organisation": speaker.organisation,
            "organisation_type": speaker.organisation_type,
            "country": "GH",
            "hide_country": "on",
            "preferred_language": "en",
        },
    )

    speaker.refresh_from_db()
    assert speaker.hide_country is True


def test_the_public_page_lists_published_contributions_newest_first(client, speaker, question):
    now = timezone.now()
    older = make_comment(question, author=speaker, body="Older", created_at=now - timedelta(days=2))
    newer = make_comment(question, author=speaker, body="Newer", created_at=now)
    for status in ("pending", "hidden", "withdrawn"):
        make_comment(question, author=speaker, body=f"Not public {status}", status=status)
    make_comment(make_question(make_consultation(state="draft")), author=speaker, body="Draft one")

    response = client.get(f"/en/participants/{speaker.pk}/")

    assert list(response.context["page"]) == [newer, older]
    assert f"#comment-{newer.pk}" in response.content.decode()


def test_nobody_learns_a_name_from_an_address_alone(client, speaker):
    assert client.get(f"/en/participants/{speaker.pk}/").status_code == 404


def test_a_person_can_see_their_own_empty_page(client, speaker):
    client.force_login(speaker)

    assert client.get(f"/en/participants/{speaker.pk}/").status_code == 200


def test_every_byline_links_to_the_author_and_their_organisation(client, speaker, question):
    make_comment(question, author=speaker, body="Fees must go.")

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'href="/en/participants/{speaker.pk}/"' in page
    assert 'href="/en/organisations/ghana-trades-union-congress/"' in page


def test_my_contributions_marks_each_state_and_gives_the_moderators_reason(
    client, speaker, question, moderator
):
    published = make_comment(question, author=speaker, body="Published words")
    pending = make_comment(question, author=speaker, body="Pending words", status="pending")
    hidden = make_comment(question, author=speaker, body="Words a moderator hid")
    comment_hide(moderator=moderator, comment=hidden, reason="Names a private person.")
    client.force_login(speaker)

    response = client.get("/en/contributions/mine/")
    page = response.content.decode()

    assert [comment.pk for comment in response.context["page"]] == [
        hidden.pk,
        pending.pk,
        published.pk,
    ]
    assert "Awaiting moderation" in page
    assert "Hidden by a moderator" in page
    assert "Names a private person." in page
    assert "Words a moderator hid" not in page  # hidden text stays with the moderators


def test_my_contributions_explains_an_automatic_hide(client, speaker, question):
    make_comment(question, author=speaker, status=CommentStatus.HIDDEN, body="Reported words")
    client.force_login(speaker)

    response = client.get("/en/contributions/mine/")

    assert response.status_code == 200
    assert "Hidden by a moderator" in response.content.decode()


def test_my_contributions_needs_a_login(client, db):
    response = client.get("/en/contributions/mine/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_contributions_shows_only_my_own(client, speaker, question):
    make_comment(question, body="Someone else's words")
    client.force_login(speaker)

    assert "Someone else" not in client.get("/en/contributions/mine/").content.decode()
