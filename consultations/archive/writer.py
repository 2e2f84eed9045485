"""Writing an archive's files to storage, with a manifest of their SHA-256 digests.

An archive is a folder `archives/<slug>/v<N>/` in the file storage:

    index.html                   the three languages, to start from
    roundtable.css               the stylesheet every page links to
    en/index.html                the consultation's page, as a visitor sees it
    en/questions/<number>.html   each question's page with its whole thread
    fr/... es/...                the same pages in French and Spanish
    data/contributions.json      the published contributions (the export's columns)
    data/contributions.csv
    data/audit-log.json          the consultation's moderation log
    manifest.json                every file above with its SHA-256 and size
    manifest.sha256              the SHA-256 of manifest.json (`sha256sum -c` reads it)

Everything in it is public: it is what a visitor could read when the
consultation closed. A version folder is written once: the writer refuses
a folder that already holds anything.
"""

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from consultations import exports
from consultations.archive.pages import (
    STYLESHEET,
    STYLESHEET_STATIC_PATH,
    OfflineLinks,
    archived_pages,
    render_as_visitor,
    site_origin,
)
from consultations.models import CommentStatus, Consultation, ModerationEntry

ARCHIVES_FOLDER = "archives"
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
MANIFEST_FORMAT = "roundtable-archive/1"
_VERSION_FOLDER = re.compile(r"^v(?P<version>[1-9][0-9]*)$")


class VersionFolderExists(Exception):
    """The version folder already holds files: an archive is never written over."""


@dataclass(frozen=True)
class WrittenArchive:
    folder: str
    digest: str
    file_count: int
    total_bytes: int


def archive_storage() -> Storage:
    """The `archives` storage when settings.STORAGES names one, else the default (MEDIA_ROOT)."""
    return storages["archives"] if "archives" in settings.STORAGES else default_storage


def version_folder(slug: str, version: int) -> str:
    return f"{ARCHIVES_FOLDER}/{slug}/v{version}"


def stored_files(storage: Storage, folder: str) -> list[str]:
    """Every file under `folder`, as paths relative to it; empty when there is no such folder."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = list(files)
    for directory in directories:
        found += [f"{directory}/{path}" for path in stored_files(storage, f"{folder}/{directory}")]
    return sorted(found)


def next_version(consultation: Consultation) -> int:
    """One more than any version recorded or present in storage (a folder left by a crash)."""
    recorded = consultation.archives.order_by("-version").values_list("version", flat=True)
    try:
        directories, _files = archive_storage().listdir(f"{ARCHIVES_FOLDER}/{consultation.slug}")
    except FileNotFoundError:
        directories = []
    stored = [
        int(match["version"]) for name in directories if (match := _VERSION_FOLDER.match(name))
    ]
    return max([0, *recorded[:1], *stored]) + 1


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- What goes in -------------------------------------------------------------------------


def _stylesheet() -> bytes:
    path = finders.find(STYLESHEET_STATIC_PATH)
    if path:
        with open(path, "rb") as file:
            return file.read()
    with staticfiles_storage.open(STYLESHEET_STATIC_PATH) as file:
        return file.read()


def _start_page(consultation: Consultation) -> bytes:
    languages = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            languages.append(
                {
                    "code": code,
                    "name": get_language_info(code)["name_local"],
                    "title": consultation.title,  # modeltranslation: this language, or English
                    "path": f"{code}/index.html",
                }
            )
    return render_to_string(
        "consultations/archive/index.html", {"languages": languages, "stylesheet": STYLESHEET}
    ).encode()


# The secretariat's reading of the contributions (themes, uses in the paper) is
# its working material, not part of what was said: the public record leaves it out.
PUBLIC_RECORD_COLUMNS = tuple(
    column for column in exports.COLUMNS if column not in {"themes", "used_in"}
)


def published_rows(consultation: Consultation) -> list[dict]:
    """The export's rows of the published contributions: the public record holds no other text.

    A reply's `parent_id` may name a comment that is not published (hidden,
    withdrawn): on the pages it stands as a placeholder.
    """
    return [
        {column: row[column] for column in PUBLIC_RECORD_COLUMNS}
        for row in exports.contribution_rows(consultation)
        if row["status"] == CommentStatus.PUBLISHED
    ]


def _public_change(change: dict) -> dict:
    # A comment's earlier texts are for its author, its moderators and the
    # secretariat: the public log keeps which field changed, not the words.
    if change.get("model") == "comment":
        return {**change, "before": None, "after": None, "withheld": True}
    return change


def audit_log_rows(consultation: Consultation) -> list[dict]:
    """The consultation's moderation log, oldest first, as facts (codes, not sentences)."""
    entries = (
        ModerationEntry.objects.for_consultation(consultation)
        .select_related("actor", "question")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": entry.pk,
            "when": timezone.localtime(entry.created_at).isoformat(),
            "actor": entry.actor.display_name if entry.actor else None,
            "action": entry.action,
            "question_number": entry.question.number if entry.question else None,
            "comment_id": entry.comment_id,
            "reason": entry.reason,
            "changes": [_public_change(change) for change in entry.changes],
        }
        for entry in entries
    ]


def _json(data) -> bytes:
    return (
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode()


def archive_files(consultation: Consultation) -> Iterator[tuple[str, bytes]]:
    """(path in the folder, content) for every file but the manifest, one at a time."""
    origin = site_origin()
    pages = archived_pages(consultation)
    links = OfflineLinks(pages, origin=origin)
    yield "index.html", _start_page(consultation)
    yield STYLESHEET, _stylesheet()
    for page in pages:
        rendered = render_as_visitor(page.site_path, language=page.language, origin=origin)
        yield page.file_path, links.page(rendered, page=page).encode()
    rows = published_rows(consultation)
    yield "data/contributions.json", exports.rows_to_json(rows)
    yield "data/contributions.csv", exports.rows_to_csv(rows, PUBLIC_RECORD_COLUMNS)
    yield "data/audit-log.json", _json(audit_log_rows(consultation))


def manifest_content(
    consultation: Consultation, *, version: int, now: datetime, files: list[dict]
) -> bytes:
    return _json(
        {
            "format": MANIFEST_FORMAT,
            "site": site_origin(),
            "consultation": {
                "slug": consultation.slug,
                "title": consultation.title_en or consultation.title,
                "opens_at": timezone.localtime(consultation.opens_at).isoformat(),
                "closes_at": timezone.localtime(consultation.closes_at).isoformat(),
            },
            "version": version,
            "written_at": timezone.localtime(now).isoformat(),
            "files": sorted(files, key=lambda entry: entry["path"]),
        }
    )


def manifest_digest_line(digest: str) -> bytes:
    """The digest as `sha256sum` writes it, so `sha256sum -c manifest.sha256` checks it."""
    return f"{digest}  {MANIFEST}\n".encode()


# --- Writing ------------------------------------------------------------------------------


def _save(storage: Storage, name: str, content: bytes, written: list[str]) -> None:
    saved = storage.save(name, ContentFile(content))
    written.append(saved)
    if saved != name:
        # The storage picked another name: someone wrote this one meanwhile.
        raise VersionFolderExists(f"{name} appeared while the archive was being written")


def write_archive(consultation: Consultation, *, version: int, now: datetime) -> WrittenArchive:
    """Write version `version` of the consultation's archive; refuse a folder that holds files.

    When anything fails, the files this call wrote are removed again (nothing
    was recorded yet) and the error is raised.
    """
    storage = archive_storage()
    folder = version_folder(consultation.slug, version)
    if stored_files(storage, folder):
        raise VersionFolderExists(f"{folder} already holds files")
    written: list[str] = []
    try:
        files = []
        for path, content in archive_files(consultation):
            _save(storage, f"{folder}/{path}", content, written)
            files.append({"path": path, "sha256": sha256_hex(content), "bytes": len(content)})
        manifest = manifest_content(consultation, version=version, now=now, files=files)
        digest = sha256_hex(manifest)
        _save(storage, f"{folder}/{MANIFEST}", manifest, written)
        _save(storage, f"{folder}/{MANIFEST_DIGEST}", manifest_digest_line(digest), written)
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return WrittenArchive(
        folder=folder,
        digest=digest,
        file_count=len(files),
        total_bytes=sum(entry["bytes"] for entry in files),
    )
