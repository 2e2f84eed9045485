"""Full-text search on PostgreSQL: unaccent, one text search configuration per
language of a contribution, a stored search vector and its GIN index.

`unaccent()` is not IMMUTABLE, so it cannot appear in an index or a generated
column. A text search configuration that runs the unaccent dictionary before
the language's stemmer can: `to_tsvector(regconfig, text)` is immutable, and
the same configuration, applied to the query, folds the reader's accents too.

`consultations_comment.search_vector` is a generated column: PostgreSQL
computes it from `body_text` and `language` on every insert and update,
whichever code path writes (posting, editing, moderation, the admin, a
queryset update), so it can never be stale. Django's model does not list it:
only search/query.py reads it. Stored rather than an expression index so
that ranking reads each vector instead of parsing every matching text again
(measured with benchmarks/search.py).

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
    for name, template, stemmer in CONFIGURATIONS.values():
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name} CASCADE")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {template})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}"
        )
    configuration_of_the_language = " ".join(
        f"WHEN '{language}' THEN '{name}'::regconfig"
        for language, (name, _template, _stemmer) in CONFIGURATIONS.items()
    )
    schema_editor.execute(
        "ALTER TABLE consultations_comment ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector(CASE language {configuration_of_the_language} "
        "ELSE 'roundtable_simple'::regconfig END, body_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX search_comment_vector_idx ON consultations_comment USING gin (search_vector)"
    )


def drop_configurations_and_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE consultations_comment DROP COLUMN IF EXISTS search_vector")
    for name, _template, _stemmer in CONFIGURATIONS.values():
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
