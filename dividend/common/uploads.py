"""The first upload handler (settings.FILE_UPLOAD_HANDLERS): a file beyond DIVIDEND_UPLOAD_MAX_BYTES is
not stored while it arrives.

Its bytes are counted and dropped; the form then receives an empty stand-in that carries the size sent,
so `common.tabular.check_upload` refuses it with the message naming the limit, as for any file too
large. Without it, Django would write the whole body (50 MB, or 5 GB) to a temporary file first.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(InMemoryUploadedFile):
    """What is left of a file beyond the limit: no content, and the size that was sent."""

    def __init__(self, field_name, file_name, content_type, size, charset):
        super().__init__(io.BytesIO(b""), field_name, file_name, content_type, size, charset)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.DIVIDEND_UPLOAD_MAX_BYTES:
            return None  # dropped: the handlers after this one never see it
        return raw_data

    def file_complete(self, file_size):
        if self.received > settings.DIVIDEND_UPLOAD_MAX_BYTES:
            return OversizedUpload(self.field_name, self.file_name, self.content_type, self.received,
                                   self.charset)
        return None  # the next handler (memory or temporary file) has the whole file
