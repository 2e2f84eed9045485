from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _teach_sqlite_to_fold(sender, connection, **kwargs):
    """SQLite has no unaccent: the fallback search compares text folded by Python."""
    if connection.vendor == "sqlite":
        from search.folding import fold

        connection.connection.create_function("roundtable_fold", 1, fold, deterministic=True)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search and directory")

    def ready(self):
        connection_created.connect(_teach_sqlite_to_fold, dispatch_uid="roundtable_fold")
