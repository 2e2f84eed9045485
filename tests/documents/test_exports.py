"""The exports list each comment's files: name and the address that downloads it."""

import csv
import io

from consultations.exports import COLUMNS, contribution_rows, export_contributions
from consultations.models import CommentStatus
from documents.services import comment_attachments_add
from tests.documents import samples
from tests.factories import make_comment


def test_each_row_lists_its_comments_files_with_their_download_addresses(question):
    comment = make_comment(question)
    first, second = comment_attachments_add(
        comment=comment, files=[samples.pdf("survey.pdf"), samples.png("chart.png")]
    )

    (row,) = contribution_rows(question.consultation)

    assert row["files"].splitlines() == [
        f"survey.pdf <{first.get_absolute_url()}>",
        f"chart.png <{second.get_absolute_url()}>",
    ]


def test_a_comment_without_files_has_an_empty_files_cell(question):
    make_comment(question)

    (row,) = contribution_rows(question.consultation)

    assert row["files"] == ""


def test_a_hidden_comments_files_are_listed_too(question):
    comment = make_comment(question, status=CommentStatus.HIDDEN, moderation_reason="Off topic")
    comment_attachments_add(comment=comment, files=[samples.pdf("survey.pdf")])

    (row,) = contribution_rows(question.consultation)

    assert "survey.pdf" in row["files"]


def test_the_csv_has_a_files_column(question):
    comment = make_comment(question)
    comment_attachments_add(comment=comment, files=[samples.pdf("survey.pdf")])

    export = export_contributions(question.consultation, "csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))

    assert "files" in COLUMNS
    assert rows[0]["files"].startswith("survey.pdf <")
