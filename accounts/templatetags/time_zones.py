"""Dates that say their time zone, in every template (a builtin: no {% load %} needed).

`{{ comment.created_at|moment }}` reads "15 March 2027, 17:00 UTC+01:00" in
the zone active for the request (forum.middleware.TimeZoneMiddleware);
`{{ value|moment:"SHORT_DATETIME_FORMAT" }}` for the short form.
"""

from django import template

from accounts.time_zones import moment_in_words

register = template.Library()


@register.filter
def moment(value, format_name="DATETIME_FORMAT"):
    return moment_in_words(value, format_name)
