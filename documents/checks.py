"""What a file really is: its content decides, not its name.

Every upload (a stakeholder's attachment, a background document) goes
through `check_upload()`. The first bytes are matched against known
signatures with puremagic; PDF, PNG and JPEG are then settled, while a ZIP
container is opened to tell an Office Open XML document (`[Content_Types].xml`
naming the main part) from an OpenDocument one (its `mimetype` member).
The kind found must be the one the file's name claims.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import puremagic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: how it is named, served and shown."""

    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]  # lower case, without the dot; the first is the stored one

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileKind("pdf", "PDF", "application/pdf", ("pdf",))
DOCX = FileKind(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
ODT = FileKind("odt", "ODT", "application/vnd.oasis.opendocument.text", ("odt",))
XLSX = FileKind(
    "xlsx",
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ("xlsx",),
)
ODS = FileKind("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
PNG = FileKind("png", "PNG", "image/png", ("png",))
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg"))

ACCEPTED_KINDS = (PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG)
KINDS_BY_CODE = {kind.code: kind for kind in ACCEPTED_KINDS}
KINDS_BY_EXTENSION = {extension: kind for kind in ACCEPTED_KINDS for extension in kind.extensions}
# For the file picker; the server checks regardless of what the browser offered.
ACCEPT_ATTRIBUTE = ",".join(
    f".{extension}" for kind in ACCEPTED_KINDS for extension in kind.extensions
)

_SIGNATURE_KINDS = {PDF.content_type: PDF, PNG.content_type: PNG, JPEG.content_type: JPEG}
_ZIP_SIGNATURE = b"PK\x03\x04"
# The main part's content type, as [Content_Types].xml declares it. Macro-enabled
# documents (.docm, .xlsm) and templates declare other types and are refused.
_OFFICE_MAIN_PARTS = (
    (
        DOCX,
        "word/",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    (XLSX, "xl/", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
)
_OPENDOCUMENT_TYPES = {ODT.content_type.encode(): ODT, ODS.content_type.encode(): ODS}
_HEAD_BYTES = 8192
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024

_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_MAX_NAME_LENGTH = 150


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content was found to be `kind`, with the name to show for it."""

    file: object
    kind: FileKind
    display_name: str
    size: int


def display_filename(name: str) -> str:
    """The uploaded name, safe to show and to send back in Content-Disposition.

    Keeps letters of every script and spaces; drops any folder part, control
    characters and characters that file systems or headers treat specially.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_NAME_CHARACTERS.sub("", name)
    name = " ".join(name.split()).lstrip(".").strip()
    if len(name) > _MAX_NAME_LENGTH:
        path = PurePosixPath(name)
        suffix = path.suffix[:16]
        name = path.stem[: _MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
    return name or "file"


def named_kind(name: str) -> FileKind | None:
    """The accepted kind the file's name claims, from its extension."""
    return KINDS_BY_EXTENSION.get(PurePosixPath(name).suffix.lower().lstrip("."))


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    # Read at most `limit` bytes: a member that inflates without end is no document.
    with archive.open(name) as member:
        return member.read(limit)


def _container_kind(file) -> FileKind | None:
    """DOCX, XLSX, ODT or ODS when this ZIP container really holds one, else None."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = _read_member(archive, "mimetype", 200).strip()
                return _OPENDOCUMENT_TYPES.get(declared)
            if "[Content_Types].xml" not in names:
                return None
            content_types = _read_member(archive, "[Content_Types].xml", _CONTENT_TYPES_MAX_BYTES)
            for kind, folder, main_part in _OFFICE_MAIN_PARTS:
                if main_part in content_types and any(n.startswith(folder) for n in names):
                    return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError):
        # RuntimeError: an encrypted member; the others: a damaged archive.
        return None
    return None


def detect_kind(file) -> FileKind | None:
    """The accepted kind this file's content is, or None when it is none of them."""
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    if not head:
        return None
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    # Only signatures at the very start count: a trailing "</svg>" says nothing.
    leading = [match for match in matches if match.offset == 0]
    for match in leading:
        if match.mime_type in _SIGNATURE_KINDS:
            return _SIGNATURE_KINDS[match.mime_type]
    if head.startswith(_ZIP_SIGNATURE):
        try:
            return _container_kind(file)
        finally:
            file.seek(0)
    return None


def _accepted_kinds_in_words() -> str:
    return ", ".join(kind.label for kind in ACCEPTED_KINDS)


def check_upload(file, *, max_bytes: int) -> CheckedFile:
    """The upload as a CheckedFile, or ValidationError with a message that names the file."""
    name = display_filename(getattr(file, "name", ""))
    size = file.size
    if not size:
        raise ValidationError(
            gettext("“%(name)s” is empty (0 bytes); choose the file again.") % {"name": name},
            code="empty",
        )
    if size > max_bytes:
        raise ValidationError(
            gettext("“%(name)s” is larger than %(limit)s, the most a file may be.")
            % {"name": name, "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    claimed = named_kind(name)
    if claimed is None:
        raise ValidationError(
            gettext("“%(name)s” is not a kind of file we accept. Attach %(kinds)s files.")
            % {"name": name, "kinds": _accepted_kinds_in_words()},
            code="kind_not_accepted",
        )
    found = detect_kind(file)
    if found is None:
        raise ValidationError(
            gettext(
                "“%(name)s” is named as a %(claimed)s file, but its content is not a "
                "%(claimed)s file, nor any other kind we accept."
            )
            % {"name": name, "claimed": claimed.label},
            code="content_not_accepted",
        )
    if found != claimed:
        raise ValidationError(
            gettext(
                "“%(name)s” is named as a %(claimed)s file, but its content is a %(found)s "
                "file. Rename it or choose the right file."
            )
            % {"name": name, "claimed": claimed.label, "found": found.label},
            code="content_does_not_match_name",
        )
    return CheckedFile(file=file, kind=found, display_name=name, size=size)
