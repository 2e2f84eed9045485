from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import OrganisationType
from consultations.models import CommentStatus
from consultations.statistics import consultation_statistics
from tests.factories import make_comment, make_consultation, make_question, make_user

DAY_ONE = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def _counts(bars):
    return {bar.label: bar.count for bar in bars}


@pytest.fixture
def known_consultation(db):
    """Six published comments by three people from two organisations, plus three not published."""
    consultation = make_consultation(state="open")
    first = make_question(consultation, number=1)
    second = make_question(consultation, number=2)
    make_question(consultation, number=3)  # no contributions
    union = OrganisationType.TRADE_UNION
    union_a = make_user(organisation="Dockworkers Union", organisation_type=union)
    union_b = make_user(organisation="dockworkers union", organisation_type=union)
    scholar = make_user(
        organisation="Institute of Mobility", organisation_type=OrganisationType.ACADEMIA
    )
    make_comment(first, author=union_a, language="en", created_at=DAY_ONE)
    make_comment(first, author=union_a, language="fr", created_at=DAY_ONE + timedelta(hours=2))
    make_comment(first, author=union_b, language="es", created_at=DAY_ONE + timedelta(days=1))
    make_comment(second, author=scholar, language="en", created_at=DAY_ONE + timedelta(days=3))
    make_comment(second, author=scholar, language="en", created_at=DAY_ONE + timedelta(days=3))
    make_comment(second, author=union_b, language="other", created_at=DAY_ONE + timedelta(days=3))
    outsider = make_user(organisation="Not Counted", organisation_type=OrganisationType.OTHER)
    for status in (CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.WITHDRAWN):
        make_comment(first, author=outsider, status=status, created_at=DAY_ONE + timedelta(days=9))
    # Another consultation's comments never count here.
    make_comment(make_question(make_consultation()), author=scholar, created_at=DAY_ONE)
    return consultation


def test_statistics_count_published_comments_per_question(known_consultation):
    statistics = consultation_statistics(known_consultation)

    assert _counts(statistics.per_question) == {"Question 1": 3, "Question 2": 3, "Question 3": 0}


def test_statistics_count_per_language_with_every_language_listed(known_consultation):
    statistics = consultation_statistics(known_consultation)

    assert _counts(statistics.per_language) == {
        "English": 3,
        "French": 1,
        "Spanish": 1,
        "Other language": 1,
    }


def test_statistics_count_per_organisation_type(known_consultation):
    counts = _counts(consultation_statistics(known_consultation).per_organisation_type)

    assert counts["Trade union"] == 4
    assert counts["Academia or research"] == 2
    assert counts["Other"] == 0  # the outsider's comments are not published


def test_statistics_count_per_day_including_quiet_days(known_consultation):
    per_day = consultation_statistics(known_consultation).per_day

    assert [bar.count for bar in per_day] == [2, 1, 0, 3]


def test_statistics_count_distinct_participants_and_organisations(known_consultation):
    statistics = consultation_statistics(known_consultation)

    assert statistics.contributions == 6
    assert statistics.participants == 3
    assert statistics.organisations == 2  # the two spellings of the union are one
    assert statistics.all_comments == 9


def test_bars_are_scaled_to_the_longest(known_consultation):
    per_language = consultation_statistics(known_consultation).per_language

    assert [bar.width for bar in per_language] == ["100.0%", "33.3%", "33.3%", "33.3%"]


def test_statistics_cost_a_fixed_number_of_queries(known_consultation, django_assert_num_queries):
    with django_assert_num_queries(5):
        consultation_statistics(known_consultation)


def test_statistics_of_a_consultation_without_comments(consultation):
    statistics = consultation_statistics(consultation)

    assert statistics.contributions == 0
    assert statistics.per_day == []
    assert all(bar.width == "0.0%" for bar in statistics.per_language)
