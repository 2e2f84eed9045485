"""The sealed record: what an archive holds, and how it is written (once per close)."""

import hashlib
import json
import re
from unittest import mock

import pytest
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from consultations.archive import writer
from consultations.archive.verification import verify
from consultations.models import ConsultationArchive, ModerationAction, ModerationEntry
from consultations.tasks import write_consultation_archive
from tests.consultations.archiving import (
    HIDDEN_TEXT,
    PUBLISHED_TEXT,
    REPLY_TEXT,
    SECRETS,
    archive_file,
    closed_consultation_with_every_status,
    write_archive,
)
from tests.factories import make_consultation, make_question, make_secretariat_member, make_user

PAGES = {
    f"{language}/{page}"
    for language in ("en", "fr", "es")
    for page in ("index.html", "questions/1.html", "questions/2.html")
}
DATA = {"data/contributions.json", "data/contributions.csv", "data/audit-log.json"}


@pytest.fixture
def closed(db):
    return closed_consultation_with_every_status()


@pytest.fixture
def archive(closed):
    return write_archive(closed.consultation)


def _pages(archive):
    return {path: archive_file(archive, path).decode() for path in PAGES}


# --- What it holds ----------------------------------------------------------------------


def test_the_archive_holds_every_page_in_three_languages_the_data_and_a_manifest(archive):
    files = set(writer.stored_files(default_storage, archive.folder))

    assert files == PAGES | DATA | {
        "index.html",
        "roundtable.css",
        "manifest.json",
        "manifest.sha256",
    }
    assert archive.folder == f"archives/{archive.consultation.slug}/v1"
    assert archive.version == 1


def test_the_manifest_lists_every_file_with_its_sha256_and_the_digest_is_the_manifests(archive):
    manifest = archive_file(archive, "manifest.json")
    listed = {entry["path"]: entry for entry in json.loads(manifest)["files"]}

    assert set(listed) == PAGES | DATA | {"index.html", "roundtable.css"}
    for path, entry in listed.items():
        content = archive_file(archive, path)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), path
        assert entry["bytes"] == len(content)
    assert archive.digest == hashlib.sha256(manifest).hexdigest()
    assert archive_file(archive, "manifest.sha256") == f"{archive.digest}  manifest.json\n".encode()


def test_a_fresh_archive_verifies(archive):
    assert verify(archive) == []


def test_each_page_is_in_its_language(archive):
    pages = _pages(archive)

    assert '<html lang="fr">' in pages["fr/index.html"]
    assert "Recrutement équitable : consultation en ligne" in pages["fr/index.html"]
    assert "Contratación equitativa: consulta en línea" in pages["es/index.html"]
    assert "Qu&#x27;est-ce qui protège les travailleurs" in pages["fr/questions/1.html"]


def test_the_pages_hold_the_published_words_and_no_hidden_pending_or_withdrawn_text(archive):
    for path, page in _pages(archive).items():
        for secret in SECRETS:
            assert secret not in page, f"{secret!r} in {path}"
    assert PUBLISHED_TEXT in _pages(archive)["en/questions/1.html"]
    assert (
        "This comment was hidden by a moderator: Personal data"
        in (_pages(archive)["en/questions/1.html"])
    )


def test_the_pages_are_rendered_for_an_anonymous_visitor_with_no_personal_controls(closed):
    # People who would see more than a visitor exist; the pages must not be theirs.
    make_secretariat_member()
    closed.consultation.moderators.add(make_user())

    archive = write_archive(closed.consultation)

    for path, page in _pages(archive).items():
        assert "csrfmiddlewaretoken" not in page, path
        assert 'method="post"' not in page, path
        for control in ("/reply/", "/edit/", "/withdraw/", "/report/", "/hide/", "/logout/"):
            assert control not in page, f"{control} in {path}"
        assert "Log out" not in page and "Show the hidden text" not in page, path


@pytest.fixture
def live_site(settings, db):
    """The live site's address, as the archive's links to it should carry it."""
    settings.HTTPS = True
    Site.objects.filter(pk=settings.SITE_ID).update(domain="consult.example.org")
    Site.objects.clear_cache()
    yield
    Site.objects.clear_cache()


def test_the_pages_link_to_each_other_inside_the_folder_and_open_offline(closed, live_site):
    pages = _pages(write_archive(closed.consultation))
    consultation_page, question_page = pages["en/index.html"], pages["fr/questions/1.html"]

    assert 'href="questions/1.html"' in consultation_page
    assert 'href="../roundtable.css"' in consultation_page
    assert 'href="../index.html"' in question_page  # the breadcrumb, in French
    assert 'href="../../es/questions/1.html"' in question_page  # the language switcher
    assert re.search(r'href="1\.html#comment-\d+"', question_page)
    assert all("<script" not in page for page in pages.values())
    # What only the live site can do keeps working from the folder, online.
    assert 'href="https://consult.example.org/en/accounts/login/' in consultation_page


def test_the_data_files_hold_the_published_contributions_only(archive, closed):
    rows = json.loads(archive_file(archive, "data/contributions.json"))
    csv_text = archive_file(archive, "data/contributions.csv").decode("utf-8-sig")

    assert {row["body_text"] for row in rows} == {PUBLISHED_TEXT, REPLY_TEXT}
    assert {row["status"] for row in rows} == {"published"}
    assert PUBLISHED_TEXT in csv_text
    assert csv_text.startswith("id,reference,question_number,")
    assert all(secret not in csv_text for secret in SECRETS)


def test_the_data_files_leave_out_the_secretariats_reading(archive):
    rows = json.loads(archive_file(archive, "data/contributions.json"))
    header = archive_file(archive, "data/contributions.csv").decode("utf-8-sig").splitlines()[0]

    assert rows and all("themes" not in row and "used_in" not in row for row in rows)
    assert "themes" not in header.split(",") and "used_in" not in header.split(",")
    assert header.split(",")[-5:] == [
        "files",
        "translation_en",
        "translation_fr",
        "translation_es",
        "translation_provenance",
    ]


def test_the_audit_log_holds_the_consultations_entries_without_a_comments_earlier_words(closed):
    consultation = closed.consultation
    ModerationEntry.objects.create(
        action=ModerationAction.HIDE,
        consultation=consultation,
        comment=closed.hidden,
        reason="Personal data",
    )
    ModerationEntry.objects.create(
        action=ModerationAction.EDIT_COMMENT,
        consultation=consultation,
        comment=closed.hidden,
        changes=[{"model": "comment", "field": "body_source", "before": HIDDEN_TEXT, "after": "x"}],
    )
    ModerationEntry.objects.create(action="lock", consultation=make_consultation())

    archive = write_archive(consultation)
    log = json.loads(archive_file(archive, "data/audit-log.json"))

    assert [entry["action"] for entry in log] == ["hide", "edit_comment"]
    assert log[0]["reason"] == "Personal data"
    assert log[0]["comment_id"] == closed.hidden.pk
    assert log[1]["changes"] == [
        {
            "model": "comment",
            "field": "body_source",
            "before": None,
            "after": None,
            "withheld": True,
        }
    ]


# --- Written once per close -------------------------------------------------------------


def test_writing_the_archive_is_recorded_in_the_audit_log_as_facts(archive):
    entry = ModerationEntry.objects.get(action=ModerationAction.ARCHIVE)

    assert entry.actor is None
    assert entry.consultation == archive.consultation
    assert [(change["field"], change["after"]) for change in entry.changes] == [
        ("version", 1),
        ("digest", archive.digest),
    ]


def test_the_log_reader_sees_the_archive_entry_in_their_language(archive, client_for):
    client = client_for(make_secretariat_member())

    page = client.get("/fr/secretariat/log/").content.decode()

    assert "Archive scellée écrite" in page
    assert archive.digest in page


def test_the_task_run_twice_writes_one_version(closed):
    consultation_id = closed.consultation.pk

    write_consultation_archive.enqueue(consultation_id)
    write_consultation_archive.enqueue(consultation_id)

    assert list(ConsultationArchive.objects.values_list("version", flat=True)) == [1]
    assert ModerationEntry.objects.filter(action=ModerationAction.ARCHIVE).count() == 1
    slug_folder = f"archives/{closed.consultation.slug}"
    assert default_storage.listdir(slug_folder)[0] == ["v1"]


def test_an_open_consultation_gets_no_archive(db):
    consultation = make_consultation(state="open")
    make_question(consultation)

    assert write_archive(consultation) is None
    assert not ConsultationArchive.objects.exists()


def test_the_writer_refuses_a_version_folder_that_holds_files(archive):
    manifest_before = archive_file(archive, "manifest.json")

    with pytest.raises(writer.VersionFolderExists):
        writer.write_archive(archive.consultation, version=1, now=archive.created_at)

    assert archive_file(archive, "manifest.json") == manifest_before
    assert verify(archive) == []


def test_a_folder_left_without_a_record_is_skipped_not_written_into(closed):
    slug = closed.consultation.slug
    default_storage.save(f"archives/{slug}/v1/en/index.html", ContentFile(b"half written"))

    archive = write_archive(closed.consultation)

    assert archive.version == 2
    with default_storage.open(f"archives/{slug}/v1/en/index.html") as left_behind:
        assert left_behind.read() == b"half written"
    assert verify(archive) == []


def test_a_write_that_fails_leaves_no_files_no_record_and_no_log_entry(closed):
    failing = mock.patch(
        "consultations.archive.writer.exports.rows_to_csv", side_effect=OSError("disk full")
    )
    with failing, pytest.raises(OSError):
        write_archive(closed.consultation)

    folder = f"archives/{closed.consultation.slug}/v1"
    assert writer.stored_files(default_storage, folder) == []
    assert not ConsultationArchive.objects.exists()
    assert not ModerationEntry.objects.filter(action=ModerationAction.ARCHIVE).exists()


def test_the_archive_is_written_where_settings_storages_archives_says(closed, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "sealed")},
        },
    }

    archive = write_archive(closed.consultation)

    assert (tmp_path / "sealed" / archive.folder / "manifest.json").exists()
    assert verify(archive) == []


def test_the_start_page_links_each_language(archive):
    start = archive_file(archive, "index.html").decode()

    assert 'href="fr/index.html"' in start
    assert "Français: Recrutement équitable : consultation en ligne" in start


def test_the_archives_address_downloads_it(archive):
    assert archive.get_absolute_url() == reverse(
        "consultations:archive_download", args=[archive.consultation.slug, 1]
    )
    assert Client().get(archive.get_absolute_url()).status_code == 200
