"""A page's dates are written by `DateText`, which must write what Django's `date` filter writes."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

from consultations.comment_views import DateText

ZONES = ["UTC", "Europe/Paris", "America/Bogota", "Asia/Kolkata", "Australia/Lord_Howe"]
FORMATS = ["DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"]
# Every format character Django knows, and escaped ones, written as they are.
EVERY_CHARACTER = (
    r"a A b c d D e E f F g G h H i I j l L m M n N o O P r s S t T u U w W y Y z Z \j\F"
)


def _moments():
    """Moments over years, at every hour and odd minutes, around daylight-saving changes too."""
    rng = random.Random(7)
    start = datetime(2019, 1, 1, tzinfo=UTC)
    spread = [start + timedelta(minutes=rng.randrange(60 * 24 * 365 * 9)) for _ in range(400)]
    every_hour = [datetime(2027, 3, 28, tzinfo=UTC) + timedelta(minutes=61 * n) for n in range(30)]
    return [*spread, *every_hour, datetime(2000, 2, 29, 12, 0, tzinfo=UTC)]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("zone", ZONES)
def test_the_page_formats_write_what_the_date_filter_writes(language, zone):
    with translation.override(language), timezone.override(zone):
        for format_name in FORMATS:
            format_string = get_format(format_name)
            date_text = DateText(format_string)
            for moment in _moments():
                local = timezone.localtime(moment)
                assert date_text(local) == dateformat.format(local, format_string), format_name


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_format_character_writes_what_the_date_filter_writes(language):
    with translation.override(language), timezone.override("Europe/Paris"):
        date_text = DateText(EVERY_CHARACTER)
        for moment in _moments():
            local = timezone.localtime(moment)
            assert date_text(local) == dateformat.format(local, EVERY_CHARACTER)


def test_names_are_in_the_language_of_the_page():
    moment = datetime(2027, 3, 15, 17, 0, tzinfo=UTC)

    with translation.override("fr"):
        french = DateText("l j F Y")(moment)
    with translation.override("es"):
        spanish = DateText("l j F Y")(moment)

    assert (french, spanish) == ("lundi 15 mars 2027", "lunes 15 marzo 2027")
