"""Full-text search on PostgreSQL: unaccent, one text search configuration per
language of a contribution, and a GIN index per language.

`unaccent()` is not IMMUTABLE, so it cannot appear in an index expression.
A text search configuration that runs the unaccent dictionary before the
language's stemmer can: `to_tsvector(regconfig, text)` is immutable, and the
same configuration, applied to the query, folds the reader's accents too.

On SQLite every step is skipped: its fallback folds text in Python
(search/apps.py) and needs nothing stored.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

# Contribution language -> (our configuration, PostgreSQL's own, its stemmer)
CONFIGURATIONS = {
    "en": ("roundtable_english", "english", "english_stem"),
    "fr": ("roundtable_french", "french", "french_stem"),
    "es": ("roundtable_spanish", "spanish", "spanish_stem"),
    "other": ("roundtable_simple", "simple", "simple"),
}


def create_configurations_and_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, (name, template, stemmer) in CONFIGURATIONS.items():
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name} CASCADE")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {template})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}"
        )
        # One partial index per language: a query asks each language with
        # its own configuration, and the planner ORs the four index scans.
        schema_editor.execute(
            f"CREATE INDEX search_comment_text_{language}_idx ON consultations_comment "
            f"USING gin (to_tsvector('{name}'::regconfig, body_text)) "
            f"WHERE language = '{language}'"
        )


def drop_configurations_and_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, (name, _template, _stemmer) in CONFIGURATIONS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS search_comment_text_{language}_idx")
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_organisation_merges"),
        ("consultations", "0011_moderation_actions_edit_and_admin_edits"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_configurations_and_indexes, drop_configurations_and_indexes),
    ]
