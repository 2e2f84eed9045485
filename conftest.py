"""Test-run environment, set before Django reads its settings."""

import os

# Tests need a key but no secret one; DEBUG stays off as pytest-django wants.
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
