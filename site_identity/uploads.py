"""Checking the host's logo and favicon by their content, never by their name.

A PNG must start with the PNG signature and a header chunk. An SVG is parsed
with defusedxml (no entities, no external DTDs) and refused if it could run
anything or fetch anything: scripts, event handlers, foreign objects, links
or styles that point outside the file.
"""

import re
import struct
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
# Elements that run code, embed other documents or pull in HTML.
FORBIDDEN_SVG_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
)
HREF_ATTRIBUTES = frozenset({"href", "src"})
# SMIL animation can turn a harmless link into javascript: after the checks.
ANIMATING_ELEMENTS = frozenset({"set", "animate"})
# url(...) pointing anywhere but a fragment of the file itself, or @import.
EXTERNAL_STYLE = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedImage:
    extension: str  # "png" or "svg"
    content_type: str


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _png(content: bytes) -> CheckedImage:
    # The IHDR chunk comes first and gives a width and height above zero.
    if len(content) < 24 or content[12:16] != b"IHDR":
        raise ValidationError(_("This PNG file is damaged; export it again and retry."))
    width, height = struct.unpack(">II", content[16:24])
    if not width or not height:
        raise ValidationError(_("This PNG file is damaged; export it again and retry."))
    return CheckedImage("png", "image/png")


def _svg_refusal(element: Element) -> str | None:
    name = _local_name(element.tag)
    if name in FORBIDDEN_SVG_ELEMENTS:
        return _("The SVG contains a <%(element)s> element, which could run code.") % {
            "element": name
        }
    for attribute, value in element.attrib.items():
        attribute_name = _local_name(attribute)
        if attribute_name.startswith("on"):
            return _("The SVG contains an event handler (%(attribute)s), which could run code.") % {
                "attribute": attribute_name
            }
        if attribute_name in HREF_ATTRIBUTES and not value.strip().startswith("#"):
            return _("The SVG refers to something outside itself (%(value)s).") % {
                "value": value[:80]
            }
        if attribute_name == "style" and EXTERNAL_STYLE.search(value):
            return _("The SVG has a style that loads something from outside itself.")
    if name in ANIMATING_ELEMENTS and _local_name(element.get("attributeName", "")) in (
        HREF_ATTRIBUTES
    ):
        return _("The SVG animates a link, which could point outside itself.")
    if name == "style" and EXTERNAL_STYLE.search("".join(element.itertext())):
        return _("The SVG has a style that loads something from outside itself.")
    return None


def _svg(content: bytes) -> CheckedImage:
    if b"<?xml-stylesheet" in content:
        raise ValidationError(_("The SVG refers to a style sheet outside itself."))
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise ValidationError(
            _("This file is neither a PNG image nor a well-formed SVG image.")
        ) from error
    if root.tag != f"{SVG_NAMESPACE}svg":
        raise ValidationError(_("This file is neither a PNG image nor a well-formed SVG image."))
    for element in root.iter():
        refusal = _svg_refusal(element)
        if refusal:
            raise ValidationError(
                _("%(reason)s Remove it (or export a PNG instead) and upload again.")
                % {"reason": refusal}
            )
    return CheckedImage("svg", "image/svg+xml")


def check_image(upload, *, max_bytes: int) -> CheckedImage:
    """Raise a ValidationError a person can act on unless `upload` is a safe PNG or SVG."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s. Please upload a smaller image.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if content.startswith(PNG_SIGNATURE):
        return _png(content)
    return _svg(content)
