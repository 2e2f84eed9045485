"""Checking an archive against its manifest and its recorded digest, file by file."""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from consultations.archive.writer import (
    MANIFEST,
    MANIFEST_DIGEST,
    archive_storage,
    manifest_digest_line,
    sha256_hex,
    stored_files,
)
from consultations.models import ConsultationArchive

_CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class Problem:
    """One difference between the archive as written and as it is now; `message` says which."""

    path: str
    message: str


def _file_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as file:
        while chunk := file.read(_CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _read(storage, name: str) -> bytes:
    with storage.open(name, "rb") as file:
        return file.read()


def _listed_files(manifest: bytes) -> dict[str, str] | None:
    """{path: sha256} from the manifest, or None when it is not a manifest at all."""
    try:
        entries = json.loads(manifest)["files"]
        listed = {entry["path"]: entry["sha256"] for entry in entries}
    except (ValueError, KeyError, TypeError):
        return None
    if not all(isinstance(value, str) for pair in listed.items() for value in pair):
        return None
    return listed


def verify(archive: ConsultationArchive) -> list[Problem]:
    """Every difference found: the manifest against the recorded digest, each file against
    the manifest, and files the manifest does not list. An empty list means it verifies."""
    storage = archive_storage()
    present = set(stored_files(storage, archive.folder))
    if not present:
        return [Problem(archive.folder, _("The archive's folder is missing or empty."))]
    if MANIFEST not in present:
        return [Problem(MANIFEST, _("The manifest is missing: no file can be checked."))]
    problems = []
    manifest = _read(storage, f"{archive.folder}/{MANIFEST}")
    found = sha256_hex(manifest)
    if found != archive.digest:
        problems.append(
            Problem(
                MANIFEST,
                _(
                    "The manifest has changed: its SHA-256 is %(found)s, the recorded digest "
                    "is %(recorded)s."
                )
                % {"found": found, "recorded": archive.digest},
            )
        )
    if MANIFEST_DIGEST not in present:
        problems.append(Problem(MANIFEST_DIGEST, _("Removed: this file is missing.")))
    elif _read(storage, f"{archive.folder}/{MANIFEST_DIGEST}") != manifest_digest_line(
        archive.digest
    ):
        problems.append(
            Problem(MANIFEST_DIGEST, _("Changed: it no longer holds the recorded digest."))
        )
    listed = _listed_files(manifest)
    if listed is None:
        problems.append(
            Problem(MANIFEST, _("The manifest cannot be read: no file can be checked."))
        )
        return problems
    for path, expected in sorted(listed.items()):
        if path not in present:
            problems.append(
                Problem(path, _("Removed: the manifest lists it, the folder lacks it."))
            )
        elif _file_sha256(storage, f"{archive.folder}/{path}") != expected:
            problems.append(Problem(path, _("Changed: its SHA-256 differs from the manifest's.")))
    for path in sorted(present - set(listed) - {MANIFEST, MANIFEST_DIGEST}):
        problems.append(Problem(path, _("Added: the manifest does not list it.")))
    return problems
