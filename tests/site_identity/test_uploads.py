"""A logo or favicon is accepted only when its content is a PNG or an SVG that runs nothing."""

import pytest
from django.core.exceptions import ValidationError

from site_identity.uploads import check_image
from tests.site_identity.factories import CLEAN_SVG, png_bytes, svg, upload

LIMIT = 64 * 1024


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as raised:
        check_image(upload(content), max_bytes=LIMIT)
    return " ".join(raised.value.messages)


def test_a_png_is_accepted_as_png():
    assert check_image(upload(png_bytes()), max_bytes=LIMIT).extension == "png"


def test_a_plain_svg_with_a_local_gradient_is_accepted():
    assert check_image(upload(CLEAN_SVG), max_bytes=LIMIT).content_type == "image/svg+xml"


def test_a_text_file_named_png_is_refused():
    assert "neither a PNG image nor a well-formed SVG" in refusal(b"Not an image at all.")


def test_an_html_page_is_refused():
    assert "neither a PNG" in refusal(b"<html><body><script>alert(1)</script></body></html>")


def test_a_truncated_png_is_refused():
    assert "damaged" in refusal(png_bytes()[:16])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (svg("<script>alert(document.cookie)</script>"), "<script>"),
        (svg('<circle r="4"/>', 'onload="alert(1)"'), "event handler (onload)"),
        (svg('<circle r="4" onclick="steal()"/>'), "event handler (onclick)"),
        (svg("<foreignObject><p>HTML inside</p></foreignObject>"), "<foreignobject>"),
        (svg('<image href="https://tracker.example/pixel.png"/>'), "outside itself"),
        (svg('<use xlink:href="https://example.org/sprite.svg#icon"/>'), "outside itself"),
        (svg('<a href="javascript:alert(1)"><circle r="4"/></a>'), "outside itself"),
        (svg("<style>@import url(https://example.org/x.css);</style>"), "style"),
        (svg('<rect style="fill: url(https://example.org/x)"/>'), "style"),
        (svg('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a>'), "animates"),
    ],
)
def test_an_svg_that_could_run_or_fetch_something_is_refused(content, reason):
    message = refusal(content)
    assert reason in message
    assert "upload again" in message


def test_an_svg_with_entities_is_refused_before_they_expand():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>'
    )
    assert "well-formed SVG" in refusal(laughs)


def test_an_svg_with_an_external_style_sheet_instruction_is_refused():
    content = b'<?xml-stylesheet href="https://example.org/x.css"?>' + CLEAN_SVG
    assert "style sheet" in refusal(content)


def test_xml_that_is_not_svg_is_refused():
    assert "neither a PNG" in refusal(b'<feed xmlns="http://www.w3.org/2005/Atom"/>')


def test_an_oversized_image_is_refused_saying_the_limit():
    message = refusal(png_bytes() + b"\0" * LIMIT)
    assert "the limit is 64.0\xa0KB" in message
