import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import OrganisationType
from consultations.exports import (
    COLUMNS,
    contribution_rows,
    export_contributions,
    neutralise,
    rows_to_csv,
    spreadsheet_text,
)
from consultations.models import CommentStatus, ModerationAction, ModerationEntry
from consultations.services.comments import comment_edit
from tests.factories import make_comment, make_consultation, make_question, make_user

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def contributions(db):
    """Two questions; question 1 holds a thread with a hidden parent and a withdrawn reply."""
    consultation = make_consultation(state="closed", slug="migration-review")
    first = make_question(consultation, number=1, title="Priorities", title_fr="Priorités")
    second = make_question(consultation, number=2, title="Partnerships")
    author = make_user(
        display_name="Zoë Núñez",
        organisation="Réseau des élu·es",
        organisation_type=OrganisationType.LOCAL_GOVERNMENT,
        country="SN",
    )
    answer = make_comment(
        first,
        author=author,
        body="**Language access** matters — clinics need interpreters.",
        language="fr",
        created_at=START,
        status=CommentStatus.HIDDEN,
        moderation_reason="Shares a phone number",
    )
    reply = make_comment(
        first, parent=answer, body="=SUM(1,2)", created_at=START + timedelta(hours=1)
    )
    withdrawn = make_comment(
        first,
        parent=reply,
        body="I take this back.",
        created_at=START + timedelta(hours=2),
        status=CommentStatus.WITHDRAWN,
        edited_at=START + timedelta(hours=3),
    )
    # Written before the thread above but on question 2: question order comes first.
    later_question = make_comment(
        second, body="@everyone read this", created_at=START - timedelta(days=1)
    )
    return {
        "consultation": consultation,
        "answer": answer,
        "reply": reply,
        "withdrawn": withdrawn,
        "later_question": later_question,
    }


def test_rows_follow_question_number_then_thread_order(contributions, django_assert_num_queries):
    with django_assert_num_queries(4):  # the comments, their files, themes, translations
        rows = contribution_rows(contributions["consultation"])

    assert [row["id"] for row in rows] == [
        contributions["answer"].pk,
        contributions["reply"].pk,
        contributions["withdrawn"].pk,
        contributions["later_question"].pk,
    ]
    assert [row["depth"] for row in rows] == [0, 1, 2, 0]
    assert [row["parent_id"] for row in rows] == [
        None,
        contributions["answer"].pk,
        contributions["reply"].pk,
        None,
    ]


def test_rows_keep_hidden_and_withdrawn_text_and_describe_the_author(contributions):
    first, _reply, withdrawn, _other = contribution_rows(contributions["consultation"])

    assert first["status"] == "hidden"
    assert first["body_text"] == "Language access matters — clinics need interpreters."
    assert first["body_markdown"].startswith("**Language access**")
    assert first["author_name"] == "Zoë Núñez"
    assert first["organisation"] == "Réseau des élu·es"
    assert first["organisation_type"] == "Local or regional government"
    assert first["country"] == "SN"
    assert first["language"] == "fr"
    assert first["question_number"] == 1 and first["question_title"] == "Priorities"
    assert first["created"] == START and first["edited"] is None
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["body_text"] == "I take this back."
    assert withdrawn["edited"] == START + timedelta(hours=3)


def _edit_twice(comment):
    """The reply, edited twice through the service while its consultation was open."""
    consultation = comment.question.consultation
    closes_at = consultation.closes_at
    type(consultation).objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() + timedelta(days=1)
    )
    for body in ("First change.", "=The latest text."):
        comment_edit(editor=comment.author, comment=comment, body=body, language="es")
    type(consultation).objects.filter(pk=consultation.pk).update(closes_at=closes_at)


def test_rows_give_the_latest_text_and_the_number_of_edits(contributions):
    _edit_twice(contributions["reply"])

    rows = contribution_rows(contributions["consultation"])

    assert [row["edits"] for row in rows] == [0, 2, 0, 0]
    assert rows[1]["body_markdown"] == "=The latest text."
    assert rows[1]["language"] == "es"


def test_counting_edits_costs_no_extra_query(contributions, django_assert_num_queries):
    _edit_twice(contributions["reply"])

    with django_assert_num_queries(4):  # the comments with counts, files, themes, translations
        contribution_rows(contributions["consultation"])


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_every_format_carries_the_edit_count(contributions, file_format):
    _edit_twice(contributions["reply"])
    content = export_contributions(contributions["consultation"], file_format).content

    rows = {
        "csv": _parse_csv,
        "xlsx": _parse_xlsx,
        "json": lambda data: json.loads(data.decode("utf-8")),
    }[file_format](content)

    assert [str(row["edits"]) for row in rows] == ["0", "2", "0", "0"]
    assert rows[1]["body_markdown"] in ("=The latest text.", "'=The latest text.")


def test_plain_text_is_rendered_from_the_source_when_no_html_was_stored(contributions):
    withdrawn = contributions["withdrawn"]
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(
        body_html="", body_text="", body_source="*Gone*"
    )

    rows = contribution_rows(contributions["consultation"])

    assert rows[2]["body_text"] == "Gone"


@pytest.mark.parametrize("value", ["=SUM(1,2)", "+1", "-2", "@cmd", "\tx", "\rx"], ids=repr)
def test_formula_looking_text_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_ordinary_text_and_numbers_are_left_alone():
    assert neutralise("Fair recruitment") == "Fair recruitment"
    assert neutralise(-3) == -3


def _parse_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _parse_xlsx(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_csv_has_a_bom_a_header_accents_and_neutralised_formulas(contributions):
    rows = _parse_csv(rows_to_csv(contribution_rows(contributions["consultation"])))

    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["author_name"] == "Zoë Núñez"
    assert rows[0]["parent_id"] == ""
    assert rows[1]["parent_id"] == str(contributions["answer"].pk)
    assert rows[1]["body_markdown"] == "'=SUM(1,2)"
    assert rows[1]["body_text"] == "'=SUM(1,2)"
    assert rows[3]["body_markdown"] == "'@everyone read this"


def _export(slug, file_format, tmp_path):
    output = tmp_path / f"export.{file_format}"
    call_command("export_consultation", slug, "--format", file_format, "--output", str(output))
    return output.read_bytes()


def test_command_writes_csv(contributions, tmp_path):
    rows = _parse_csv(_export("migration-review", "csv", tmp_path))

    assert [row["status"] for row in rows] == ["hidden", "published", "withdrawn", "published"]
    assert [row["depth"] for row in rows] == ["0", "1", "2", "0"]


def test_command_writes_xlsx_that_openpyxl_reads_back(contributions, tmp_path):
    rows = _parse_xlsx(_export("migration-review", "xlsx", tmp_path))

    assert rows[0]["author_name"] == "Zoë Núñez"
    assert rows[0]["status"] == "hidden"
    assert rows[1]["body_markdown"] == "'=SUM(1,2)"
    assert rows[1]["parent_id"] == contributions["answer"].pk
    assert rows[2]["depth"] == 2 and rows[2]["status"] == "withdrawn"


def test_command_writes_json_with_the_same_keys(contributions, tmp_path):
    rows = json.loads(_export("migration-review", "json", tmp_path).decode("utf-8"))

    assert [list(row) for row in rows] == [list(COLUMNS)] * 4
    assert rows[0]["author_name"] == "Zoë Núñez"
    assert rows[0]["parent_id"] is None
    assert rows[1]["body_markdown"] == "=SUM(1,2)"  # JSON is data, not a spreadsheet
    assert rows[2]["parent_id"] == contributions["reply"].pk


def test_command_prints_csv_and_json_without_an_output_file(contributions):
    printed = io.StringIO()

    call_command("export_consultation", "migration-review", "--format", "json", stdout=printed)

    assert json.loads(printed.getvalue())[0]["author_name"] == "Zoë Núñez"
    assert "Zoë Núñez" in printed.getvalue()  # ensure_ascii=False


def test_command_writes_xlsx_to_the_slug_file_by_default(contributions, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    call_command(
        "export_consultation", "migration-review", "--format", "xlsx", stderr=io.StringIO()
    )

    assert len(_parse_xlsx((tmp_path / "migration-review.xlsx").read_bytes())) == 4


def test_command_records_each_export_in_the_log(contributions, tmp_path):
    _export("migration-review", "csv", tmp_path)

    [entry] = ModerationEntry.objects.filter(action=ModerationAction.EXPORT)
    assert entry.actor is None
    assert entry.consultation == contributions["consultation"]


def test_command_refuses_an_unknown_slug(db):
    with pytest.raises(CommandError, match="no-such-thing"):
        call_command("export_consultation", "no-such-thing")


# --- Hostile cells, through every format ----------------------------------------------

HOSTILE_TEXTS = [
    '\x02=HYPERLINK("http://evil.example/","org")',
    "\x01\x1f+cmd|' /C calc'!A0",
    "\x0b-2+3",
    "\x08@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example/","click")',
]


@pytest.fixture
def hostile_contributions(db):
    consultation = make_consultation(state="closed", slug="hostile-review")
    question = make_question(consultation, number=1, title="\x01=Q1")
    for index, text in enumerate(HOSTILE_TEXTS):
        author = make_user(display_name=text, organisation=text)
        make_comment(question, author=author, body=text, created_at=START + timedelta(hours=index))
    return consultation


def _xlsx_cells(content: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows(min_row=2) for cell in row]


def _starts_like_a_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_no_xlsx_cell_is_a_formula_whatever_hides_before_the_sign(hostile_contributions, tmp_path):
    cells = _xlsx_cells(_export("hostile-review", "xlsx", tmp_path))

    assert cells, "the export holds the hostile rows"
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert [cell.value for cell in cells if _starts_like_a_formula(cell.value)] == []


def test_xlsx_keeps_the_hostile_text_readable_after_the_apostrophe(hostile_contributions, tmp_path):
    rows = _parse_xlsx(_export("hostile-review", "xlsx", tmp_path))

    assert rows[0]["author_name"] == '\'=HYPERLINK("http://evil.example/","org")'
    assert rows[0]["organisation"] == rows[0]["author_name"]
    assert rows[0]["body_markdown"] == rows[0]["author_name"]
    assert rows[0]["question_title"] == "'=Q1"
    assert rows[1]["author_name"] == "'+cmd|' /C calc'!A0"


def test_no_csv_cell_starts_like_a_formula_once_control_characters_go(
    hostile_contributions, tmp_path
):
    rows = _parse_csv(_export("hostile-review", "csv", tmp_path))

    values = [value for row in rows for value in row.values()]
    assert len(rows) == len(HOSTILE_TEXTS)
    assert [value for value in values if _starts_like_a_formula(value)] == []
    assert rows[0]["author_name"] == '\'=HYPERLINK("http://evil.example/","org")'
    assert rows[2]["body_text"] == "'-2+3"
    assert rows[3]["organisation"] == "'@SUM(A1:A9)"


def test_json_keeps_hostile_text_exactly_as_stored(hostile_contributions, tmp_path):
    rows = json.loads(_export("hostile-review", "json", tmp_path).decode("utf-8"))

    assert [row["author_name"] for row in rows] == HOSTILE_TEXTS
    assert [row["body_markdown"] for row in rows] == HOSTILE_TEXTS


def test_neutralising_comes_after_removing_what_a_spreadsheet_cannot_hold():
    assert spreadsheet_text("\x02=1+1") == "'=1+1"
    assert spreadsheet_text("a\x02b") == "ab"
    assert spreadsheet_text(None) == ""
    assert spreadsheet_text(7) == 7


def test_the_stored_plain_text_is_used_without_cleaning_again(contributions, monkeypatch):
    monkeypatch.setattr(
        "consultations.exports.plain_text", lambda html: pytest.fail("cleaned again")
    )

    rows = contribution_rows(contributions["consultation"])

    assert rows[0]["body_text"] == "Language access matters — clinics need interpreters."


def test_an_export_is_written_in_chunks(contributions):
    from consultations.exports import export_contributions

    export = export_contributions(contributions["consultation"], "csv")

    chunks = list(export.chunks())
    assert len(chunks) > 1
    assert b"".join(chunks) == export.content


# --- Times in the export's time zone ----------------------------------------------------


@pytest.fixture
def in_geneva(settings):
    settings.TIME_ZONE = "Europe/Zurich"
    with timezone.override("Europe/Zurich"):
        yield


def test_csv_and_json_give_times_as_iso_text_in_the_exports_time_zone(contributions, in_geneva):
    csv_rows = _parse_csv(export_contributions(contributions["consultation"], "csv").content)
    json_rows = json.loads(export_contributions(contributions["consultation"], "json").content)

    # 09:00 UTC on 1 March is 10:00 in Geneva (CET, UTC+1).
    assert csv_rows[0]["created"] == "2025-03-01T10:00:00+01:00"
    assert json_rows[0]["created"] == "2025-03-01T10:00:00+01:00"
    assert csv_rows[0]["edited"] == "" and json_rows[0]["edited"] is None
    assert json_rows[2]["edited"] == "2025-03-01T13:00:00+01:00"


# --- An XLSX ready for an analyst ---------------------------------------------------------


def _xlsx_sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def _column(sheet, name: str) -> str:
    header = [cell.value for cell in sheet[1]]
    return openpyxl.utils.get_column_letter(header.index(name) + 1)


def test_xlsx_times_are_date_cells_in_the_exports_time_zone(contributions, in_geneva):
    sheet = _xlsx_sheet(export_contributions(contributions["consultation"], "xlsx").content)
    created = sheet[f"{_column(sheet, 'created')}2"]
    edited = sheet[f"{_column(sheet, 'edited')}4"]

    assert created.is_date and created.data_type == "d"  # a date, read back as a datetime
    assert created.value == datetime(2025, 3, 1, 10, 0)  # local time, not UTC
    assert created.number_format == 'yyyy-mm-dd hh:mm:ss "Europe/Zurich"'
    assert edited.is_date and edited.value == datetime(2025, 3, 1, 13, 0)


def test_xlsx_stores_a_time_as_a_serial_number_not_as_text(contributions):
    content = export_contributions(contributions["consultation"], "xlsx").content
    sheet = _xlsx_sheet(content)
    coordinate = f"{_column(sheet, 'created')}2"

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    cell = re.search(rf'<c r="{coordinate}"[^>]*>.*?</c>', xml).group(0)
    # A number with a date format, as Excel writes its own dates (not "s", "inlineStr" or "d").
    assert re.search(r' t="(\w+)"', cell).group(1) == "n"
    assert float(re.search(r"<v>(.*?)</v>", cell).group(1)) == pytest.approx(45717 + 9 / 24)


def test_xlsx_leaves_a_time_cell_empty_when_there_is_no_time(contributions):
    sheet = _xlsx_sheet(export_contributions(contributions["consultation"], "xlsx").content)

    assert sheet[f"{_column(sheet, 'edited')}2"].value is None
    assert sheet[f"{_column(sheet, 'parent_id')}2"].value is None


def test_xlsx_freezes_the_header_row_and_filters_the_whole_table(contributions):
    sheet = _xlsx_sheet(export_contributions(contributions["consultation"], "xlsx").content)

    assert sheet.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(len(COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last_column}5"  # the header and four comments
    assert all(cell.font.bold for cell in sheet[1])


def test_xlsx_gives_every_column_a_width_and_the_texts_room(contributions):
    sheet = _xlsx_sheet(export_contributions(contributions["consultation"], "xlsx").content)

    widths = {name: sheet.column_dimensions[_column(sheet, name)].width for name in COLUMNS}
    # Every header fits in its column; the comment's text has the widest.
    assert all(widths[name] >= len(name) for name in COLUMNS)
    assert max(widths, key=widths.get) == "body_text"
    assert widths["body_text"] >= 60


def test_xlsx_wraps_long_text_and_aligns_every_cell_to_the_top(contributions):
    sheet = _xlsx_sheet(export_contributions(contributions["consultation"], "xlsx").content)
    first_row = {cell.column_letter: cell for cell in sheet[2]}

    for name in ("body_text", "body_markdown", "organisation", "question_title"):
        assert first_row[_column(sheet, name)].alignment.wrap_text, name
    assert not first_row[_column(sheet, "id")].alignment.wrap_text
    assert {cell.alignment.vertical for cell in sheet[2] if cell.value is not None} == {"top"}


def test_an_empty_consultation_still_gives_a_filtered_header(db):
    consultation = make_consultation(state="closed", slug="nothing-yet")

    sheet = _xlsx_sheet(export_contributions(consultation, "xlsx").content)

    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref.startswith("A1:")


def test_the_text_column_keeps_link_addresses_and_list_numbers(db):
    consultation = make_consultation(state="closed", slug="plain-text-review")
    question = make_question(consultation, number=1)
    make_comment(
        question,
        body="Two steps:\n\n1. Read [the review](https://example.org/review)\n2. Answer",
    )
    expected = "Two steps:\n\n1. Read the review (https://example.org/review)\n2. Answer"

    csv_rows = _parse_csv(export_contributions(consultation, "csv").content)
    xlsx_rows = _parse_xlsx(export_contributions(consultation, "xlsx").content)

    assert csv_rows[0]["body_text"] == expected
    assert xlsx_rows[0]["body_text"] == expected


def test_an_xlsx_streamed_after_the_request_keeps_the_zone_its_rows_were_read_in(contributions):
    with timezone.override("Europe/Zurich"):
        export = export_contributions(contributions["consultation"], "xlsx")
    # A streamed response is written out after the view (and its time zone) is done.
    sheet = _xlsx_sheet(export.content)

    created = sheet[f"{_column(sheet, 'created')}2"]
    assert created.value == datetime(2025, 3, 1, 10, 0)
    assert created.number_format == 'yyyy-mm-dd hh:mm:ss "Europe/Zurich"'
