"""How long a search page takes, and how many queries it costs, as contributions grow.

Run against PostgreSQL (the full-text search) or SQLite (the fallback):

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python benchmarks/search.py --sizes 1000 20000

Contributions are written in bulk, a third each in English, French and
Spanish; one in a hundred mentions remittances. Everything is rolled back at
the end. Times are medians of --repeat requests through Django's test client.
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

settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from consultations.models import Comment  # noqa: E402
from tests.factories import make_consultation, make_question, make_user  # noqa: E402

TEXTS = {
    "en": "Migrant workers need portable social protection and fair recruitment, point {n}.",
    "fr": "Les travailleurs migrants ont besoin d’une protection sociale portable, point {n}.",
    "es": "La migración laboral necesita contratación equitativa y protección social, punto {n}.",
}
NEEDLE = " Remittances and remesas matter too."


def build(size: int):
    question = make_question(make_consultation(state="open", slug=f"search-benchmark-{size}"))
    authors = [make_user() for _ in range(20)]
    languages = list(TEXTS)
    comments = []
    for index in range(size):
        language = languages[index % 3]
        text = TEXTS[language].format(n=index) + (NEEDLE if index % 100 == 0 else "")
        comments.append(
            Comment(
                question=question,
                author=authors[index % len(authors)],
                thread_key=f"{question.pk}:bench{index}",
                body_source=text,
                body_html=f"<p>{text}</p>",
                body_text=text,
                language=language,
            )
        )
    Comment.objects.bulk_create(comments, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE consultations_comment")


def measure(client, url, repeat):
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    client = Client()
    print(f"database: {connection.vendor}")
    print(f"{'contributions':>13} {'query':>22} {'ms (median)':>12} {'queries':>8}")
    for size in arguments.sizes:
        with transaction.atomic():
            build(size)
            for query in ("remittances", "migracion", "travailleur", "protection"):
                milliseconds, queries = measure(client, f"/es/search/?q={query}", arguments.repeat)
                print(f"{size:>13} {query:>22} {milliseconds:>12.1f} {queries:>8}")
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
