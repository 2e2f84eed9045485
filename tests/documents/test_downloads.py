"""Serving files: as attachments, with the checked type, never sniffed, and only to those
who may read the comment they belong to."""

import pytest
from django.urls import Resolver404, resolve, reverse

from consultations.models import CommentStatus
from documents.models import BackgroundDocument, CommentAttachment
from documents.services import comment_attachments_add
from tests.documents import samples
from tests.factories import make_comment, make_consultation, make_user


def attach(comment, file=None) -> CommentAttachment:
    (attachment,) = comment_attachments_add(comment=comment, files=[file or samples.pdf()])
    return attachment


def background_document(consultation) -> BackgroundDocument:
    from documents.checks import check_upload

    upload = samples.pdf("Regional background paper.pdf")
    document = BackgroundDocument(consultation=consultation, title_en="Background paper")
    document.take_checked(check_upload(upload, max_bytes=10**6))
    document.file.save(upload.name, upload, save=True)
    return document


# --- Headers -------------------------------------------------------------------------------


@pytest.fixture
def published_attachment(question):
    return attach(make_comment(question))


def test_a_file_is_served_as_an_attachment_under_its_uploaded_name(client, published_attachment):
    response = client.get(published_attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Fair%20recruitment%20%E2%80%93%20submission.pdf" in response["Content-Disposition"]


def test_a_file_is_served_with_its_checked_type_and_nosniff(client, published_attachment):
    response = client.get(published_attachment.get_absolute_url())

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_is_never_kept_in_a_shared_cache(client, published_attachment):
    response = client.get(published_attachment.get_absolute_url())

    assert "private" in response["Cache-Control"]


def test_the_served_bytes_are_the_stored_ones(client, published_attachment):
    response = client.get(published_attachment.get_absolute_url())

    assert b"".join(response.streaming_content) == samples.MINIMAL_PDF


def test_a_png_is_served_as_a_png(client, question):
    attachment = attach(make_comment(question), samples.png())

    assert client.get(attachment.get_absolute_url())["Content-Type"] == "image/png"


def test_a_file_missing_from_storage_is_not_found(client, published_attachment):
    published_attachment.file.storage.delete(published_attachment.file.name)

    assert client.get(published_attachment.get_absolute_url()).status_code == 404


def test_uploads_are_not_reachable_under_the_media_address(published_attachment):
    with pytest.raises(Resolver404):
        resolve(f"/media/{published_attachment.file.name}")


# --- Who may download --------------------------------------------------------------------


@pytest.fixture
def author(db):
    return make_user(display_name="Grace Wanjiru")


def file_of(question, author, status) -> CommentAttachment:
    return attach(make_comment(question, author=author, status=status))


def status_for(client, attachment) -> int:
    return client.get(attachment.get_absolute_url()).status_code


@pytest.mark.parametrize(
    ("status", "reader", "expected"),
    [
        (CommentStatus.PUBLISHED, "visitor", 200),
        (CommentStatus.PENDING, "visitor", 403),
        (CommentStatus.PENDING, "stakeholder", 403),
        (CommentStatus.PENDING, "author", 200),
        (CommentStatus.PENDING, "moderator", 200),
        (CommentStatus.PENDING, "other_moderator", 403),
        (CommentStatus.PENDING, "secretariat", 200),
        (CommentStatus.HIDDEN, "visitor", 403),
        (CommentStatus.HIDDEN, "stakeholder", 403),
        (CommentStatus.HIDDEN, "author", 403),
        (CommentStatus.HIDDEN, "moderator", 200),
        (CommentStatus.HIDDEN, "global_moderator", 200),
        (CommentStatus.HIDDEN, "other_moderator", 403),
        (CommentStatus.HIDDEN, "secretariat", 200),
        (CommentStatus.WITHDRAWN, "author", 403),
        (CommentStatus.WITHDRAWN, "moderator", 403),
        (CommentStatus.WITHDRAWN, "secretariat", 200),
    ],
)
def test_who_may_download_a_comments_file(
    request, client, client_for, question, author, status, reader, expected
):
    attachment = file_of(question, author, status)
    if reader == "visitor":
        reader_client = client
    elif reader == "author":
        reader_client = client_for(author)
    else:
        reader_client = client_for(request.getfixturevalue(reader))

    assert status_for(reader_client, attachment) == expected


def test_a_refusal_says_why(client, question, author):
    attachment = file_of(question, author, CommentStatus.HIDDEN)

    response = client.get(attachment.get_absolute_url())

    assert "hidden this comment" in response.content.decode()


def test_a_file_in_a_draft_consultation_is_not_found_for_the_public(client, author):
    from tests.factories import make_question

    draft_question = make_question(make_consultation(state="draft"))
    attachment = file_of(draft_question, author, CommentStatus.PUBLISHED)

    assert status_for(client, attachment) == 404


def test_a_file_in_a_draft_consultation_opens_for_the_secretariat(client_for, secretariat, author):
    from tests.factories import make_question

    draft_question = make_question(make_consultation(state="draft"))
    attachment = file_of(draft_question, author, CommentStatus.PUBLISHED)

    assert status_for(client_for(secretariat), attachment) == 200


def test_an_unknown_file_is_not_found(client, db):
    response = client.get(reverse("documents:comment_attachment", args=[999999]))

    assert response.status_code == 404


# --- Background documents ---------------------------------------------------------------------


def test_a_background_document_is_served_to_visitors_as_an_attachment(client, consultation):
    document = background_document(consultation)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="Regional background paper.pdf"' in response["Content-Disposition"]


def test_a_draft_consultations_background_document_is_not_found_for_visitors(client, db):
    document = background_document(make_consultation(state="draft"))

    assert client.get(document.get_absolute_url()).status_code == 404
