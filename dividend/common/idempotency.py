"""Idempotency-Key for API writes: a retried request is answered from the first one, never done twice.

A client that did not get an answer (timeout, dropped connection, crashed server) sends the same
request again with the same `Idempotency-Key` header. The first request's answer is stored in the
same database transaction as its write, so either both are committed or neither: a retry finds the
answer (and changes nothing), or finds nothing and does the write. Concurrent requests with one key
wait for each other on the key's unique index (PostgreSQL) or on the write lock (SQLite's
IMMEDIATE transactions), then the later one answers from the stored record.

The key is scoped to the user; the same key with another method, path or body is a client error
(422). Only successful answers (2xx) are kept: after a 4xx nothing was changed and the key can be
used again, e.g. for the corrected request. Keys expire after DIVIDEND_IDEMPOTENCY_HOURS (default
24); `manage.py purge_idempotency_keys` deletes expired ones.
"""

import datetime as dt
import functools
import hashlib
import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MISMATCH = 422
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "DIVIDEND_IDEMPOTENCY_HOURS", 24))


def purge_expired(now=None) -> int:
    """Delete the records whose key expired; their number."""
    deleted, _ = IdempotencyRecord.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def _error(status, detail, message):
    return JsonResponse({"detail": detail, "errors": {HEADER: [message]}, "problems": []}, status=status)


@functools.cache
def _user_resolvers():
    """DIVIDEND_IDEMPOTENCY_USER_RESOLVERS: dotted paths of functions request → user or None, for
    credentials the session does not carry (the API's bearer tokens): the key is scoped to the user
    they name."""
    return [import_string(path) for path in getattr(settings, "DIVIDEND_IDEMPOTENCY_USER_RESOLVERS", ())]


def _user(request):
    for resolver in _user_resolvers():
        user = resolver(request)
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def request_hash(request) -> str:
    """The request as the client meant it: method, path with query, and body. A multipart body is
    taken by its fields and files, not its bytes: a client builds a new boundary for each send."""
    digest = hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        fields = sorted((name, values) for name, values in request.POST.lists())
        files = sorted((name, f.name, hashlib.sha256(b"".join(f.chunks())).hexdigest())
                       for name, uploads in request.FILES.lists() for f in uploads)
        digest.update(json.dumps([fields, files]).encode())
    else:
        digest.update(request.content_type.encode() + b"\n" + request.body)
    return digest.hexdigest()


def _replay(record, fingerprint):
    if record.request_hash != fingerprint:
        return _error(MISMATCH, "This Idempotency-Key was used for another request.",
                      f"Used before for {record.method} {record.path} with another body; send a new key "
                      "for a new request.")
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def _stored(user, key):
    return IdempotencyRecord.objects.filter(user=user, key=key).first()


class IdempotencyMiddleware:
    """Applies to POST, PUT, PATCH and DELETE under /api/ that carry the header; others pass."""

    prefix = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith(self.prefix):
            return self.get_response(request)
        user = _user(request)
        if user is None:
            return self.get_response(request)  # the API answers 401 (whatever the key); nothing to keep
        if not _VALID_KEY.match(key):
            return _error(400, "Invalid Idempotency-Key.", "1 to 255 visible ASCII characters, e.g. a UUID.")
        try:
            fingerprint = request_hash(request)
        except RequestDataTooBig:
            return self.get_response(request)  # refused by the upload limits; nothing is written
        return self._once(request, user, key, fingerprint)

    def _once(self, request, user, key, fingerprint):
        now = timezone.now()
        with transaction.atomic():
            record = _stored(user, key)
            if record is not None and record.expires_at > now:
                return _replay(record, fingerprint)
            if record is not None:
                record.delete()
            try:
                with transaction.atomic():
                    # Taken first: a concurrent request with this key waits here until this one ends.
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, method=request.method, path=request.get_full_path()[:2000],
                        request_hash=fingerprint, created_at=now, expires_at=now + lifetime())
            except IntegrityError:
                return _replay(_stored(user, key), fingerprint)
            response = self.get_response(request)
            if connection.needs_rollback:
                return response
            if response.status_code >= 500:
                transaction.set_rollback(True)  # as if the request never came: the retry does the write
            elif 200 <= response.status_code < 300 and not response.streaming:
                record.status, record.body = response.status_code, response.content
                record.content_type = response.get("Content-Type", "")
                record.save(update_fields=["status", "body", "content_type"])
            else:
                record.delete()  # nothing was done: the key may be used again
            return response
