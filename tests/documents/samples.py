"""Small files of every kind, made in memory: real signatures and containers, invented content."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
MINIMAL_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
MINIMAL_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
LINUX_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML_PAGE = b"<html><body><script>alert('hello')</script>Fees report</body></html>"
SVG_IMAGE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)

_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def _zip(members: dict[str, bytes | str], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), members.pop(stored_first), zipfile.ZIP_STORED
            )
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _word(main_type: str) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
            ),
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document><w:body>Recruitment fees</w:body></w:document>",
        }
    )


def docx_bytes() -> bytes:
    return _word(_WORD_MAIN)


def docm_bytes() -> bytes:
    """A macro-enabled Word document: a ZIP with word/ inside, but not a DOCX."""
    return _word(_WORD_MACRO_MAIN)


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Corridor", "Cost of sending 200 USD"])
    workbook.active.append(["Ireland to Nigeria", "6.1 %"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _opendocument(mimetype: str) -> bytes:
    return _zip(
        {
            "mimetype": mimetype,
            "content.xml": "<office:document-content>Remittances</office:document-content>",
            "META-INF/manifest.xml": "<manifest:manifest/>",
        },
        stored_first="mimetype",
    )


def odt_bytes() -> bytes:
    return _opendocument("application/vnd.oasis.opendocument.text")


def ods_bytes() -> bytes:
    return _opendocument("application/vnd.oasis.opendocument.spreadsheet")


def plain_zip_bytes() -> bytes:
    return _zip({"notes.txt": "Not an office document."})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def pdf(name: str = "Fair recruitment – submission.pdf") -> SimpleUploadedFile:
    return upload(name, MINIMAL_PDF)


def png(name: str = "corridor-costs.png") -> SimpleUploadedFile:
    return upload(name, MINIMAL_PNG)
