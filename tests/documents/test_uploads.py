"""The upload handler: past the largest accepted size a file's bytes are dropped, not stored."""

from django.core.files.uploadhandler import MemoryFileUploadHandler

from documents.uploads import UploadSizeLimitHandler

CHUNK = 64 * 1024


def passed_on(handler, total: int) -> int:
    handler.new_file("attachments", "huge.pdf", "application/pdf", total)
    passed = 0
    for start in range(0, total, CHUNK):
        chunk = handler.receive_data_chunk(b"x" * min(CHUNK, total - start), start)
        passed += len(chunk) if chunk is not None else 0
    return passed


def test_a_huge_upload_is_passed_on_only_up_to_just_past_the_limit(settings):
    settings.COMMENT_ATTACHMENT_MAX_BYTES = settings.BACKGROUND_DOCUMENT_MAX_BYTES = 10 * CHUNK

    passed = passed_on(UploadSizeLimitHandler(), total=100 * CHUNK)

    assert 10 * CHUNK < passed <= 11 * CHUNK


def test_an_upload_at_the_limit_is_passed_on_whole(settings):
    settings.COMMENT_ATTACHMENT_MAX_BYTES = settings.BACKGROUND_DOCUMENT_MAX_BYTES = 10 * CHUNK

    assert passed_on(UploadSizeLimitHandler(), total=10 * CHUNK) == 10 * CHUNK


def test_the_handler_comes_before_the_ones_that_store(settings):
    handlers = settings.FILE_UPLOAD_HANDLERS

    assert handlers[0] == "documents.uploads.UploadSizeLimitHandler"
    assert f"{MemoryFileUploadHandler.__module__}.MemoryFileUploadHandler" in handlers[1:]
