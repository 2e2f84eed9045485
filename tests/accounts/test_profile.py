import pytest
from django.urls import reverse

from tests.factories import make_user


@pytest.fixture
def profile_url():
    return reverse("accounts:profile")


def test_visitors_are_sent_to_log_in(client, db, profile_url):
    response = client.get(profile_url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_person_changes_their_name_organisation_and_email_language(client_for, profile_url):
    person = make_user(display_name="Amina Diallo", preferred_language="en")
    response = client_for(person).post(
        profile_url,
        {
            "display_name": "Amina D. Diallo",
            "organisation": "Réseau des femmes migrantes",
            "organisation_type": "migrant_led",
            "country": "SN",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Amina D. Diallo"
    assert person.organisation == "Réseau des femmes migrantes"
    assert person.country.code == "SN"
    assert person.preferred_language == "fr"


def test_an_invalid_profile_is_shown_again_with_what_was_typed(client_for, profile_url):
    person = make_user(display_name="Amina Diallo")
    response = client_for(person).post(
        profile_url,
        {
            "display_name": "",
            "organisation": "Kept organisation",
            "organisation_type": "civil_society",
            "preferred_language": "xx",
        },
    )
    assert response.status_code == 200
    assert "Kept organisation" in response.content.decode()
    person.refresh_from_db()
    assert person.display_name == "Amina Diallo"


def test_the_header_links_a_signed_in_person_to_their_profile(client_for, profile_url):
    html = client_for(make_user()).get(reverse("consultations:list")).content.decode()
    assert f'href="{profile_url}"' in html
