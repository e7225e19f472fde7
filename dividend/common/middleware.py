"""Response headers every answer of the application carries (static files are served before this
middleware by WhiteNoise and keep their own caching)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` on every page and API answer: they may hold personal data, which
    no browser or proxy cache may keep; and a `Permissions-Policy` turning off browser features
    Dividend never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        policy = getattr(settings, "DIVIDEND_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
