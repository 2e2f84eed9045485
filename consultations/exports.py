"""Every contribution of a consultation as rows, and those rows as CSV, XLSX or JSON.

Used by the secretariat's download links and by `manage.py export_consultation`.
The rows hold every comment whatever its status (hidden and withdrawn ones
with their stored text), ordered by question number, then in thread order.
Each row gives the latest text and, in `edits`, how many times it was edited
(the earlier versions stay on the site's versions page).

The rows are read in one query; the file is written out in chunks, row by
row, so a large export starts arriving at once and is never held twice.

Times are given in the export's time zone (the one active when the rows are
read): ISO 8601 text with its offset in the CSV and the JSON, date cells in
the XLSX, whose number format names the zone. The XLSX is laid out for
reading: column widths, long text wrapped, the header row frozen and an
autofilter over the whole table.

A file must not attack the person who opens it: in the CSV and the XLSX
every text cell is first rid of the characters a spreadsheet cannot hold,
then neutralised (a leading apostrophe when it would read as a formula), in
that order, and the XLSX stores every text cell as a string, never a formula.
"""

import csv
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from consultations.models import (
    TRANSLATION_LANGUAGES,
    Comment,
    CommentTranslation,
    Consultation,
    arrange_thread,
)
from consultations.sanitize import plain_text, render_markdown
from synthesis.models import ThemeTag

TRANSLATION_COLUMNS = tuple(f"translation_{language}" for language in TRANSLATION_LANGUAGES)

COLUMNS = (
    "id",
    "reference",
    "question_number",
    "question_title",
    "parent_id",
    "depth",
    "author_name",
    "organisation",
    "organisation_type",
    "country",
    "language",
    "status",
    "created",
    "edited",
    "edits",
    "body_text",
    "body_markdown",
    "files",
    # The synthesis workbench's reading (synthesis/): themes in English, the paper's section.
    "themes",
    "used_in",
    # Translations into the interface languages (Markdown), and who made each when.
    *TRANSLATION_COLUMNS,
    "translation_provenance",
)

FORMATS = ("csv", "xlsx", "json")

# A spreadsheet reads a cell starting with one of these as a formula (or, for
# tab and carriage return, may shift it into one): such cells get a leading
# apostrophe so they are shown as text, never run.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class ExportFile:
    """An export ready to be sent: `chunks()` yields its bytes, written as they are read."""

    chunks: Callable[[], Iterator[bytes]]
    content_type: str
    filename: str

    @property
    def content(self) -> bytes:
        """The whole file at once, for the command line and tests."""
        return b"".join(self.chunks())


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def _body_text(comment: Comment) -> str:
    """The stored plain text; rebuilt only for a row written around save()."""
    if comment.body_text or not comment.body_source:
        return comment.body_text
    return plain_text(render_markdown(comment.body_source))


def _files(comment: Comment) -> str:
    """One line per attached file: its name, then the site address that downloads it."""
    return "\n".join(
        f"{attachment.original_name} <{attachment.get_absolute_url()}>"
        for attachment in comment.attachments.all()
    )


def _themes(comment: Comment) -> str:
    """ "1. Fair recruitment; 3. Data", in the codebook's order, in English like the titles."""
    themes = sorted((tag.theme for tag in comment.theme_tags.all()), key=lambda t: t.number)
    return "; ".join(f"{theme.number}. {theme.title_en}" for theme in themes)


def _used_in(comment: Comment) -> str:
    use = getattr(comment, "paper_use", None)
    return use.section if use else ""


def _translations(comment: Comment) -> dict:
    """The `translation_<language>` columns and "es: Name, 2026-03-01T10:00:00+01:00 (out of
    date)" lines saying who translated each, when, and whether the original changed since."""
    translations = {translation.language: translation for translation in comment.translations.all()}
    columns = {
        f"translation_{language}": translations[language].body_source
        if language in translations
        else ""
        for language in TRANSLATION_LANGUAGES
    }
    provenance = []
    for language, translation in sorted(translations.items()):
        translation.comment = comment
        line = (
            f"{language}: {translation.translator.display_name}, "
            f"{_local(translation.updated_at).isoformat()}"
        )
        provenance.append(line + (" (out of date)" if translation.is_out_of_date else ""))
    return {**columns, "translation_provenance": "\n".join(provenance)}


def contribution_rows(consultation: Consultation) -> list[dict]:
    """One dict per comment, keys as in COLUMNS; one query for all comments.

    `created` and `edited` are aware datetimes in the current time zone (or None).
    """
    comments = (
        Comment.objects.for_consultation(consultation)
        .select_related("author", "question")
        .prefetch_related(
            "attachments",
            Prefetch("theme_tags", queryset=ThemeTag.objects.select_related("theme")),
            Prefetch(
                "translations", queryset=CommentTranslation.objects.select_related("translator")
            ),
        )
        .select_related("paper_use")
        .annotate(edit_count=Count("revisions"))
        # The HTML is the largest column and the export has the text already.
        .defer("body_html")
        .order_by("question__number", "created_at", "pk")
    )
    by_question = defaultdict(list)
    for comment in comments:
        by_question[comment.question.number].append(comment)
    rows = []
    for number in sorted(by_question):
        for entry in arrange_thread(by_question[number]):
            comment, author = entry.comment, entry.comment.author
            rows.append(
                {
                    "id": comment.pk,
                    "reference": comment.reference or "",
                    "question_number": number,
                    "question_title": comment.question.title_en or "",
                    "parent_id": entry.parent.pk if entry.parent else None,
                    "depth": entry.depth,
                    "author_name": author.display_name,
                    "organisation": author.organisation,
                    "organisation_type": (
                        author.get_organisation_type_display() if author.organisation_type else ""
                    ),
                    "country": author.country.code or "",
                    "language": comment.language,
                    "status": comment.status,
                    "created": _local(comment.created_at),
                    "edited": _local(comment.edited_at),
                    "edits": comment.edit_count,
                    "body_text": _body_text(comment),
                    "body_markdown": comment.body_source,
                    "files": _files(comment),
                    "themes": _themes(comment),
                    "used_in": _used_in(comment),
                    **_translations(comment),
                }
            )
    return rows


def neutralise(value):
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_text(value):
    """A cell as a spreadsheet may hold it: characters it cannot hold removed, then neutralised.

    Neutralising comes last: removing a control character first could bring
    an "=" to the front ("\x02=HYPERLINK(...)").
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _as_text(value):
    """Times as ISO 8601 with their offset, for the text formats."""
    return value.isoformat() if isinstance(value, datetime) else value


def _spreadsheet_cells(row: dict, columns=COLUMNS) -> list:
    return [spreadsheet_text(row[column]) for column in columns]


def _in_chunks(pieces: Iterable[str], encoding: str = "utf-8") -> Iterator[bytes]:
    """Join small pieces of text into chunks of about CHUNK_SIZE bytes."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_SIZE:
            yield "".join(buffer).encode(encoding)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode(encoding)


class _Line:
    """A file-like object csv.writer writes one line to; the line is returned."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(rows: Iterable[dict], columns=COLUMNS) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so spreadsheets keep accents; a header row first."""
    writer = csv.writer(_Line())
    lines = (
        writer.writerow([_as_text(cell) for cell in _spreadsheet_cells(row, columns)])
        for row in rows
    )
    yield "\ufeff".encode()
    yield writer.writerow(columns).encode("utf-8")
    yield from _in_chunks(lines)


# Width of each XLSX column, in characters; the long texts get room and wrap.
XLSX_WIDTHS = {
    "question_title": 30,
    "author_name": 22,
    "organisation": 28,
    "organisation_type": 24,
    "created": 24,
    "edited": 24,
    "body_text": 80,
    "body_markdown": 60,
    "files": 45,
    **dict.fromkeys(TRANSLATION_COLUMNS, 60),
    "translation_provenance": 40,
}
XLSX_WRAPPED = frozenset(
    {"question_title", "author_name", "organisation", "organisation_type"}
    | {"body_text", "body_markdown", "files", *TRANSLATION_COLUMNS, "translation_provenance"}
)


def _xlsx_time_format(moment: datetime) -> str:
    """A date and time, followed by the name of its time zone (the rows carry it)."""
    return f'yyyy-mm-dd hh:mm:ss "{moment.tzinfo}"'


def xlsx_chunks(rows: Iterable[dict]) -> Iterator[bytes]:
    """A write-only workbook (rows go to a temporary file as they come), then its bytes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Contributions")[:31])
    # Layout before the first row: a write-only sheet writes it out first.
    for index, column in enumerate(COLUMNS, start=1):
        width = XLSX_WIDTHS.get(column, 0)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, len(column) + 3)
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
        header.append(cell)
    sheet.append(header)
    alignments = list(zip(COLUMNS, _xlsx_alignments(), strict=True))
    count = 0
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, row[column], alignment) for column, alignment in alignments]
        )
        count += 1
    # The filter's range is written after the rows, so it can cover all of them.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(CHUNK_SIZE):
            yield chunk


def _xlsx_alignments() -> list[Alignment]:
    """Each column's alignment, made once for the whole sheet."""
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    return [wrapped if column in XLSX_WRAPPED else top for column in COLUMNS]


def _xlsx_cell(sheet, value, alignment):
    """A cell, aligned; None (no parent, never edited) leaves the cell empty."""
    if value is None:
        return None
    number_format = None
    if isinstance(value, datetime):
        # Excel has no time zones: the local time, its zone named by the format.
        number_format = _xlsx_time_format(value)
        value = value.replace(tzinfo=None)
    else:
        value = spreadsheet_text(value)
    cell = WriteOnlyCell(sheet, value)
    cell.alignment = alignment
    if isinstance(value, str):
        # A string cell whatever its text: openpyxl would store any text
        # starting with "=" as a formula.
        cell.data_type = "s"
    elif number_format:
        cell.number_format = number_format
    return cell


def json_chunks(rows: Iterable[dict]) -> Iterator[bytes]:
    """A JSON array of objects, one per row, keys as in COLUMNS; the data as stored."""

    def pieces():
        separator = "[\n"
        for row in rows:
            yield separator + json.dumps(row, ensure_ascii=False, default=_as_text)
            separator = ",\n"
        yield "\n]\n" if separator != "[\n" else "[]\n"

    return _in_chunks(pieces())


def rows_to_csv(rows: Iterable[dict], columns=COLUMNS) -> bytes:
    return b"".join(csv_chunks(rows, columns))


def rows_to_xlsx(rows: Iterable[dict]) -> bytes:
    return b"".join(xlsx_chunks(rows))


def rows_to_json(rows: Iterable[dict]) -> bytes:
    return b"".join(json_chunks(rows))


_WRITERS = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "xlsx": (
        xlsx_chunks,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "json": (json_chunks, "application/json; charset=utf-8"),
}


def export_filename(consultation: Consultation, file_format: str) -> str:
    return f"{consultation.slug}-contributions.{file_format}"


def export_contributions(consultation: Consultation, file_format: str) -> ExportFile:
    """The whole export of one consultation in one of FORMATS."""
    write, content_type = _WRITERS[file_format]
    # Read now, inside the caller's transaction (beside its log entry);
    # written out only as the file is sent.
    rows = contribution_rows(consultation)
    return ExportFile(
        chunks=lambda: write(rows),
        content_type=content_type,
        filename=export_filename(consultation, file_format),
    )
