"""Where files are shown: the consultation's background documents, and each comment's files
wherever its text is shown."""

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.models import CommentStatus
from documents.checks import check_upload
from documents.models import BackgroundDocument
from documents.services import comment_attachments_add
from tests.documents import samples
from tests.factories import make_comment


def add_background_document(consultation, **titles) -> BackgroundDocument:
    upload = samples.pdf("background.pdf")
    document = BackgroundDocument(consultation=consultation, **titles)
    document.take_checked(check_upload(upload, max_bytes=10**6))
    document.file.save(upload.name, upload, save=True)
    return document


def page(client, url, language="en") -> str:
    with translation.override(language):
        return client.get(url).content.decode()


def test_the_consultation_page_lists_background_documents_with_title_type_and_size(
    client, consultation
):
    document = add_background_document(
        consultation,
        title_en="Background paper on recruitment fees",
        title_fr="Document de référence sur les frais de recrutement",
    )

    html = page(client, consultation.get_absolute_url())

    assert "Background documents" in html
    assert "Background paper on recruitment fees" in html
    assert f"(PDF, {len(samples.MINIMAL_PDF)}\xa0bytes)" in html
    assert document.get_absolute_url() in html


def test_a_background_document_title_is_shown_in_the_readers_language(client, consultation):
    add_background_document(
        consultation,
        title_en="Background paper on recruitment fees",
        title_fr="Document de référence sur les frais de recrutement",
    )

    with translation.override("fr"):
        html = page(client, consultation.get_absolute_url(), "fr")

    assert "Document de référence sur les frais de recrutement" in html


def test_an_untranslated_title_falls_back_to_english_and_says_so(client, consultation):
    add_background_document(consultation, title_en="Background paper on recruitment fees")

    with translation.override("es"):
        html = page(client, consultation.get_absolute_url(), "es")

    assert 'lang="en">Background paper on recruitment fees' in html


def test_a_consultation_without_documents_has_no_documents_section(client, consultation):
    assert "Background documents" not in page(client, consultation.get_absolute_url())


@pytest.fixture
def commented_question(question):
    comment = make_comment(question, body="See the attached survey.")
    (attachment,) = comment_attachments_add(comment=comment, files=[samples.pdf("survey.pdf")])
    return question, comment, attachment


def test_a_comment_shows_its_files_on_the_question_page(client, commented_question):
    question, _comment, attachment = commented_question

    html = page(client, question.get_absolute_url())

    assert attachment.get_absolute_url() in html
    assert "survey.pdf" in html


def test_a_comment_shows_its_files_on_the_consultation_page(client, commented_question):
    question, _comment, attachment = commented_question

    assert attachment.get_absolute_url() in page(client, question.consultation.get_absolute_url())


def test_a_hidden_comments_files_are_not_linked_for_visitors(client, commented_question):
    question, comment, attachment = commented_question
    comment.status = CommentStatus.HIDDEN
    comment.moderation_reason = "Shares a phone number"
    comment.save()

    assert attachment.get_absolute_url() not in page(client, question.get_absolute_url())


def test_a_hidden_comments_files_are_linked_for_its_moderators(
    client_for, moderator, commented_question
):
    question, comment, attachment = commented_question
    comment.status = CommentStatus.HIDDEN
    comment.moderation_reason = "Shares a phone number"
    comment.save()

    assert attachment.get_absolute_url() in page(client_for(moderator), question.get_absolute_url())


def test_a_withdrawn_comments_files_are_not_linked(client_for, commented_question):
    question, comment, attachment = commented_question
    comment.status = CommentStatus.WITHDRAWN
    comment.save()

    html = page(client_for(comment.author), question.get_absolute_url())

    assert attachment.get_absolute_url() not in html


def test_the_files_of_a_thread_cost_one_query_whatever_their_number(
    client, question, django_assert_max_num_queries
):
    for number in range(3):
        comment = make_comment(question)
        comment_attachments_add(comment=comment, files=[samples.pdf(f"annex-{number}.pdf")])
    with django_assert_max_num_queries(50) as few:
        client.get(question.get_absolute_url())
    for number in range(10):
        comment = make_comment(question)
        comment_attachments_add(comment=comment, files=[samples.png(f"chart-{number}.png")])

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("consultations:question", args=[question.consultation.slug, 1]))
