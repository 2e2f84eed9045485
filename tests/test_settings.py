"""Production settings pass Django's deployment checks; no model change lacks its migration."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    # A clean environment: nothing from this test run (pytest-env's key,
    # DATABASE_URL, DEBUG) may leak into the process being checked.
    kept = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "LANG", "SYSTEMROOT")
        if name in os.environ
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPOSITORY,
        env={**kept, **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )


def production_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=production_key(),
        HTTPS="1",
        ALLOWED_HOSTS="example.org",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified some issues" not in output


def run_python(code: str, **environment: str) -> subprocess.CompletedProcess:
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPOSITORY,
        env={**kept, **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_production_server_refuses_to_start_without_a_secret_key():
    for entry_point in ("forum.wsgi", "forum.asgi"):
        result = run_python(f"import {entry_point}", DEBUG="0", ALLOWED_HOSTS="example.org")
        assert result.returncode != 0, entry_point
        assert "The SECRET_KEY setting must not be empty" in result.stderr, entry_point


def test_a_production_server_starts_with_a_secret_key():
    result = run_python(
        "import forum.wsgi", DEBUG="0", ALLOWED_HOSTS="example.org", SECRET_KEY=production_key()
    )
    assert result.returncode == 0, result.stderr


def test_commands_that_sign_nothing_run_without_any_configuration():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_model_change_is_missing_its_migration():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr
