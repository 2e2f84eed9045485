"""An upload handler that never stores more of a file than the largest accepted size."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler


def largest_accepted_upload() -> int:
    return max(settings.COMMENT_ATTACHMENT_MAX_BYTES, settings.BACKGROUND_DOCUMENT_MAX_BYTES)


class UploadSizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes on a file's bytes up to the limit, then drops them.

    The chunk that crosses the limit is still passed on, so an oversized file
    arrives a little over the limit and the content check refuses it by name,
    with the rest of the form (the comment's text) parsed as usual. A huge
    upload thus costs bandwidth but neither memory nor disk.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = largest_accepted_upload()

    def receive_data_chunk(self, raw_data, start):
        if start > self.limit:
            return None
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file
