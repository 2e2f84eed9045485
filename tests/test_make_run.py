"""`make run` in a fresh clone, then Ctrl-C, leaves the checkout as it was cloned.

The clone reuses this test run's virtual environment (`VENV=`, and `-o` so the
locked packages are not installed again): everything else `make run` does
happens for real — compiled translations, a new SQLite database, the demo and
its uploaded files, the web server, the worker and the schedule loop.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
SERVER_START_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _git(*arguments, cwd) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(
    not (shutil.which("make") and shutil.which("git") and (REPOSITORY / ".git").exists()),
    reason="needs make, git and a git checkout",
)
def test_make_run_and_ctrl_c_leave_a_fresh_clone_clean(tmp_path):
    clone = tmp_path / "clone"
    _git("clone", "--quiet", "--no-hardlinks", str(REPOSITORY), str(clone), cwd=tmp_path)
    assert _git("ls-files", "*.egg-info*", "**/*.egg-info/*", cwd=clone) == ""
    venv = Path(sys.prefix)
    port = _free_port()
    # Only what a person's shell would have: none of the test run's settings.
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PORT": str(port),
        "SCHEDULE_EVERY": "2",
    }
    make = subprocess.Popen(
        ["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/.installed", "run"],
        cwd=clone,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
    )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _answers(f"http://127.0.0.1:{port}/en/"):
            assert make.poll() is None, make.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(1)
        time.sleep(3)  # the worker and the schedule loop have started and written
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C
        make.wait(timeout=60)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    output = make.stdout.read().decode(errors="replace")

    # It did make what a run makes ...
    assert (clone / "db.sqlite3").exists(), output
    assert list(clone.glob("locale/*/LC_MESSAGES/django.mo")), output
    # ... and nothing of it shows up as a change to the checkout.
    assert _git("status", "--porcelain", "--ignored=no", cwd=clone) == ""
    ignored = _git("status", "--porcelain", "--ignored", cwd=clone)
    assert "db.sqlite3" in ignored and "django.mo" in ignored


@pytest.mark.skipif(
    not (shutil.which("git") and (REPOSITORY / ".git").exists()), reason="needs a git checkout"
)
@pytest.mark.parametrize(
    "generated",
    [
        "db.sqlite3",
        "db.sqlite3-journal",
        "db.sqlite3-wal",
        "media/comments/0b7e.pdf",
        "locale/fr/LC_MESSAGES/django.mo",
        "roundtable.egg-info/PKG-INFO",
        "staticfiles/css/roundtable.css",
        ".venv/bin/python",
    ],
)
def test_what_running_and_installing_generate_is_ignored(generated):
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", generated], cwd=REPOSITORY
    )

    assert ignored.returncode == 0, f"{generated} would show in git status"


def test_no_generated_package_metadata_is_in_the_repository():
    if not (shutil.which("git") and (REPOSITORY / ".git").exists()):
        pytest.skip("needs a git checkout")
    tracked = _git("ls-files", cwd=REPOSITORY).splitlines()

    assert [path for path in tracked if ".egg-info" in path or path.endswith(".mo")] == []
