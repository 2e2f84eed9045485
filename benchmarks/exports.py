"""How long an export of hostile, maximum-length comments takes, in each format.

Run against the configured database (SQLite by default, or DATABASE_URL):

    DEBUG=1 .venv/bin/python benchmarks/exports.py --comments 200

Each comment is as long as a comment may be and made of the shapes that are
slow to clean (runs of "<a", "&", "(", control characters, formula prefixes),
written by authors whose names and organisations look like formulas. The
time is the median of --repeat exports through the same code as the
secretariat's download link, from the query to the last byte. Everything it
creates is rolled back at the end; compare runs on the same machine only.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from consultations.exports import FORMATS, export_contributions  # noqa: E402
from consultations.models import Comment  # noqa: E402
from consultations.sanitize import render_markdown  # noqa: E402
from tests.factories import make_consultation, make_question, make_user  # noqa: E402

HOSTILE_UNITS = ("<a", "&#x", "((:", "\x02=", "[x](", "<b>=1+", "a.b-", "&amp;lt;")


def hostile_body(index: int) -> str:
    unit = HOSTILE_UNITS[index % len(HOSTILE_UNITS)]
    head = '=HYPERLINK("http://evil.example/","report") '
    room = settings.ROUNDTABLE_COMMENT_MAX_LENGTH - len(head)
    return head + unit * (room // len(unit))


def build(count: int):
    consultation = make_consultation(state="closed", slug=f"export-benchmark-{count}")
    questions = [make_question(consultation, number=number) for number in (1, 2, 3)]
    authors = [
        make_user(
            display_name=f'\x02=HYPERLINK("http://evil.example/{number}","org")',
            organisation=f"\t+cmd|' /C calc'!A{number}",
        )
        for number in range(10)
    ]
    # Rendering a hostile body takes seconds: each distinct one is rendered once.
    rendered = {}
    comments = []
    for index in range(count):
        parent = comments[index // 2] if comments and index % 3 else None
        question = parent.question if parent else questions[index % len(questions)]
        body = hostile_body(index)
        if body not in rendered:
            rendered[body] = render_markdown(body)
        comments.append(
            Comment.objects.create(
                question=question,
                parent=parent,
                author=authors[index % len(authors)],
                body_source=body,
                body_html=rendered[body],
            )
        )
    return consultation


def consume(export) -> int:
    """Read the whole file, as the response would send it; returns its size."""
    return sum(len(chunk) for chunk in export.chunks())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    print(f"database: {connection.vendor}")
    with transaction.atomic():
        started = time.perf_counter()
        consultation = build(options.comments)
        print(f"built {options.comments} comments in {time.perf_counter() - started:.1f} s")
        print(f"{'format':<6} {'median s':>9} {'MiB':>7}")
        for file_format in FORMATS:
            timings = []
            for _ in range(options.repeat):
                started = time.perf_counter()
                size = consume(export_contributions(consultation, file_format))
                timings.append(time.perf_counter() - started)
            print(f"{file_format:<6} {statistics.median(timings):>9.2f} {size / 2**20:>7.1f}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
