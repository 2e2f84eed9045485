"""Time zones: which ones a person may choose, which one a page uses, and how a moment reads."""

import zoneinfo
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Names the tz database carries that are not places: the host's own setting
# and a placeholder that means "not configured".
_NOT_PLACES = frozenset({"localtime", "Factory"})


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name this server knows, sorted: "Africa/Abidjan" ... "Zulu"."""
    return tuple(sorted(zoneinfo.available_timezones() - _NOT_PLACES))


@cache
def time_zone_choices_names() -> tuple[str, ...]:
    """The zones offered in a list: every "Region/City" and UTC.

    Old aliases ("Cuba", "GB") and the "Etc/GMT+5" zones, whose signs run
    backwards, stay valid but are not offered.
    """
    places = (name for name in time_zone_names() if "/" in name and not name.startswith("Etc/"))
    return ("UTC", *places)


def validate_time_zone(name: str) -> None:
    """Refuse a zone name the tz database does not know."""
    if name and name not in time_zone_names():
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone we know. Choose one from the list, "
                "for example “Europe/Paris” or “America/Bogota”."
            ),
            code="unknown_time_zone",
            params={"value": name},
        )


def default_time_zone() -> str:
    """The site's zone (TIME_ZONE): new consultations start with it."""
    return settings.TIME_ZONE


def zone_for(user=None, consultation=None) -> str:
    """The zone a person reads in: their own choice, else the consultation's, else the site's."""
    own = getattr(user, "time_zone", "") if user is not None else ""
    if own:
        return own
    if consultation is not None and consultation.time_zone:
        return consultation.time_zone
    return settings.TIME_ZONE


def zone_label(moment: datetime) -> str:
    """ "UTC" or "UTC+01:00": the offset of an aware moment, the same in every language."""
    offset = moment.utcoffset()
    if not offset:
        # Translators: Coordinated Universal Time, as written after a time ("17:00 UTC").
        return gettext("UTC")
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    # Translators: a time zone as its offset from UTC, e.g. "UTC+01:00" or "UTC−05:00".
    return gettext("UTC%(offset)s") % {"offset": f"{sign}{hours:02d}:{minutes:02d}"}


def moment_in_words(value: datetime, format_name: str = "DATETIME_FORMAT") -> str:
    """A moment in the active zone and language, saying its zone: "15 March 2027, 17:00 UTC"."""
    if not value:
        return ""
    local = timezone.localtime(value)
    # Translators: a date and time followed by its time zone, e.g. "15 March 2027, 17:00 UTC+01:00".
    return gettext("%(moment)s %(zone)s") % {
        "moment": date_format(local, format_name),
        "zone": zone_label(local),
    }
