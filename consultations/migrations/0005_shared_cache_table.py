"""The table behind the database cache that every app process shares when there is no Redis.

Created here rather than by `createcachetable` at each start, so every
deploy has it after the release step's `migrate`, whatever CACHES says.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = "roundtable_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0004_comment_revisions_and_edit_log")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
