"""Checking a sealed record: every difference is found and named, by `verify_archive` too."""

import hashlib
import json
import shutil
from io import StringIO
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from consultations.archive.verification import verify
from tests.consultations.archiving import (
    archive_file,
    closed_consultation_with_every_status,
    overwrite,
    write_archive,
)
from tests.factories import make_consultation


@pytest.fixture
def archive(db):
    return write_archive(closed_consultation_with_every_status().consultation)


def _flip_one_byte(content: bytes, at: int = 100) -> bytes:
    return content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]


def _problems(archive):
    return [(problem.path, problem.message) for problem in verify(archive)]


def test_one_changed_byte_in_a_page_fails_verification(archive):
    overwrite(
        archive, "fr/questions/1.html", _flip_one_byte(archive_file(archive, "fr/questions/1.html"))
    )

    assert _problems(archive) == [
        ("fr/questions/1.html", "Changed: its SHA-256 differs from the manifest's.")
    ]


def test_a_removed_file_fails_verification(archive):
    default_storage.delete(f"{archive.folder}/data/contributions.csv")

    assert _problems(archive) == [
        ("data/contributions.csv", "Removed: the manifest lists it, the folder lacks it.")
    ]


def test_an_added_file_fails_verification(archive):
    default_storage.save(f"{archive.folder}/en/questions/3.html", ContentFile(b"<p>Extra</p>"))

    assert _problems(archive) == [("en/questions/3.html", "Added: the manifest does not list it.")]


def test_a_manifest_changed_to_match_a_changed_file_fails_verification(archive):
    """Someone edits a page and puts its new SHA-256 in the manifest: the digest gives it away."""
    page = _flip_one_byte(archive_file(archive, "en/index.html"))
    overwrite(archive, "en/index.html", page)
    manifest = archive_file(archive, "manifest.json")
    entries = json.loads(manifest)["files"]
    old_hash = next(entry["sha256"] for entry in entries if entry["path"] == "en/index.html")
    new_hash = hashlib.sha256(page).hexdigest()
    overwrite(archive, "manifest.json", manifest.replace(old_hash.encode(), new_hash.encode()))

    problems = _problems(archive)

    assert [path for path, _message in problems] == ["manifest.json"]
    assert problems[0][1].startswith("The manifest has changed: its SHA-256 is ")
    assert problems[0][1].endswith(f"the recorded digest is {archive.digest}.")


def test_a_changed_manifest_digest_file_fails_verification(archive):
    overwrite(archive, "manifest.sha256", b"0" * 64 + b"  manifest.json\n")

    assert _problems(archive) == [
        ("manifest.sha256", "Changed: it no longer holds the recorded digest.")
    ]


def test_an_unreadable_manifest_is_named_not_a_traceback(archive):
    overwrite(archive, "manifest.json", b"{not json")

    paths = [path for path, _message in _problems(archive)]

    assert paths == ["manifest.json", "manifest.json"]  # changed, and unreadable


def test_an_archive_whose_files_were_all_removed_fails_verification(archive):
    for path in ("manifest.json", "manifest.sha256", "index.html"):
        default_storage.delete(f"{archive.folder}/{path}")

    assert _problems(archive) == [
        ("manifest.json", "The manifest is missing: no file can be checked.")
    ]


def test_a_removed_folder_fails_verification(archive, settings):
    shutil.rmtree(settings.MEDIA_ROOT / archive.folder)

    assert _problems(archive) == [(archive.folder, "The archive's folder is missing or empty.")]


# --- The command --------------------------------------------------------------------------


def _run(*arguments):
    """(stdout, stderr, error) of `verify_archive` with these arguments."""
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("verify_archive", *arguments, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return stdout.getvalue(), stderr.getvalue(), error
    return stdout.getvalue(), stderr.getvalue(), None


def test_the_command_prints_the_folder_and_digest_and_says_it_verifies(archive, settings):
    stdout, stderr, error = _run(archive.consultation.slug)

    assert error is None
    assert stderr == ""
    assert f"Folder: {settings.MEDIA_ROOT / archive.folder}\n" in stdout
    assert f"Digest (SHA-256 of manifest.json): {archive.digest}\n" in stdout
    assert "Verified: 14 files match the manifest" in stdout


def test_the_command_lists_each_difference_and_fails_with_exit_status_1(archive):
    overwrite(archive, "en/index.html", _flip_one_byte(archive_file(archive, "en/index.html")))
    default_storage.delete(f"{archive.folder}/data/audit-log.json")

    stdout, stderr, error = _run(archive.consultation.slug)

    assert archive.digest in stdout
    assert stderr.splitlines() == [
        "data/audit-log.json: Removed: the manifest lists it, the folder lacks it.",
        "en/index.html: Changed: its SHA-256 differs from the manifest's.",
    ]
    assert error.returncode == 1
    assert str(error) == "The archive does not verify: 2 differences."


def test_the_command_checks_an_earlier_version_when_asked(archive):
    stdout, _stderr, error = _run(archive.consultation.slug, "--archive-version", "1")

    assert error is None
    assert "Archive: version 1 of" in stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-consultation"], "No consultation has the address name “no-such-consultation”."),
        (["never-closed"], "“never-closed” has no archive yet: one is written when it closes."),
        (["{slug}", "--archive-version", "9"], "has no archive version 9."),
    ],
)
def test_nothing_to_verify_is_a_clear_message_and_exit_status_2(archive, arguments, message):
    make_consultation(state="open", slug="never-closed")
    arguments = [argument.format(slug=archive.consultation.slug) for argument in arguments]

    _stdout, _stderr, error = _run(*arguments)

    assert message in str(error)
    assert error.returncode == 2


def _from_the_shell(*arguments):
    # As from a shell, except that the test's database connection stays open.
    with mock.patch.object(connections, "close_all"), pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["manage.py", "verify_archive", *arguments])
    return exit_


def test_from_the_shell_the_exit_status_is_set_and_no_traceback_is_printed(archive, capsys):
    default_storage.delete(f"{archive.folder}/manifest.json")

    exit_ = _from_the_shell(archive.consultation.slug)

    err = capsys.readouterr().err
    assert exit_.value.code == 1
    assert "manifest.json: The manifest is missing: no file can be checked." in err
    assert "Traceback" not in err

    exit_ = _from_the_shell("no-such-consultation")

    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
