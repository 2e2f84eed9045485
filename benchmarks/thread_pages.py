"""How long the thread pages take to render, and how many queries they cost.

Run against the configured database (SQLite by default, or DATABASE_URL):

    DEBUG=1 .venv/bin/python benchmarks/thread_pages.py --sizes 10 100 500 2000

Everything it creates is rolled back at the end. Times are medians of
--repeat renders through Django's test client (no network, no gunicorn);
compare runs on the same machine only.
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

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.factories import make_comment, make_consultation, make_question, make_user  # noqa: E402


def build_thread(size: int):
    consultation = make_consultation(state="open", slug=f"benchmark-{size}")
    question = make_question(consultation, number=1)
    authors = [make_user() for _ in range(min(size, 40))]
    comments = []
    for index in range(size):
        # Every third comment answers the question; the rest reply somewhere above.
        parent = comments[index // 2] if comments and index % 3 else None
        body = "A contribution with *some* emphasis and a [link](https://example.org). " * (
            1 + index % 12
        )
        comments.append(
            make_comment(question, parent=parent, author=authors[index % len(authors)], body=body)
        )
    return consultation, question


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    print(f"database: {connection.vendor}")
    print(f"{'comments':>8}  {'page':<12} {'median ms':>9}  {'queries':>7}  {'KiB':>6}")
    with transaction.atomic():
        reader = make_user()
        for size in options.sizes:
            consultation, question = build_thread(size)
            # Not setup_test_environment(): its template instrumentation would
            # be measured too. A host name the settings allow instead.
            clients = (
                ("visitor", Client(SERVER_NAME="localhost")),
                ("stakeholder", Client(SERVER_NAME="localhost")),
            )
            for label, client in clients:
                if label == "stakeholder":
                    client.force_login(reader)
                for page, url in (
                    ("question", question.get_absolute_url()),
                    ("consultation", consultation.get_absolute_url()),
                ):
                    milliseconds, queries, size_bytes = measure(client, url, options.repeat)
                    print(
                        f"{size:>8}  {page + '/' + label[0]:<12} {milliseconds:>9.1f}  "
                        f"{queries:>7}  {size_bytes / 1024:>6.0f}"
                    )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
