"""Every contribution of a consultation as rows, and those rows as CSV, XLSX or JSON.

Used by the secretariat's download links and by `manage.py export_consultation`.
The rows hold every comment whatever its status (hidden and withdrawn ones
with their stored text), ordered by question number, then in thread order.
Each row gives the latest text and, in `edits`, how many times it was edited
(the earlier versions stay on the site's versions page).
"""

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from consultations.models import Comment, Consultation, arrange_thread
from consultations.sanitize import plain_text, render_markdown

COLUMNS = (
    "id",
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
)

FORMATS = ("csv", "xlsx", "json")

# A spreadsheet reads a cell starting with one of these as a formula (or, for
# tab and carriage return, may shift it into one): such cells get a leading
# apostrophe so they are shown as text, never run.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def _body_text(comment: Comment) -> str:
    return plain_text(comment.body_html or render_markdown(comment.body_source))


def _files(comment: Comment) -> str:
    """One line per attached file: its name, then the site address that downloads it."""
    return "\n".join(
        f"{attachment.original_name} <{attachment.get_absolute_url()}>"
        for attachment in comment.attachments.all()
    )


def contribution_rows(consultation: Consultation) -> list[dict]:
    """One dict per comment, keys as in COLUMNS; one query for all comments."""
    comments = (
        Comment.objects.for_consultation(consultation)
        .select_related("author", "question")
        .prefetch_related("attachments")
        .annotate(edit_count=Count("revisions"))
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
                    "created": _iso(comment.created_at),
                    "edited": _iso(comment.edited_at),
                    "edits": comment.edit_count,
                    "body_text": _body_text(comment),
                    "body_markdown": comment.body_source,
                    "files": _files(comment),
                }
            )
    return rows


def neutralise(value):
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _spreadsheet_cells(row: dict) -> list:
    return [neutralise("" if row[column] is None else row[column]) for column in COLUMNS]


def rows_to_csv(rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets keep accents; a header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_spreadsheet_cells(row) for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def rows_to_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Contributions")[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell
                for cell in _spreadsheet_cells(row)
            ]
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_to_json(rows: list[dict]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")


_WRITERS = {
    "csv": (rows_to_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        rows_to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "json": (rows_to_json, "application/json; charset=utf-8"),
}


def export_filename(consultation: Consultation, file_format: str) -> str:
    return f"{consultation.slug}-contributions.{file_format}"


def export_contributions(consultation: Consultation, file_format: str) -> ExportFile:
    """The whole export of one consultation in one of FORMATS."""
    write, content_type = _WRITERS[file_format]
    return ExportFile(
        content=write(contribution_rows(consultation)),
        content_type=content_type,
        filename=export_filename(consultation, file_format),
    )
