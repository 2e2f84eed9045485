from django_countries import countries

from synthesis.regions import REGIONS, region_of


def test_every_country_one_can_choose_has_exactly_one_region():
    listed = [code for _key, _name, codes in REGIONS for code in codes.split()]

    assert len(listed) == len(set(listed))
    assert {country.code for country in countries} == set(listed)


def test_a_few_countries_are_where_the_un_puts_them():
    assert [region_of(code) for code in ("SN", "MX", "TR", "CY", "RU", "FJ", "")] == [
        "africa",
        "americas",
        "asia",
        "asia",
        "europe",
        "oceania",
        "",
    ]
