"""Importing the WSGI application loads what the first requests would, and connects to nothing.

gunicorn's master imports forum/wsgi.py (preload_app) and forks its workers
from it: whatever it loaded, every worker starts with; whatever it opened,
every worker would share. Each test reads a fresh process, so neither
pytest-django's test database nor an earlier test has loaded anything.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]

REPORT_AFTER_IMPORT = """
import gc, json, os, sys

def sockets():
    folder = "/proc/self/fd"
    targets = []
    for fd in os.listdir(folder):
        try:
            targets.append(os.readlink(os.path.join(folder, fd)))
        except OSError:
            pass
    return sorted(target for target in targets if target.startswith("socket:"))

sockets_before = sockets()
import forum.wsgi

import redis
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils.translation import trans_real

from consultations import sanitize

cached_templates = engines["django"].engine.template_loaders[0].get_template_cache
print(json.dumps({
    "connections": {alias: connections[alias].connection is not None for alias in connections},
    "new_sockets": [s for s in sockets() if s not in sockets_before],
    "redis_pools": sum(isinstance(o, redis.ConnectionPool) for o in gc.get_objects()),
    "catalogues": sorted(trans_real._translations),
    "addresses_reversed_in": sorted(get_resolver()._reverse_dict),
    "django_templates": sorted(cached_templates),
    "jinja_templates": sorted(name for _loader, name in engines["jinja2"].env.cache.keys()),
    "migrations_read": any(name.startswith("consultations.migrations.") for name in sys.modules),
    "sanitizer_built": sanitize._cleaner.cache_info().currsize == 1,
    "warmed_up": "forum.warm_up" in sys.modules,
}))
"""


@pytest.fixture(scope="module")
def after_import(tmp_path_factory):
    """What a process has loaded and opened once it has imported forum.wsgi, as a server
    would: production settings, a read replica and Redis configured (neither running)."""
    folder = tmp_path_factory.mktemp("warm-up")
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    environment = {
        **kept,
        "DEBUG": "0",
        "SECRET_KEY": "warm-up-test-" + "x" * 50,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{folder / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URL": f"sqlite:///{folder / 'replica.sqlite3'}",
        # Nothing listens there: a connection attempt would fail, not hang.
        "REDIS_URL": "redis://127.0.0.1:9/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", REPORT_AFTER_IMPORT],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout.splitlines()[-1]), "folder": folder}


def test_every_languages_catalogues_are_loaded(after_import, settings):
    assert {code for code, _name in settings.LANGUAGES} <= set(after_import["catalogues"])


def test_addresses_are_reversed_in_every_language(after_import, settings):
    assert {code for code, _name in settings.LANGUAGES} <= set(
        after_import["addresses_reversed_in"]
    )


def test_the_hot_pages_templates_are_compiled(after_import):
    for name in (
        "base.html",
        "consultations/question_detail.html",
        "consultations/_question_discussion.html",
        "consultations/_answer_pages.html",
        "consultations/consultation_detail.html",
        "consultations/_consultation_body.html",
    ):
        assert name in after_import["django_templates"], name
    assert "consultations/_comment.html" in after_import["jinja_templates"]


def test_the_markdown_sanitizer_is_built(after_import):
    assert after_import["sanitizer_built"]


def test_the_migrations_the_health_check_compares_are_read(after_import):
    assert after_import["migrations_read"]


def test_no_database_connection_is_opened(after_import):
    assert after_import["warmed_up"]
    assert after_import["connections"] == {"default": False, "replica": False}
    assert not (after_import["folder"] / "primary.sqlite3").exists()
    assert not (after_import["folder"] / "replica.sqlite3").exists()


def test_no_cache_connection_is_opened(after_import):
    assert after_import["warmed_up"]
    assert after_import["redis_pools"] == 0
    assert after_import["new_sockets"] == []
