"""Backup and restore as the README says: pg_dump, then pg_restore into an empty database."""

import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from consultations.services.comments import comment_post
from consultations.services.moderation import comment_hide
from tests.factories import make_consultation, make_question, make_user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump and pg_restore are PostgreSQL's tools; run with DATABASE_URL set",
    ),
    pytest.mark.django_db(transaction=True),
]


def server_arguments(settings_dict) -> list[str]:
    arguments = [
        "--host",
        settings_dict["HOST"] or "127.0.0.1",
        "--username",
        settings_dict["USER"],
    ]
    if settings_dict["PORT"]:
        arguments += ["--port", str(settings_dict["PORT"])]
    return arguments


def table_contents(conninfo: dict) -> dict[str, list[tuple]]:
    """Every row of every table in the public schema, in a stable order."""
    with psycopg.connect(**conninfo) as database, database.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        contents = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            contents[table] = cursor.fetchall()
    return contents


def test_a_consultation_restored_from_a_dump_equals_the_original(tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore must be installed beside PostgreSQL")
    consultation = make_consultation(state="open")
    question = make_question(consultation, number=1)
    moderator = make_user(display_name="Moderator of the record")
    consultation.moderators.add(moderator)
    answer = comment_post(
        author=make_user(),
        question=question,
        body="Les envois de fonds **comptent**.",
        language="fr",
    )
    reply = comment_post(
        author=make_user(), question=question, parent=answer, body="Sí, y mucho.", language="es"
    )
    comment_hide(moderator=moderator, comment=reply, reason="Off topic for this question.")

    settings_dict = connection.settings_dict
    dump = tmp_path / "roundtable.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            *server_arguments(settings_dict),
            "--file",
            str(dump),
            settings_dict["NAME"],
        ],
        check=True,
        capture_output=True,
    )
    restored_name = f"restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                *server_arguments(settings_dict),
                "--dbname",
                restored_name,
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        conninfo = {
            "host": settings_dict["HOST"] or "127.0.0.1",
            "port": settings_dict["PORT"] or 5432,
            "user": settings_dict["USER"],
            "password": settings_dict["PASSWORD"] or None,
        }
        original = table_contents({**conninfo, "dbname": settings_dict["NAME"]})
        restored = table_contents({**conninfo, "dbname": restored_name})
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')

    assert len(original["consultations_comment"]) == 2
    assert len(original["consultations_moderationentry"]) == 1
    assert restored == original
