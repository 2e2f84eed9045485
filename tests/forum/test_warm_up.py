"""The warm-up loads what the first requests would, and connects to nothing.

gunicorn's master imports forum/wsgi.py, warms up (preload_app, when_ready
in gunicorn.conf.py) and forks its workers: whatever it loaded, every worker
starts with; whatever it opened, every worker would share. The tests read a
fresh process that did the same, so neither pytest-django's test database
nor an earlier test has loaded anything.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]

REPORT_AFTER_WARM_UP = """
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
from forum.warm_up import warm_up

warm_up()

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
    "sanitizer_built": getattr(sanitize._cleaners, "comment", None) is not None,
}))
"""


@pytest.fixture(scope="module")
def after_warm_up(tmp_path_factory):
    """What a process has loaded and opened once it has imported forum.wsgi and warmed up,
    as gunicorn's master does: production settings, a read replica and Redis configured
    (neither running)."""
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
        [sys.executable, "-c", REPORT_AFTER_WARM_UP],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout.splitlines()[-1]), "folder": folder}


def test_every_languages_catalogues_are_loaded(after_warm_up, settings):
    assert {code for code, _name in settings.LANGUAGES} <= set(after_warm_up["catalogues"])


def test_addresses_are_reversed_in_every_language(after_warm_up, settings):
    assert {code for code, _name in settings.LANGUAGES} <= set(
        after_warm_up["addresses_reversed_in"]
    )


def test_the_hot_pages_templates_are_compiled(after_warm_up):
    for name in (
        "base.html",
        "consultations/question_detail.html",
        "consultations/_question_discussion.html",
        "consultations/_answer_pages.html",
        "consultations/consultation_detail.html",
        "consultations/_consultation_body.html",
    ):
        assert name in after_warm_up["django_templates"], name
    assert "consultations/_comment.html" in after_warm_up["jinja_templates"]


def test_the_markdown_sanitizer_is_built(after_warm_up):
    assert after_warm_up["sanitizer_built"]


def test_the_migrations_the_health_check_compares_are_read(after_warm_up):
    assert after_warm_up["migrations_read"]


def test_no_database_connection_is_opened(after_warm_up):
    assert after_warm_up["connections"] == {"default": False, "replica": False}
    assert not (after_warm_up["folder"] / "primary.sqlite3").exists()
    assert not (after_warm_up["folder"] / "replica.sqlite3").exists()


def test_no_cache_connection_is_opened(after_warm_up):
    assert after_warm_up["redis_pools"] == 0
    assert after_warm_up["new_sockets"] == []
