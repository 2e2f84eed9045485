"""Countries grouped into the regions of the UN's M49 standard, for the synthesis counts."""

from django.utils.translation import gettext_lazy as _

# (key, name, ISO 3166 codes), in M49's order. Antarctica belongs to no region there.
REGIONS = (
    (
        "africa",
        _("Africa"),
        "DZ EG LY MA SD TN EH IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM "
        "ZW AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG "
        "SH SN SL TG",
    ),
    (
        "americas",
        _("Americas"),
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
        "BZ CR SV GT HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA GL PM "
        "US",
    ),
    (
        "asia",
        _("Asia"),
        "KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN "
        "IR MV NP PK LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ),
    (
        "europe",
        _("Europe"),
        "BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL AD "
        "BA HR GI GR VA IT MT ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH",
    ),
    (
        "oceania",
        _("Oceania"),
        "AU CX CC HM NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF",
    ),
    ("antarctica", _("Antarctica"), "AQ"),
)

_REGION_OF = {code: key for key, _name, codes in REGIONS for code in codes.split()}


def region_of(country_code: str) -> str:
    """The region key of a country code; "" for none (no country stated)."""
    return _REGION_OF.get(country_code or "", "")


def region_name(country_code: str) -> str:
    """The region's name in the active language; "" for none."""
    names = {key: name for key, name, _codes in REGIONS}
    return str(names.get(region_of(country_code), ""))
