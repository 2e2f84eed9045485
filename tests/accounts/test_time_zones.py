"""Dates say their zone: the reader's own if chosen, else the consultation's, else the site's."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.time_zones import moment_in_words, validate_time_zone, zone_label
from consultations.models import Consultation
from tests.factories import make_comment, make_consultation, make_question, make_user

# 16:00 UTC on 15 March 2030: 17:00 in Paris (winter time), 11:00 in Bogotá.
CLOSES_AT = datetime(2030, 3, 15, 16, 0, tzinfo=UTC)
OPENS_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def paris_consultation(db):
    return make_consultation(
        slug="labour-migration-review",
        title="Labour migration review",
        opens_at=OPENS_AT,
        closes_at=CLOSES_AT,
        time_zone="Europe/Paris",
    )


def profile_data(**changes):
    return {
        "display_name": "Lucía Gómez",
        "organisation": "Red de Migrantes",
        "organisation_type": "migrant_led",
        "country": "CO",
        "preferred_language": "es",
        "time_zone": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("UTC", "UTC"),
        ("Europe/Paris", "UTC+01:00"),
        ("America/Bogota", "UTC−05:00"),
        ("Asia/Kolkata", "UTC+05:30"),
    ],
)
def test_a_zone_is_labelled_by_its_offset(zone, label):
    with timezone.override(zone):
        assert zone_label(timezone.localtime(CLOSES_AT)) == label


def test_a_moment_reads_in_the_active_zone_and_says_it():
    with timezone.override("Europe/Paris"):
        assert moment_in_words(CLOSES_AT) == "15 March 2030, 17:00 UTC+01:00"


def test_a_moment_says_its_zone_in_french_and_spanish_too():
    with timezone.override("America/Bogota"):
        with translation.override("fr"):
            assert moment_in_words(CLOSES_AT).endswith("11:00 UTC−05:00")
        with translation.override("es"):
            assert moment_in_words(CLOSES_AT).endswith("11:00 UTC−05:00")


def test_a_zone_that_does_not_exist_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        validate_time_zone("Mars/Olympus_Mons")
    assert "“Mars/Olympus_Mons” is not a time zone we know" in refused.value.messages[0]


def test_visitors_read_the_consultations_dates_in_its_zone(client, paris_consultation):
    html = client.get(paris_consultation.get_absolute_url()).content.decode()

    assert "Open until 15 March 2030, 17:00 UTC+01:00" in html


def test_a_person_who_chose_a_zone_reads_dates_in_it(client_for, paris_consultation):
    reader = make_user(time_zone="America/Bogota")

    html = client_for(reader).get(paris_consultation.get_absolute_url()).content.decode()

    assert "Open until 15 March 2030, 11:00 UTC−05:00" in html
    assert "17:00 UTC+01:00" not in html


def test_a_person_without_a_zone_reads_the_consultations(client_for, paris_consultation):
    html = client_for(make_user()).get(paris_consultation.get_absolute_url()).content.decode()

    assert "15 March 2030, 17:00 UTC+01:00" in html


def test_comment_times_on_a_question_page_say_their_zone(client, paris_consultation):
    question = make_question(paris_consultation)
    answer = make_comment(question, body="Recruitment fees fall on the workers.")
    answer.created_at = datetime(2027, 7, 1, 8, 30, tzinfo=UTC)  # summer time in Paris
    answer.save(update_fields=["created_at"])

    html = client.get(question.get_absolute_url()).content.decode()

    assert "1 July 2027, 10:30 UTC+02:00" in html


def test_comment_times_follow_a_signed_in_persons_zone(client_for, paris_consultation):
    question = make_question(paris_consultation)
    answer = make_comment(question, body="Recruitment fees fall on the workers.")
    answer.created_at = datetime(2027, 7, 1, 8, 30, tzinfo=UTC)
    answer.save(update_fields=["created_at"])
    reader = client_for(make_user(time_zone="America/Bogota"))

    html = reader.get(question.get_absolute_url()).content.decode()

    assert "1 July 2027, 03:30 UTC−05:00" in html


def test_the_reply_page_quotes_the_parent_in_the_consultations_zone(
    client, client_for, paris_consultation
):
    question = make_question(paris_consultation)
    answer = make_comment(question, body="Recruitment fees fall on the workers.")
    answer.created_at = datetime(2027, 7, 1, 8, 30, tzinfo=UTC)
    answer.save(update_fields=["created_at"])
    reply_page = reverse("consultations:comment_reply", kwargs={"comment_id": answer.pk})

    for reader in (client, client_for(make_user())):
        assert "1 July 2027, 10:30 UTC+02:00" in reader.get(reply_page).content.decode()
    own_zone = client_for(make_user(time_zone="America/Bogota"))
    assert "1 July 2027, 03:30 UTC−05:00" in own_zone.get(reply_page).content.decode()


def test_the_list_shows_each_consultation_in_its_own_zone(client, paris_consultation):
    make_consultation(
        title="Pacific mobility", opens_at=OPENS_AT, closes_at=CLOSES_AT, time_zone="Pacific/Fiji"
    )

    html = client.get(reverse("consultations:list")).content.decode()

    assert "Open until 15 March 2030, 17:00 UTC+01:00" in html
    assert "Open until 16 March 2030, 04:00 UTC+12:00" in html


def test_a_new_consultation_starts_in_the_sites_zone(db, settings):
    settings.TIME_ZONE = "Africa/Dakar"
    consultation = make_consultation()
    assert Consultation.objects.get(pk=consultation.pk).time_zone == "Africa/Dakar"


def test_a_person_chooses_a_zone_in_their_profile(client_for):
    person = make_user()

    response = client_for(person).post(
        reverse("accounts:profile"), profile_data(time_zone="America/Bogota")
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "America/Bogota"


def test_the_profile_offers_every_zone_and_the_consultations_own(client_for):
    html = client_for(make_user()).get(reverse("accounts:profile")).content.decode()

    assert '<option value="" selected>Each consultation&#x27;s own time zone</option>' in html
    assert '<option value="America/Sao_Paulo">America/Sao_Paulo</option>' in html


def test_a_zone_that_does_not_exist_is_refused_in_the_profile(client_for):
    person = make_user(display_name="Lucía Gómez", time_zone="Europe/Madrid")

    response = client_for(person).post(
        reverse("accounts:profile"),
        profile_data(display_name="Lucía Gómez Restrepo", time_zone="Mars/Olympus_Mons"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "“Mars/Olympus_Mons” is not a time zone we know" in html
    assert 'value="Lucía Gómez Restrepo"' in html
    person.refresh_from_db()
    assert person.time_zone == "Europe/Madrid"


def test_the_secretariat_sets_a_consultations_zone_in_the_console(client_for, secretariat):
    consultation = make_consultation(slug="fair-recruitment", title="Fair recruitment")
    client = client_for(secretariat)
    url = reverse("consultations:console_edit", args=[consultation.slug])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "moderators"
    }
    data.update(
        opens_at="2026-01-05T10:00",
        closes_at="2030-03-15T17:00",
        time_zone="Europe/Paris",
        is_published="on",
    )

    response = client.post(url, data)

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.time_zone == "Europe/Paris"


def test_a_zone_that_does_not_exist_is_refused_in_the_console(client_for, secretariat):
    consultation = make_consultation(slug="fair-recruitment", title="Fair recruitment")
    url = reverse("consultations:console_edit", args=[consultation.slug])

    response = client_for(secretariat).post(
        url, {"title_en": "Fair recruitment, revised", "time_zone": "Atlantis/Capital"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "“Atlantis/Capital” is not a time zone we know" in html
    assert "Fair recruitment, revised" in html


def test_the_console_reads_and_takes_times_in_the_consultations_zone(
    client_for, secretariat, paris_consultation
):
    url = reverse("consultations:console_edit", args=[paris_consultation.slug])

    html = client_for(secretariat).get(url).content.decode()

    assert 'value="2030-03-15T17:00"' in html
    assert "Date and time in Europe/Paris." in html


def test_the_admin_edits_a_consultations_zone(admin_client, paris_consultation):
    url = reverse("admin:consultations_consultation_change", args=[paris_consultation.pk])

    html = admin_client.get(url).content.decode()

    assert 'name="time_zone"' in html
    assert 'value="Europe/Paris"' in html
