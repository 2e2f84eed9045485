"""The synthesis page's counts, against the hand-built consultation in conftest.py."""

from synthesis.models import Theme
from synthesis.reading import SynthesisFilters, TagState, contributions, cross_table


def _table(reading, filters=None, dimension="organisation_type"):
    filters = filters or SynthesisFilters()
    themes = list(Theme.objects.for_consultation(reading.consultation).in_codebook_order())
    return cross_table(themes, contributions(reading.consultation, filters), dimension)


def _as_dict(table):
    """{row label: {column label: count}} with each row's total under "total"."""
    rows, labels = {}, [column.label for column in table.columns]
    for row in [*table.themes, table.untagged, table.total]:
        rows[row.label] = dict(zip(labels, row.cells, strict=True))
        rows[row.label]["total"] = row.total
    return rows


def test_themes_by_organisation_type_count_published_contributions(reading):
    counts = _as_dict(_table(reading))

    assert counts == {
        "1. Fair recruitment": {
            "Member State": 0,
            "Civil society organisation": 1,
            "Trade union": 1,
            "Academia or research": 0,
            "total": 2,
        },
        "2. Data": {
            "Member State": 1,
            "Civil society organisation": 1,
            "Trade union": 0,
            "Academia or research": 0,
            "total": 2,
        },
        "3. Pathways": {
            "Member State": 0,
            "Civil society organisation": 0,
            "Trade union": 0,
            "Academia or research": 0,
            "total": 0,
        },
        "Not yet tagged": {
            "Member State": 0,
            "Civil society organisation": 1,
            "Trade union": 0,
            "Academia or research": 1,
            "total": 2,
        },
        "All contributions shown": {
            "Member State": 1,
            "Civil society organisation": 2,
            "Trade union": 1,
            "Academia or research": 1,
            "total": 5,
        },
    }


def test_themes_by_country_list_countries_by_name_and_not_stated_last(reading):
    table = _table(reading, dimension="country")

    assert [column.label for column in table.columns] == [
        "Ghana",
        "Mexico",
        "Senegal",
        "Not stated",
    ]
    counts = _as_dict(table)
    assert counts["1. Fair recruitment"] == {
        "Ghana": 1,
        "Mexico": 0,
        "Senegal": 1,
        "Not stated": 0,
        "total": 2,
    }
    assert counts["Not yet tagged"] == {
        "Ghana": 0,
        "Mexico": 0,
        "Senegal": 1,
        "Not stated": 1,
        "total": 2,
    }


def test_a_hidden_contribution_keeps_its_tag_but_is_not_counted(reading):
    counts = _as_dict(_table(reading))

    assert reading.hidden.theme_tags.filter(theme=reading.fair_recruitment).exists()
    assert counts["1. Fair recruitment"]["Trade union"] == 1  # the unions' one, not the hidden


def test_filters_narrow_the_counts(reading):
    by_question = _as_dict(_table(reading, SynthesisFilters(question=2)))
    by_language = _as_dict(_table(reading, SynthesisFilters(language="fr")))
    untagged = _as_dict(_table(reading, SynthesisFilters(tag_state=TagState.UNTAGGED)))

    assert by_question["2. Data"]["total"] == 1
    assert by_question["All contributions shown"]["total"] == 2
    assert by_language["1. Fair recruitment"] == {"Trade union": 1, "total": 1}
    assert untagged["All contributions shown"]["total"] == 2
    assert untagged["1. Fair recruitment"]["total"] == 0


def test_not_yet_tagged_lists_what_is_left_to_read(reading):
    left = contributions(reading.consultation, SynthesisFilters(tag_state=TagState.UNTAGGED))

    assert list(left) == [reading.research, reading.reply]


def test_tagged_and_organisation_type_filters_combine(reading):
    shown = contributions(
        reading.consultation,
        SynthesisFilters(tag_state=TagState.TAGGED, organisation_type="civil_society"),
    )

    assert list(shown) == [reading.recruitment]


def test_themes_by_region_group_countries_as_the_un_does(reading):
    counts = _as_dict(_table(reading, dimension="region"))

    assert counts["1. Fair recruitment"] == {
        "Africa": 2,
        "Americas": 0,
        "Not stated": 0,
        "total": 2,
    }
    assert counts["2. Data"] == {"Africa": 1, "Americas": 1, "Not stated": 0, "total": 2}
    assert counts["Not yet tagged"] == {"Africa": 1, "Americas": 0, "Not stated": 1, "total": 2}
