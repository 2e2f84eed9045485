"""The content check on its own: what a file is comes from its bytes, and must match its name."""

import pytest
from django.core.exceptions import ValidationError

from documents.checks import DOCX, JPEG, ODS, ODT, PDF, PNG, XLSX, check_upload, display_filename
from tests.documents import samples

LIMIT = 10 * 1024 * 1024


def refusal(file, max_bytes=LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        check_upload(file, max_bytes=max_bytes)
    return raised.value


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("submission.pdf", samples.MINIMAL_PDF, PDF),
        ("fees-survey.docx", samples.docx_bytes(), DOCX),
        ("contribution.odt", samples.odt_bytes(), ODT),
        ("remittance-costs.xlsx", samples.xlsx_bytes(), XLSX),
        ("remittance-costs.ods", samples.ods_bytes(), ODS),
        ("chart.png", samples.MINIMAL_PNG, PNG),
        ("photo.jpg", samples.MINIMAL_JPEG, JPEG),
        ("photo.JPEG", samples.MINIMAL_JPEG, JPEG),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(name, content, kind):
    checked = check_upload(samples.upload(name, content), max_bytes=LIMIT)

    assert checked.kind == kind
    assert checked.size == len(content)


def test_a_renamed_windows_executable_is_refused_naming_the_file():
    error = refusal(samples.upload("budget.pdf", samples.WINDOWS_EXECUTABLE))

    assert error.code == "content_not_accepted"
    assert "“budget.pdf”" in error.message


def test_a_renamed_linux_executable_is_refused():
    assert refusal(samples.upload("chart.png", samples.LINUX_EXECUTABLE)).code == (
        "content_not_accepted"
    )


@pytest.mark.parametrize("name", ["report.html", "report.htm", "logo.svg", "tool.exe"])
def test_names_of_kinds_we_do_not_accept_are_refused(name):
    error = refusal(samples.upload(name, samples.HTML_PAGE))

    assert error.code == "kind_not_accepted"
    assert f"“{name}”" in error.message


def test_html_named_as_a_pdf_is_refused():
    assert refusal(samples.upload("report.pdf", samples.HTML_PAGE)).code == "content_not_accepted"


def test_svg_named_as_a_png_is_refused():
    assert refusal(samples.upload("logo.png", samples.SVG_IMAGE)).code == "content_not_accepted"


def test_a_file_over_the_limit_is_refused_naming_the_file_and_the_limit():
    error = refusal(samples.pdf("big.pdf"), max_bytes=len(samples.MINIMAL_PDF) - 1)

    assert error.code == "too_large"
    assert "“big.pdf”" in error.message


def test_a_file_exactly_at_the_limit_is_accepted():
    checked = check_upload(samples.pdf("exact.pdf"), max_bytes=len(samples.MINIMAL_PDF))

    assert checked.kind == PDF


def test_an_empty_file_is_refused_naming_the_file():
    error = refusal(samples.upload("empty.pdf", b""))

    assert error.code == "empty"
    assert "“empty.pdf”" in error.message


def test_a_png_named_as_a_pdf_is_refused_saying_what_it_is():
    error = refusal(samples.upload("scan.pdf", samples.MINIMAL_PNG))

    assert error.code == "content_does_not_match_name"
    assert "“scan.pdf”" in error.message
    assert "PNG" in error.message


def test_a_word_document_named_as_a_spreadsheet_is_refused():
    error = refusal(samples.upload("figures.xlsx", samples.docx_bytes()))

    assert error.code == "content_does_not_match_name"


def test_a_text_document_named_as_an_opendocument_spreadsheet_is_refused():
    assert refusal(samples.upload("figures.ods", samples.odt_bytes())).code == (
        "content_does_not_match_name"
    )


def test_a_macro_enabled_word_document_renamed_docx_is_refused():
    assert refusal(samples.upload("letter.docx", samples.docm_bytes())).code == (
        "content_not_accepted"
    )


def test_a_plain_zip_renamed_docx_is_refused():
    assert refusal(samples.upload("letter.docx", samples.plain_zip_bytes())).code == (
        "content_not_accepted"
    )


def test_a_damaged_zip_named_docx_is_refused():
    damaged = samples.docx_bytes()[:40]

    assert refusal(samples.upload("letter.docx", damaged)).code == "content_not_accepted"


def test_the_check_leaves_the_file_at_its_start_for_storing():
    file = samples.upload("fees-survey.docx", samples.docx_bytes())

    check_upload(file, max_bytes=LIMIT)

    assert file.tell() == 0


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("Propuesta de la red – México.pdf", "Propuesta de la red – México.pdf"),
        ("C:\\Users\\amina\\report.pdf", "report.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('evil"\r\nname<>.pdf', "evilname.pdf"),
        ("   .hidden.pdf  ", "hidden.pdf"),
        ("", "file"),
    ],
)
def test_the_uploaded_name_is_cleaned_for_display(uploaded, shown):
    assert display_filename(uploaded) == shown


def test_a_very_long_name_is_shortened_keeping_its_extension():
    shown = display_filename("a" * 400 + ".pdf")

    assert len(shown) == 150
    assert shown.endswith(".pdf")
