"""What a new process would load on its first requests, loaded before it serves any.

Django loads much of a site lazily, on a process's first requests: the
URLconf (and through it every view module), each language's catalogues and
formats, the templates, the migrations /healthz compares with the database.
A gunicorn worker recycled after `max_requests` answered its first pages in
up to 2.4 s while it did all that beside the other worker's traffic. With
`preload_app`, gunicorn's master imports forum/wsgi.py and calls
`warm_up()` (gunicorn.conf.py, `when_ready`) once before it forks: every
worker starts with it done, sharing the master's memory.

It only reads code, templates and catalogues: no database connection, no
cache, nothing a forked worker would share with the master or its siblings
(tests/forum/test_warm_up.py). So it must not render a page or build a
query: forum/compiled_queries.py, consultations/page_cache.py and
accounts/backends.py compile their SQL on their first use in each worker.
"""

from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.template import engines
from django.urls import get_resolver, resolve, reverse
from django.utils import formats, translation
from django.utils.module_loading import import_string

from consultations.fragment_cache import release_digest
from consultations.sanitize import render_markdown


def warm_up() -> None:
    """Load the URLconf, every language's catalogues and formats, the project's templates,
    the Markdown sanitizer, the cache backends' code, the migrations and the release's
    digest."""
    # Importing the URLconf imports every view, form and template tag module.
    get_resolver().url_patterns  # noqa: B018
    for code, _name in settings.LANGUAGES:
        # Activating a language loads its catalogues (Django's and every app's);
        # reversing fills the resolver's table of addresses for it, resolving
        # compiles the patterns' expressions in it.
        with translation.override(code):
            resolve(reverse("consultations:list"))
            formats.get_format_modules(code)
    load_templates()
    # The pages render staff-written Markdown (a question's text) through the
    # sanitizer, which builds its cleaner and html5lib's expressions once.
    render_markdown("A [link](https://example.org/) and *emphasis*.")
    # Each backend's class only (Redis's client is 70 ms of imports): an
    # instance would be a connection, which is each worker's own.
    for cache in settings.CACHES.values():
        import_string(cache["BACKEND"])
    # /healthz compares the migrations on disk with the database's: read the
    # files only, without a connection.
    MigrationLoader(None, ignore_no_migrations=True)
    release_digest()


def load_templates() -> None:
    """Compile every template of the project's own folders, with each engine.

    The Django engine keeps what it compiled in its cached loader, Jinja2 in its
    environment. A template that does not compile stops the server here, at start.
    """
    jinja = engines["jinja2"]
    for name in jinja.env.list_templates():
        jinja.env.get_template(name)
    jinja_folders = [Path(folder) for folder in jinja.template_dirs]
    django = engines["django"]
    # The context processors are imported on the first render with a request.
    django.engine.template_context_processors  # noqa: B018
    for folder in map(Path, django.engine.dirs):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(path.is_relative_to(f) for f in jinja_folders):
                django.get_template(path.relative_to(folder).as_posix())
