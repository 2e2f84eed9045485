"""On PostgreSQL the database itself refuses to change or delete a log entry.

A BEFORE UPDATE OR DELETE trigger raises, so even a raw SQL statement or a
script that bypasses the model's guards leaves the log as it was. TRUNCATE
is deliberately not covered: test runs and a restore into a fresh database
empty tables that way. Other databases (SQLite in development) keep the
model and QuerySet guards only.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION consultations_moderationentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The moderation log is append-only: % of an entry is refused.', TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'Write a new entry instead of changing an old one.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER consultations_moderationentry_append_only
    BEFORE UPDATE OR DELETE ON consultations_moderationentry
    FOR EACH ROW EXECUTE FUNCTION consultations_moderationentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS consultations_moderationentry_append_only
    ON consultations_moderationentry;
DROP FUNCTION IF EXISTS consultations_moderationentry_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("consultations", "0009_moderation_entry_changes")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
