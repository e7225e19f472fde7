"""The JSON API (django-ninja). OpenAPI 3 schema at /api/openapi.json, docs at /api/docs (Swagger UI
served from ninja's own static files, no CDN).

Authentication: the browser session (with CSRF for changes) or `Authorization: Bearer <token>`.
"""

import functools
import inspect

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, security
from ninja import errors as ninja_errors
from ninja.security import HttpBearer

from dividend.common import idempotency, unavailable
from dividend.common.api import (
    FORBIDDEN,
    INVALID,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    NULL_CHARACTER,
    UNAUTHENTICATED,
    ApiError,
)
from dividend.pools.models import ApiGroup, ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>` for the endpoints of one group (one per router): the token must
    be live (not revoked or expired: 401), cover the group and, for a change, be read-write (403)."""

    def __init__(self, group: str | None):
        super().__init__()
        self.group = ApiGroup(group).value if group else None

    def authenticate(self, request, token):
        api_token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if api_token is None:
            return None
        refusal = api_token.refusal(method=request.method, group=self.group)
        if refusal is not None:
            raise ApiError(*refusal)
        api_token.mark_used()
        request.user = api_token.user
        return api_token.user


class SessionAuth(security.SessionAuth):
    """The browser's session. CSRF is checked for a logged-in session only: a request with neither
    a session nor a valid token answers 401 (the error contract), not ninja's 403 for a missing
    CSRF token, which an anonymous client would otherwise get on every change."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


browser_session = SessionAuth()


def auth_for(group: str | None) -> list:
    """A router's authentication: a token valid for its group, or the browser session."""
    return [BearerToken(group), browser_session]


DESCRIPTION = """Officers, pools, missions, positions, secondments, the audit log, country priorities, and calls
for contributions with their nominations.

**Errors.** Every error answer has one JSON body:

    {"detail": "<one sentence>", "errors": {"<field>": ["<message>", ...]}, "problems": [{"path", "line", "message"}]}

`errors` names the input fields at fault (`__all__`: the input as a whole); `problems` locates
problems inside a submitted file (a priority model's YAML, a dataset). Both are empty when no input
is at fault. Status codes:

- **400** the input is invalid: malformed JSON, a missing or mistyped field or query parameter, a text
  longer than its `maxLength`, a date not written `yyyy-mm-dd`, or a rule of the product (the same
  rules as the web forms). Nothing was changed.
- **401** no valid session or API token (also: the token is revoked or expired; `detail` says which).
- **403** your role may not do this, or your API token does not cover it (read-only token and a
  change, or an endpoint group outside its scope); `detail` says why.
- **404** no such object, or not one you may see.
- **405** the address does not take this method; the `Allow` header lists those it takes.
- **422** only for an `Idempotency-Key` sent before with another request.
- **503** the database is unavailable for a moment: nothing was done; retry after the
  `Retry-After` seconds (with the same `Idempotency-Key` for a write).

**Retries.** Every write (POST, PUT, PATCH, DELETE) accepts an `Idempotency-Key` header (1 to 255
visible ASCII characters, e.g. a UUID). Send the same key when you retry a request whose answer
you did not get: if the first one was done, its answer comes back (with `Idempotent-Replayed:
true`) and nothing is done twice; if not, it is done now. The key belongs to you; used again with
another method, path or body it answers 422. Only successful answers are kept (after an error
nothing was changed); keys expire after 24 hours.
"""

IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": idempotency.HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Makes a retry safe: the same key answers with the first request's stored answer and "
                   "changes nothing (see Retries above).",
}


def _contract_405(view):
    """An API address's view whose 405 (a method none of its operations takes) has the contract's body:
    ninja answers a bare text. The `Allow` header is kept (sorted)."""
    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != METHOD_NOT_ALLOWED or response.get("Content-Type", "").startswith(
                "application/json"):
            return response
        allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",") if m.strip()))
        refused = _error(request, METHOD_NOT_ALLOWED, f"This address does not take {request.method}; it takes "
                                                      f"{allowed}.")
        refused["Allow"] = allowed
        return refused
    return answer


class DividendAPI(NinjaAPI):
    def _get_urls(self):
        """Ninja's URL patterns, each view answering 405 with the contract's body (`_contract_405`)."""
        urls = super()._get_urls()
        for pattern in urls:
            if not inspect.iscoroutinefunction(pattern.callback):  # every operation of ours is sync
                pattern.callback = _contract_405(pattern.callback)
        return urls

    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's document, plus the Idempotency-Key header and its 422 answer on every write, the
        403 of a token that does not cover the operation (every router takes tokens of a group), and
        the 503 every operation may answer while the database is unavailable."""
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method.upper() in idempotency.WRITE_METHODS:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
                    operation["responses"][str(idempotency.MISMATCH)] = {
                        "description": "The Idempotency-Key was sent before with another request", "content": error}
                responses = operation["responses"]
                if 403 not in responses and "403" not in responses:
                    responses["403"] = {"description": "Your role may not do this, or your API token does not "
                                                       "cover it", "content": error}
                operation["responses"]["503"] = {
                    "description": "The database is unavailable for a moment; retry after Retry-After seconds",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}},
                    "content": error}
        return schema


# Each router sets its own authentication (its token group, `_register_routers`); the API's default,
# for an operation outside the routers, takes only tokens limited to no group.
api = DividendAPI(title="Dividend API", version="1.0", auth=auth_for(None), description=DESCRIPTION)


def token_user(request):
    """The user of the request's bearer token if it still authenticates (whatever its scope: the
    endpoint checks that): whose Idempotency-Key an API write carries
    (settings.DIVIDEND_IDEMPOTENCY_USER_RESOLVERS)."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    api_token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key.strip())).first()
    if api_token is None:
        return None
    refusal = api_token.refusal(method="GET", group=None)
    return None if refusal is not None and refusal[0] == UNAUTHENTICATED else api_token.user


def _error(request, status, detail, errors=None, problems=None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}, "problems": problems or []},
                               status=status)


def _field(location) -> str:
    """A pydantic error location as the input field's name: ("body", "payload", "officer") → "officer"."""
    names = [str(part) for part in location]
    names = names[2:] if names[:1] == ["body"] else names[1:]
    return ".".join(names) or "__all__"


MAX_FIELD_ERRORS = 100  # a body of 100,000 bad rows would otherwise answer 300,000 messages


_BEYOND_LIMITS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "string_too_long",
                  "string_too_short", NULL_CHARACTER}


@api.exception_handler(ninja_errors.ValidationError)
def invalid_request(request, exc):
    if exc.errors and all(tuple(error.get("loc", ()))[:1] == ("path",) and error.get("type") in _BEYOND_LIMITS
                          for error in exc.errors):
        # A path id out of its range or a name longer than its field names no object: as any unknown
        # one. (Not a number at all is a malformed request: 400.)
        return _error(request, NOT_FOUND, "Not found.")
    errors = {}
    for error in exc.errors:
        field = _field(error.get("loc", ()))
        if field not in errors and len(errors) == MAX_FIELD_ERRORS:
            return _error(request, INVALID, f"Invalid input: {len(exc.errors):,} problems; the first "
                                            f"{MAX_FIELD_ERRORS} fields are listed.", errors)
        errors.setdefault(field, []).append(_message(error))
    return _error(request, INVALID, "Invalid input.", errors)


def _message(error) -> str:
    """pydantic's message for one field, except a text beyond its maxLength: said as the web form says it."""
    limit = error.get("ctx", {}).get("max_length")
    if error.get("type") == "string_too_long" and isinstance(limit, int):
        return f"Ensure this value has at most {limit:,} characters."
    return error.get("msg", "Invalid value.")


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(request, INVALID, f"The request body is larger than {limit / 1024 / 1024:g} MB (the limit); "
                                    f"send files as multipart uploads.")


@api.exception_handler(ninja_errors.AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, UNAUTHENTICATED, "Authentication required: log in or send an API token.")


@api.exception_handler(ninja_errors.HttpError)
def http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, NOT_FOUND, "Not found.")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, FORBIDDEN, str(exc) or "Permission denied.")


@api.exception_handler(MultiPartParserError)
def malformed_upload(request, exc):
    return _error(request, INVALID, f"Malformed multipart body: {exc}")


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, INVALID, "Invalid input.", errors)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_error(request, exc):
    """The database does not answer: 503 with Retry-After (ninja would answer DEBUG's 500 itself)."""
    if unavailable.is_unavailable(exc):
        return unavailable.unavailable_response(request)
    raise exc


@api.exception_handler(ApiError)
def api_error(request, exc):
    return api.create_response(request, exc.body(), status=exc.status)


def no_such_endpoint(request):
    """Any other address under /api/ (also an id that is not a number): a 404 with the contract's body."""
    return _error(request, NOT_FOUND, f"No such endpoint: {request.path}")


def _register_routers():
    from dividend.audit.api import router as audit_router
    from dividend.missions.api import router as missions_router
    from dividend.pools.api import router as pools_router
    from dividend.roster.api import router as roster_router
    from dividend.secondments.api import router as secondments_router

    api.add_router("/officers", roster_router, auth=auth_for(ApiGroup.OFFICERS))
    api.add_router("/pools", pools_router, auth=auth_for(ApiGroup.POOLS))
    api.add_router("/", missions_router, auth=auth_for(ApiGroup.MISSIONS))
    api.add_router("/secondments", secondments_router, auth=auth_for(ApiGroup.SECONDMENTS))
    api.add_router("/audit", audit_router, auth=auth_for(ApiGroup.AUDIT))
    api.add_router("/priorities", "dividend.priorities.api.router", auth=auth_for(ApiGroup.PRIORITIES))
    api.add_router("/selection", "dividend.selection.api.router", auth=auth_for(ApiGroup.SELECTION))
    api.add_router("/selection", "dividend.selection.panel_api.router", auth=auth_for(ApiGroup.SELECTION))
    api.add_router("/selection", "dividend.selection.ranking_api.router", auth=auth_for(ApiGroup.SELECTION))
    api.add_router("/selection", "dividend.selection.strategic_api.router", auth=auth_for(ApiGroup.SELECTION))
    # Before /reports: its /reports/{report_id} would take /reports/monthly and /reports/debriefings.
    api.add_router("/reports/monthly", "dividend.reports.monthly_api.monthly_router", auth=auth_for(ApiGroup.REPORTS))
    api.add_router("/reports/debriefings", "dividend.reports.monthly_api.debriefings_router",
                   auth=auth_for(ApiGroup.REPORTS))
    # Before /reports: its /{report_id} would take "search" for an id.
    api.add_router("/reports/search", "dividend.reports.search_api.router", auth=auth_for(ApiGroup.REPORTS))
    api.add_router("/reports", "dividend.reports.api.router", auth=auth_for(ApiGroup.REPORTS))
    api.add_router("/preparation", "dividend.preparation.api.router", auth=auth_for(ApiGroup.PREPARATION))
    api.add_router("/alerts", "dividend.alerts.api.router", auth=auth_for(ApiGroup.ALERTS))
    api.add_router("/careers", "dividend.careers.api.router", auth=auth_for(ApiGroup.CAREERS))
    api.add_router("/care", "dividend.care.api.router", auth=auth_for(ApiGroup.CARE))
    api.add_router("/targets", "dividend.targets.api.router", auth=auth_for(ApiGroup.TARGETS))
    api.add_router("/commitments", "dividend.commitments.api.router", auth=auth_for(ApiGroup.COMMITMENTS))
    api.add_router("/performance", "dividend.performance.api.router", auth=auth_for(ApiGroup.PERFORMANCE))
    api.add_router("/accountability", "dividend.accountability.api.router", auth=auth_for(ApiGroup.ACCOUNTABILITY))


_register_routers()
__all__ = ["api", "no_such_endpoint"]
