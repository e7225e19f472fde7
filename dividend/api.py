"""The JSON API (django-ninja). OpenAPI 3 schema at /api/openapi.json, docs at /api/docs.

Authentication: the browser session (with CSRF for changes) or `Authorization: Bearer <token>`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from dividend.pools.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        api_token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if api_token is None or not api_token.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


api = NinjaAPI(title="Dividend API", version="1.0", auth=[BearerToken(), django_auth],
               description="Officers, pools, missions, positions and secondments of the Dividend roster.")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


@api.exception_handler(MultiPartParserError)
def malformed_upload(request, exc):
    return api.create_response(request, {"detail": f"Malformed multipart body: {exc}"}, status=400)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=400)


def _register_routers():
    from dividend.audit.api import router as audit_router
    from dividend.missions.api import router as missions_router
    from dividend.pools.api import router as pools_router
    from dividend.roster.api import router as roster_router
    from dividend.secondments.api import router as secondments_router

    api.add_router("/officers", roster_router)
    api.add_router("/pools", pools_router)
    api.add_router("/", missions_router)
    api.add_router("/secondments", secondments_router)
    api.add_router("/audit", audit_router)
    api.add_router("/priorities", "dividend.priorities.api.router")


_register_routers()
__all__ = ["api"]
