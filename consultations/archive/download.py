"""An archive's folder as a ZIP file, written as it is sent."""

import io
import zipfile
from collections.abc import Iterator

from consultations.archive.writer import archive_storage, stored_files
from consultations.models import ConsultationArchive

_CHUNK_SIZE = 64 * 1024


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are collected and handed on, chunk by chunk."""

    def __init__(self):
        super().__init__()
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pending += data
        return len(data)

    def take(self) -> list[bytes]:
        """What was written since the last call, as one chunk (none when nothing was)."""
        taken, self._pending = bytes(self._pending), bytearray()
        return [taken] if taken else []


def zip_chunks(archive: ConsultationArchive) -> Iterator[bytes]:
    """Every file of the archive's folder, inside one top folder named after the download.

    The ZIP is written to an unseekable stream (sizes go after each file), so
    neither the ZIP nor any file in it is held whole in memory.
    """
    storage = archive_storage()
    top = archive.download_name.removesuffix(".zip")
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in stored_files(storage, archive.folder):
            with (
                storage.open(f"{archive.folder}/{path}", "rb") as source,
                bundle.open(f"{top}/{path}", mode="w", force_zip64=True) as target,
            ):
                while chunk := source.read(_CHUNK_SIZE):
                    target.write(chunk)
                    yield from pipe.take()
            yield from pipe.take()
    yield from pipe.take()
