"""Downloading a field report's attachment (issue 12 §1): for the users who read the report, always
as a download (Content-Disposition: attachment) with the type detected at intake, never inline."""

from django.contrib.auth.decorators import login_required

from .attachments import download_response, readable_attachment


@login_required
def attachment_download(request, pk, attachment_pk):
    return download_response(readable_attachment(request.user, pk, attachment_pk))
