"""Changing a live window is asked twice: a page says what will happen, a POST confirms it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import ModerationAction, ModerationEntry
from tests.factories import make_comment, make_consultation


def _url(name, *args):
    return reverse(f"consultations:{name}", args=args)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_console_links_to_the_close_confirmation_instead_of_closing(
    client_for, secretariat, consultation
):
    page = client_for(secretariat).get(_url("console_consultation", consultation.slug)).text

    close_url = _url("console_close_now", consultation.slug)
    assert f'href="{close_url}"' in page
    assert f'action="{close_url}"' not in page


def test_the_close_confirmation_says_posting_stops_and_counts_recent_contributions(
    client_for, secretariat, question
):
    consultation = question.consultation
    make_comment(question)
    make_comment(question)
    make_comment(question, created_at=timezone.now() - timedelta(days=3))

    page = client_for(secretariat).get(_url("console_close_now", consultation.slug)).text

    assert "Close the consultation now?" in page
    assert "Posting stops" in page
    assert "2 contributions were posted in the last 24 hours." in page
    assert 'name="confirmed" value="yes"' in page
    assert "Yes, close it now" in page
    consultation.refresh_from_db()
    assert consultation.is_open


def test_confirming_closes_and_logs_once(client_for, secretariat, consultation):
    client_for(secretariat).post(_url("console_close_now", consultation.slug), {"confirmed": "yes"})

    consultation.refresh_from_db()
    assert consultation.is_closed
    assert ModerationEntry.objects.filter(action=ModerationAction.CLOSE_NOW).count() == 1


def test_the_open_confirmation_of_a_draft_says_it_will_be_published(client_for, secretariat):
    draft = make_consultation(state="draft")

    page = client_for(secretariat).get(_url("console_open_now", draft.slug)).text

    assert "Publish and open the consultation now?" in page
    assert "It is published" in page
    draft.refresh_from_db()
    assert not draft.is_published


def test_asking_to_close_a_closed_consultation_explains_instead_of_confirming(
    client_for, secretariat
):
    closed = make_consultation(state="closed")

    response = client_for(secretariat).get(_url("console_close_now", closed.slug), follow=True)

    assert "Only an open consultation can be closed." in response.text
    assert "Yes, close it now" not in response.text


def test_extending_an_open_consultation_first_shows_the_new_date(
    client_for, secretariat, consultation
):
    later = consultation.closes_at.replace(second=0, microsecond=0) + timedelta(days=7)

    response = client_for(secretariat).post(
        _url("console_extend", consultation.slug), {"closes_at": _local(later)}
    )

    assert response.status_code == 200
    assert "Extend the window?" in response.text
    assert f'name="closes_at" value="{_local(later)}"' in response.text
    consultation.refresh_from_db()
    assert consultation.closes_at != later
    assert not ModerationEntry.objects.exists()


def test_a_confirmed_extension_moves_the_closing_date(client_for, secretariat, consultation):
    later = consultation.closes_at.replace(second=0, microsecond=0) + timedelta(days=7)

    client_for(secretariat).post(
        _url("console_extend", consultation.slug),
        {"closes_at": _local(later), "confirmed": "yes"},
    )

    consultation.refresh_from_db()
    assert consultation.closes_at == later


def test_extending_a_closed_consultation_says_it_opens_again(client_for, secretariat):
    closed = make_consultation(state="closed")
    later = timezone.now().replace(second=0, microsecond=0) + timedelta(days=5)

    page = (
        client_for(secretariat)
        .post(_url("console_extend", closed.slug), {"closes_at": _local(later)})
        .text
    )

    assert "The consultation is open from now" in page


def test_rescheduling_an_upcoming_consultation_later_needs_no_confirmation(client_for, secretariat):
    upcoming = make_consultation(state="upcoming")
    opens_at = upcoming.opens_at.replace(second=0, microsecond=0) + timedelta(days=1)
    closes_at = upcoming.closes_at.replace(second=0, microsecond=0) + timedelta(days=1)

    response = client_for(secretariat).post(
        _url("console_reschedule", upcoming.slug),
        {"opens_at": _local(opens_at), "closes_at": _local(closes_at)},
    )

    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.opens_at == opens_at


def test_rescheduling_an_open_consultation_into_the_future_warns_that_posting_stops(
    client_for, secretariat, consultation
):
    opens_at = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)

    page = (
        client_for(secretariat)
        .post(
            _url("console_reschedule", consultation.slug),
            {"opens_at": _local(opens_at), "closes_at": _local(opens_at + timedelta(days=9))},
        )
        .text
    )

    assert "Reschedule the consultation?" in page
    assert "Posting stops" in page
    consultation.refresh_from_db()
    assert consultation.is_open


def test_an_invalid_extension_is_a_form_error_not_a_confirmation(
    client_for, secretariat, consultation
):
    earlier = consultation.closes_at - timedelta(days=1)

    response = client_for(secretariat).post(
        _url("console_extend", consultation.slug), {"closes_at": _local(earlier)}
    )

    assert "later than the current one" in response.text
    assert "Extend the window?" not in response.text


# --- The moderator picker ---------------------------------------------------------------


@pytest.fixture
def people(db):
    from tests.factories import make_user

    return {
        "kwame": make_user(display_name="Kwame Mensah", organisation="Builders' Union"),
        "lucia": make_user(display_name="Lucía Gómez", organisation="Red Andina de Migraciones"),
        "hidden": make_user(display_name="Old Account", organisation="Red Andina", is_active=False),
    }


def test_the_consultation_form_no_longer_lists_every_account(
    client_for, secretariat, consultation, people
):
    page = client_for(secretariat).get(_url("console_edit", consultation.slug)).text

    assert people["kwame"].email not in page
    assert "Kwame Mensah" not in page


def test_the_picker_lists_nobody_before_a_search(client_for, secretariat, consultation, people):
    page = client_for(secretariat).get(_url("console_moderators", consultation.slug)).text

    assert "Kwame Mensah" not in page
    assert "@example.org" not in page


def test_the_picker_finds_active_accounts_by_organisation_without_their_email(
    client_for, secretariat, consultation, people
):
    page = (
        client_for(secretariat)
        .get(_url("console_moderators", consultation.slug), {"q": "red andina"})
        .text
    )

    assert "Lucía Gómez — Red Andina de Migraciones" in page
    assert "Old Account" not in page
    assert "Kwame Mensah" not in page
    assert people["lucia"].email not in page


def test_the_picker_finds_accounts_by_name(client_for, secretariat, consultation, people):
    page = (
        client_for(secretariat)
        .get(_url("console_moderators", consultation.slug), {"q": "mensah"})
        .text
    )

    assert "Name Kwame Mensah as moderator" in page


def test_a_one_letter_search_asks_for_more(client_for, secretariat, consultation, people):
    page = (
        client_for(secretariat).get(_url("console_moderators", consultation.slug), {"q": "k"}).text
    )

    assert "Type at least two letters" in page
    assert "Kwame Mensah" not in page


def test_a_broad_search_shows_at_most_twenty_people(client_for, secretariat, consultation):
    from tests.factories import make_user

    for number in range(25):
        make_user(display_name=f"Delegate {number}", organisation="Ministry of Labour")

    response = client_for(secretariat).get(
        _url("console_moderators", consultation.slug), {"q": "ministry"}
    )

    assert len(response.context["matches"]) == 20
    assert "Only the first 20 people are shown" in response.text


def test_naming_and_removing_a_moderator_is_logged(client_for, secretariat, consultation, people):
    client = client_for(secretariat)
    url = _url("console_moderators", consultation.slug)

    client.post(url, {"person": people["kwame"].pk, "change": "add"})
    assert list(consultation.moderators.all()) == [people["kwame"]]
    client.post(url, {"person": people["kwame"].pk, "change": "remove"})

    assert not consultation.moderators.exists()
    assert ModerationEntry.objects.filter(action=ModerationAction.EDIT_CONSULTATION).count() == 2


@pytest.mark.parametrize("role", ["stakeholder", "moderator", "global_moderator"])
def test_only_the_secretariat_may_name_moderators(request, client_for, consultation, people, role):
    client = client_for(request.getfixturevalue(role))
    url = _url("console_moderators", consultation.slug)

    assert client.get(url, {"q": "red"}).status_code == 403
    assert client.post(url, {"person": people["kwame"].pk, "change": "add"}).status_code == 403
    assert people["kwame"] not in consultation.moderators.all()
