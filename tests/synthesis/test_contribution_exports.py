"""The secretariat's contribution exports carry each comment's themes and use in the paper."""

import json

from consultations.exports import contribution_rows, export_contributions
from synthesis.models import PaperUse


def _row(rows, comment):
    return next(row for row in rows if row["id"] == comment.pk)


def test_each_row_gives_the_themes_in_codebook_order_and_the_section(reading, secretariat):
    PaperUse.objects.create(comment=reading.recruitment, section="2.1", marked_by=secretariat)

    rows = contribution_rows(reading.consultation)

    assert _row(rows, reading.recruitment)["themes"] == "1. Fair recruitment; 2. Data"
    assert _row(rows, reading.recruitment)["used_in"] == "2.1"
    assert _row(rows, reading.reply)["themes"] == ""
    assert _row(rows, reading.reply)["used_in"] == ""


def test_a_hidden_comment_keeps_its_themes_in_the_export(reading):
    rows = contribution_rows(reading.consultation)

    assert _row(rows, reading.hidden)["themes"] == "1. Fair recruitment"


def test_the_json_export_has_the_two_columns(reading):
    rows = json.loads(export_contributions(reading.consultation, "json").content)

    assert {"themes", "used_in"} <= set(rows[0])
